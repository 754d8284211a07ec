/**
 * aws.policy: the bucket policy lets Segments' principal `s3:GetObject` every `--prefix` (the
 * whole bucket by default) and every `--key`, judged by the policy evaluator with the real policy:
 * an Allow found and no explicit Deny. Each Deny the evaluator does not match for Segments' request
 * context but that can still match Segments' GET (lib's allow-list of harmless Deny conditions,
 * as `aws-policy --merge` and the constructs warn) is a warning. So is any other Allow that can apply
 * to Segments' user and grants it more than `s3:GetObject` (`s3:*`, `NotAction`, other actions): the
 * grant is meant to be read-only.
 */
import {
  SEGMENTS_AWS_PRINCIPAL_ARN,
  SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS,
  SEGMENTS_S3_ACTIONS,
  lockoutDenyAdvice,
  lockoutDenyStatements,
  widerSegmentsAllowAdvice,
  widerSegmentsAllows,
} from 'segments-cloud-constructs';
import { CheckOutcome, fail, pass, warn } from '../report';
import { SEGMENTS_GET_CONTEXT, Verdict, evaluateForSegments } from './evaluator';
import { AwsBucketFacts, noBucket, notReadable, partitionOf } from './facts';
import type { AwsVerifyOptions } from './options';

const ID = 'aws.policy';

/** The keys a prefix is judged on: one directly under it and one deeper, standing for "every key that starts with it". */
export function sampleKeys(prefix: string): string[] {
  return [`${prefix}segments-verify-sample.jpg`, `${prefix}a/b/segments-verify-sample.jpg`];
}

/** What aws.policy judges: each prefix (or the whole bucket), then each key. */
export function policyTargets(options: Pick<AwsVerifyOptions, 'prefixes' | 'keys'>): { readonly target: string; readonly keys: readonly string[] }[] {
  const prefixes = options.prefixes.length > 0 ? options.prefixes : [''];
  return [
    ...prefixes.map((prefix) => ({ target: prefix === '' ? 'the whole bucket' : `prefix ${prefix}`, keys: sampleKeys(prefix) })),
    ...options.keys.map((key) => ({ target: `key ${key}`, keys: [key] })),
  ];
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

function names(statements: Verdict['allowedBy']): string {
  return statements.map((s) => s.name).join(', ');
}

/** The check. The evaluator is given as a parameter so the tests can count what it is asked. */
export async function checkPolicy(
  facts: AwsBucketFacts,
  options: AwsVerifyOptions,
  evaluate: typeof evaluateForSegments = evaluateForSegments,
): Promise<CheckOutcome[]> {
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
  const region = facts.location.ok && facts.location.value.exists ? facts.location.value.region : undefined;
  const bucketArn = `arn:${partitionOf(region)}:s3:::${facts.bucket}`;
  const outcomes: CheckOutcome[] = [];
  for (const { target, keys } of policyTargets(options)) {
    const resources = keys.map((key) => `${bucketArn}/${key}`);
    let verdicts: Verdict[];
    try {
      verdicts = await Promise.all(resources.map((resource) => evaluate(policy, 's3:GetObject', resource, SEGMENTS_GET_CONTEXT)));
    } catch (error) {
      outcomes.push(fail(ID, `The policy evaluator cannot read the bucket policy (${(error as Error).message}).`,
        'Check the policy with IAM Access Analyzer (aws accessanalyzer validate-policy --policy-type RESOURCE_POLICY) and correct it.', target));
      continue;
    }
    const denied = verdicts.find((v) => v.deniedBy.length > 0);
    const notAllowed = verdicts.findIndex((v) => v.result !== 'Allowed');
    if (denied) {
      outcomes.push(fail(ID, denied.deniedBy.map((deny) => {
        const keys = deny.conditionKeys.length > 0 ? `condition keys ${deny.conditionKeys.join(', ')}` : 'no condition';
        return `Statement ${deny.name} (${keys}) denies Segments' s3:GetObject on ${resources[0]}, evaluated for a presigned GET ` +
          `that a labeler's browser fetches from anywhere, up to ${SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS} hours after Segments signed it.`;
      }).join(' '), denyFix(denied), target));
      continue;
    }
    if (notAllowed >= 0) {
      outcomes.push(fail(ID, `No statement of the bucket policy allows Segments (its principal) s3:GetObject on ${resources[notAllowed]}.`,
        policyFix(facts.bucket, options.prefixes, true), target));
      continue;
    }
    const allowedBy = [...new Set(verdicts.flatMap((v) => v.allowedBy.map((s) => s.name)))];
    const maybe = lockoutDenyStatements(policy, resources);
    if (maybe.length > 0) {
      outcomes.push(warn(ID, `Statement ${allowedBy.join(', ')} allows Segments s3:GetObject on ${resources[0]}, and no Deny matches Segments' presigned GET as modelled here, but ` +
        maybe.map((deny) => `statement ${deny.sid} ${lockoutDenyAdvice(deny)}`).join(' '),
      maybe.map((deny) => exemptFix(deny.sid)).join('\n'), target));
      continue;
    }
    outcomes.push(pass(ID, `Statement ${names(verdicts[0].allowedBy) || allowedBy.join(', ')} allows Segments s3:GetObject on ${resources[0]}, and no Deny matches.`, target));
  }
  const wider = widerSegmentsAllows(policy);
  if (wider.length > 0) {
    outcomes.push(warn(ID, wider.map((allow) => `Statement ${allow.sid} ${widerSegmentsAllowAdvice(allow)}`).join(' '),
      `In ${wider.map((allow) => `statement ${allow.sid}`).join(', ')}, name another principal or exclude Segments ` +
      `("ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS_AWS_PRINCIPAL_ARN}"} in its Condition), then put the policy back with aws s3api put-bucket-policy.`));
  }
  return outcomes;
}

/** The exemption of Segments from one Deny statement. */
export function exemptFix(sid: string): string {
  return `In statement ${sid}, exempt Segments: add "ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS_AWS_PRINCIPAL_ARN}"} to its Condition, ` +
    'then put the policy back with aws s3api put-bucket-policy.';
}

function denyFix(verdict: Verdict): string {
  return verdict.deniedBy.map((deny) => exemptFix(deny.name)).join('\n');
}
