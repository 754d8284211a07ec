/**
 * One policy judged for one request: whether an Allow applies and whether a Deny applies, each
 * three-valued, with the statements that do and those that might.
 */
import type { IamPolicy, IamStatement } from './policy-document';
import type { PreparedRequest } from './prepared-request';
import type { IamDecidingStatement, IamPolicyVerdict, IamStatementVerdict, IamTruth } from './result';
import type { JudgedStatement } from './statement';
import { judgeStatement, nonLiteralStatement } from './statement';
import { or3 } from './truth';

/** A policy's verdict, with whether an Allow applies with the principal matched by itself. */
export interface JudgedPolicy {
  readonly verdict: IamPolicyVerdict;
  /** An Allow applies that names the principal itself, not only its account. */
  readonly allowsDirect: IamTruth;
}

/**
 * Whether `v` applies as a statement of `effect`: its `applies` when its effect is `effect`, false
 * when its effect is the other one, unknown when its effect is not a literal.
 */
function appliesAs(effect: 'Allow' | 'Deny', v: IamStatementVerdict): IamTruth {
  if (v.effect === 'unknown') {
    return 'unknown';
  }
  return v.effect === effect ? v.applies : false;
}

/** Judges every statement of `policy`. */
export function judgePolicy(policy: IamPolicy, prepared: PreparedRequest, name: string): JudgedPolicy {
  const variablesEnabled = policy.version === '2012-10-17';
  let allows: IamTruth = false;
  let denies: IamTruth = false;
  let allowsDirect: IamTruth = false;
  const allowedBy: IamDecidingStatement[] = [];
  const deniedBy: IamDecidingStatement[] = [];
  const undetermined: IamStatementVerdict[] = [];
  policy.statements.forEach((statement, index) => {
    const judged: JudgedStatement = 'nonLiteral' in statement
      ? nonLiteralStatement(index + 1, name)
      : judgeStatement(statement as IamStatement, variablesEnabled, prepared, name);
    const v = judged.verdict;
    if (v.applies === false) {
      return;
    }
    const certain = v.applies === true && v.effect !== 'unknown';
    if (!certain) {
      undetermined.push(v);
    }
    allows = or3(allows, appliesAs('Allow', v));
    denies = or3(denies, appliesAs('Deny', v));
    if (v.effect !== 'Deny') {
      allowsDirect = or3(allowsDirect, v.effect === 'Allow' ? judged.appliesDirect : judged.appliesDirect === false ? false : 'unknown');
    }
    if (certain) {
      const deciding: IamDecidingStatement = { name: v.name, policy: v.policy, effect: v.effect, conditionKeys: v.conditionKeys };
      (v.effect === 'Allow' ? allowedBy : deniedBy).push(deciding);
    }
  });
  return { verdict: { name, allows, denies, allowedBy, deniedBy, undetermined }, allowsDirect };
}
