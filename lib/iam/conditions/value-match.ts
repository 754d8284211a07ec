/**
 * How one request value compares with one policy value, for every operator family: `true`, `false`,
 * `'invalid'` (a value of the wrong type, or a policy variable with no value: AWS's condition is
 * then false, negated or not) or `'unknown'` (a policy variable on an unknown key).
 */
import type { ResolvedValue } from '../policy-variables';
import { NO_VALUE } from '../policy-variables';
import type { IamGlob } from '../wildcard';

/** One comparison's outcome. */
export type ValueMatch = boolean | 'invalid' | 'unknown';

/** Resolves a policy value's variables (for the families that take them). */
export type VariableResolver = (policyValue: string) => ResolvedValue;

/** What a resolved value is, as a glob, or the outcome that stands in for it. */
export function resolvedGlob(resolved: ResolvedValue): IamGlob | 'invalid' | 'unknown' {
  if (resolved === NO_VALUE) {
    return 'invalid';
  }
  return 'unknownKey' in resolved ? 'unknown' : resolved;
}
