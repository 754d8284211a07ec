/**
 * The Segments CORS rule of an S3 bucket in the casing of the S3 API (`put-bucket-cors`), and the
 * pure functions that insert it into, or remove it from, a CORS configuration that already exists.
 *
 * `PutBucketCors` replaces every rule, and S3 answers a request with the first rule that matches
 * it, so a merge keeps every other rule in its place and touches only the rule whose `ID` is
 * Segments'. The custom resource for buckets outside a CDK app and the CLI both use these
 * functions. Nothing here imports a cloud library.
 */
import { withoutByteOrderMark } from './json-text';
import { SEGMENTS_DEFAULT_ORIGINS, SEGMENTS_S3_CORS_RULE_ID, segmentsS3CorsRule } from '../segments';

/** S3's limit on the number of rules in a bucket's CORS configuration. */
export const S3_CORS_MAX_RULES = 100;

/** S3's limit on the size of a bucket's CORS configuration, in bytes. */
export const S3_CORS_CONFIGURATION_MAX_BYTES = 64 * 1024;

/**
 * One CORS rule as the S3 API takes it. Note the API's `ID` and `ExposeHeaders`, where
 * CloudFormation writes `Id` and `ExposedHeaders`.
 */
export interface S3CorsRuleJson {
  readonly ID?: string;
  readonly AllowedHeaders?: string[];
  readonly AllowedMethods: string[];
  readonly AllowedOrigins: string[];
  readonly ExposeHeaders?: string[];
  readonly MaxAgeSeconds?: number;
}

/** A CORS configuration as `aws s3api put-bucket-cors --cors-configuration` takes it. */
export interface S3CorsConfigurationJson {
  readonly CORSRules: S3CorsRuleJson[];
}

/** The vendor doc's S3 CORS rule with Segments' rule ID, in S3 API casing. */
export function segmentsS3CorsRuleJson(origins: readonly string[] = SEGMENTS_DEFAULT_ORIGINS): S3CorsRuleJson {
  const rule = segmentsS3CorsRule(origins);
  return {
    ID: SEGMENTS_S3_CORS_RULE_ID,
    AllowedHeaders: [...rule.allowedHeaders],
    AllowedMethods: [...rule.allowedMethods],
    AllowedOrigins: [...rule.allowedOrigins],
    ExposeHeaders: [...rule.exposedHeaders],
  };
}

/** The rules that carry this `ID`. */
export function findCorsRulesById(rules: readonly S3CorsRuleJson[] | undefined, id: string): S3CorsRuleJson[] {
  return (rules ?? []).filter((rule) => rule.ID === id);
}

/**
 * The rules with `rule` in place of the first rule with the same `ID` (or appended when there is
 * none), any later rule with that `ID` dropped, and every other rule kept in its place. Idempotent.
 */
export function mergeCorsRuleById(rules: readonly S3CorsRuleJson[] | undefined, rule: S3CorsRuleJson): S3CorsRuleJson[] {
  if (rule.ID === undefined || rule.ID === '') {
    throw new Error('mergeCorsRuleById: the rule needs an ID, which is how it is found again.');
  }
  const existing = rules ?? [];
  const first = existing.findIndex((r) => r.ID === rule.ID);
  if (first < 0) {
    return [...existing, rule];
  }
  return existing.flatMap((r, i) => {
    if (i === first) {
      return [rule];
    }
    return r.ID === rule.ID ? [] : [r];
  });
}

/** The rules without those that carry `id`, every other rule kept in order (possibly none). */
export function removeCorsRuleById(rules: readonly S3CorsRuleJson[] | undefined, id: string): S3CorsRuleJson[] {
  return (rules ?? []).filter((rule) => rule.ID !== id);
}

/**
 * Whether two rules answer the same requests the same way: equal `ID` and `MaxAgeSeconds`, and
 * lists holding the same items, in any order and a missing list counting as empty. S3 matches a
 * rule's origins, methods and headers as sets, and an S3-compatible server may keep them sorted.
 */
export function sameCorsRuleJson(a: S3CorsRuleJson, b: S3CorsRuleJson): boolean {
  const lists = ['AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposeHeaders'] as const;
  const asSet = (list: readonly string[] | undefined) => JSON.stringify([...new Set(list ?? [])].sort());
  return a.ID === b.ID && a.MaxAgeSeconds === b.MaxAgeSeconds &&
    lists.every((field) => asSet(a[field]) === asSet(b[field]));
}

/**
 * The origins a browser of Segments' web app sends, for a rule's origins: an exact origin as it is,
 * and a leading wildcard by the web app's host under it, `app.` (`https://*.segments.ai` stands for
 * `https://app.segments.ai`). Used to find an earlier CORS rule that S3 would apply instead of ours;
 * SegmentsAccess and the imported-bucket handler both use it.
 * @internal
 */
export function browserOriginsOf(origins: readonly string[]): string[] {
  return origins.map((origin) => origin.replace('://*.', '://app.'));
}

