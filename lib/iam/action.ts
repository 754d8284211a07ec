/**
 * `Action` and `NotAction` ("IAM JSON policy elements: Action"): `service:action` with `*` and `?`,
 * case-insensitive; `*` alone is every action.
 */
import type { IamListEntry, IamNonLiteral } from './policy-document';
import type { IamTruth } from './result';
import { matchesGlob } from './wildcard';

/** Whether `action` matches one pattern. */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') {
    return true;
  }
  const colon = pattern.indexOf(':');
  const requestColon = action.indexOf(':');
  if (colon < 0 || requestColon < 0) {
    return false;
  }
  return matchesGlob({ text: pattern.slice(0, colon) }, action.slice(0, requestColon), true)
    && matchesGlob({ text: pattern.slice(colon + 1) }, action.slice(requestColon + 1), true);
}

/** Whether some entry of an `Action` list matches (unknown when none does and one is not literal). */
export function actionListMatches(list: readonly IamListEntry[] | IamNonLiteral, action: string): IamTruth {
  if (!Array.isArray(list)) {
    return 'unknown';
  }
  let result: IamTruth = false;
  for (const entry of list as readonly IamListEntry[]) {
    if (typeof entry !== 'string') {
      result = 'unknown';
    } else if (actionMatches(entry, action)) {
      return true;
    }
  }
  return result;
}
