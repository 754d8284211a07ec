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
  SegmentsGetMoment,
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
import { AwsBucketFacts, ObjectFacts, Read, bucketRegion, noBucket, notReadable, partitionOf, readOk } from './facts';
import { ObjectAclJudgment, judgeObjectAcl } from './object-acl';
import { aclsOn } from './ownership';
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
 * The bucket's ARN (in the region's partition), the moments Segments' GET is judged at (the URL's
 * life, and around each date the policies name), and each target of `policyTargets` with Segments'
 * requests, as aws.policy and aws.org-policies judge them: the bucket's region, the object's tags,
 * and `known` (what the check knows beyond them: the bucket's account, for an RCP).
 */
export function segmentsTargets(facts: AwsBucketFacts, options: Pick<AwsVerifyOptions, 'prefixes' | 'keys'>, now: Date, policies: readonly unknown[],
  known: SegmentsGetOptions = {}): { readonly bucketArn: string; readonly moments: readonly SegmentsGetMoment[]; readonly targets: readonly SegmentsTarget[] } {
  const region = facts.location.ok && facts.location.value.exists ? facts.location.value.region : undefined;
  const requestRegion = bucketRegion(facts);
  const moments = segmentsGetMoments(now, policies);
  const targets = policyTargets(options).map(({ target, keys }) => {
    const object = 'key' in keys ? facts.objects.find((o) => o.key === keys.key) : undefined;
    const objectTags = object?.tags?.ok ? object.tags.value : undefined;
    const requests = moments.map((moment) => segmentsGetRequest('', moment,
      { ...known, ...(objectTags ? { objectTags } : {}), ...(requestRegion !== undefined ? { region: requestRegion } : {}) }));
    return { target, keys, ...(object ? { object } : {}), requests };
  });
  return { bucketArn: `arn:${partitionOf(region)}:s3:::${facts.bucket}`, moments, targets };
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
  const acls = objectAcls(facts);
  const noPolicy = text === undefined || text.trim() === '';
  if (noPolicy && ![...acls.values()].some((acl) => acl.ok && acl.value.kind !== 'none')) {
    return [fail(ID, `The bucket has no policy, so nothing lets Segments ${SEGMENTS_S3_ACTIONS.join(', ')} its objects.`,
      policyFix(facts.bucket, options.prefixes, false))];
  }
  let policy: unknown;
  try {
    // No policy, but an object ACL that may grant Segments READ: judged as a policy with no statement.
    policy = noPolicy ? { Version: '2012-10-17', Statement: [] } : JSON.parse(text);
  } catch (error) {
    return [fail(ID, `The bucket policy S3 returned is not valid JSON (${(error as Error).message}).`, policyFix(facts.bucket, options.prefixes, true))];
  }
  const { bucketArn, moments, targets } = segmentsTargets(facts, options, now, [policy]);
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
    const base = policyOutcome(judgment, facts.bucket, bucketArn, keys, options.prefixes, target, object?.tags, !noPolicy, moments);
    outcomes.push(acls.size === 0 ? base : withObjectAcls(base, judgment, bucketArn, keys, acls, moments));
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

/** When the decisive moment is not the URL's first, say which. */
function momentText(statement: KeySpaceStatement, moments: readonly SegmentsGetMoment[]): string {
  if (statement.moment === undefined || statement.moment === 0) {
    return '';
  }
  const moment = moments[statement.moment];
  return moment?.name === 'within'
    ? ` at ${moment.time.toISOString().replace(/\.\d{3}Z$/, 'Z')}, within the URL's ${SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS} hours`
    : ` at the end of the URL's ${SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS} hours`;
}

function denyText(deny: KeySpaceStatement, keys: KeySpace, moments: readonly SegmentsGetMoment[]): string {
  const condition = deny.verdict.conditionKeys.length > 0 ? `condition keys ${deny.verdict.conditionKeys.join(', ')}` : 'no condition';
  const which = 'key' in keys ? `on ${exampleKey(keys, deny.example)}` : `on keys such as ${exampleKey(keys, deny.example)} (its resources: ${deny.resources.join(', ')})`;
  return `Statement ${deny.verdict.name} (${condition}) denies Segments' s3:GetObject ${which}${momentText(deny, moments)}, ${REQUEST}.`;
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
  hasPolicy: boolean,
  moments: readonly SegmentsGetMoment[],
): CheckOutcome {
  const where = 'key' in keys ? `${bucketArn}/${keys.key}` : `every key under ${bucketArn}/${keys.prefix}`;
  if (!judgment.complete) {
    return warn(ID, `The bucket policy's resource patterns are too many to decide whether they cover ${where}, so this is not known.`,
      'Simplify the Resource patterns of the bucket policy, or check with IAM Access Analyzer.', target);
  }
  const certainDenies = judgment.denies.filter((deny) => deny.certain);
  if (certainDenies.length > 0) {
    return fail(ID, certainDenies.map((deny) => denyText(deny, keys, moments)).join(' '),
      certainDenies.map((deny) => exemptFix(deny.verdict.name)).join('\n'), target);
  }
  if (judgment.uncovered?.certain) {
    const example = exampleKey(keys, judgment.uncovered.example);
    const partial = judgment.allows.map((allow) => `Statement ${allow.verdict.name} allows it only on keys matching ${allow.resources.join(', ')} (such as ${exampleKey(keys, allow.example)}).`);
    const detail = partial.length > 0 && !('key' in keys)
      ? `${partial.join(' ')} No statement allows Segments (its principal) s3:GetObject on ${example}, ${REQUEST}.`
      : `No statement of the bucket policy allows Segments (its principal) s3:GetObject on ${'key' in keys ? where : `${example} (under ${bucketArn}/${keys.prefix})`}, ${REQUEST}.`;
    return fail(ID, hasPolicy ? detail : `The bucket has no policy, so it does not let Segments s3:GetObject ${where}.`, policyFix(bucket, prefixes, hasPolicy), target);
  }
  if (judgment.decision === 'undetermined') {
    const tagNote = tags !== undefined && !tags.ok ? ` (GetObjectTagging failed: ${tags.failure.message}, so its tags are unknown)` : '';
    const parts = [
      ...judgment.denies.map((deny) => `statement ${deny.verdict.name} denies it on ${keysLike(keys, deny.example)}${momentText(deny, moments)} when ` +
        `${unknownConditionsText(deny.verdict)} holds`),
      ...(judgment.uncovered ? judgment.uncovered.maybe.map((allow) => `statement ${allow.verdict.name} allows it on ` +
        `${keysLike(keys, allow.example)}${momentText(allow, moments)} only when ${unknownConditionsText(allow.verdict)} holds`) : []),
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

/**
 * The object ACL of each `--key` (judged by object-acl.ts), with ACLs on; empty with ACLs off or
 * Object Ownership unread (the bucket policy alone then decides).
 */
function objectAcls(facts: AwsBucketFacts): Map<string, Read<ObjectAclJudgment>> {
  const acls = new Map<string, Read<ObjectAclJudgment>>();
  if (facts.ownership === undefined || !facts.ownership.ok || !aclsOn(facts.ownership.value)) {
    return acls;
  }
  for (const object of facts.objects) {
    if (object.grants !== undefined) {
      const owners = [object.owner, facts.bucketOwner].flatMap((owner) => (owner?.ok && owner.value !== undefined ? [owner.value] : []));
      acls.set(object.key, object.grants.ok ? readOk(judgeObjectAcl(object.grants.value, facts, facts.endpoint !== undefined, owners)) : object.grants);
    }
  }
  return acls;
}

const ACL_DOC = 'with ACLs on, S3 lets a cross-account GET through when the bucket policy or the object ACL allows it, and a Deny of the bucket policy still wins';
const DOCUMENTED_WAY = 'The bucket policy statement is the documented way: an ACL is per object, so every object needs its own grant.';

/**
 * A target's outcome with the object ACLs in it (ACLs on): a `--key` whose ACL grants Segments READ
 * passes where only the bucket policy's missing Allow failed it, and warns where the grantee may be
 * Segments; a prefix, which no ACL can cover, says so. A certain Deny, or a pass, stands as it is.
 */
function withObjectAcls(
  base: CheckOutcome,
  judgment: KeySpaceJudgment,
  bucketArn: string,
  keys: KeySpace,
  acls: ReadonlyMap<string, Read<ObjectAclJudgment>>,
  moments: readonly SegmentsGetMoment[],
): CheckOutcome {
  if (base.result === 'pass' || !judgment.complete || judgment.denies.some((deny) => deny.certain)) {
    return base;
  }
  const target = base.target;
  if (!('key' in keys)) {
    const granted = [...acls.entries()].filter(([, acl]) => acl.ok && acl.value.kind !== 'none').map(([key]) => key);
    if (base.result === 'fail' && granted.length > 0) {
      return warn(ID, `${base.detail} The ACL of ${granted.map((key) => `'${key}'`).join(', ')} may grant Segments READ, but ACLs are per object and cannot cover a prefix: ` +
        `verify reads only the --key objects' ACLs, and each other object needs its own grant. ${DOCUMENTED_WAY}`, base.fix ?? '', target);
    }
    return { ...base, detail: `${base.detail} Object ACLs are per object and cannot cover a prefix, so they are not judged here (a --key is judged with its ACL).` };
  }
  const acl = acls.get(keys.key);
  if (acl === undefined) {
    return base;
  }
  const where = `${bucketArn}/${keys.key}`;
  if (!acl.ok) {
    return { ...base, detail: `${base.detail} Its ACL could not be read (GetObjectAcl failed: ${acl.failure.message}), so whether it grants Segments READ is unknown: ` +
      `allow s3:GetObjectAcl on ${acl.failure.resource} to the credentials this runs with to judge it.` };
  }
  const verdict = acl.value;
  if (verdict.kind === 'none') {
    return verdict.note === undefined ? base : { ...base, detail: `${base.detail} Its ACL does not let Segments read it either: ${verdict.note}.` };
  }
  const denies = judgment.denies.map((deny) => `statement ${deny.verdict.name} denies it${momentText(deny, moments)} when ${unknownConditionsText(deny.verdict)} holds`);
  if (verdict.kind === 'allows') {
    if (denies.length === 0) {
      return pass(ID, `The object's ACL grants ${verdict.grant}, which lets Segments s3:GetObject on ${where} (${ACL_DOC}), and no Deny of the bucket policy matches, ${REQUEST}. ${DOCUMENTED_WAY}`, target);
    }
    return warn(ID, `The object's ACL grants ${verdict.grant}, which lets Segments s3:GetObject on ${where} (${ACL_DOC}), but whether a Deny applies depends on what verify cannot know of its real request: ${denies.join('; ')}.`,
      judgment.denies.map((deny) => exemptFix(deny.verdict.name)).join('\n'), target);
  }
  return warn(ID, `${base.detail} The object's ACL grants ${verdict.grant}: ${verdict.why} (${ACL_DOC}); verify cannot tell, so this is not a pass. ${DOCUMENTED_WAY}`, base.fix ?? '', target);
}

/** The exemption of Segments from one Deny statement. */
export function exemptFix(sid: string): string {
  return `In statement ${sid}, exempt Segments: add "ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS_AWS_PRINCIPAL_ARN}"} to its Condition, ` +
    'then put the policy back with aws s3api put-bucket-policy.';
}
