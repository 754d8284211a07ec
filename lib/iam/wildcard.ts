/**
 * The `*` and `?` wildcards of `Action`, `Resource` and the `...Like` condition operators: `*` any
 * run of characters (none included, across `/` and `:`), `?` exactly one character.
 */

/**
 * Whether `value` matches `pattern` with `*` and `?`.
 *
 * @param caseInsensitive compare ignoring case (actions are case-insensitive; resources are not)
 */
export function matchesIamWildcard(pattern: string, value: string, caseInsensitive = false): boolean {
  throw new Error(`not implemented ${pattern} ${value} ${caseInsensitive}`);
}
