/**
 * The request context as the evaluator reads it: every key name lower-cased once (AWS matches
 * condition keys case-insensitively: "IAM policy elements: Variables", "Key names are
 * case-insensitive"), each key in one of three states, and the keys AWS derives from the principal.
 */
import type { IamContextValue, IamRequest } from './request';

/** A key's state in the request: a value, known missing, or unknown. */
export type IamKeyState =
  | { readonly state: 'value'; readonly value: IamContextValue }
  | { readonly state: 'missing' }
  | { readonly state: 'unknown' };

const MISSING: IamKeyState = { state: 'missing' };
const UNKNOWN: IamKeyState = { state: 'unknown' };

/** The context of one request, indexed for lookups. */
export class ContextIndex {
  private readonly values = new Map<string, IamKeyState>();
  private readonly unknownPrefixes: string[] = [];
  private readonly unlisted: IamKeyState;

  constructor(request: IamRequest, derived: Readonly<Record<string, string>>) {
    const context = request.context ?? {};
    this.unlisted = context.unlisted === 'unknown' ? UNKNOWN : MISSING;
    for (const [key, value] of Object.entries(derived)) {
      this.values.set(key.toLowerCase(), { state: 'value', value });
    }
    for (const key of context.missing ?? []) {
      this.values.set(key.toLowerCase(), MISSING);
    }
    for (const key of context.unknown ?? []) {
      const lower = key.toLowerCase();
      if (lower.endsWith('*')) {
        this.unknownPrefixes.push(lower.slice(0, -1));
      } else {
        this.values.set(lower, UNKNOWN);
      }
    }
    for (const [key, value] of Object.entries(context.values ?? {})) {
      this.values.set(key.toLowerCase(), { state: 'value', value });
    }
  }

  /** The state of `key` (any case). */
  get(key: string): IamKeyState {
    const lower = key.toLowerCase();
    const found = this.values.get(lower);
    if (found !== undefined) {
      return found;
    }
    for (const prefix of this.unknownPrefixes) {
      if (lower.startsWith(prefix)) {
        return UNKNOWN;
      }
    }
    return this.unlisted;
  }
}
