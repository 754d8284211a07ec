/**
 * `Resource` and `NotResource` ("IAM JSON policy elements: Resource"): `*` alone is every resource;
 * otherwise an ARN whose components are matched one by one with `*` and `?`, case-sensitively, the
 * sixth (the resource part) including its own colons and slashes. Policy variables are allowed.
 */
import { matchesArnGlob } from './conditions/arn';
import type { ContextIndex } from './context';
import type { IamListEntry, IamNonLiteral } from './policy-document';
import { NO_VALUE, resolveVariables } from './policy-variables';
import type { IamTruth } from './result';

/** How a `Resource` list matches, and the unknown keys (of policy variables) it depends on. */
export interface ResourceMatch {
  readonly matches: IamTruth;
  readonly unknownKeys: readonly string[];
  /**
   * An entry's policy variable has no value: "any attempt to match it fails and causes the statement
   * to be invalid" (IAM policy elements: Variables and tags), so a `NotResource` holding it does not
   * apply either.
   */
  readonly noValue?: boolean;
}

const TRUE: ResourceMatch = { matches: true, unknownKeys: [] };
const FALSE: ResourceMatch = { matches: false, unknownKeys: [] };
const NON_LITERAL: ResourceMatch = { matches: 'unknown', unknownKeys: [] };

/** Whether some entry of a `Resource` list matches `resource`. */
export function resourceListMatches(list: readonly IamListEntry[] | IamNonLiteral, resource: string, variablesEnabled: boolean, context: ContextIndex): ResourceMatch {
  if (!Array.isArray(list)) {
    return NON_LITERAL;
  }
  let unknown = false;
  let noValue = false;
  let unknownKeys: string[] | undefined;
  for (const entry of list as readonly IamListEntry[]) {
    if (typeof entry !== 'string') {
      unknown = true;
      continue;
    }
    if (entry === '*') {
      return TRUE;
    }
    const resolved = resolveVariables(entry, variablesEnabled, context);
    if (resolved === NO_VALUE) {
      noValue = true;
      continue;
    }
    if ('unknownKey' in resolved) {
      unknown = true;
      (unknownKeys ??= []).push(resolved.unknownKey);
      continue;
    }
    if (matchesArnGlob(resolved, resource) === true) {
      return noValue ? { matches: true, unknownKeys: [], noValue } : TRUE;
    }
  }
  if (unknown) {
    return { matches: 'unknown', unknownKeys: unknownKeys ?? [], noValue };
  }
  return noValue ? { matches: false, unknownKeys: [], noValue } : FALSE;
}
