/**
 * The Lambda handler of SegmentsAccessMonitor: runs the checks of `segments-cloud verify aws` on
 * one bucket (the same code, not a copy: the read edge cli/src/verify/aws/fetch.ts and the pure
 * checks, composed by cli/src/verify/aws/run.ts), then
 * - puts the metric data (`Segments/Access`: FailingChecks, CouldNotCheck, one per check ID),
 * - publishes one SNS message when the state changed since the last run (kept in an SSM
 *   parameter), naming for a run after a change the API call, its time and who made it,
 * - logs the whole report as one JSON line.
 *
 * It never writes to the bucket: every S3 and KMS call is a read (fetch.ts), and the role allows
 * nothing else. Built with esbuild into one file (scripts/build-handler.mjs), the AWS SDK clients
 * left to the Lambda Node.js runtime. This file is the only one of lib/ that imports cli/
 * (test/architecture.test.ts): a build-time edge, bundled into the handler; the constructs'
 * entries never reach it.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AwsEdge } from '../../../../cli/src/verify/aws/fetch';
import { verifyAws } from '../../../../cli/src/verify/aws/run';
import { renderJson } from '../../../../cli/src/verify/report';
import { SEGMENTS_WEB_APP_ORIGINS } from '../../../segments';
import { SEGMENTS_MONITOR_NAMESPACE } from '../monitor-settings';
import { monitorInput } from './monitor-input';
import { type MonitorState, messageFor, metricData, parseState, renderState, sameState, stateOf } from './run-outcome';
import { triggerOf } from './trigger';

export { MonitorInputError } from './monitor-input';

/** What the handler talks to, replaceable in tests. */
export interface MonitorDependencies {
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
  readonly ssm: SSMClient;
  /** The read edge of `verify aws`; undefined: the real one (the SDK's default chain, Node's HTTP client for the preflight). */
  readonly edge?: AwsEdge;
  /** Writes one log line (console.log in Lambda: one CloudWatch Logs event). */
  readonly log: (line: string) => void;
  readonly now: () => Date;
}

/** What a run did, as logged. */
export interface MonitorRun {
  readonly state?: MonitorState;
  /** The subject of the message published, if one was. */
  readonly published?: string;
  /** Steps that failed after the checks ran (metric data, state, message). */
  readonly errors: readonly string[];
}

function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}

/**
 * One run. Throws, after logging, when a step after the checks failed (the metric data, the state,
 * the message): Lambda then counts an error and retries the invocation, and the state is written
 * only after its message went out, so a message that failed is sent by a later run.
 */
export async function runMonitor(event: unknown, env: Readonly<Record<string, string | undefined>>, deps: MonitorDependencies): Promise<MonitorRun> {
  const input = monitorInput(env);
  const trigger = triggerOf(event);
  if (trigger.kind === 'change' && trigger.bucket !== undefined && trigger.bucket !== input.bucket) {
    // The rule's pattern names this bucket only; an event for another one is logged and skipped.
    deps.log(JSON.stringify({ monitor: 'SegmentsAccessMonitor', bucket: input.bucket, skipped: `the event names another bucket, ${trigger.bucket}`, trigger }));
    return { errors: [] };
  }
  const report = await verifyAws(
    { bucket: input.bucket, prefixes: input.keyPrefixes, keys: input.sampleKeys, origins: [...SEGMENTS_WEB_APP_ORIGINS] },
    { offline: false },
    deps.edge,
  );
  const state = stateOf(report.checks);
  const errors: string[] = [];

  try {
    await deps.cloudwatch.send(new PutMetricDataCommand({
      Namespace: SEGMENTS_MONITOR_NAMESPACE,
      MetricData: metricData(input.bucket, report.checks, state, deps.now()).map((datum) => ({ ...datum, Dimensions: [...datum.Dimensions] })),
    }));
  } catch (error) {
    errors.push(`PutMetricData: ${errorText(error)}`);
  }

  let previous: MonitorState | undefined;
  let stateReadable = true;
  try {
    const out = await deps.ssm.send(new GetParameterCommand({ Name: input.stateParameter }));
    previous = parseState(out.Parameter?.Value);
  } catch (error) {
    // Unknown previous state: a failure is still announced (a duplicate at worst), a pass is not.
    stateReadable = false;
    errors.push(`GetParameter: ${errorText(error)}`);
  }

  const message = messageFor(input.bucket, previous, state, report.checks, trigger);
  let published: string | undefined;
  let messageSent = message === undefined;
  if (message !== undefined) {
    try {
      await deps.sns.send(new PublishCommand({ TopicArn: input.topicArn, Subject: message.subject, Message: message.body }));
      published = message.subject;
      messageSent = true;
    } catch (error) {
      errors.push(`Publish: ${errorText(error)}`);
    }
  }
  if (messageSent && stateReadable && (previous === undefined || !sameState(previous, state))) {
    try {
      await deps.ssm.send(new PutParameterCommand({ Name: input.stateParameter, Value: renderState(state), Overwrite: true }));
    } catch (error) {
      errors.push(`PutParameter: ${errorText(error)}`);
    }
  }

  deps.log(JSON.stringify({
    monitor: 'SegmentsAccessMonitor',
    bucket: input.bucket,
    trigger,
    status: state.status,
    failing: state.failing,
    couldNotCheck: state.couldNotCheck,
    published: published ?? null,
    errors,
    report: JSON.parse(renderJson(report)) as unknown,
  }));
  if (errors.length > 0) {
    throw new Error(`SegmentsAccessMonitor ran the checks on ${input.bucket} (${state.status}) but ${errors.join('; ')}`);
  }
  return { state, ...(published !== undefined ? { published } : {}), errors };
}

let clients: Omit<MonitorDependencies, 'edge'> | undefined;

/** The Lambda entry point: EventBridge's scheduled event, or an API call recorded by CloudTrail. */
export async function handler(event: unknown): Promise<void> {
  clients ??= {
    cloudwatch: new CloudWatchClient({}),
    sns: new SNSClient({}),
    ssm: new SSMClient({}),
    log: (line) => console.log(line),
    now: () => new Date(),
  };
  await runMonitor(event, process.env, clients);
}
