/**
 * The two reports docs/cli.md shows under "Verify a bucket", from what `verify aws` would read
 * for them: a bucket as SegmentsBucket makes it, and the same bucket after three hand edits.
 * cli/test/docs.test.ts renders them and compares with the doc.
 */
import { AwsBucketFacts, CorsProbe } from '../../../src/verify/aws/facts';
import type { AwsVerifyOptions } from '../../../src/verify/aws';

const bucket = 'my-images';
const region = 'eu-west-1';
const url = `https://${bucket}.s3.${region}.amazonaws.com/images/cat.jpg`;
const segmentsRule = { ID: 'segments-cors', AllowedHeaders: ['*'], AllowedMethods: ['GET'], AllowedOrigins: ['https://segments.ai', 'https://*.segments.ai'], ExposeHeaders: [] };
const statement = { Sid: 'segments-s3-access', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::931508227573:user/segmentsai-prod-user' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` };

/** The browser's view, each origin answered with `allowOrigin(origin)`. */
function probes(allowOrigin: (origin: string) => string): CorsProbe[] {
  const requests = [{ method: 'OPTIONS' as const, requestHeaders: [] }, { method: 'OPTIONS' as const, requestHeaders: ['range'] }, { method: 'GET' as const }];
  return ['https://app.segments.ai', 'https://segments.ai'].flatMap((origin) => requests.map((request) => ({
    origin, ...request, url,
    response: { ok: true as const, value: { status: 200, headers: {
      'access-control-allow-origin': allowOrigin(origin), 'access-control-allow-methods': 'GET',
      // S3 allows the headers a preflight asked for (the browser needs range there).
      ...((request as { requestHeaders?: string[] }).requestHeaders?.length ? { 'access-control-allow-headers': (request as { requestHeaders: string[] }).requestHeaders.join(', ') } : {}),
      'vary': 'Origin',
    } } },
  })));
}

export const EXAMPLE_OPTIONS: AwsVerifyOptions = { bucket, prefixes: [], keys: ['images/cat.jpg'], origins: ['https://app.segments.ai', 'https://segments.ai'] };

export const PASSING: AwsBucketFacts = {
  bucket,
  location: { ok: true, value: { exists: true, region } },
  policy: { ok: true, value: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) },
  cors: { ok: true, value: [segmentsRule] },
  encryption: { ok: true, value: { algorithm: 'AES256' } },
  ownership: { ok: true, value: 'BucketOwnerEnforced' },
  requestPayer: { ok: true, value: 'BucketOwner' },
  publicAccessBlock: { ok: true, value: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } },
  objects: [{ key: 'images/cat.jpg', head: { ok: true, value: { storageClass: 'STANDARD', serverSideEncryption: 'AES256' } } }],
  kmsKeys: new Map(),
  probes: probes((origin) => origin),
};

/** A security team's Deny on the office's IP range, another team's public-read CORS rule put first, and requester pays. */
export const FAILING: AwsBucketFacts = {
  ...PASSING,
  policy: {
    ok: true,
    value: JSON.stringify({
      Version: '2012-10-17',
      Statement: [statement, {
        Sid: 'OfficeOnly', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`,
        Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
      }],
    }),
  },
  cors: { ok: true, value: [{ ID: 'public-read', AllowedMethods: ['GET'], AllowedOrigins: ['*'] }, segmentsRule] },
  requestPayer: { ok: true, value: 'Requester' },
  // S3 answers with the public-read rule, which allows every origin.
  probes: probes(() => '*'),
};
