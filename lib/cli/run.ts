/**
 * `segments-cloud-constructs <command>`: dispatches to a command and turns its result into what the
 * process prints. Pure apart from `input`, so it is the same from a test and from the terminal.
 * Output is deterministic: 2-space JSON with a trailing newline, the same bytes on every run.
 */
import { parseFlags } from './args';
import { awsCorsCommand } from './aws-cors';
import { awsPolicyCommand } from './aws-policy';
import { CliInput, Command } from './command';
import { CliError, EXIT_INPUT, EXIT_OK, usageError } from './errors';
import { gcsCorsCommand } from './gcs-cors';

export const PROGRAM = 'segments-cloud-constructs';

/** The commands, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [awsPolicyCommand, awsCorsCommand, gcsCorsCommand];

/** What the process writes and how it exits. */
export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** The top-level `--help`: every command with an example. */
export function programHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const commands = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  e.g. ${PROGRAM} ${c.example}`);
  return `Usage: ${PROGRAM} <command> [flags]

Prints the JSON that gives Segments.ai read-only access to a bucket managed outside a CDK app:
by hand, in the console, or in Terraform. Calls no cloud API and needs no credentials.

Commands:
${commands.join('\n')}

'${PROGRAM} <command> --help' describes a command's flags.
Output: JSON on stdout (the same bytes on every run); warnings and errors on stderr.
Exit status: 0 printed, 1 an input was refused (nothing printed), 2 usage error.
`;
}

/** The `<command> --help` text. */
export function commandHelp(command: Command): string {
  return `Usage: ${PROGRAM} ${command.synopsis}\n\n${command.help()}`;
}

/** Runs the CLI on its arguments (without `node` and the script). */
export function runCli(args: readonly string[], input: CliInput): CliResult {
  try {
    return runOrThrow(args, input);
  } catch (error) {
    if (error instanceof CliError) {
      return { stdout: '', stderr: error.problems.map((p) => `error: ${p}\n`).join(''), exitCode: error.exitCode };
    }
    // A bug, not a user mistake: still one line, and never a half-written JSON on stdout.
    return { stdout: '', stderr: `error: ${(error as Error).message}\n`, exitCode: EXIT_INPUT };
  }
}

function runOrThrow(args: readonly string[], input: CliInput): CliResult {
  const [name, ...rest] = args;
  if (name === undefined) {
    throw usageError(`Give a command: ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    return { stdout: programHelp(), stderr: '', exitCode: EXIT_OK };
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const what = name.startsWith('-') ? 'flag' : 'command';
    throw usageError(`Unknown ${what} '${name}'; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  const flags = parseFlags(command.name, rest, command.flags);
  if (flags.help) {
    return { stdout: commandHelp(command), stderr: '', exitCode: EXIT_OK };
  }
  const output = command.run(flags, input);
  return {
    stdout: `${JSON.stringify(output.json, null, 2)}\n`,
    stderr: output.warnings.map((w) => `warning: ${w}\n`).join(''),
    exitCode: EXIT_OK,
  };
}
