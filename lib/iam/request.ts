/**
 * The request an IAM evaluation judges: who asks, for what action, on which resource, and what the
 * evaluator knows about the request context ("IAM JSON policy elements: Condition", "AWS global
 * condition context keys").
 */

/** A context key's value: a string, or a list of strings for a multivalued key (such as `aws:TagKeys`). */
export type IamContextValue = string | readonly string[];

/**
 * What the evaluator knows about the request context, in three parts. Key names are matched
 * case-insensitively, as AWS matches condition keys. A key named in none of them is
 * `unlisted`'s value.
 *
 * A condition on an unknown key evaluates to unknown: the evaluator never guesses it.
 */
export interface IamRequestContext {
  /**
   * Keys whose value is known. A list is a multivalued key; a one-value string is single-valued.
   * Booleans, numbers and dates are written as AWS sends them: `'true'`, `'86400000'`,
   * `'2026-12-07T23:00:00Z'`.
   *
   * @default - no key is known
   */
  readonly values?: Readonly<Record<string, IamContextValue>>;
  /**
   * Keys known to be absent from the request (a negated operator on a missing key matches, a
   * `...IfExists` operator matches, `Null: true` matches).
   *
   * @default - none listed
   */
  readonly missing?: readonly string[];
  /**
   * Keys whose presence or value is not known (a labeler's `aws:SourceIp`, `aws:Referer`, an object
   * tag not read). An entry may end in `*` to name every key with that prefix, such as
   * `s3:ExistingObjectTag/*`.
   *
   * @default - none listed
   */
  readonly unknown?: readonly string[];
  /**
   * What a key listed nowhere is: `'missing'` (AWS's view of a request that does not carry it) or
   * `'unknown'` (the safe view when the caller does not know the request's full context).
   *
   * @default 'missing'
   */
  readonly unlisted?: 'missing' | 'unknown';
}

/**
 * One request: principal, action, resource and context.
 *
 * The evaluator derives these context keys from `principal` and `resourceAccount` unless the
 * context names them itself: `aws:PrincipalArn`, `aws:PrincipalAccount` (an IAM or STS ARN),
 * `aws:username` (an IAM user's ARN), `aws:PrincipalServiceName` (a service principal),
 * `aws:ResourceAccount` (when `resourceAccount` is given).
 */
export interface IamRequest {
  /**
   * Who asks: an IAM user or role ARN (`arn:aws:iam::111122223333:user/name`), an STS
   * assumed-role session ARN (`arn:aws:sts::111122223333:assumed-role/role/session`), an account's
   * root ARN, or a service principal (`s3.amazonaws.com`).
   */
  readonly principal: string;
  /**
   * The principal's canonical user ID, matched by `{"CanonicalUser": ...}` principals.
   *
   * @default - no canonical user: `CanonicalUser` principals never match
   */
  readonly canonicalUser?: string;
  /** The action, as `service:Action` (`s3:GetObject`); matched case-insensitively. */
  readonly action: string;
  /** The resource's ARN (`arn:aws:s3:::bucket/key`); matched case-sensitively. */
  readonly resource: string;
  /**
   * The account that owns the resource. It decides same-account against cross-account evaluation.
   *
   * @default - unknown: when the two would decide differently, the decision is undetermined and
   * names `aws:ResourceAccount`
   */
  readonly resourceAccount?: string;
  /**
   * What is known of the request context.
   *
   * @default - every key not derived from the principal is missing
   */
  readonly context?: IamRequestContext;
}
