/** What every CLI command is: its flags, its help, and a pure function from flags to JSON. */
import { FlagSpec, ParsedFlags } from './args';

/** What a command may read: a file named by a flag, `-` meaning stdin. */
export interface CliInput {
  readText(file: string): string;
}

/** What a command produces: the JSON for stdout, and warnings for stderr. */
export interface CommandOutput {
  readonly json: unknown;
  readonly warnings: readonly string[];
}

/** One command of `segments-cloud`. */
export interface Command {
  /** The name typed after `segments-cloud`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The command's synopsis, without the program name. */
  readonly synopsis: string;
  /** The flags it accepts. */
  readonly flags: FlagSpec;
  /** The full `<command> --help` text, after the synopsis. */
  help(): string;
  /** The example shown in the top-level help, without the program name. */
  readonly example: string;
  /** Computes the output, or throws a `CliError`. */
  run(flags: ParsedFlags, input: CliInput): CommandOutput;
}
