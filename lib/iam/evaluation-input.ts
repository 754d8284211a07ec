/**
 * What one evaluation judges a request against: the resource's policy, the principal's identity
 * side, and the organization's control policies.
 */
import type { IamRequest } from './request';

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
   * as one allowing the action on `*`. A service principal has none: they are ignored for it.
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
