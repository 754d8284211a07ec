/**
 * Properties of the pure input checks of lib/validate.ts, over generated inputs
 * (test/helpers/arbitraries.ts mirrors their rules; the seed is fixed so a failure replays).
 */
import fc from 'fast-check';
import { OriginWildcard, gcpProjectIdProblems, httpsOriginProblems, keyPrefixProblems } from '../lib/validate';
import { PROPERTY_SEED, gcsOrigins, keyPrefixes, refusedKeyPrefix, refusedOrigin, withOneRefused } from './helpers/arbitraries';

const RUNS = { seed: PROPERTY_SEED, numRuns: 200 };

describe('key prefixes', () => {
  it('accepts every list of accepted prefixes', () => {
    fc.assert(fc.property(keyPrefixes, (prefixes) => {
      expect(keyPrefixProblems('keyPrefixes', prefixes)).toEqual([]);
    }), RUNS);
  });

  it('refuses a list holding a refused prefix, naming its index', () => {
    fc.assert(fc.property(withOneRefused(keyPrefixes, refusedKeyPrefix), ({ values, index }) => {
      expect(keyPrefixProblems('keyPrefixes', values).some((problem) => problem.startsWith(`keyPrefixes[${index}]`))).toBe(true);
    }), RUNS);
  });
});

describe('origins without a wildcard (the check both clouds share)', () => {
  it('accepts every list of exact https origins', () => {
    fc.assert(fc.property(gcsOrigins, (origins) => {
      expect(httpsOriginProblems('allowedOrigins', origins, OriginWildcard.NONE)).toEqual([]);
    }), RUNS);
  });

  it('refuses a list holding a refused origin, naming its index', () => {
    fc.assert(fc.property(withOneRefused(gcsOrigins, refusedOrigin), ({ values, index }) => {
      expect(httpsOriginProblems('allowedOrigins', values, OriginWildcard.NONE).some((problem) => problem.startsWith(`allowedOrigins[${index}]`))).toBe(true);
    }), RUNS);
  });
});

describe('Google project IDs', () => {
  const projectId = fc.stringMatching(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);

  it('suggests the bare ID for projects/<id>', () => {
    fc.assert(fc.property(projectId, (id) => {
      expect(gcpProjectIdProblems('project', id)).toEqual([]);
      expect(gcpProjectIdProblems('project', `projects/${id}`)).toEqual([expect.stringContaining(`try '${id}'`)]);
    }), RUNS);
  });

  it('never suggests a value it would refuse', () => {
    const anything = fc.oneof(fc.string(), fc.stringMatching(/^projects\/[A-Za-z0-9_.-]{0,32}$/), fc.nat().map((n) => `projects/${n}`));
    fc.assert(fc.property(anything, (given) => {
      for (const problem of gcpProjectIdProblems('project', given)) {
        const suggested = /try '([^']*)'/.exec(problem)?.[1];
        if (suggested !== undefined) {
          expect(gcpProjectIdProblems('project', suggested)).toEqual([]);
        }
      }
    }), RUNS);
  });
});
