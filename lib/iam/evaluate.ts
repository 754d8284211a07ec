/**
 * The evaluator's entry points ("Policy evaluation logic", "Cross-account policy evaluation logic",
 * "How AWS enforcement code logic evaluates requests to allow or deny access").
 */
import { judgeDecision } from './decision';
import type { IamPolicy, IamStatement } from './policy-document';
import { parseIamPolicy } from './policy-document';
import { judgePolicy } from './policy';
import { prepareRequest } from './prepared-request';
import type { IamEvaluationInput } from './evaluation-input';

// Declared in evaluation-input.ts since the first API commit declared them here: importing them from this file still works.
export type { IamEvaluationInput, IamNamedPolicy, IamPolicyLevel } from './evaluation-input';
import type { IamRequest } from './request';
import type { IamEvaluation, IamPolicyKind, IamPolicyVerdict, IamStatementVerdict } from './result';
import { judgeStatement } from './statement';

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
  return judgeDecision(input);
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
  return judgePolicy(parseIamPolicy(policy, options.kind ?? 'resource'), prepareRequest(request), options.name ?? 'resource policy').verdict;
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
  return judgeStatement(statement, policy.version === '2012-10-17', prepareRequest(request), policyName).verdict;
}
