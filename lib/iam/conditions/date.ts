/**
 * Date condition operators ("Condition operators: Date condition operators"): values in W3C's ISO
 * 8601 date formats or in epoch (UNIX) time, seconds. No policy variables.
 */
import { compareNumbers } from './numeric';
import type { ValueMatch } from './value-match';

const EPOCH = /^\d+$/;
const ISO = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** Milliseconds since the epoch, or undefined. */
export function parseIamDate(text: string): number | undefined {
  if (EPOCH.test(text) && text.length !== 4) {
    return Number(text) * 1000;
  }
  if (!ISO.test(text)) {
    return undefined;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Whether `requestValue` compares with `policyValue` as `base` says (positive form). */
export function dateMatch(base: string, requestValue: string, policyValue: string): ValueMatch {
  const request = parseIamDate(requestValue);
  const policy = parseIamDate(policyValue);
  if (request === undefined || policy === undefined) {
    return 'invalid';
  }
  return compareNumbers(base.slice('Date'.length), request, policy);
}
