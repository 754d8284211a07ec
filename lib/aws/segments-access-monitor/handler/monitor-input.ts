/**
 * The monitor's configuration, as the construct put it in the function's environment, checked
 * again at run time (an edited function, a token that resolved to something else): an error
 * naming every problem, before anything is read.
 */
import { keyPrefixProblems, s3BucketNameDotProblem, s3BucketNameProblems } from '../../../checks';
import { SegmentsMonitorEnvironment } from '../monitor-settings';

export interface MonitorInput {
  readonly bucket: string;
  /** Empty: the whole bucket. */
  readonly keyPrefixes: readonly string[];
  readonly sampleKeys: readonly string[];
  readonly topicArn: string;
  readonly stateParameter: string;
}

/** A configuration the function cannot run with; its message names each variable and what is wrong. */
export class MonitorInputError extends Error {
  public constructor(problems: readonly string[]) {
    super(`SegmentsAccessMonitor's function is misconfigured: ${problems.join(' ')}`);
    this.name = 'MonitorInputError';
  }
}

function stringList(name: string, raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined || raw === '') {
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) {
      return parsed;
    }
  } catch {
    // reported below
  }
  problems.push(`${name} must be a JSON array of strings, not ${JSON.stringify(raw)}.`);
  return [];
}

/** Reads and checks the environment. */
export function monitorInput(env: Readonly<Record<string, string | undefined>>): MonitorInput {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') {
      problems.push(`${name} is not set.`);
      return '';
    }
    return value;
  };
  const bucket = required(SegmentsMonitorEnvironment.BUCKET);
  const topicArn = required(SegmentsMonitorEnvironment.TOPIC_ARN);
  const stateParameter = required(SegmentsMonitorEnvironment.STATE_PARAMETER);
  const keyPrefixes = stringList(SegmentsMonitorEnvironment.KEY_PREFIXES, env[SegmentsMonitorEnvironment.KEY_PREFIXES], problems);
  const sampleKeys = stringList(SegmentsMonitorEnvironment.SAMPLE_KEYS, env[SegmentsMonitorEnvironment.SAMPLE_KEYS], problems);
  if (bucket !== '') {
    // A dotted name is a finding of aws.bucket (the bucket exists and cannot be renamed), as in `verify aws`.
    const dot = s3BucketNameDotProblem(SegmentsMonitorEnvironment.BUCKET, bucket);
    problems.push(...s3BucketNameProblems(SegmentsMonitorEnvironment.BUCKET, bucket).filter((problem) => problem !== dot));
  }
  if (keyPrefixes.length > 0) {
    problems.push(...keyPrefixProblems(SegmentsMonitorEnvironment.KEY_PREFIXES, keyPrefixes));
  }
  if (problems.length > 0) {
    throw new MonitorInputError(problems);
  }
  return { bucket, keyPrefixes, sampleKeys, topicArn, stateParameter };
}
