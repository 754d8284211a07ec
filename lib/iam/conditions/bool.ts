/**
 * `Bool` ("Condition operators: Boolean condition operators"): `true` or `false`, any case; any other
 * value never matches.
 */
import type { ValueMatch } from './value-match';

function readBool(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

/** Whether `requestValue` equals `policyValue` as booleans. */
export function boolMatch(requestValue: string, policyValue: string): ValueMatch {
  const request = readBool(requestValue);
  const policy = readBool(policyValue);
  return request === undefined || policy === undefined ? 'invalid' : request === policy;
}
