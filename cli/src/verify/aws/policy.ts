/**
 * aws.policy: the bucket policy lets Segments' principal `s3:GetObject` every key under each
 * `--prefix` (the whole bucket by default) and each `--key`, judged by the constructs package's IAM
 * evaluator for Segments' presigned GET (lib/iam/segments-request.ts) at both ends of the URL's
 * life: every key under a prefix, decided on the policy's resource patterns (lib/iam/key-space.ts),
 * never on sample keys. A Deny that applies to some key fails, naming keys it matches; an Allow that
 * covers only part of the prefix fails, naming a key it leaves out. Where the decision depends on
 * what verify cannot know (the labeler's address or browser, the tags of keys it did not read),
 * the result is a warning naming the condition, never a pass. Any other Allow that can apply to
 * Segments' user and grants it more than `s3:GetObject` is a warning too: the grant is meant to be
 * read-only.
 */
import {
  KeySpace,
  KeySpaceJudgment,
  KeySpaceStatement,
  IamRequest,
  SEGMENTS_AWS_PRINCIPAL_ARN,
  SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS,
  SEGMENTS_S3_ACTIONS,
  judgeKeySpace,
  segmentsGetMoments,
  SegmentsGetOptions,
  segmentsGetRequest,
  widerSegmentsAllowAdvice,
  widerSegmentsAllows,
} from 'segments-cloud-constructs';
import { CheckOutcome, fail, pass, warn } from '../report';
import { unknownConditionsText } from './evaluator';
import { AwsBucketFacts, ObjectFacts, noBucket, notReadable, partitionOf } from './facts';
import type { AwsVerifyOptions } from './options';

const ID = 'aws.policy';

/** What aws.policy judges: each prefix (or the whole bucket), then each key. */
export function policyTargets(options: Pick<AwsVerifyOptions, 'prefixes' | 'keys'>): { readonly target: string; readonly keys: KeySpace }[] {
  const prefixes = options.prefixes.length > 0 ? options.prefixes : [''];
  return [
    ...prefixes.map((prefix) => ({ target: prefix === '' ? 'the whole bucket' : `prefix ${prefix}`, keys: { prefix } })),
    ...options.keys.map((key) => ({ target: `key ${key}`, keys: { key } })),
  ];
}

/** One target Segments' GET is judged on: its keys, the object read for a `--key`, and Segments' requests at both ends of the URL's life. */
export interface SegmentsTarget {
  readonly target: string;
  readonly keys: KeySpace;
  /** The `--key`'s object, as read (absent for a prefix). */
  readonly object?: ObjectFacts;
  /** Segments' GET when the URL is signed and when it expires, with the object's tags when they were read. */
  readonly requests: readonly IamRequest[];
}

/**
 * The bucket's ARN (in the region's partition) and each target of `policyTargets` with Segments'
 * requests, as aws.policy and aws.org-policies judge them: `known` adds what the check knows of the
 * request beyond the object's tags (the bucket's account, for an RCP).
 */
export function segmentsTargets(facts: AwsBucketFacts, options: Pick<AwsVerifyOptions, 'prefixes' | 'keys'>, now: Date, known: SegmentsGetOptions = {}):
{ readonly bucketArn: string; readonly targets: readonly SegmentsTarget[] } {
  const region = facts.location.ok && facts.location.value.exists ? facts.location.value.region : undefined;
  const moments = segmentsGetMoments(now);
  const targets = policyTargets(options).map(({ target, keys }) => {
    const object = 'key' in keys ? facts.objects.find((o) => o.key === keys.key) : undefined;
    const objectTags = object?.tags?.ok ? object.tags.value : undefined;
    const requests = moments.map((moment) => segmentsGetRequest('', moment, { ...known, ...(objectTags ? { objectTags } : {}) }));
    return { target, keys, ...(object ? { object } : {}), requests };
  });
  return { bucketArn: `arn:${partitionOf(region)}:s3:::${facts.bucket}`, targets };
}

/** The `segments-cloud aws-policy` flags that grant what was asked. */
function policyFlags(bucket: string, prefixes: readonly string[]): string {
  return [`--bucket ${bucket}`, ...prefixes.map((p) => `--prefix ${p}`)].join(' ');
}

