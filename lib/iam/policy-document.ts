/**
 * A policy document read into a normalised form ("IAM JSON policy element reference"): one list
 * per element, every single value lifted into a list, and every value that is not a JSON literal
 * (a CloudFormation intrinsic such as `{"Ref": ...}` or `{"Fn::If": [...]}`) kept as an
 * `IamNonLiteral` so that evaluation treats it as unknown instead of failing.
 */
import type { IamPolicyKind } from './result';

/** A value of a policy that is not a JSON literal: a CloudFormation intrinsic, evaluated as unknown. */
export interface IamNonLiteral {
  readonly nonLiteral: true;
  /** The element it stands in, such as `Resource` or `Condition.StringEquals.aws:SourceIp`. */
  readonly element: string;
  /** The value as written. */
  readonly value: unknown;
}

/** A list element's entry: a literal string, or a non-literal value. */
export type IamListEntry = string | IamNonLiteral;

/** One entry of `Principal` or `NotPrincipal`. `'*'` is the bare `"*"` form. */
export interface IamPrincipalEntry {
  readonly type: '*' | 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';
  readonly value: IamListEntry;
}

/** One condition: operator, key and values, as written. */
export interface IamCondition {
  /** The operator as written, such as `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The key as written; non-literal when the operator's whole block is an intrinsic. */
  readonly key: string | IamNonLiteral;
  /** The values as written, a non-string literal (`true`, `3`) as its JSON text. */
  readonly values: readonly IamListEntry[] | IamNonLiteral;
}

/** One statement, normalised. An element the statement does not have is absent. */
export interface IamStatement {
  /** `Sid`, or `#<position>` (1-based) when it has none. */
  readonly name: string;
  /** The statement's 1-based position in the policy. */
  readonly position: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny' | IamNonLiteral;
  readonly principal?: readonly IamPrincipalEntry[] | IamNonLiteral;
  readonly notPrincipal?: readonly IamPrincipalEntry[] | IamNonLiteral;
  readonly action?: readonly IamListEntry[] | IamNonLiteral;
  readonly notAction?: readonly IamListEntry[] | IamNonLiteral;
  readonly resource?: readonly IamListEntry[] | IamNonLiteral;
  readonly notResource?: readonly IamListEntry[] | IamNonLiteral;
  /** The conditions (all must match), or a non-literal `Condition` block. */
  readonly conditions: readonly IamCondition[] | IamNonLiteral;
  /** The condition keys as written, once each. */
  readonly conditionKeys: readonly string[];
}

/** One policy, normalised. */
export interface IamPolicy {
  /** `Version` as written: `2012-10-17` enables policy variables; without it, or `2008-10-17`, `${...}` is literal text. */
  readonly version?: string;
  readonly kind: IamPolicyKind;
  /** The statements; an entry is non-literal when a whole statement is an intrinsic (`Fn::If` around it). */
  readonly statements: readonly (IamStatement | IamNonLiteral)[];
}

/** A policy that cannot be a valid policy of its kind, with the element at fault. */
export class IamPolicyError extends Error {
  /**
   * @param element the element at fault, such as `Statement #2 Effect`
   * @param problem what is wrong with it
   */
  constructor(readonly element: string, readonly problem: string) {
    super(`${element}: ${problem}`);
    this.name = 'IamPolicyError';
  }
}

/** Whether `value` is a CloudFormation intrinsic: an object of one key, `Ref` or `Fn::<name>`. */
export function isIntrinsic(value: unknown): boolean {
  throw new Error(`not implemented ${String(value)}`);
}

/**
 * Reads a policy (parsed JSON, or its JSON text) of the given kind into its normalised form.
 * Throws `IamPolicyError` naming the element when it cannot be a valid policy of that kind; a
 * non-literal value is never an error.
 *
 * @param kind the kind of policy it is read as
 * @default kind 'resource'
 */
export function parseIamPolicy(policy: unknown, kind: IamPolicyKind = 'resource'): IamPolicy {
  throw new Error(`not implemented ${String(policy)} ${kind}`);
}
