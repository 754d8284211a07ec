/**
 * The Segments statement of an S3 bucket policy as plain JSON, and the pure functions that insert
 * it into, or remove it from, a policy someone else already wrote.
 *
 * A bucket has one policy, and `PutBucketPolicy` replaces all of it, so whoever adds Segments'
 * access to an existing bucket must merge: keep every other statement, deep-equal and in order,
 * and touch only the statement whose `Sid` is Segments'. The custom resource that grants access to
 * buckets outside a CDK app and the CLI both use these functions. Nothing here imports a cloud
 * library.
 */
import { withoutByteOrderMark } from './json-text';
import {
  SEGMENTS_AWS_PRINCIPAL_ARN,
  SEGMENTS_S3_ACTIONS,
  SEGMENTS_S3_POLICY_SID,
} from '../segments';

/** S3's limit on the size of a bucket policy, in bytes. */
export const S3_BUCKET_POLICY_MAX_BYTES = 20 * 1024;

/** The policy language version S3 bucket policies use. */
export const IAM_POLICY_VERSION = '2012-10-17';

/** One statement of a bucket policy, as S3 returns and accepts it. Unknown fields are kept as they are. */
export interface BucketPolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly [field: string]: unknown;
}

/** A bucket policy document, as `aws s3api get-bucket-policy --query Policy --output text` prints it. */
export interface BucketPolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement?: BucketPolicyStatement[];
  readonly [field: string]: unknown;
}

/**
 * The vendor doc's bucket policy statement for a bucket given by name: Segments' principal may
 * `s3:GetObject` on the bucket's objects (`arn:aws:s3:::<bucket>/*`), or on the objects under each
 * prefix (`arn:aws:s3:::<bucket>/<prefix>*`), and nothing else. One resource is written as a
 * string, as the doc writes it; several as a list.
 */
export function segmentsBucketPolicyStatement(bucketName: string, keyPrefixes?: readonly string[]): BucketPolicyStatement {
  const resources = (keyPrefixes ?? ['']).map((prefix) => `arn:aws:s3:::${bucketName}/${prefix}*`);
  return {
    Sid: SEGMENTS_S3_POLICY_SID,
    Effect: 'Allow',
    Principal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN },
    Action: SEGMENTS_S3_ACTIONS.length === 1 ? SEGMENTS_S3_ACTIONS[0] : [...SEGMENTS_S3_ACTIONS],
    Resource: resources.length === 1 ? resources[0] : resources,
  };
}

/** The statements of a policy that carry this `Sid`. */
export function findStatementsBySid(policy: BucketPolicyDocument | undefined, sid: string): BucketPolicyStatement[] {
  return (policy?.Statement ?? []).filter((statement) => statement.Sid === sid);
}

/**
 * The policy with `statement` in place of the first statement with the same `Sid` (or appended
 * when there is none), and any later statement with that `Sid` dropped. Every other statement and
 * field is kept as it was, in order. A missing policy becomes a new one. Idempotent.
 */
export function mergeStatementBySid(
  policy: BucketPolicyDocument | undefined,
  statement: BucketPolicyStatement,
): BucketPolicyDocument {
  if (statement.Sid === undefined || statement.Sid === '') {
    throw new Error('mergeStatementBySid: the statement needs a Sid, which is how it is found again.');
  }
  const statements = policy?.Statement ?? [];
  const first = statements.findIndex((existing) => existing.Sid === statement.Sid);
  const merged = first < 0
    ? [...statements, statement]
    : statements.flatMap((existing, i) => {
      if (i === first) {
        return [statement];
      }
      return existing.Sid === statement.Sid ? [] : [existing];
    });
  return { ...(policy ?? { Version: IAM_POLICY_VERSION }), Statement: merged };
}

/**
 * The policy without the statements that carry `sid`, every other statement kept in order; or
 * `undefined` when no statement is left, since S3 refuses a policy without statements (delete the
 * bucket policy instead).
 */
export function removeStatementBySid(
  policy: BucketPolicyDocument | undefined,
  sid: string,
): BucketPolicyDocument | undefined {
  const kept = (policy?.Statement ?? []).filter((statement) => statement.Sid !== sid);
  if (kept.length === 0) {
    return undefined;
  }
  return { ...policy, Statement: kept };
}

