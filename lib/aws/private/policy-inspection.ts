/**
 * Pure inspections of a resolved (CloudFormation JSON) bucket policy and CORS configuration.
 * They run at synth time, once the whole app has added what it adds to the bucket.
 */

/** S3's limit on the size of a bucket policy. */
export const S3_BUCKET_POLICY_MAX_BYTES = 20 * 1024;

/**
 * The longest an unresolved reference can become in a bucket policy: an S3 bucket ARN with a
 * 63-character name. Using it for every `Ref` and `Fn::GetAtt` gives an upper bound of the size.
 */
const LONGEST_REFERENCE = `arn:aws:s3:::${'x'.repeat(63)}`;

function flatten(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(flatten);
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === 'Fn::Join') {
      const [separator, parts] = entries[0][1] as [string, unknown[]];
      return parts.map((part) => String(flatten(part))).join(separator);
    }
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      return LONGEST_REFERENCE;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, flatten(v)]));
  }
  return value;
}

/** An upper bound of the deployed size in bytes of a resolved policy document, without whitespace. */
export function estimatePolicyBytes(resolvedDocument: unknown): number {
  return Buffer.byteLength(JSON.stringify(flatten(resolvedDocument)), 'utf8');
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

interface ResolvedCorsRule {
  readonly AllowedMethods?: string[];
  readonly AllowedOrigins?: string[];
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