/** The commands that add the Segments statement to the bucket's policy (merged into the current one when there is one). */
export function policyFix(bucket: string, prefixes: readonly string[], hasPolicy: boolean): string {
  const flags = policyFlags(bucket, prefixes);
  return hasPolicy
    ? [
      `aws s3api get-bucket-policy --bucket ${bucket} --query Policy --output text > current.json`,
      `segments-cloud aws-policy ${flags} --merge current.json > merged.json`,
      `aws s3api put-bucket-policy --bucket ${bucket} --policy file://merged.json`,
    ].join('\n')
    : [
      `segments-cloud aws-policy ${flags} > policy.json`,
      `aws s3api put-bucket-policy --bucket ${bucket} --policy file://policy.json`,
    ].join('\n');
}

/** The check. `now` is the run's time (the presigned URL's life starts then). */
export async function checkPolicy(facts: AwsBucketFacts, options: AwsVerifyOptions, now: Date = new Date()): Promise<CheckOutcome[]> {
  if (facts.location.ok && !facts.location.value.exists) {
    return [noBucket(ID, facts.bucket)];
  }
  if (facts.policy === undefined) {
    return [];
  }
  if (!facts.policy.ok) {
    return [notReadable(ID, facts.policy.failure)];
  }
  const text = facts.policy.value;
  if (text === undefined || text.trim() === '') {
    return [fail(ID, `The bucket has no policy, so nothing lets Segments ${SEGMENTS_S3_ACTIONS.join(', ')} its objects.`,
      policyFix(facts.bucket, options.prefixes, false))];
  }
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch (error) {
    return [fail(ID, `The bucket policy S3 returned is not valid JSON (${(error as Error).message}).`, policyFix(facts.bucket, options.prefixes, true))];
  }
  const { bucketArn, targets } = segmentsTargets(facts, options, now);
  const outcomes: CheckOutcome[] = [];
  for (const { target, keys, object, requests } of targets) {
    let judgment: KeySpaceJudgment;
    try {
      judgment = judgeKeySpace({ policy, policyName: 'bucket policy', requests, bucketArn, keys });
    } catch (error) {
      outcomes.push(fail(ID, `The policy evaluator cannot read the bucket policy (${(error as Error).message}).`,
        'Check the policy with IAM Access Analyzer (aws accessanalyzer validate-policy --policy-type RESOURCE_POLICY) and correct it.', target));
      continue;
    }
    outcomes.push(policyOutcome(judgment, facts.bucket, bucketArn, keys, options.prefixes, target, object?.tags));
  }
  const wider = widerSegmentsAllows(policy);
  if (wider.length > 0) {
    outcomes.push(warn(ID, wider.map((allow) => `Statement ${allow.sid} ${widerSegmentsAllowAdvice(allow)}`).join(' '),
      `In ${wider.map((allow) => `statement ${allow.sid}`).join(', ')}, name another principal or exclude Segments ` +
      `("ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS_AWS_PRINCIPAL_ARN}"} in its Condition), then put the policy back with aws s3api put-bucket-policy.`));
  }
  return outcomes;
}

const REQUEST = `evaluated for a presigned GET that a labeler's browser fetches from anywhere, up to ${SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS} hours after Segments signed it`;

/** The key a statement's example stands for, quoted. */
function exampleKey(keys: KeySpace, example: string): string {
  return `'${'key' in keys ? keys.key : keys.prefix + example}'`;
}

/** The keys a statement's example stands for: `keys such as 'images/x'`, or the one key. */
function keysLike(keys: KeySpace, example: string): string {
  return 'key' in keys ? exampleKey(keys, example) : `keys such as ${exampleKey(keys, example)}`;
}

/** When the decisive moment is the URL's last one, say so. */
function momentText(statement: KeySpaceStatement): string {
  return statement.moment === 1 ? ` at the end of the URL's ${SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS} hours` : '';
}

