/**
 * Properties of the Google Cloud constructs over generated inputs (test/helpers/arbitraries.ts
 * mirrors the input checks; the seed is fixed so a failure replays).
 */
import { Construct } from 'constructs';
import fc from 'fast-check';
import { SegmentsGcsAccess, SegmentsGcsBucket } from '../../lib/gcp';
import { PROPERTY_SEED, exactOrigin, gcsOrigins, leadingWildcardOrigin, refusedOrigin, withOneRefused } from '../helpers/arbitraries';
import { newStack, onlyResource, synthWith } from './synth';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';

function build(scope: Construct, construct: 'SegmentsGcsBucket' | 'SegmentsGcsAccess', allowedOrigins: string[]): void {
  if (construct === 'SegmentsGcsBucket') {
    new SegmentsGcsBucket(scope, 'Data', { name: 'acme-images', location: 'EU', segmentsServiceAccount: SA, allowedOrigins });
  } else {
    new SegmentsGcsAccess(scope, 'Segments', { bucketName: 'acme-images', segmentsServiceAccount: SA, allowedOrigins });
  }
}

const construct = fc.constantFrom('SegmentsGcsBucket' as const, 'SegmentsGcsAccess' as const);

describe('for any origins the constructs accept', () => {
  it('the CORS rule allows exactly those origins, GET only', () => {
    fc.assert(fc.property(gcsOrigins, (origins) => {
      const { json } = synthWith((scope) => build(scope, 'SegmentsGcsBucket', origins));
      const cors = onlyResource(json, 'google_storage_bucket').cors as Array<{ origin: string[]; method: string[] }>;
      expect(cors).toHaveLength(1);
      expect(cors[0].origin).toEqual(origins);
      expect(cors[0].method).toEqual(['GET']);
    }), { seed: PROPERTY_SEED, numRuns: 15 });
  });
});

describe('any origin the checks refuse (a subdomain wildcard included) never reaches a template', () => {
  it('throws, naming allowedOrigins and the index', () => {
    fc.assert(fc.property(construct, withOneRefused(fc.uniqueArray(exactOrigin, { maxLength: 2 }), fc.oneof(refusedOrigin, leadingWildcardOrigin)), (which, refused) => {
      expect(() => build(newStack(), which, refused.values)).toThrow(`allowedOrigins[${refused.index}]`);
    }), { seed: PROPERTY_SEED, numRuns: 60 });
  });
});