/** The size S3 counts for a policy: its JSON without whitespace, in UTF-8 bytes. */
export function bucketPolicyBytes(policy: BucketPolicyDocument): number {
  return Buffer.byteLength(JSON.stringify(policy), 'utf8');
}

/**
 * The problem with a policy's size, as one sentence, when it is over S3's 20 KB limit (which S3
 * would refuse); undefined when it fits. `what` names the policy in the sentence.
 */
export function bucketPolicySizeProblem(policy: BucketPolicyDocument, what = 'The bucket policy'): string | undefined {
  const bytes = bucketPolicyBytes(policy);
  if (bytes <= S3_BUCKET_POLICY_MAX_BYTES) {
    return undefined;
  }
  return `${what} would be ${bytes} bytes, over S3's ${S3_BUCKET_POLICY_MAX_BYTES}-byte limit: ` +
    'use fewer key prefixes (a shorter common prefix covers several), or shorten or merge other statements.';
}

/**
 * Whether two statements grant the same thing: equal after sorting object keys and treating a
 * single string like a one-element list (`"s3:GetObject"` and `["s3:GetObject"]`). Used to adopt a
 * Segments statement someone already added by hand.
 */
export function sameStatement(a: BucketPolicyStatement, b: BucketPolicyStatement): boolean {
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b));
}

/** A JSON value with sorted object keys, single strings as one-element lists, and lists sorted. */
function normalized(value: unknown): unknown {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.map((item) => JSON.stringify(typeof item === 'string' ? item : normalized(item))).sort()
      .map((item) => JSON.parse(item));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort()
      .map((key) => [key, normalized((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/** The top-level fields of a bucket policy document; S3 refuses any other. */
const BUCKET_POLICY_FIELDS: readonly string[] = ['Version', 'Id', 'Statement'];

/**
 * Parses a bucket policy given as text (what `get-bucket-policy --query Policy --output text`
 * prints), checking that it is a JSON object with a `Statement` list of objects (or a single
 * statement object, which IAM accepts and which is kept as a one-element list) and no top-level
 * field other than `Version`, `Id` and `Statement`. A leading byte order mark is ignored. Throws an
 * Error whose message is one sentence saying what is wrong:
 *
 * | given                                   | refused because                                         |
 * |-----------------------------------------|---------------------------------------------------------|
 * | `{"Policy": "{...}"}`                   | the wrapper `get-bucket-policy` prints without `--query Policy --output text` |
 * | `{}`, `{"Version": ...}`                | no `Statement`: S3 refuses a policy without statements  |
 * | `{"Statement": [], ...}`                | same                                                    |
 * | any other top-level field               | not a bucket policy field; probably another file        |
 */
export function parseBucketPolicy(text: string): BucketPolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(withoutByteOrderMark(text));
  } catch (error) {
    throw new Error(`The bucket policy is not valid JSON (${(error as Error).message}).`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('The bucket policy is not a JSON object with a "Statement" list.');
  }
  const fields = Object.keys(parsed);
  if (typeof (parsed as { Policy?: unknown }).Policy === 'string') {
    throw new Error('The file holds get-bucket-policy\'s {"Policy": "..."} wrapper, not the policy itself: ' +
      'save it with \'aws s3api get-bucket-policy --bucket NAME --query Policy --output text\'.');
  }
  const unknown = fields.filter((field) => !BUCKET_POLICY_FIELDS.includes(field));
  if (unknown.length > 0) {
    throw new Error(`The bucket policy has the field${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')}, ` +
      `which a bucket policy does not have (only ${BUCKET_POLICY_FIELDS.map((f) => `"${f}"`).join(', ')}): is it the right file?`);
  }
  let statement = (parsed as { Statement?: unknown }).Statement;
  if (statement !== null && typeof statement === 'object' && !Array.isArray(statement)) {
    // IAM accepts a single statement object; keep it as the one-element list it means.
    statement = [statement];
    parsed = { ...parsed, Statement: statement };
  }
  if (!Array.isArray(statement) || statement.length === 0) {
    throw new Error('The bucket policy has no "Statement" list, and S3 refuses a policy without statements: ' +
      'give the policy as \'aws s3api get-bucket-policy --bucket NAME --query Policy --output text\' prints it.');
  }
  if (statement.some((s) => s === null || typeof s !== 'object' || Array.isArray(s))) {
    throw new Error('The bucket policy\'s "Statement" list holds something other than statement objects.');
  }
  return parsed as BucketPolicyDocument;
}
