/**
 * The result model of `segments-cloud verify <cloud>`, shared by every cloud: one `CheckOutcome`
 * per check (and per key or origin where a check repeats), a table for people, `--json` for
 * machines, and the exit code.
 *
 * | result        | meaning                                                                   | exit |
 * |---------------|---------------------------------------------------------------------------|------|
 * | `pass`        | established: Segments can read as the check says                          | 0    |
 * | `warn`        | works today, but something nearby can break it; the fix says what to do   | 0    |
 * | `fail`        | Segments cannot read (or a browser cannot load) as it must; the fix says how to repair | 1 |
 * | `not-checked` | could not run (a read failed: `couldNotRun`, naming the permission), or cannot be seen from here / skipped by a flag | 3 if it could not run, else 0 |
 *
 * A read that failed is never a pass: the check that needed it is `not-checked` with
 * `couldNotRun`. When one check fails and another could not run, the exit code is 1: something
 * is known to be broken, and that is what to fix first.
 */

/** What a check found. */
export type CheckResult = 'pass' | 'fail' | 'warn' | 'not-checked';

/** The result of one check, on one target where the check repeats (an object key, an origin). */
export interface CheckOutcome {
  /** The check's stable ID, such as `aws.policy`. */
  readonly id: string;
  /** What the check ran on, where it runs once per key or origin (`images/a.jpg`, `https://app.segments.ai`). */
  readonly target?: string;
  readonly result: CheckResult;
  /** What was found, in one or a few sentences that name the statement, rule, key or object that decided. */
  readonly detail: string;
  /** For `fail`, `warn` and a `not-checked` that could not run: what to do, a command or JSON snippet where one exists. */
  readonly fix?: string;
  /** For `not-checked`: true when a read failed (access denied, no credentials, network), so the command could not run it. */
  readonly couldNotRun?: boolean;
}

/** The whole report of one `verify` run. */
export interface VerifyReport {
  /** What was verified, as the first keys of the JSON: `{ bucket: 'my-images' }`. */
  readonly subject: Readonly<Record<string, string>>;
  readonly checks: readonly CheckOutcome[];
}

/** `verify` exit codes (usage errors exit with 2, as every command's). */
export const EXIT_VERIFY_PASS = 0;
export const EXIT_VERIFY_FAIL = 1;
export const EXIT_VERIFY_COULD_NOT_RUN = 3;

export function pass(id: string, detail: string, target?: string): CheckOutcome {
  return { id, ...(target !== undefined ? { target } : {}), result: 'pass', detail };
}

export function warn(id: string, detail: string, fix: string, target?: string): CheckOutcome {
  return { id, ...(target !== undefined ? { target } : {}), result: 'warn', detail, fix };
}

export function fail(id: string, detail: string, fix: string, target?: string): CheckOutcome {
  return { id, ...(target !== undefined ? { target } : {}), result: 'fail', detail, fix };
}

/**
 * A check that could not run because a read failed; `fix` names the permission or what to set.
 * Without `fix`, the detail points to the check that says it (a cause of the whole run is said once).
 */
export function couldNotRun(id: string, detail: string, fix?: string, target?: string): CheckOutcome {
  return { id, ...(target !== undefined ? { target } : {}), result: 'not-checked', detail, ...(fix !== undefined ? { fix } : {}), couldNotRun: true };
}

/** A check left out on purpose: it cannot be seen from here, or a flag skipped it. */
export function skipped(id: string, detail: string, target?: string): CheckOutcome {
  return { id, ...(target !== undefined ? { target } : {}), result: 'not-checked', detail };
}

/**
 * A fix said once: where several checks could not run for the same reason (the same fix: no
 * credentials, the network down), the first keeps the fix and the others point to it in a word.
 * The exit code is unchanged.
 */
export function sayEachFixOnce(checks: readonly CheckOutcome[]): CheckOutcome[] {
  const firstWith = new Map<string, CheckOutcome>();
  return checks.map((check) => {
    if (!check.couldNotRun || check.fix === undefined) {
      return check;
    }
    const first = firstWith.get(check.fix);
    if (first === undefined) {
      firstWith.set(check.fix, check);
      return check;
    }
    const where = `${first.id}${first.target !== undefined ? ` ${first.target}` : ''}`;
    return couldNotRun(check.id, `${check.detail} (fix: see ${where})`, undefined, check.target);
  });
}

