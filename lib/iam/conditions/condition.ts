/**
 * One condition (operator, key, values) judged for a request, three-valued ("IAM JSON policy
 * elements: Condition operators"; "Conditions with multiple context keys or values"; "Set operators
 * for multivalued context keys"):
 *
 * | the key in the request | plain operator | negated (`...Not...`) | `...IfExists` | `ForAnyValue:` | `ForAllValues:` | `Null` |
 * |------------------------|----------------|-----------------------|---------------|----------------|-----------------|--------|
 * | missing                | false          | true                  | true          | false          | true            | value `true` |
 * | one value              | any policy value matches | no policy value matches | as without | as a list of one | as a list of one | value `false` |
 * | a list (multivalued)   | false (a set operator is required) | false      | as without | some request value matches | every request value matches (an empty list too) | value `false` |
 * | unknown                | unknown        | unknown               | unknown       | unknown        | unknown         | unknown |
 *
 * A value of the wrong type (a date that is not a date, an unresolvable policy variable) makes the
 * comparison fail whether the operator is negated or not.
 */
import type { ContextIndex } from '../context';
import type { IamCondition } from '../policy-document';
import { resolveVariables } from '../policy-variables';
import type { IamTruth } from '../result';
import { arnMatch } from './arn';
import { binaryMatch } from './binary';
import { boolMatch } from './bool';
import { dateMatch } from './date';
import { ipAddressMatch } from './ip-address';
import { numericMatch } from './numeric';
import type { ParsedOperator } from './operator';
import { parseOperator } from './operator';
import { stringMatch } from './string';
import type { ValueMatch, VariableResolver } from './value-match';

/** A condition's outcome, and why it is unknown when it is. */
export interface ConditionOutcome {
  readonly result: IamTruth;
  /** The unknown context keys it depends on (the condition's key, or a policy variable's). */
  readonly unknownKeys: readonly string[];
  /** Whether it depends on a value of the policy that is not a literal. */
  readonly nonLiteral: boolean;
}

const TRUE: ConditionOutcome = { result: true, unknownKeys: [], nonLiteral: false };
const FALSE: ConditionOutcome = { result: false, unknownKeys: [], nonLiteral: false };

/** Judges one condition. `variablesEnabled`: the policy's `Version` is `2012-10-17`. */
export function evaluateCondition(condition: IamCondition, context: ContextIndex, variablesEnabled: boolean): ConditionOutcome {
  const op = parseOperator(condition.operator);
  if (op === undefined || typeof condition.key !== 'string' || !Array.isArray(condition.values)) {
    return { result: 'unknown', unknownKeys: [], nonLiteral: true };
  }
  const values = condition.values as readonly (string | object)[];
  const state = context.get(condition.key);
  if (state.state === 'unknown') {
    return { result: 'unknown', unknownKeys: [condition.key], nonLiteral: false };
  }
  if (op.family === 'Null') {
    const goal = state.state === 'missing' ? 'true' : 'false';
    return outcomeOf(anyValue(values, (v) => v.toLowerCase() === goal), [], values);
  }
  if (state.state === 'missing') {
    return op.ifExists || op.set === 'ForAllValues' || (op.set === undefined && op.negated) ? TRUE : FALSE;
  }
  const unknownKeys: string[] = [];
  const resolve: VariableResolver = (policyValue) => {
    const resolved = resolveVariables(policyValue, variablesEnabled, context);
    if (typeof resolved === 'object' && 'unknownKey' in resolved) {
      unknownKeys.push(resolved.unknownKey);
    }
    return resolved;
  };
  const requestValue = state.value;
  let result: IamTruth;
  if (op.set === undefined) {
    result = typeof requestValue === 'string' ? valuesMatch(op, requestValue, values, resolve) : false;
  } else {
    const list = typeof requestValue === 'string' ? [requestValue] : requestValue;
    result = op.set === 'ForAnyValue' ? false : true;
    for (const item of list) {
      const r = valuesMatch(op, item, values, resolve);
      if (op.set === 'ForAnyValue' ? r === true : r === false) {
        result = r;
        break;
      }
      if (r === 'unknown') {
        result = 'unknown';
      }
    }
  }
  return outcomeOf(result, unknownKeys, values);
}

function outcomeOf(result: IamTruth, unknownKeys: readonly string[], values: readonly (string | object)[]): ConditionOutcome {
  if (result === true) {
    return TRUE;
  }
  if (result === false) {
    return FALSE;
  }
  return { result, unknownKeys: [...new Set(unknownKeys)], nonLiteral: values.some((v) => typeof v !== 'string') };
}

/** True if some literal value passes `test`, unknown if none does but a value is not literal. */
function anyValue(values: readonly (string | object)[], test: (value: string) => boolean): IamTruth {
  let result: IamTruth = false;
  for (const value of values) {
    if (typeof value !== 'string') {
      result = 'unknown';
    } else if (test(value)) {
      return true;
    }
  }
  return result;
}

/** One request value against the policy values: some matches (positive), none matches (negated). */
function valuesMatch(op: ParsedOperator, requestValue: string, values: readonly (string | object)[], resolve: VariableResolver): IamTruth {
  let sawUnknown = false;
  let sawInvalid = false;
  for (const value of values) {
    const m: ValueMatch = typeof value === 'string' ? valueMatch(op, requestValue, value, resolve) : 'unknown';
    if (m === true) {
      return !op.negated;
    }
    if (m === 'unknown') {
      sawUnknown = true;
    } else if (m === 'invalid') {
      sawInvalid = true;
    }
  }
  if (op.negated && sawInvalid) {
    return false;
  }
  if (sawUnknown) {
    return 'unknown';
  }
  return op.negated;
}

function valueMatch(op: ParsedOperator, requestValue: string, policyValue: string, resolve: VariableResolver): ValueMatch {
  switch (op.family) {
    case 'String':
      return stringMatch(op.base, requestValue, policyValue, resolve);
    case 'Numeric':
      return numericMatch(op.base, requestValue, policyValue);
    case 'Date':
      return dateMatch(op.base, requestValue, policyValue);
    case 'Bool':
      return boolMatch(requestValue, policyValue);
    case 'Binary':
      return binaryMatch(requestValue, policyValue);
    case 'IpAddress':
      return ipAddressMatch(requestValue, policyValue);
    case 'Arn':
      return arnMatch(requestValue, policyValue, resolve);
    default:
      return 'invalid';
  }
}
