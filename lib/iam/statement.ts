/**
 * One statement judged for one request ("IAM JSON policy element reference"): it applies when its
 * action, resource, principal and every condition match, each three-valued; a statement whose
 * `Effect` is not a literal may be an Allow or a Deny.
 */
import { actionListMatches } from './action';
import { evaluateCondition } from './conditions/condition';
import type { IamCondition, IamNonLiteral, IamStatement } from './policy-document';
import type { PreparedRequest } from './prepared-request';
import { notPrincipalApplies, principalElementMatch } from './principal';
import { resourceListMatches } from './resource';
import type { IamEffect, IamStatementVerdict, IamTruth, IamUnknownCondition } from './result';
import { and3, not3 } from './truth';

/** A statement's verdict, with how its principal matched (directly or through its account). */
export interface JudgedStatement {
  readonly verdict: IamStatementVerdict;
  /** Applies with the principal matched by itself (not only through its account). */
  readonly appliesDirect: IamTruth;
}

const NO_STRINGS: readonly string[] = [];
const NO_CONDITIONS: readonly IamUnknownCondition[] = [];

function valuesText(values: IamCondition['values']): string[] {
  if (!Array.isArray(values)) {
    return [JSON.stringify((values as IamNonLiteral).value)];
  }
  return (values as readonly (string | IamNonLiteral)[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v.value)));
}

/** Judges a statement whose policy has `variablesEnabled` (Version 2012-10-17). */
export function judgeStatement(statement: IamStatement, variablesEnabled: boolean, prepared: PreparedRequest, policyName: string): JudgedStatement {
  const effect: IamEffect = typeof statement.effect === 'string' ? statement.effect : 'unknown';
  let unknownKeys: string[] | undefined;
  let unknownConditions: IamUnknownCondition[] | undefined;
  let unknownElements: string[] | undefined;
  const element = (name: string) => {
    unknownElements ??= [];
    if (!unknownElements.includes(name)) {
      unknownElements.push(name);
    }
  };
  const keys = (list: readonly string[]) => {
    for (const key of list) {
      unknownKeys ??= [];
      if (!unknownKeys.includes(key)) {
        unknownKeys.push(key);
      }
    }
  };
  const finish = (applies: IamTruth, appliesDirect: IamTruth): JudgedStatement => {
    const uncertain = applies === 'unknown' || (applies === true && effect === 'unknown');
    if (effect === 'unknown' && applies !== false) {
      element('Effect');
    }
    return {
      verdict: {
        name: statement.name,
        policy: policyName,
        effect,
        conditionKeys: statement.conditionKeys,
        applies,
        unknownKeys: uncertain && unknownKeys ? unknownKeys : NO_STRINGS,
        unknownConditions: uncertain && unknownConditions ? unknownConditions : NO_CONDITIONS,
        unknownElements: uncertain && unknownElements ? unknownElements : NO_STRINGS,
      },
      appliesDirect,
    };
  };

  const { request, principal, context } = prepared;
  // Action
  let applies: IamTruth = statement.action !== undefined
    ? actionListMatches(statement.action, request.action)
    : not3(actionListMatches(statement.notAction ?? [], request.action));
  if (applies === false) {
    return finish(false, false);
  }
  if (applies === 'unknown') {
    element(statement.action !== undefined ? 'Action' : 'NotAction');
  }
  // Resource
  const resourceList = statement.resource ?? statement.notResource;
  if (resourceList !== undefined) {
    const m = resourceListMatches(resourceList, request.resource, variablesEnabled, context);
    const r = statement.resource !== undefined ? m.matches : m.noValue ? false : not3(m.matches);
    applies = and3(applies, r);
    if (applies === false) {
      return finish(false, false);
    }
    if (r === 'unknown') {
      if (m.unknownKeys.length > 0) {
        keys(m.unknownKeys);
      } else {
        element(statement.resource !== undefined ? 'Resource' : 'NotResource');
      }
    }
  }
  // Principal
  let direct: IamTruth = true;
  if (statement.principal !== undefined) {
    const m = principalElementMatch(statement.principal, principal, request.canonicalUser);
    applies = and3(applies, m.any);
    direct = m.direct;
    if (applies === false) {
      return finish(false, false);
    }
    if (m.any === 'unknown' || m.direct === 'unknown') {
      element('Principal');
    }
  } else if (statement.notPrincipal !== undefined) {
    const n = notPrincipalApplies(statement.notPrincipal, principal, request.canonicalUser);
    applies = and3(applies, n);
    direct = n;
    if (applies === false) {
      return finish(false, false);
    }
    if (n === 'unknown') {
      element('NotPrincipal');
    }
  }
  // Conditions: all must match
  if (!Array.isArray(statement.conditions)) {
    applies = and3(applies, 'unknown');
    element('Condition');
  } else {
    for (const condition of statement.conditions as readonly IamCondition[]) {
      const outcome = evaluateCondition(condition, context, variablesEnabled);
      if (outcome.result === false) {
        return finish(false, false);
      }
      if (outcome.result === 'unknown') {
        applies = 'unknown';
        keys(outcome.unknownKeys);
        if (outcome.nonLiteral) {
          element(typeof condition.key === 'string' ? `Condition.${condition.operator}.${condition.key}` : `Condition.${condition.operator}`);
        }
        (unknownConditions ??= []).push({
          operator: condition.operator,
          key: typeof condition.key === 'string' ? condition.key : JSON.stringify(condition.key.value),
          values: valuesText(condition.values),
          reason: outcome.unknownKeys.length > 0 ? 'unknown key' : 'non-literal value',
        });
      }
    }
  }
  return finish(applies, and3(applies, direct));
}

/** The verdict of a statement that is itself not a literal (an `Fn::If` around it). */
export function nonLiteralStatement(position: number, policyName: string): JudgedStatement {
  return {
    verdict: {
      name: `#${position}`,
      policy: policyName,
      effect: 'unknown',
      conditionKeys: NO_STRINGS,
      applies: 'unknown',
      unknownKeys: NO_STRINGS,
      unknownConditions: NO_CONDITIONS,
      unknownElements: ['Statement'],
    },
    appliesDirect: 'unknown',
  };
}
