/**
 * ARN condition operators ("Condition operators: Amazon Resource Name (ARN) condition operators"):
 * `ArnEquals` and `ArnLike` alike, case-sensitive, "each of the six colon-delimited components of
 * the ARN is checked separately and each can include" `*` and `?`. Policy variables are allowed.
 */
import { matchesGlob } from '../wildcard';
import type { IamGlob } from '../wildcard';
import type { ValueMatch, VariableResolver } from './value-match';
import { resolvedGlob } from './value-match';

/** The six components of an ARN (the last one keeps its colons), or undefined. */
export function arnComponents(text: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = text.indexOf(':', start);
    if (colon < 0) {
      return undefined;
    }
    parts.push(text.slice(start, colon));
    start = colon + 1;
  }
  parts.push(text.slice(start));
  return parts;
}

/** Whether `value` matches a glob component by component. */
export function matchesArnGlob(pattern: IamGlob, value: string): boolean | 'invalid' {
  const policy = arnComponents(pattern.text);
  const request = arnComponents(value);
  if (policy === undefined || request === undefined) {
    return 'invalid';
  }
  let offset = 0;
  for (let i = 0; i < 6; i++) {
    const text = policy[i];
    const wild = pattern.wild?.slice(offset, offset + text.length);
    offset += text.length + 1;
    if (!matchesGlob({ text, wild }, request[i], false)) {
      return false;
    }
  }
  return true;
}

/** Whether `requestValue` matches the ARN pattern `policyValue`. */
export function arnMatch(requestValue: string, policyValue: string, resolve: VariableResolver): ValueMatch {
  const glob = resolvedGlob(resolve(policyValue));
  return typeof glob === 'string' ? glob : matchesArnGlob(glob, requestValue);
}
