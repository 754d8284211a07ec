/**
 * String condition operators ("Condition operators: String condition operators"): `StringEquals`
 * exact and case-sensitive, `StringEqualsIgnoreCase`, `StringLike` with `*` and `?` (case-sensitive);
 * the `Not` forms negate. Policy variables are allowed.
 */
import { matchesGlob } from '../wildcard';
import type { ValueMatch, VariableResolver } from './value-match';
import { resolvedGlob } from './value-match';

/** Whether `requestValue` matches `policyValue` under the positive form of `base`. */
export function stringMatch(base: string, requestValue: string, policyValue: string, resolve: VariableResolver): ValueMatch {
  const glob = resolvedGlob(resolve(policyValue));
  if (typeof glob === 'string') {
    return glob;
  }
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return glob.text === requestValue;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return glob.text.toLowerCase() === requestValue.toLowerCase();
    default:
      return matchesGlob(glob, requestValue, false);
  }
}
