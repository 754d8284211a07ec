/**
 * What every cloud of `verify` shares with `verify/command.ts`: the shape of a target, what its run
 * may use, and the refused-input error. Its own module so that command.ts imports each cloud and no
 * cloud imports command.ts back.
 */
import type { FlagSpec, ParsedFlags } from '../args';
import { CliError, EXIT_USAGE, PROGRAM } from '../errors';
import type { VerifyReport } from './report';

/** What a target's run may use besides its options. */
export interface VerifyRuntime {
  /** `--offline`: no request to the storage's public endpoint (the browser's view); the cloud's API is still read. */
  readonly offline: boolean;
}

/** One cloud of `verify`. */
export interface VerifyTarget<Options> {
  /** The word after `verify`: `aws`. */
  readonly cloud: string;
  /** One line for the `verify --help` list. */
  readonly summary: string;
  /** The synopsis without the program name: `verify aws --bucket NAME ...`. */
  readonly synopsis: string;
  /** Its own flags (the common ones are added). */
  readonly flags: FlagSpec;
  /** The example in the `verify --help` list, without the program name. */
  readonly example: string;
  /** The full help after the synopsis. */
  help(): string;
  /** The options from the flags; throws a usage error (exit 2) naming the flag and the fix. */
  parse(flags: ParsedFlags): Options;
  /** Reads the live configuration and judges it. A read that fails is a `not-checked` outcome, never a throw. */
  run(options: Options, runtime: VerifyRuntime): Promise<VerifyReport>;
}

/** A refused `verify` input: exit 2, as every usage error (1 means a check failed). */
export function verifyInputError(command: string, problems: readonly string[]): CliError {
  return new CliError(problems.map((problem) => `${problem} (see '${PROGRAM} ${command} --help').`), EXIT_USAGE);
}
