/**
 * `segments-cloud <command>`: dispatches to a command and turns its result into what the process
 * prints. The JSON commands are pure apart from `input`, so they are the same from a test and from
 * the terminal; their output is deterministic: 2-space JSON with a trailing newline, the same bytes
 * on every run. `verify` reads live configuration (verify/command.ts).
 */
import { parseFlags } from './args';
import { awsCorsCommand } from './aws-cors';
import { awsPolicyCommand } from './aws-policy';
import { CliInput, Command } from './command';
import { CliError, EXIT_INPUT, EXIT_OK, PROGRAM, usageError } from './errors';
import { gcsCorsCommand } from './gcs-cors';
import { VERIFY_TARGETS, VerifyOutputStyle, runVerify } from './verify/command';
import { EXIT_VERIFY_COULD_NOT_RUN } from './verify/report';

export { PROGRAM };

/** The JSON commands, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [awsPolicyCommand, awsCorsCommand, gcsCorsCommand];

/** Every command name, `verify` included. */
const COMMAND_NAMES = [...COMMANDS.map((c) => c.name), 'verify'];

/** What the process writes and how it exits. */
export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** What the CLI may read and how it shows a `verify` report. */
export interface CliContext extends CliInput {
  /** How `verify` draws its table. @default - no colour, 100 columns */
  readonly style?: VerifyOutputStyle;
}

/** The top-level `--help`: every command with an example. */
export function programHelp(): string {
  const verify = VERIFY_TARGETS.map((t) => ({ name: `verify ${t.cloud}`, summary: t.summary, example: t.example }));
  const all = [...COMMANDS, ...verify];
  const width = Math.max(...all.map((c) => c.name.length));
  const commands = all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  e.g. ${PROGRAM} ${c.example}`);
  return `Usage: ${PROGRAM} <command> [flags]

Gives Segments.ai read-only access to a bucket managed outside a CDK app (by hand, in the console,
or in Terraform), and checks a live bucket the way Segments will read it.

Commands:
${commands.join('\n')}

'${PROGRAM} <command> --help' describes a command's flags.
${COMMANDS.map((c) => c.name).join(', ')} print JSON on stdout (the same bytes on every run), warnings
and errors on stderr; they call no cloud API and need no credentials.
Exit status: 0 printed, 1 an input was refused (nothing printed), 2 usage error.
verify reads with your credentials and never writes.
Exit status: 0 passed, 1 a check failed, 2 usage error, 3 a check could not run.
`;
}

/** The `<command> --help` text. */
export function commandHelp(command: Command): string {
  return `Usage: ${PROGRAM} ${command.synopsis}\n\n${command.help()}`;
}

/** Runs the CLI on its arguments (without `node` and the script). */
export async function runCli(args: readonly string[], context: CliContext): Promise<CliResult> {
  try {
    return await runOrThrow(args, context);
  } catch (error) {
    if (error instanceof CliError) {
      return { stdout: '', stderr: error.problems.map((p) => `error: ${p}\n`).join(''), exitCode: error.exitCode };
    }
    // A bug, not a user mistake: still one line, and never a half-written JSON on stdout.
    return { stdout: '', stderr: `error: ${(error as Error).message}\n`, exitCode: EXIT_INPUT };
  }
}

async function runOrThrow(args: readonly string[], context: CliContext): Promise<CliResult> {
  const [name, ...rest] = args;
  if (name === undefined) {
    throw usageError(`Give a command: ${COMMAND_NAMES.join(', ')}`);
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    return { stdout: programHelp(), stderr: '', exitCode: EXIT_OK };
  }
  if (name === 'verify') {
    try {
      const output = await runVerify(PROGRAM, rest, context.style ?? { color: false });
      return { stdout: output.stdout, stderr: '', exitCode: output.exitCode };
    } catch (error) {
      if (error instanceof CliError) {
        throw error;
      }
      // A bug or a failure outside every check: nothing was judged, so not exit 1 (a check failed).
      return { stdout: '', stderr: `error: verify could not run: ${(error as Error).message}\n`, exitCode: EXIT_VERIFY_COULD_NOT_RUN };
    }
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const what = name.startsWith('-') ? 'flag' : 'command';
    throw usageError(`Unknown ${what} '${name}'; the commands are ${COMMAND_NAMES.join(', ')}`);
  }
  const flags = parseFlags(command.name, rest, command.flags);
  if (flags.help) {
    return { stdout: commandHelp(command), stderr: '', exitCode: EXIT_OK };
  }
  const output = command.run(flags, context);
  return {
    stdout: `${JSON.stringify(output.json, null, 2)}\n`,
    stderr: output.warnings.map((w) => `warning: ${w}\n`).join(''),
    exitCode: EXIT_OK,
  };
}
