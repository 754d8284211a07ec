/**
 * Properties of the pure input checks of lib/checks/, over generated inputs
 * (test/helpers/arbitraries.ts mirrors their rules; the seed is fixed so a failure replays).
 */
import fc from 'fast-check';
import { OriginWildcard, gcpProjectIdProblems, gcsBucketNameProblems, httpsOriginProblems, keyPrefixProblems, s3BucketNameProblems } from '../lib/checks';
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

/** The values a problem suggests: each quoted after "write '" or "try '" (either case). */
function suggestions(problem: string): string[] {
  return [...problem.matchAll(/(?:write|try) '([^']*)'/gi)].map((m) => m[1]);
}

describe('every value a problem suggests passes the same check', () => {
  // Near-misses of an origin: scheme in any case, hosts with upper case, '*', '_', dots, ports
  // with leading zeros, a trailing path, query or fragment.
  const originLike = fc.tuple(
    fc.constantFrom('https://', 'http://', 'HTTPS://', 'Https://', ''),
    fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^\*{0,2}[a-zA-Z][a-z0-9]{0,6}$/) }, { weight: 1, arbitrary: fc.stringMatching(/^[*a-zA-Z0-9_.-]{0,12}$/) }),
    fc.constantFrom('', '.segments.ai', '.Segments.ai', '.co.uk', '.github.io', '.ai'),
    fc.option(fc.oneof(fc.constantFrom('443', '0443', '080', '0'), fc.stringMatching(/^[0-9]{1,6}$/)), { nil: undefined }),
    fc.constantFrom('', '/', '/app', '?x=1', '#top'),
  ).map(([scheme, host, suffix, port, tail]) => `${scheme}${host}${suffix}${port === undefined ? '' : `:${port}`}${tail}`);

  it.each([OriginWildcard.LEADING_SUBDOMAIN, OriginWildcard.NONE, OriginWildcard.AZURE_EXACT])('for origins (%s)', (wildcard) => {
    let suggested = 0;
    fc.assert(fc.property(originLike, (origin) => {
      for (const problem of httpsOriginProblems('o', [origin], wildcard)) {
        for (const suggestion of suggestions(problem.slice(`o[0] ('${origin}') `.length))) {
          suggested++;
          expect([origin, httpsOriginProblems('o', [suggestion], wildcard)]).toEqual([origin, []]);
        }
      }
    }), { ...RUNS, numRuns: 1000 });
    // The property is not vacuous: enough of the near-misses get a suggestion.
    expect(suggested).toBeGreaterThan(50);
  });

  const nameLike = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,66}$/);
  it.each<[string, (prop: string, name: string) => string[]]>([
    ['S3', s3BucketNameProblems],
    ['Cloud Storage', gcsBucketNameProblems],
  ])('for %s bucket names', (_, check) => {
    let suggested = 0;
    fc.assert(fc.property(nameLike, (name) => {
      for (const problem of check('b', name)) {
        for (const suggestion of suggestions(problem.slice(`b ('${name}') `.length))) {
          suggested++;
          expect([name, check('b', suggestion)]).toEqual([name, []]);
        }
      }
    }), { ...RUNS, numRuns: 1000 });
    expect(suggested).toBeGreaterThan(100);
  });
});
