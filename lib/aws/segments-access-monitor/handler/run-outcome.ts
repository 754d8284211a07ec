/**
 * What one run of the monitor concludes from the `verify aws` report: its status, the metric data,
 * and the message to publish when the status changed since the last run. Pure functions of the
 * report, the previous state and the trigger (the report's types are restated structurally here,
 * so that only the handler's entry imports the CLI's code).
 */
import { type Trigger, describeTrigger } from './trigger';
import {
  SEGMENTS_MONITOR_BUCKET_DIMENSION,
  SEGMENTS_MONITOR_COULD_NOT_CHECK_METRIC,
  SEGMENTS_MONITOR_FAILING_CHECKS_METRIC,
} from '../monitor-settings';

/** One outcome of the report (cli/src/verify/report.ts, CheckOutcome). */
export interface Outcome {
  readonly id: string;
  readonly target?: string;
  readonly result: 'pass' | 'fail' | 'warn' | 'not-checked';
  readonly detail: string;
  readonly fix?: string;
  readonly couldNotRun?: boolean;
}

/**
 * - `fail`: at least one check failed (Segments cannot read as it must);
 * - `could-not-check`: none failed, but at least one could not run (a read failed), so no pass is claimed;
 * - `pass`: every check that runs here ran, and none failed.
 */
export type MonitorStatus = 'pass' | 'fail' | 'could-not-check';

/** What a run found, and what the next run compares with (kept in the state parameter). */
export interface MonitorState {
  readonly status: MonitorStatus;
  /** The check IDs that failed, in report order. */
  readonly failing: readonly string[];
  /** The check IDs that could not run, in report order. */
  readonly couldNotCheck: readonly string[];
}

const distinct = (ids: readonly string[]): string[] => [...new Set(ids)];

/** The state a report shows. */
export function stateOf(checks: readonly Outcome[]): MonitorState {
  const failing = distinct(checks.filter((c) => c.result === 'fail').map((c) => c.id));
  const couldNotCheck = distinct(checks.filter((c) => c.result === 'not-checked' && c.couldNotRun).map((c) => c.id));
  const status: MonitorStatus = failing.length > 0 ? 'fail' : couldNotCheck.length > 0 ? 'could-not-check' : 'pass';
  return { status, failing, couldNotCheck };
}

/** A CloudWatch datum, as PutMetricData takes it. */
export interface MetricDatum {
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly Value: number;
  readonly Unit: 'Count';
  readonly Timestamp: Date;
}

/**
 * The run's metric data, all with the dimension `Bucket`:
 * - `FailingChecks`: the number of check IDs that failed; left out when none failed and one could
 *   not run (0 would be a pass the run did not establish: the alarm keeps its state instead);
 * - `CouldNotCheck`: the number of check IDs that could not run;
 * - one per check ID that reached a verdict (pass, warn or fail): 1 when it failed, else 0. A check
 *   that could not run, or that is left out on purpose (aws.org-policies), gets no datum.
 */
export function metricData(bucket: string, checks: readonly Outcome[], state: MonitorState, timestamp: Date): MetricDatum[] {
  const datum = (MetricName: string, Value: number): MetricDatum =>
    ({ MetricName, Dimensions: [{ Name: SEGMENTS_MONITOR_BUCKET_DIMENSION, Value: bucket }], Value, Unit: 'Count', Timestamp: timestamp });
  const judged = distinct(checks.filter((c) => c.result !== 'not-checked').map((c) => c.id))
    .filter((id) => !state.couldNotCheck.includes(id) || state.failing.includes(id));
  return [
    ...(state.status === 'could-not-check' ? [] : [datum(SEGMENTS_MONITOR_FAILING_CHECKS_METRIC, state.failing.length)]),
    datum(SEGMENTS_MONITOR_COULD_NOT_CHECK_METRIC, state.couldNotCheck.length),
    ...judged.map((id) => datum(id, state.failing.includes(id) ? 1 : 0)),
  ];
}

