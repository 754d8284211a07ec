/**
 * The decision over every policy that applies to a request ("Policy evaluation logic"; "How AWS
 * enforcement code logic evaluates requests to allow or deny access"; "Cross-account policy
 * evaluation logic"; "Resource control policies (RCPs)"; AWS KMS "Key policies"):
 *
 * 1. An applying Deny in any policy: explicit deny (a Deny naming the principal's account counts).
 * 2. Each RCP level (and, for IAM principals, each SCP level) must have an applying Allow.
 * 3. Then the grant:
 *
 * | principal / accounts | allowed when                                                           |
 * |----------------------|------------------------------------------------------------------------|
 * | a service principal  | the resource policy allows it                                           |
 * | same account         | the resource policy names the principal itself, or the identity side allows |
 * | same account, KMS key | the key policy names the principal itself, or it allows the account and the identity side allows |
 * | another account     | the resource policy allows (the principal or its account) and the identity side allows |
 *
 * Each input is three-valued; a decision is certain only when every way the unknowns could fall
 * gives it. Unknowns are treated as independent, so a decision that two correlated unknowns would
 * settle is reported undetermined, never guessed.
 */
import type { IamEvaluationInput, IamNamedPolicy, IamPolicyLevel } from './evaluation-input';
import type { IamPolicy } from './policy-document';
import { parseIamPolicy } from './policy-document';
import type { JudgedPolicy } from './policy';
import { judgePolicy } from './policy';
import type { PreparedRequest } from './prepared-request';
import { prepareRequest } from './prepared-request';
import type { IamDecidingStatement, IamDecision, IamEvaluation, IamPolicyKind, IamPolicyLevelVerdict, IamPolicyVerdict, IamStatementVerdict, IamTruth } from './result';
import { and3, or3 } from './truth';

function judgeNamed(named: IamNamedPolicy, kind: IamPolicyKind, prepared: PreparedRequest): JudgedPolicy {
  const policy: IamPolicy = parseIamPolicy(named.policy, kind);
  return judgePolicy(policy, prepared, named.name);
}

function judgeLevels(levels: readonly IamPolicyLevel[] | undefined, kind: IamPolicyKind, prepared: PreparedRequest): { verdicts: IamPolicyLevelVerdict[]; allow: IamTruth; deny: IamTruth } {
  const verdicts: IamPolicyLevelVerdict[] = [];
  let allow: IamTruth = true;
  let deny: IamTruth = false;
  for (const level of levels ?? []) {
    let levelAllows: IamTruth = false;
    let levelDenies: IamTruth = false;
    const policies: IamPolicyVerdict[] = [];
    for (const named of level.policies) {
      const v = judgeNamed(named, kind, prepared).verdict;
      policies.push(v);
      levelAllows = or3(levelAllows, v.allows);
      levelDenies = or3(levelDenies, v.denies);
    }
    verdicts.push({ name: level.name, allows: levelAllows, denies: levelDenies, policies });
    allow = and3(allow, levelAllows);
    deny = or3(deny, levelDenies);
  }
  return { verdicts, allow, deny };
}

/** Judges one request against everything in `input`. */
export function judgeDecision(input: IamEvaluationInput): IamEvaluation {
  const prepared = prepareRequest(input.request);
  const { principal, request } = prepared;
  const isService = principal.kind === 'service';

  const resource = input.resourcePolicy === undefined ? undefined
    : judgeNamed({ name: input.resourcePolicyName ?? 'resource policy', policy: input.resourcePolicy }, 'resource', prepared);
  const identities = isService ? [] : (input.identityPolicies ?? []).map((named) => judgeNamed(named, 'identity', prepared));
  const rcps = judgeLevels(input.resourceControlPolicies, 'resource-control', prepared);
  const scps = judgeLevels(isService ? undefined : input.serviceControlPolicies, 'service-control', prepared);

  let explicitDeny: IamTruth = or3(rcps.deny, scps.deny);
  explicitDeny = or3(explicitDeny, resource?.verdict.denies ?? false);
  let identityAllows: IamTruth = false;
  for (const identity of identities) {
    explicitDeny = or3(explicitDeny, identity.verdict.denies);
    identityAllows = or3(identityAllows, identity.verdict.allows);
  }

  const resourceAllows: IamTruth = resource?.verdict.allows ?? false;
  const resourceAllowsDirect: IamTruth = resource?.allowsDirect ?? false;
  const sameAccount: IamTruth = request.resourceAccount === undefined || principal.account === undefined
    ? (isService || principal.account === undefined ? false : 'unknown')
    : principal.account === request.resourceAccount;

  const sameAccountGrant = input.resourcePolicyType === 'kms-key'
    ? or3(resourceAllowsDirect, and3(resourceAllows, identityAllows))
    : or3(resourceAllowsDirect, identityAllows);
  const crossAccountGrant = and3(resourceAllows, identityAllows);
  let grant: IamTruth;
  let accountMatters = false;
  if (isService) {
    grant = resourceAllows;
  } else if (sameAccount === true) {
    grant = sameAccountGrant;
  } else if (sameAccount === false) {
    grant = crossAccountGrant;
  } else {
    grant = sameAccountGrant === crossAccountGrant ? sameAccountGrant : 'unknown';
    accountMatters = sameAccountGrant !== crossAccountGrant;
  }

  const gates = and3(and3(rcps.allow, scps.allow), grant);
  const possible: IamDecision[] = [];
  if (explicitDeny !== true && gates !== false) {
    possible.push('allowed');
  }
  if (explicitDeny !== false) {
    possible.push('explicit deny');
  }
  if (explicitDeny !== true && gates !== true) {
    possible.push('implicit deny');
  }

  const all: JudgedPolicy[] = [...(resource ? [resource] : []), ...identities];
  const verdicts: IamPolicyVerdict[] = [
    ...all.map((p) => p.verdict),
    ...rcps.verdicts.flatMap((l) => l.policies),
    ...scps.verdicts.flatMap((l) => l.policies),
  ];
  const allowedBy: IamDecidingStatement[] = [];
  const deniedBy: IamDecidingStatement[] = [];
  const undetermined: IamStatementVerdict[] = [];
  for (const v of verdicts) {
    allowedBy.push(...v.allowedBy);
    deniedBy.push(...v.deniedBy);
    undetermined.push(...v.undetermined);
  }
  const certain = possible.length === 1;
  const unknownKeys: string[] = [];
  if (!certain) {
    for (const s of undetermined) {
      for (const key of s.unknownKeys) {
        if (!unknownKeys.includes(key)) {
          unknownKeys.push(key);
        }
      }
    }
    if (accountMatters) {
      unknownKeys.push('aws:ResourceAccount');
    }
  }
  return {
    decision: certain ? possible[0] : 'undetermined',
    possibleDecisions: possible,
    sameAccount,
    allowedBy,
    deniedBy,
    undetermined,
    unknownKeys,
    ...(resource ? { resourcePolicy: resource.verdict } : {}),
    identityPolicies: identities.map((p) => p.verdict),
    resourceControlPolicies: rcps.verdicts,
    serviceControlPolicies: scps.verdicts,
  };
}

