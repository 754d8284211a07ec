/**
 * Kleene's three-valued logic over `IamTruth`: `'unknown'` where a value depends on what the
 * evaluator does not know. `and` is false as soon as one side is false, `or` true as soon as one
 * side is true, whatever the other.
 */
import type { IamTruth } from './result';

/** Both: false if either is false, true if both are true, else unknown. */
export function and3(a: IamTruth, b: IamTruth): IamTruth {
  if (a === false || b === false) {
    return false;
  }
  return a === true && b === true ? true : 'unknown';
}

/** Either: true if either is true, false if both are false, else unknown. */
export function or3(a: IamTruth, b: IamTruth): IamTruth {
  if (a === true || b === true) {
    return true;
  }
  return a === false && b === false ? false : 'unknown';
}

/** Not: unknown stays unknown. */
export function not3(a: IamTruth): IamTruth {
  return a === 'unknown' ? 'unknown' : !a;
}