/** Whether two states say the same thing: same status, same failing and not-checked IDs. */
export function sameState(a: MonitorState, b: MonitorState): boolean {
  return a.status === b.status && a.failing.join() === b.failing.join() && a.couldNotCheck.join() === b.couldNotCheck.join();
}

/** An SNS message: a subject (at most 100 ASCII characters, SNS's limit) and a body. */
export interface Message {
  readonly subject: string;
  readonly body: string;
}

/** SNS subjects: ASCII, no line break, at most 100 characters. */
export const SNS_SUBJECT_MAX = 100;

function subjectOf(text: string): string {
  // eslint-disable-next-line no-control-regex
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= SNS_SUBJECT_MAX ? ascii : `${ascii.slice(0, SNS_SUBJECT_MAX - 3)}...`;
}

function shown(outcome: Outcome): string {
  return [
    `- ${outcome.id}${outcome.target !== undefined ? ` (${outcome.target})` : ''}: ${outcome.detail}`,
    ...(outcome.fix !== undefined ? [`  Fix: ${outcome.fix.split('\n').join('\n       ')}`] : []),
  ].join('\n');
}

/**
 * The message of a run whose state differs from the last one, or undefined when there is nothing
 * new to say: the same state as before (fail then fail with the same checks sends nothing), or a
 * first run that passes.
 */
export function messageFor(bucket: string, previous: MonitorState | undefined, current: MonitorState, checks: readonly Outcome[], trigger: Trigger): Message | undefined {
  if (previous !== undefined ? sameState(previous, current) : current.status === 'pass') {
    return undefined;
  }
  const footer = [
    '',
    describeTrigger(trigger),
    `Bucket: ${bucket}. Sent by SegmentsAccessMonitor (segments-cloud-constructs) once per change of state; ` +
      'the function\'s log has the whole report of every run.',
  ];
  if (current.status === 'fail') {
    const failing = checks.filter((c) => c.result === 'fail');
    return {
      subject: subjectOf(`Segments.ai cannot read ${bucket}: ${current.failing.join(', ')} failing`),
      body: [`Segments.ai cannot read the bucket ${bucket} as it must. Failing checks:`, '', ...failing.map(shown),
        ...(current.couldNotCheck.length > 0 ? ['', `Could not check: ${current.couldNotCheck.join(', ')}.`] : []), ...footer].join('\n'),
    };
  }
  if (current.status === 'could-not-check') {
    const notChecked = checks.filter((c) => c.result === 'not-checked' && c.couldNotRun);
    return {
      subject: subjectOf(`Segments.ai access to ${bucket} could not be checked: ${current.couldNotCheck.join(', ')}`),
      body: [`The monitor could not check whether Segments.ai can read the bucket ${bucket} (no check failed; this is not a pass):`, '',
        ...notChecked.map(shown), ...footer].join('\n'),
    };
  }
  return {
    subject: subjectOf(`Recovered: Segments.ai can read ${bucket} again`),
    body: [`Every check of Segments.ai's access to the bucket ${bucket} passes again` +
      `${previous && previous.failing.length > 0 ? ` (${previous.failing.join(', ')} failed before)` : ''}.`, ...footer].join('\n'),
  };
}

/** The state parameter's value: the state as JSON. */
export function renderState(state: MonitorState): string {
  return JSON.stringify(state);
}

/** The state a parameter value holds, or undefined when it holds none (the construct's initial `{}`, or anything else). */
export function parseState(value: string | undefined): MonitorState | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as Partial<MonitorState>;
    const ids = (list: unknown): list is string[] => Array.isArray(list) && list.every((id) => typeof id === 'string');
    if ((parsed.status === 'pass' || parsed.status === 'fail' || parsed.status === 'could-not-check') && ids(parsed.failing) && ids(parsed.couldNotCheck)) {
      return { status: parsed.status, failing: parsed.failing, couldNotCheck: parsed.couldNotCheck };
    }
  } catch {
    // not JSON: no state
  }
  return undefined;
}
