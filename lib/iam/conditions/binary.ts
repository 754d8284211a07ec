/**
 * `BinaryEquals` ("Condition operators: Binary condition operators"): the policy's base64 text
 * equals the request's, byte for byte.
 */
import type { ValueMatch } from './value-match';

/** Whether the base64 values are equal. */
export function binaryMatch(requestValue: string, policyValue: string): ValueMatch {
  return requestValue === policyValue;
}
