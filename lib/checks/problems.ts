/**
 * How every check reports: a list of problems, each naming its prop and the fix, collected by a
 * construct and thrown once; list props are checked on their elements known at synth time.
 */

/**
 * Runs `check` on the elements of a list prop that are known at synth time, for every half alike.
 * `isToken` is the cloud library's `Token.isUnresolved`: a list that is itself a token, or that
 * holds only tokens, is left to the half (checked once resolved, or warned about).
 */
export function literalElementProblems(
  values: readonly string[] | undefined,
  isToken: (value: unknown) => boolean,
  check: (literal: string[]) => string[],
): string[] {
  if (values === undefined || isToken(values)) {
    return [];
  }
  const literal = values.filter((value) => !isToken(value));
  return values.length > 0 && literal.length === 0 ? [] : check(literal);
}

/** Joins problems into one error message headed by the construct that refused the input. */
export function formatProblems(constructName: string, problems: readonly string[]): string {
  return `${constructName} refused its input:\n  - ${problems.join('\n  - ')}`;
}
