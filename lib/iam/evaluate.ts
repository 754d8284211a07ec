import type { IamPolicy, IamStatement } from './policy-document';
import type { IamRequest } from './request';
import type { IamEvaluation, IamPolicyKind, IamPolicyVerdict, IamStatementVerdict } from './result';

/** A policy with the name the results give it. */
export interface IamNamedPolicy {
  readonly name: string;
  /** The policy document: parsed JSON, its JSON text, or an `IamPolicy` from `parseIamPolicy`. */
  readonly policy: unknown;
}

/** One level of an organization's control policies: the root, an OU, or the account. */
export interface IamPolicyLevel {
  readonly name: string;
  /** The policies attached at this level. */
  readonly policies: readonly IamNamedPolicy[];
}

/** Everything one request is judged against. */
export interface IamEvaluationInput {
  readonly request: IamRequest;
  /**
   * The resource's policy (a bucket policy, a key policy): parsed JSON, its JSON text, or an
   * `IamPolicy`.
   *
   * @default - the resource has no policy
   */
  readonly resourcePolicy?: unknown;
  /**
   * The resource policy's name in the results.
   *
   * @default 'resource policy'
   */
  readonly resourcePolicyName?: string;
  /**
   * How the resource policy grants: `'resource'` (S3 and most services: in the same account, an
   * identity policy alone can allow) or `'kms-key'` (a KMS key policy: an identity policy counts
   * only where the key policy allows the account, its root principal).
   *
   * @default 'resource'
   */
  readonly resourcePolicyType?: 'resource' | 'kms-key';
  /**
   * The principal's identity policies (an IAM user's or role's policies), or a model of them, such
   * as one allowing the action on `*`.
   *
   * @default - none: the identity side allows nothing
   */
  readonly identityPolicies?: readonly IamNamedPolicy[];
  /**
   * The resource account's resource control policies, level by level (root, OUs, account). Each
   * level must allow, and no Deny may match ("Resource control policies (RCPs)").
   *
   * @default - no RCPs (as an account outside an organization, or with only `RCPFullAWSAccess`)
   */
  readonly resourceControlPolicies?: readonly IamPolicyLevel[];
  /**
   * The principal account's service control policies, level by level; each level must allow, and no
   * Deny may match. They do not apply to service principals.
   *
   * @default - no SCPs
   */
  readonly serviceControlPolicies?: readonly IamPolicyLevel[];
}

/**
 * Judges one request as AWS does ("Policy evaluation logic", "Cross-account policy evaluation
 * logic"): an applying Deny in any policy denies; every RCP and SCP level must allow; then, in the
 * same account, the resource policy or the identity side must allow (for a KMS key, see
 * `resourcePolicyType`); across accounts, both must. Unknown keys and non-literal values make the
 * decision `'undetermined'` when they could change it.
 *
 * Throws `IamPolicyError` when a policy cannot be valid.
 */
export function evaluateIamRequest(input: IamEvaluationInput): IamEvaluation {
  throw new Error(`not implemented ${String(input)}`);
}

/** Options of `evaluateIamPolicy`. */
export interface IamPolicyOptions {
  /**
   * The policy's name in the results.
   *
   * @default 'resource policy'
   */
  readonly name?: string;
  /**
   * The kind of policy it is read as (when `policy` is not already an `IamPolicy`).
   *
   * @default 'resource'
   */
  readonly kind?: IamPolicyKind;
}

/**
 * Judges one request against one policy: whether an Allow and whether a Deny applies, and which
 * statements do or might. Throws `IamPolicyError` when the policy cannot be valid.
 */
export function evaluateIamPolicy(policy: unknown, request: IamRequest, options: IamPolicyOptions = {}): IamPolicyVerdict {
  throw new Error(`not implemented ${String(policy)} ${String(request)} ${String(options)}`);
}

/**
 * Judges one statement of a policy for one request: whether it applies (principal, action, resource
 * and conditions), three-valued.
 *
 * @param statement a statement of `policy`, from `parseIamPolicy`
 * @param policy the policy it belongs to (its `Version` decides policy variables)
 * @param policyName the policy's name in the verdict
 */
export function evaluateIamStatement(statement: IamStatement, policy: IamPolicy, request: IamRequest, policyName = 'resource policy'): IamStatementVerdict {
  throw new Error(`not implemented ${String(statement)} ${String(policy)} ${String(request)} ${policyName}`);
}
