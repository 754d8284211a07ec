/**
 * aws.org-policies: the resource control policies (RCPs) of the bucket's AWS Organization, which
 * apply to every request on the bucket's account, Segments' cross-account GET included (a data
 * perimeter, Deny `s3:*` unless `aws:PrincipalOrgID` is the customer's, refuses Segments in every
 * bucket). Read through Organizations when the caller may (fetch.ts), and judged with the same
 * evaluator and request model as aws.policy, on every key of each prefix and each key.
 *
 * Service control policies do not apply here: they limit the principals of the organization's own
 * accounts, and Segments' user is in Segments' account.
 */
import {
  KeySpaceJudgment,
  SEGMENTS_AWS_ACCOUNT_ID,
  judgeKeySpace,
} from 'segments-cloud-constructs';
import { CheckOutcome, fail, pass, skipped, warn } from '../report';
import { unknownConditionsText } from './evaluator';
import { AwsBucketFacts, ResourceControlPolicy } from './facts';
import type { AwsVerifyOptions } from './options';
import { segmentsTargets } from './policy';

const ID = 'aws.org-policies';

/** The permissions the RCP reads need, in the caller's account (the organization's management account or a delegated administrator). */
export const ORG_POLICY_PERMISSIONS: readonly string[] = [
  'sts:GetCallerIdentity',
  'organizations:ListParents',
  'organizations:ListPoliciesForTarget',
  'organizations:DescribePolicy',
];

/** The exemption of Segments from one RCP statement, and how to put the policy back. */
export function rcpExemptFix(policy: ResourceControlPolicy, statement: string): string {
  return `In statement ${statement} of the RCP ${policy.name} (${policy.id}), exempt Segments' account: add "aws:PrincipalAccount": "${SEGMENTS_AWS_ACCOUNT_ID}" ` +
    'under a "StringNotEquals" operator of its Condition (with the keys already there, every one must hold for the Deny to apply), ' +
    `then aws organizations update-policy --policy-id ${policy.id} --content file://rcp.json.`;
}

/** The check. `now` is the run's time (the presigned URL's life starts then). */
export function checkOrgPolicies(facts?: AwsBucketFacts, options?: AwsVerifyOptions, now: Date = new Date()): CheckOutcome[] {
  const permissions = ORG_POLICY_PERMISSIONS.join(', ');
  const unseen = 'Resource control policies (RCPs) of your AWS Organization can deny Segments (a data perimeter on aws:PrincipalOrgID does)';
  if (facts === undefined || options === undefined || facts.orgPolicies === undefined) {
    const why = facts?.endpoint !== undefined
      ? `, and AWS_ENDPOINT_URL_S3 points at another server than AWS's, which has no Organizations: they were not read.`
      : `, and they were not read. Run with credentials of the bucket's account that may ${permissions}.`;
    return [skipped(ID, `${unseen}${why}`)];
  }
  if (!facts.orgPolicies.ok) {
    const failure = facts.orgPolicies.failure;
    return [skipped(ID, `${unseen}, and ${failure.operation} failed (${failure.message}), so they were not read. ` +
      `To check them, run with credentials that may ${permissions} (the organization's management account or a delegated administrator ` +
      `for the last three), or ask your organization's administrators whether an RCP applies to this bucket.`)];
  }
  const org = facts.orgPolicies.value;
  if (org.levels.length === 0) {
    return [pass(ID, `Account ${org.account} is in no AWS Organization, so no resource control policy applies to the bucket.`)];
  }
  const policies = org.levels.flatMap((level) => level.policies);
  const { bucketArn, targets } = segmentsTargets(facts, options, now, policies.map((policy) => policy.content), { resourceAccount: org.account });
  const outcomes: CheckOutcome[] = [];
  for (const { target, keys, requests } of targets) {
    const failures: string[] = [];
    const fixes: string[] = [];
    const maybe: string[] = [];
    for (const policy of policies) {
      let judgment: KeySpaceJudgment;
      try {
        judgment = judgeKeySpace({ policy: policy.content, kind: 'resource-control', policyName: policy.name, requests, bucketArn, keys });
      } catch (error) {
        maybe.push(`the evaluator cannot read the RCP ${policy.name} (${policy.id}): ${(error as Error).message}`);
        continue;
      }
      for (const deny of judgment.denies) {
        const key = `'${'key' in keys ? keys.key : keys.prefix + deny.example}'`;
        const condition = deny.verdict.conditionKeys.length > 0 ? `condition keys ${deny.verdict.conditionKeys.join(', ')}` : 'no condition';
        if (deny.certain) {
          failures.push(`The RCP ${policy.name} (${policy.id}), statement ${deny.verdict.name} (${condition}), denies Segments' s3:GetObject on ${key}: ` +
            'an RCP applies to every request on your account\'s buckets, Segments\' cross-account GET included.');
        } else {
          maybe.push(`the RCP ${policy.name} (${policy.id}), statement ${deny.verdict.name}, denies Segments' s3:GetObject on ${key} when ${unknownConditionsText(deny.verdict)} holds`);
        }
        fixes.push(rcpExemptFix(policy, deny.verdict.name));
      }
    }
    // Each level must allow: RCPFullAWSAccess, attached everywhere, does; a level without an allowing RCP refuses everything.
    for (const level of org.levels) {
      const allows = level.policies.map((policy) => {
        try {
          return judgeKeySpace({ policy: policy.content, kind: 'resource-control', policyName: policy.name, requests, bucketArn, keys }).uncovered;
        } catch {
          return { certain: false, example: '', maybe: [] };
        }
      });
      if (allows.every((uncovered) => uncovered?.certain)) {
        failures.push(`No RCP attached to ${level.id} allows s3:GetObject on these keys, so every request on the account's buckets is refused there.`);
        fixes.push(`Attach RCPFullAWSAccess (p-RCPFullAWSAccess) to ${level.id} again, or an RCP that allows s3:GetObject.`);
      } else if (!allows.some((uncovered) => uncovered === undefined)) {
        maybe.push(`whether an RCP attached to ${level.id} allows s3:GetObject depends on values verify cannot know`);
      }
    }
    if (failures.length > 0) {
      outcomes.push(fail(ID, failures.join(' '), [...new Set(fixes)].join('\n'), target));
    } else if (maybe.length > 0) {
      outcomes.push(warn(ID, `Whether your organization's resource control policies let Segments read depends on what verify cannot know of its real request: ${maybe.join('; ')}.`,
        [...new Set(fixes)].join('\n') || 'Check the RCPs named with your organization\'s administrators.', target));
    } else {
      outcomes.push(pass(ID, `The resource control policies of account ${org.account} (${policies.map((p) => p.name).join(', ')}, ` +
        `over ${org.levels.length} level${org.levels.length === 1 ? '' : 's'}) let Segments s3:GetObject here.`, target));
    }
  }
  return outcomes;
}