function denyText(deny: KeySpaceStatement, keys: KeySpace): string {
  const condition = deny.verdict.conditionKeys.length > 0 ? `condition keys ${deny.verdict.conditionKeys.join(', ')}` : 'no condition';
  const which = 'key' in keys ? `on ${exampleKey(keys, deny.example)}` : `on keys such as ${exampleKey(keys, deny.example)} (its resources: ${deny.resources.join(', ')})`;
  return `Statement ${deny.verdict.name} (${condition}) denies Segments' s3:GetObject ${which}${momentText(deny)}, ${REQUEST}.`;
}

/** One target's outcome from its judgment. */
function policyOutcome(
  judgment: KeySpaceJudgment,
  bucket: string,
  bucketArn: string,
  keys: KeySpace,
  prefixes: readonly string[],
  target: string,
  tags: AwsBucketFacts['objects'][number]['tags'],
): CheckOutcome {
  const where = 'key' in keys ? `${bucketArn}/${keys.key}` : `every key under ${bucketArn}/${keys.prefix}`;
  if (!judgment.complete) {
    return warn(ID, `The bucket policy's resource patterns are too many to decide whether they cover ${where}, so this is not known.`,
      'Simplify the Resource patterns of the bucket policy, or check with IAM Access Analyzer.', target);
  }
  const certainDenies = judgment.denies.filter((deny) => deny.certain);
  if (certainDenies.length > 0) {
    return fail(ID, certainDenies.map((deny) => denyText(deny, keys)).join(' '),
      certainDenies.map((deny) => exemptFix(deny.verdict.name)).join('\n'), target);
  }
  if (judgment.uncovered?.certain) {
    const example = exampleKey(keys, judgment.uncovered.example);
    const partial = judgment.allows.map((allow) => `Statement ${allow.verdict.name} allows it only on keys matching ${allow.resources.join(', ')} (such as ${exampleKey(keys, allow.example)}).`);
    const detail = partial.length > 0 && !('key' in keys)
      ? `${partial.join(' ')} No statement allows Segments (its principal) s3:GetObject on ${example}, ${REQUEST}.`
      : `No statement of the bucket policy allows Segments (its principal) s3:GetObject on ${'key' in keys ? where : `${example} (under ${bucketArn}/${keys.prefix})`}, ${REQUEST}.`;
    return fail(ID, detail, policyFix(bucket, prefixes, true), target);
  }
  if (judgment.decision === 'undetermined') {
    const tagNote = tags !== undefined && !tags.ok ? ` (GetObjectTagging failed: ${tags.failure.message}, so its tags are unknown)` : '';
    const parts = [
      ...judgment.denies.map((deny) => `statement ${deny.verdict.name} denies it on ${keysLike(keys, deny.example)}${momentText(deny)} when ` +
        `${unknownConditionsText(deny.verdict)} holds`),
      ...(judgment.uncovered ? judgment.uncovered.maybe.map((allow) => `statement ${allow.verdict.name} allows it on ` +
        `${keysLike(keys, allow.example)}${momentText(allow)} only when ${unknownConditionsText(allow.verdict)} holds`) : []),
    ];
    const fixes = [
      ...judgment.denies.map((deny) => exemptFix(deny.verdict.name)),
      ...(judgment.uncovered ? judgment.uncovered.maybe.map((allow) => `In statement ${allow.verdict.name}, drop the condition on ` +
        `${allow.verdict.unknownKeys.join(', ') || 'the unknown values'} so that it allows every request of Segments', or add the Segments statement ` +
        `(segments-cloud aws-policy ... --merge current.json), then put the policy back with aws s3api put-bucket-policy.`) : []),
    ];
    return warn(ID, `Whether Segments may s3:GetObject ${where} depends on what verify cannot know of its real request${tagNote}: ` +
      `${parts.join('; ')}.`, fixes.join('\n'), target);
  }
  const allowedBy = judgment.allows.map((allow) => allow.verdict.name);
  return pass(ID, `Statement ${allowedBy.join(', ')} allows Segments s3:GetObject on ${where}, and no Deny matches, ${REQUEST}.`, target);
}

/** The exemption of Segments from one Deny statement. */
export function exemptFix(sid: string): string {
  return `In statement ${sid}, exempt Segments: add "ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS_AWS_PRINCIPAL_ARN}"} to its Condition, ` +
    'then put the policy back with aws s3api put-bucket-policy.';
}