/** The size of a CORS configuration as JSON without whitespace, in UTF-8 bytes. */
export function corsConfigurationBytes(configuration: S3CorsConfigurationJson): number {
  return Buffer.byteLength(JSON.stringify(configuration), 'utf8');
}

/** The list fields of an S3 CORS rule, and whether S3 requires them. */
const CORS_RULE_LISTS = {
  AllowedMethods: true,
  AllowedOrigins: true,
  AllowedHeaders: false,
  ExposeHeaders: false,
} as const;

/** Every field an S3 CORS rule may have, in the S3 API's casing. */
const CORS_RULE_FIELDS: readonly string[] = ['ID', ...Object.keys(CORS_RULE_LISTS), 'MaxAgeSeconds'];

/** The fields of a Cloud Storage CORS entry, to recognise a `gcloud` file given by mistake. */
const GCS_CORS_FIELDS: readonly string[] = ['origin', 'method', 'responseHeader', 'maxAgeSeconds'];

/**
 * Top-level fields of a bucket policy (`Statement`, `Version`, `Id`) or of what
 * `aws s3api get-bucket-policy` prints (`Policy`): a CORS file with one of them is a policy given by mistake.
 */
const BUCKET_POLICY_FIELDS: readonly string[] = ['Statement', 'Version', 'Id', 'Policy'];

/**
 * Parses a CORS configuration given as text: `{"CORSRules": [...]}` as `get-bucket-cors` prints it,
 * or a bare list of rules. Every rule must be an S3 rule: `AllowedMethods` and `AllowedOrigins`
 * lists of strings, optional `AllowedHeaders`, `ExposeHeaders` (lists of strings), `ID` (a string)
 * and `MaxAgeSeconds` (a number), and no other field; a Cloud Storage CORS file (`origin`,
 * `method`, ...) is recognised and named. A leading byte order mark is ignored. Throws an Error
 * whose message is one sentence saying what is wrong.
 */
export function parseS3CorsConfiguration(text: string): S3CorsConfigurationJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(withoutByteOrderMark(text));
  } catch (error) {
    throw new Error(`The CORS configuration is not valid JSON (${(error as Error).message}).`);
  }
  const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  const extra = isObject ? Object.keys(parsed as object).filter((field) => field !== 'CORSRules') : [];
  const rules = Array.isArray(parsed) ? parsed : isObject ? (parsed as { CORSRules?: unknown }).CORSRules : undefined;
  const policyFields = isObject ? Object.keys(parsed as object).filter((field) => BUCKET_POLICY_FIELDS.includes(field)) : [];
  if (policyFields.length > 0) {
    throw new Error(`This looks like a bucket policy (it has ${policyFields.map((f) => `"${f}"`).join(', ')}), not a CORS configuration: ` +
      'give the CORS configuration as \'aws s3api get-bucket-cors --bucket NAME\' prints it (aws-policy --merge takes the bucket policy).');
  }
  if (!Array.isArray(rules) || extra.length > 0 || rules.some((rule) => rule === null || typeof rule !== 'object' || Array.isArray(rule))) {
    throw new Error('The CORS configuration is not {"CORSRules": [...]} with a list of rule objects.');
  }
  rules.forEach((rule: Record<string, unknown>, i) => {
    const problem = corsRuleProblem(rule);
    if (problem !== undefined) {
      throw new Error(`The CORS configuration's rule ${i + 1} ${problem}`);
    }
  });
  return { CORSRules: rules as S3CorsRuleJson[] };
}

/** What is wrong with one parsed rule (the rest of a sentence about it), or undefined. */
function corsRuleProblem(rule: Record<string, unknown>): string | undefined {
  const fields = Object.keys(rule);
  if (fields.some((field) => GCS_CORS_FIELDS.includes(field))) {
    return `has Cloud Storage's fields (${GCS_CORS_FIELDS.join(', ')}): this looks like a gcloud CORS file; give the S3 configuration as 'aws s3api get-bucket-cors --bucket NAME' prints it.`;
  }
  const unknown = fields.filter((field) => !CORS_RULE_FIELDS.includes(field));
  if (unknown.length > 0) {
    return `has ${unknown.map((f) => `"${f}"`).join(', ')}, which an S3 CORS rule does not have (only ${CORS_RULE_FIELDS.join(', ')}).`;
  }
  for (const [field, required] of Object.entries(CORS_RULE_LISTS)) {
    const value = rule[field];
    if (value === undefined ? required : !Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      return `needs ${field} as a list of strings${required ? ', which S3 requires in every rule' : ''}.`;
    }
  }
  if (rule.ID !== undefined && typeof rule.ID !== 'string') {
    return 'has an ID that is not a string.';
  }
  if (rule.MaxAgeSeconds !== undefined && !Number.isInteger(rule.MaxAgeSeconds)) {
    return 'has a MaxAgeSeconds that is not a whole number.';
  }
  return undefined;
}
