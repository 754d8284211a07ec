/**
 * Which resources rely on the Segments entries of a bucket: "claims", kept on the bucket itself so
 * that a Delete can tell whether another resource still needs the grant.
 *
 * Why: CloudFormation creates a resource with a new logical ID (a construct moved or renamed, a
 * token bucket name turned literal, the construct moved to another stack) before it deletes the
 * old one, and rolls back a failed deploy by deleting the new one while the old one stays. Both
 * resources write the same statement and rule, so content cannot tell them apart, and without
 * another IAM permission (cloudformation:Describe*) the handler cannot ask CloudFormation either.
 *
 * How: each resource's claim is an extra entry in the AllowedHeaders of our own CORS rule,
 * `x-segments-grant-<16 hex digits>`, a hash of the stack ID and logical ID. The rule already allows
 * every header (`*`), so an extra name changes nothing S3 answers; the role may already write CORS.
 * Create and Update add the resource's claim (keeping others'); Delete removes it and removes the
 * statement and rule only when no other claim is left. A rule without any claim (written by hand,
 * by the CLI, or by an older version of the handler) is removed by the Delete of the resource that
 * adopted it, as before.
 */
import { createHash } from 'crypto';
import type { S3CorsRuleJson } from '../../../s3/cors-configuration';

/** The AllowedHeaders entries that are claims start with this. */
export const GRANT_CLAIM_HEADER_PREFIX = 'x-segments-grant-';

/** The claim of the resource a CloudFormation event is about: stable across its updates, unique per stack and logical ID. */
export function grantClaim(stackId: string, logicalResourceId: string): string {
  return createHash('sha256').update(`${stackId}\n${logicalResourceId}`).digest('hex').slice(0, 16);
}

/** The claims a rule carries, in order. */
export function claimsOf(rule: S3CorsRuleJson | undefined): string[] {
  return (rule?.AllowedHeaders ?? [])
    .filter((header) => header.toLowerCase().startsWith(GRANT_CLAIM_HEADER_PREFIX))
    .map((header) => header.slice(GRANT_CLAIM_HEADER_PREFIX.length).toLowerCase());
}

/** The rule without its claims: what it means to S3. */
export function withoutClaims(rule: S3CorsRuleJson): S3CorsRuleJson {
  const headers = (rule.AllowedHeaders ?? []).filter((header) => !header.toLowerCase().startsWith(GRANT_CLAIM_HEADER_PREFIX));
  return { ...rule, AllowedHeaders: headers };
}

/** The rule carrying exactly these claims (deduplicated, in order), after its own headers. */
export function withClaims(rule: S3CorsRuleJson, claims: readonly string[]): S3CorsRuleJson {
  const own = withoutClaims(rule).AllowedHeaders ?? [];
  return { ...rule, AllowedHeaders: [...own, ...[...new Set(claims)].map((claim) => `${GRANT_CLAIM_HEADER_PREFIX}${claim}`)] };
}
