/**
 * Policy variables ("IAM policy elements: Variables and tags"): `${key}` in `Resource` and in the
 * values of the String and ARN condition operators is replaced by the request's value of `key`.
 *
 * | written            | becomes                                                              |
 * |--------------------|----------------------------------------------------------------------|
 * | `${aws:username}`  | the key's value, as literal text (its `*` and `?` are no wildcards)  |
 * | `${key, 'dflt'}`   | the key's value, or `dflt` when the request has no single value for it |
 * | `${*}` `${?}` `${$}` | a literal `*`, `?`, `$`                                            |
 * | a key with no value (missing, or multivalued) and no default | nothing matches it ("Policy variables with no value") |
 * | a key whose value is unknown | unknown                                                    |
 *
 * Only in policies whose `Version` is `2012-10-17`; in older ones `${...}` is literal text.
 */
import type { ContextIndex } from './context';
import type { IamGlob } from './wildcard';

/** A value whose variable has no value: it matches nothing. */
export const NO_VALUE = 'no value' as const;

/** A value that depends on an unknown context key. */
export interface UnknownVariable {
  readonly unknownKey: string;
}

/** A policy value after its variables are replaced. */
export type ResolvedValue = IamGlob | typeof NO_VALUE | UnknownVariable;

/** Replaces the policy variables of `text`. */
export function resolveVariables(text: string, variablesEnabled: boolean, context: ContextIndex): ResolvedValue {
  if (!variablesEnabled || !text.includes('${')) {
    return { text };
  }
  let out = '';
  const wild: boolean[] = [];
  const literal = (s: string, isWildcardText: boolean): void => {
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      wild.push(isWildcardText && (c === '*' || c === '?'));
    }
    out += s;
  };
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    const end = start < 0 ? -1 : text.indexOf('}', start + 2);
    if (start < 0 || end < 0) {
      literal(text.slice(i), true);
      break;
    }
    literal(text.slice(i, start), true);
    const inner = text.slice(start + 2, end);
    i = end + 1;
    if (inner === '*' || inner === '?' || inner === '$') {
      literal(inner, false);
      continue;
    }
    const { key, fallback } = variableParts(inner);
    const state = context.get(key);
    if (state.state === 'unknown') {
      return { unknownKey: key };
    }
    if (state.state === 'value' && typeof state.value === 'string') {
      literal(state.value, false);
    } else if (fallback !== undefined) {
      literal(fallback, false);
    } else {
      return NO_VALUE;
    }
  }
  return { text: out, wild };
}

/** `key` or `key, 'default'`. */
function variableParts(inner: string): { key: string; fallback?: string } {
  const comma = inner.indexOf(',');
  if (comma < 0) {
    return { key: inner.trim() };
  }
  const rest = inner.slice(comma + 1).trim();
  const key = inner.slice(0, comma).trim();
  return rest.length >= 2 && rest.startsWith("'") && rest.endsWith("'") ? { key, fallback: rest.slice(1, -1) } : { key };
}