/** The exit code of a report: 1 if any check failed, else 3 if any could not run, else 0. */
export function exitCodeOf(checks: readonly CheckOutcome[]): number {
  if (checks.some((check) => check.result === 'fail')) {
    return EXIT_VERIFY_FAIL;
  }
  if (checks.some((check) => check.result === 'not-checked' && check.couldNotRun)) {
    return EXIT_VERIFY_COULD_NOT_RUN;
  }
  return EXIT_VERIFY_PASS;
}

/**
 * The `--json` output, a stable schema (docs/cli.md): the subject's keys (`bucket`), then
 * `checks`, each `{ id, target, result, detail, fix }` with `target` and `fix` null when absent.
 * 2-space indent and a trailing newline, as the other commands print.
 */
export function renderJson(report: VerifyReport): string {
  const checks = report.checks.map((check) => ({
    id: check.id,
    target: check.target ?? null,
    result: check.result,
    detail: check.detail,
    fix: check.fix ?? null,
  }));
  return `${JSON.stringify({ ...report.subject, checks }, null, 2)}\n`;
}

/** How the table is drawn: colour only on a terminal, lines wrapped to its width. */
export interface TableStyle {
  readonly color: boolean;
  /** The terminal's width in columns. @default 100 */
  readonly width?: number;
}

const COLORS: Readonly<Record<CheckResult, string>> = { 'pass': '32', 'warn': '33', 'fail': '31', 'not-checked': '2' };
const LABELS: Readonly<Record<CheckResult, string>> = { 'pass': 'pass', 'warn': 'WARN', 'fail': 'FAIL', 'not-checked': 'not checked' };

/**
 * The report for people: one row per outcome (check, result, detail), the fix under its detail
 * after `fix:` (commands are never wrapped, so they can be copied), and a summary line.
 */
export function renderTable(report: VerifyReport, style: TableStyle): string {
  const width = Math.max(60, style.width ?? 100);
  const idWidth = Math.max('CHECK'.length, ...report.checks.map((check) => check.id.length));
  const resultWidth = Math.max(...Object.values(LABELS).map((label) => label.length));
  const indent = ' '.repeat(idWidth + 2 + resultWidth + 2);
  const textWidth = width - indent.length;
  const lines: string[] = [
    Object.entries(report.subject).map(([key, value]) => `${key}: ${value}`).join(', '),
    '',
    `${'CHECK'.padEnd(idWidth)}  ${'RESULT'.padEnd(resultWidth)}  DETAIL`,
  ];
  for (const check of report.checks) {
    const label = LABELS[check.result].padEnd(resultWidth);
    const shown = style.color ? `\u001b[${COLORS[check.result]}m${label}\u001b[0m` : label;
    const detail = wrap(check.target !== undefined ? `${check.target}: ${check.detail}` : check.detail, textWidth);
    lines.push(`${check.id.padEnd(idWidth)}  ${shown}  ${detail[0]}`.trimEnd(), ...detail.slice(1).map((line) => `${indent}${line}`));
    if (check.fix !== undefined) {
      const fix = check.fix.split('\n');
      lines.push(`${indent}fix: ${fix[0]}`, ...fix.slice(1).map((line) => `${indent}     ${line}`));
    }
  }
  lines.push('', summary(report.checks));
  return `${lines.join('\n')}\n`;
}

/** `2 pass, 1 warn, 1 fail, 2 not checked: exit 1 (...)`. */
export function summary(checks: readonly CheckOutcome[]): string {
  const count = (result: CheckResult) => checks.filter((check) => check.result === result).length;
  const counts = (['pass', 'warn', 'fail', 'not-checked'] as const).map((result) => `${count(result)} ${LABELS[result].toLowerCase()}`).join(', ');
  const code = exitCodeOf(checks);
  const meaning = code === EXIT_VERIFY_FAIL ? 'Segments cannot read as it must: see the FAIL rows'
    : code === EXIT_VERIFY_COULD_NOT_RUN ? 'some checks could not run: see their fix for the permission or setting'
      : 'every check that ran passed';
  return `${counts}: exit ${code}, ${meaning}.`;
}

/** Splits text into lines of at most `width` characters at spaces (a longer word keeps its own line). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines;
}
