/**
 * What an evaluation answers: three-valued truths, the statements that decided and the ones that
 * might, with the unknown keys they depend on.
 */

/** The decision AWS makes, when it is certain ("Policy evaluation logic"). */
export type IamDecision = 'allowed' | 'explicit deny' | 'implicit deny';

/** A three-valued truth: `'unknown'` when it depends on an unknown key or a non-literal value. */
export type IamTruth = boolean | 'unknown';

/** A statement's `Effect`: `'unknown'` when it is not a JSON literal (a CloudFormation `Fn::If`). */
export type IamEffect = 'Allow' | 'Deny' | 'unknown';

/** The kind of policy a statement is read as (it decides which elements it must and may have). */
export type IamPolicyKind = 'resource' | 'identity' | 'resource-control' | 'service-control';

/** A statement that decided, named as a report names it. */
export interface IamDecidingStatement {
  /** Its `Sid`, or `#<position>` (1-based) when it has none. */
  readonly name: string;
  /** The name of the policy it is part of. */
  readonly policy: string;
  /** Its `Effect`. */
  readonly effect: IamEffect;
  /** Its condition keys as written, once each (for a Deny: what to exempt a principal from). */
  readonly conditionKeys: readonly string[];
}

/** A condition whose value for the request is unknown, as written in the policy. */
export interface IamUnknownCondition {
  /** The operator as written, such as `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The condition key as written. */
  readonly key: string;
  /**
   * The condition's values as written (a non-string literal as JSON text): the values that decide
   * whether the condition matches, and so whether the statement applies.
   */
  readonly values: readonly string[];
  /** Why it is unknown: the request's key is unknown, or a value of the policy is not a literal. */
  readonly reason: 'unknown key' | 'non-literal value';
}

/** How one statement judges a request. */
export interface IamStatementVerdict extends IamDecidingStatement {
  /** Whether the statement applies: principal, action, resource and every condition match. */
  readonly applies: IamTruth;
  /** The unknown context keys `applies` depends on (empty unless `applies` is `'unknown'`). */
  readonly unknownKeys: readonly string[];
  /** The conditions that are unknown (empty unless `applies` is `'unknown'`). */
  readonly unknownConditions: readonly IamUnknownCondition[];
  /**
   * The elements holding a non-literal value that `applies` or the effect depends on, such as
   * `Effect`, `Principal`, `Resource`, `Condition` (empty when every such element is literal).
   */
  readonly unknownElements: readonly string[];
}

/** How one policy judges a request. */
export interface IamPolicyVerdict {
  /** The policy's name (as given, or `resource policy`). */
  readonly name: string;
  /** Whether an Allow statement applies. */
  readonly allows: IamTruth;
  /** Whether a Deny statement applies. */
  readonly denies: IamTruth;
  /** The Allow statements that certainly apply. */
  readonly allowedBy: readonly IamDecidingStatement[];
  /** The Deny statements that certainly apply. */
  readonly deniedBy: readonly IamDecidingStatement[];
  /** The statements that might apply, depending on unknown keys or values. */
  readonly undetermined: readonly IamStatementVerdict[];
}

/** How one level of an organization's control policies (root, an OU, the account) judges a request. */
export interface IamPolicyLevelVerdict {
  /** The level's name. */
  readonly name: string;
  /** Whether some policy of the level allows (every level must). */
  readonly allows: IamTruth;
  /** Whether some policy of the level denies. */
  readonly denies: IamTruth;
  /** Each policy's verdict, in the level's order. */
  readonly policies: readonly IamPolicyVerdict[];
}

/** The evaluation of one request against every policy that applies to it. */
export interface IamEvaluation {
  /** The decision when it is certain, or `'undetermined'` when it depends on an unknown. */
  readonly decision: IamDecision | 'undetermined';
  /** Every decision still possible (one when the decision is certain), in the order allowed, explicit deny, implicit deny. */
  readonly possibleDecisions: readonly IamDecision[];
  /** Whether the request is in the resource's own account (`'unknown'` without a resource account). */
  readonly sameAccount: IamTruth;
  /** The Allow statements that certainly apply, over every policy. */
  readonly allowedBy: readonly IamDecidingStatement[];
  /** The Deny statements that certainly apply, over every policy. */
  readonly deniedBy: readonly IamDecidingStatement[];
  /** The statements that might apply, over every policy. */
  readonly undetermined: readonly IamStatementVerdict[];
  /** The unknown context keys the decision depends on (empty when it is certain). */
  readonly unknownKeys: readonly string[];
  /** The resource policy's verdict (absent without one). */
  readonly resourcePolicy?: IamPolicyVerdict;
  /** The identity policies' verdicts. */
  readonly identityPolicies: readonly IamPolicyVerdict[];
  /** The resource control policies' verdicts, level by level. */
  readonly resourceControlPolicies: readonly IamPolicyLevelVerdict[];
  /** The service control policies' verdicts, level by level. */
  readonly serviceControlPolicies: readonly IamPolicyLevelVerdict[];
}
