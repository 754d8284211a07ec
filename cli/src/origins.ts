/**
 * The `--origin` flag of the CORS commands. The only place the CLI says how each store treats a
 * `*` in an origin, so a change of that rule is made once.
 */
import { OriginWildcard, httpsOriginProblems } from 'segments-cloud-constructs';

/** S3 matches a leading `*.` subdomain wildcard, such as `https://*.segments.ai`. */
export const S3_ORIGIN_WILDCARD = OriginWildcard.LEADING_SUBDOMAIN;

/** Cloud Storage matches origins literally: a `*` inside one never matches. */
export const GCS_ORIGIN_WILDCARD = OriginWildcard.NONE;

/** Problems with the `--origin` values given (none given means the default, which is fine). */
export function originFlagProblems(origins: readonly string[], wildcard: OriginWildcard): string[] {
  return origins.length === 0 ? [] : httpsOriginProblems('--origin', origins, wildcard);
}
