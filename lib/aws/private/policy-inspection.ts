/**
 * Pure inspections of a resolved (CloudFormation JSON) bucket policy and CORS configuration.
 * They run at synth time, once the whole app has added what it adds to the bucket.
 */

/** S3's limit on the size of a bucket policy. */
export const S3_BUCKET_POLICY_MAX_BYTES = 20 * 1024;

/**
 * The longest an unresolved token can become in a bucket policy: an S3 bucket ARN with a
 * 63-character name. Counting every token at that length gives an upper bound of the size.
 */
const LONGEST_REFERENCE = `arn:aws:s3:::${'x'.repeat(63)}`;

/** A CDK string token as `PolicyDocument.toJSON()` leaves it, such as `${Token[TOKEN.21]}`. */
const STRING_TOKEN = /\$\{Token\[[^\]]*\]\}/g;

/**
 * An upper bound of the deployed size in bytes, without whitespace, of a policy document as
 * `PolicyDocument.toJSON()` renders it (before statement merging, which only makes it smaller).
 * Rendering costs a tenth of a full resolve, which matters with hundreds of buckets in a stack.
 */
export function estimatePolicyBytes(unresolvedDocument: unknown): number {
  return Buffer.byteLength(JSON.stringify(unresolvedDocument).replace(STRING_TOKEN, LONGEST_REFERENCE), 'utf8');
}

/** Condition keys whose Deny statements keep out Segments' presigned, browser-fetched GETs. */
const LOCKOUT_CONDITION_KEYS = ['aws:sourceip', 'aws:sourcevpce', 'aws:sourcevpc', 's3:signatureage'];

interface ResolvedStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Deny statements conditioned on a source IP, VPC, VPC endpoint or signature age, with those keys. */
export function lockoutDenyStatements(resolvedDocument: unknown): { sid: string; keys: string[] }[] {
  const statements = ((resolvedDocument as { Statement?: ResolvedStatement[] })?.Statement ?? []);
  const found: { sid: string; keys: string[] }[] = [];
  statements.forEach((statement, i) => {
    if (statement.Effect !== 'Deny' || !statement.Condition) {
      return;
    }
    const keys = Object.values(statement.Condition)
      .flatMap((byKey) => Object.keys(byKey ?? {}))
      .filter((key) => LOCKOUT_CONDITION_KEYS.includes(key.toLowerCase()));
    if (keys.length > 0) {
      found.push({ sid: statement.Sid ?? `#${i + 1}`, keys: [...new Set(keys)] });
    }
  });
  return found;
}

/** A CORS rule as CloudFormation renders it. */
export interface ResolvedCorsRule {
  readonly Id?: string;
  readonly AllowedHeaders?: string[];
  readonly AllowedMethods?: string[];
  readonly AllowedOrigins?: string[];
  readonly ExposedHeaders?: string[];
}

/**
 * Whether two rendered CORS rules have the same ID, allow the same headers, methods and origins and
 * expose the same headers.
 */
export function sameCorsRule(a: ResolvedCorsRule, b: ResolvedCorsRule): boolean {
  const fields = ['AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposedHeaders'] as const;
  return a.Id === b.Id && fields.every((field) => JSON.stringify(a[field] ?? []) === JSON.stringify(b[field] ?? []));
}

function originMatches(pattern: string, origin: string): boolean {
  if (!pattern.includes('*')) {
    return pattern === origin;
  }
  const [head, tail] = pattern.split('*', 2);
  return origin.length >= head.length + tail.length && origin.startsWith(head) && origin.endsWith(tail);
}

/**
 * The index of the first CORS rule before `ownIndex` that S3 would apply to a GET from one of
 * `origins` (S3 applies the first matching rule), or -1.
 */
export function earlierMatchingCorsRule(rules: readonly ResolvedCorsRule[], ownIndex: number, origins: readonly string[]): number {
  return rules.slice(0, ownIndex).findIndex((rule) =>
    (rule.AllowedMethods ?? []).includes('GET') &&
    (rule.AllowedOrigins ?? []).some((pattern) => origins.some((origin) => originMatches(pattern, origin))));
}
