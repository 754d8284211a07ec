/**
 * `segments-cloud verify <cloud>`: the cloud-neutral part. Each cloud is a `VerifyTarget` (its
 * flags, its help, a parser from flags to its options, and a run from options to a report); this
 * file parses the command line, runs the target and renders its report as a table or `--json`,
 * with the exit code of report.ts.
 */
import { FlagSpec, given, parseFlags } from '../args';
import { usageError } from '../errors';
import { awsVerifyTarget } from './aws';
import { azureVerifyTarget } from './azure';
import { gcsVerifyTarget } from './gcs';
import { exitCodeOf, renderJson, renderTable, sayEachFixOnce } from './report';
import type { VerifyTarget } from './target';

/** The flags every `verify <cloud>` takes, besides its own. */
export const COMMON_VERIFY_FLAGS: FlagSpec = {
  json: { repeatable: false, switch: true },
  offline: { repeatable: false, switch: true },
};

/** The clouds, in the order `verify --help` lists them. */
export const VERIFY_TARGETS: readonly VerifyTarget<any>[] = [awsVerifyTarget, gcsVerifyTarget, azureVerifyTarget];

/** How the report is shown. */
export interface VerifyOutputStyle {
  /** Colour the results (stdout is a terminal and NO_COLOR is not set). */
  readonly color: boolean;
  /** The terminal's width, for wrapping the table. */
  readonly width?: number;
}

export interface VerifyOutput {
  readonly stdout: string;
  readonly exitCode: number;
}

export function verifyHelp(program: string): string {
  const width = Math.max(...VERIFY_TARGETS.map((t) => t.cloud.length));
  const targets = VERIFY_TARGETS.map((t) => `  ${t.cloud.padEnd(width)}  ${t.summary}\n  ${' '.repeat(width)}  e.g. ${program} ${t.example}`);
  return `Usage: ${program} verify <cloud> [flags] [--json] [--offline]

Reads a bucket's live configuration with your own read-only credentials, judges it the way
Segments will read it, and says what would fail and how to fix it. It never writes.

Clouds:
${targets.join('\n')}

'${program} verify <cloud> --help' describes its flags and checks.
Output: a table (check, result, detail, fix), or with --json
  {"<subject>": ..., "checks": [{"id", "target", "result", "detail", "fix"}]}.
Exit status: 0 every check passed (warnings allowed), 1 at least one check failed, 2 usage
error, 3 a check could not run (credentials missing, access denied on a read, network down).
`;
}

/** Runs `verify <args...>`; usage errors are thrown as `CliError` (exit 2). */
export async function runVerify(program: string, args: readonly string[], style: VerifyOutputStyle): Promise<VerifyOutput> {
  const [cloud, ...rest] = args;
  if (cloud === undefined || cloud === '--help' || cloud === '-h') {
    if (cloud === undefined) {
      throw usageError(`verify needs a cloud: ${VERIFY_TARGETS.map((t) => t.cloud).join(', ')}`, 'verify');
    }
    return { stdout: verifyHelp(program), exitCode: 0 };
  }
  const target = VERIFY_TARGETS.find((t) => t.cloud === cloud);
  if (!target) {
    throw usageError(`verify has no cloud '${cloud}'; the clouds are ${VERIFY_TARGETS.map((t) => t.cloud).join(', ')}`, 'verify');
  }
  const name = `verify ${target.cloud}`;
  const flags = parseFlags(name, rest, { ...target.flags, ...COMMON_VERIFY_FLAGS });
  if (flags.help) {
    return { stdout: `Usage: ${program} ${target.synopsis}\n\n${target.help()}`, exitCode: 0 };
  }
  const options = target.parse(flags);
  const run = await target.run(options, { offline: given(flags, 'offline') });
  const report = { ...run, checks: sayEachFixOnce(run.checks) };
  const stdout = given(flags, 'json') ? renderJson(report) : renderTable(report, style);
  return { stdout, exitCode: exitCodeOf(report.checks) };
}
