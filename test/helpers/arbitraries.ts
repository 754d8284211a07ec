/**
 * fast-check arbitraries that mirror the input checks of lib/checks/, for the property tests.
 *
 * Accepted inputs are generated conservatively, inside what every version of the checks accepts:
 * origins `https://<2-3 lowercase labels>[:port]` (port not 443) and, for S3, `https://*.<host>`;
 * key prefixes of `[a-z0-9_-]` segments joined by `/` (no `.` or `..` segment, no dot at all).
 * Refused inputs use forms every version refuses: `http://`, upper case, a path, a lone `*`;
 * prefixes with `*` or `?`, a leading `/`, an empty string.
 */
import fc from 'fast-check';

/**
 * One seed for every property test, so a failure replays: fast-check prints the seed and the
 * counterexample's path; rerun with `fc.assert(..., { seed, path })` to get it back.
 */
export const PROPERTY_SEED = 20261128;

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);

/** A lowercase host of two or three labels, such as `app.segments.ai`. */
export const host = fc.array(label, { minLength: 2, maxLength: 3 }).map((labels) => labels.join('.'));

const port = fc.option(fc.integer({ min: 1, max: 65535 }).filter((p) => p !== 443), { nil: undefined });

/** `https://host[:port]`, accepted by S3 and Cloud Storage. */
export const exactOrigin = fc.tuple(host, port).map(([h, p]) => `https://${h}${p === undefined ? '' : `:${p}`}`);

/** `https://*.host`, a subdomain wildcard S3 accepts (Cloud Storage does not). */
export const leadingWildcardOrigin = host.map((h) => `https://*.${h}`);

/** A list of origins S3 accepts: 1 to 3 distinct, exact or with a leading subdomain wildcard. */
export const s3Origins = fc.uniqueArray(fc.oneof({ weight: 4, arbitrary: exactOrigin }, { weight: 1, arbitrary: leadingWildcardOrigin }), { minLength: 1, maxLength: 3 });

/** A list of origins Cloud Storage accepts: 1 to 3 distinct exact origins. */
export const gcsOrigins = fc.uniqueArray(exactOrigin, { minLength: 1, maxLength: 3 });

/** A form of origin every version of the origin check refuses, for every cloud. */
export const refusedOrigin = fc.oneof(
  exactOrigin.map((o) => o.replace(/^https:/, 'http:')),
  fc.tuple(exactOrigin, fc.nat()).map(([o, n]) => {
    // Upper-case one letter of the host (every label starts with a letter).
    const letters = [...o.slice('https://'.length).matchAll(/[a-z]/g)].map((m) => m.index! + 'https://'.length);
    const at = letters[n % letters.length];
    return o.slice(0, at) + o[at].toUpperCase() + o.slice(at + 1);
  }),
  fc.tuple(exactOrigin, fc.stringMatching(/^[a-z0-9]{0,6}$/)).map(([o, path]) => `${o}/${path}`),
  fc.constant('*'),
);

const segment = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);

/** A key prefix every version of the prefix check accepts, such as `images/2024/` or `raw_data`. */
export const keyPrefix = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([segments, slash]) => `${segments.join('/')}${slash ? '/' : ''}`);

/** 1 to 3 distinct accepted key prefixes. */
export const keyPrefixes = fc.uniqueArray(keyPrefix, { minLength: 1, maxLength: 3 });

/** A form of key prefix every version of the prefix check refuses. */
export const refusedKeyPrefix = fc.oneof(
  fc.tuple(keyPrefix, fc.nat(), fc.constantFrom('*', '?')).map(([p, n, wildcard]) => {
    const at = n % (p.length + 1);
    return p.slice(0, at) + wildcard + p.slice(at);
  }),
  keyPrefix.map((p) => `/${p}`),
  fc.constant(''),
);

/**
 * A list of accepted values with one refused value inserted: the list and the index of the
 * refused value, which the refusal must name.
 */
export function withOneRefused<T>(accepted: fc.Arbitrary<T[]>, refused: fc.Arbitrary<T>): fc.Arbitrary<{ values: T[]; index: number }> {
  return fc.tuple(accepted, refused, fc.nat()).map(([values, bad, n]) => {
    const index = n % (values.length + 1);
    return { values: [...values.slice(0, index), bad, ...values.slice(index)], index };
  });
}

/** An S3 object key: letters, digits, `/`, `_`, `-` and `.`. */
export const objectKey = fc.stringMatching(/^[a-z0-9/_.-]{1,24}$/);
