/**
 * How the CLI fails. Every refusal is an `CliError` whose message is what the user reads on stderr,
 * and whose exit code says what kind of mistake it was:
 *
 * | exit | meaning                                                                  |
 * |------|--------------------------------------------------------------------------|
 * | 0    | the JSON is on stdout (warnings, if any, on stderr)                      |
 * | 1    | an input was refused: bucket name, prefix, origin, or the --merge file   |
 * | 2    | usage: no or unknown command, unknown flag, a flag without its value     |
 *
 * `verify` has its own meaning for 1 and 3 (a check failed, a check could not run: verify/report.ts);
 * there a refused input is a usage error (2).
 */
export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;

/** The executable's name, as help and errors print it. */
export const PROGRAM = 'segments-cloud';

/** A refusal: one line per problem on stderr, nothing on stdout. */
export class CliError extends Error {
  constructor(readonly problems: readonly string[], readonly exitCode: number) {
    super(problems.join('\n'));
    this.name = 'CliError';
  }
}

/** A refused input (exit 1). */
export function inputError(...problems: string[]): CliError {
  return new CliError(problems, EXIT_INPUT);
}

/** A mistake in how the command was called (exit 2). */
export function usageError(problem: string, command?: string): CliError {
  const help = command ? `${PROGRAM} ${command} --help` : `${PROGRAM} --help`;
  return new CliError([`${problem} (see '${help}').`], EXIT_USAGE);
}
