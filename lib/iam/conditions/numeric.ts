/**
 * Numeric condition operators ("Condition operators: Numeric condition operators"): integers and
 * decimals; a value that is not a number never matches. No policy variables.
 */
import type { ValueMatch } from './value-match';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A number, or undefined. */
export function parseIamNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

/** Whether `requestValue` compares with `policyValue` as `base` says (positive form). */
export function numericMatch(base: string, requestValue: string, policyValue: string): ValueMatch {
  const request = parseIamNumber(requestValue);
  const policy = parseIamNumber(policyValue);
  if (request === undefined || policy === undefined) {
    return 'invalid';
  }
  return compareNumbers(base.slice('Numeric'.length), request, policy);
}

/** `request <relation> policy` for a relation named as AWS names it (`Equals`, `LessThan`, ...). */
export function compareNumbers(relation: string, request: number, policy: number): boolean {
  switch (relation) {
    case 'LessThan':
      return request < policy;
    case 'LessThanEquals':
      return request <= policy;
    case 'GreaterThan':
      return request > policy;
    case 'GreaterThanEquals':
      return request >= policy;
    default: // Equals, NotEquals (negated by the caller)
      return request === policy;
  }
}
