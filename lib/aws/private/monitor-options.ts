/**
 * The options every SegmentsAccessMonitor takes besides its bucket, and the `monitor` prop of
 * SegmentsBucket, SegmentsAccess and SegmentsImportedBucketAccess that carries them: the type
 * (re-exported by the monitor's module) and its checks, apart from the construct so that the
 * access constructs check the prop without a circle of imports.
 */
import { Token } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { hasDotSegment } from '../../checks';
import { knownProps, unknownPropProblems } from '../../checks/known-props';

/**
 * What a monitor watches and whom it tells, besides the bucket and its prefixes: the options of the
 * `monitor` prop of SegmentsBucket, SegmentsAccess and SegmentsImportedBucketAccess.
 */
export interface SegmentsAccessMonitorOptions {
  /**
   * Objects checked one by one on every run (they exist, can be decrypted, are not archived; the
   * browser's GET goes to the first), such as `['images/cat.jpg']`: at most 10, each within
   * `keyPrefixes`. The function's role may read these objects and no other.
   *
   * @default - no object is checked one by one (the bucket's configuration still is)
   */
  readonly sampleKeys?: string[];

  /**
   * When the checks run, besides right after each change to the bucket's configuration.
   *
   * @default Schedule.rate(Duration.hours(6))
   */
  readonly schedule?: events.Schedule;

  /**
   * The SNS topic the alarms and the state-change messages are published to. A topic of this app
   * gets a statement letting this monitor's two alarms publish (`aws:SourceArn`); an imported topic
   * must allow `cloudwatch.amazonaws.com` itself. If the topic is encrypted with a customer managed
   * KMS key that aws-cdk-lib knows (the topic's `masterKey`, or `alarmTopicKey`), the function's role
   * may use that key, and a key of this app gets a statement letting this monitor's alarms use it; an
   * imported key's policy must let them in itself (`cdk synth` warns with the statement to add). A
   * topic encrypted with the AWS managed key `alias/aws/sns` is refused: CloudWatch alarms cannot use it.
   *
   * @default - a new topic, encrypted with a new customer managed KMS key (rotation on) whose policy lets this monitor's alarms publish
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The customer managed KMS key `alarmTopic` is encrypted with, when aws-cdk-lib cannot know it: a
   * topic imported with `sns.Topic.fromTopicArn` has no `masterKey`. The function's role may then use
   * the key (`kms:Decrypt`, `kms:GenerateDataKey`), and a key of this app gets a statement letting
   * this monitor's alarms use it. Without it, an imported topic draws a warning at synth
   * (`segments-cloud-constructs:monitor-topic-key-unknown`): an encrypted topic whose key the function
   * may not use receives no message.
   *
   * @default - the `masterKey` of `alarmTopic`, if any; else the topic is taken to be unencrypted
   */
  readonly alarmTopicKey?: kms.IKey;

  /**
   * Email addresses subscribed to the topic (each must confirm the subscription from the email AWS sends).
   *
   * @default - no subscription
   */
  readonly notifyEmails?: string[];
}

/** Every option of the `monitor` prop. */
const SEGMENTS_ACCESS_MONITOR_OPTIONS = knownProps<SegmentsAccessMonitorOptions>({
  sampleKeys: true, schedule: true, alarmTopic: true, alarmTopicKey: true, notifyEmails: true,
});

/** At most this many sample keys: each is a Resource of the role's policy and a HeadObject per run. */
export const SEGMENTS_MONITOR_MAX_SAMPLE_KEYS = 10;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Problems with the options every monitor takes (the `monitor` prop's included); `prop` prefixes their names. */
export function monitorOptionProblems(options: SegmentsAccessMonitorOptions, keyPrefixes: readonly string[] | undefined, prop = ''): string[] {
  const problems: string[] = [];
  const keys = options.sampleKeys;
  if (keys !== undefined && !Token.isUnresolved(keys)) {
    if (keys.length > SEGMENTS_MONITOR_MAX_SAMPLE_KEYS) {
      problems.push(`${prop}sampleKeys lists ${keys.length} keys: at most ${SEGMENTS_MONITOR_MAX_SAMPLE_KEYS} (each is read on every run and named in the role's policy). Keep a few that stand for the rest.`);
    }
    const literalPrefixes = keyPrefixes !== undefined && !Token.isUnresolved(keyPrefixes) && keyPrefixes.every((p) => !Token.isUnresolved(p)) ? keyPrefixes : undefined;
    keys.forEach((key, i) => {
      const where = `${prop}sampleKeys[${i}] ('${key}')`;
      if (Token.isUnresolved(key)) {
        return;
      }
      if (key === '' || key.startsWith('/')) {
        problems.push(`${where} is not an object key: a key is not empty and does not start with '/'.`);
      } else if (/[*?]/.test(key)) {
        problems.push(`${where} has '*' or '?', which the role's policy would read as a wildcard: the function could read every object it matches. Name one object.`);
      } else if (hasDotSegment(key)) {
        problems.push(`${where} has a '.' or '..' segment, which URL parsing removes: the browser's GET would name another object.`);
      } else if (literalPrefixes !== undefined && literalPrefixes.length > 0 && !literalPrefixes.some((p) => key.startsWith(p))) {
        problems.push(`${where} is outside keyPrefixes (${literalPrefixes.join(', ')}): Segments may not read it, so checking it says nothing. Pick a key under a prefix.`);
      }
      if (keys.indexOf(key) !== i) {
        problems.push(`${where} is listed twice: remove the duplicate.`);
      }
    });
  }
  problems.push(...alarmTopicKeyProblems(options, prop));
  const emails = options.notifyEmails;
  if (emails !== undefined && !Token.isUnresolved(emails)) {
    emails.forEach((email, i) => {
      if (!Token.isUnresolved(email) && !EMAIL.test(email)) {
        problems.push(`${prop}notifyEmails[${i}] ('${email}') is not an email address such as data-platform@example.com.`);
      } else if (emails.indexOf(email) !== i) {
        problems.push(`${prop}notifyEmails[${i}] ('${email}') is listed twice: remove the duplicate.`);
      }
    });
  }
  return problems;
}

/** The AWS managed key of SNS: CloudWatch alarms cannot use it, and its policy cannot be changed. */
const SNS_AWS_MANAGED_KEY = 'alias/aws/sns';

/** Whether a key is SNS's AWS managed key, as far as its alias name, ARN or ID say at synth time. */
function isSnsAwsManagedKey(key: kms.IKey): boolean {
  const names = [(key as { aliasName?: unknown }).aliasName, key.keyArn, key.keyId];
  return names.some((name) => typeof name === 'string' && !Token.isUnresolved(name) && (name === SNS_AWS_MANAGED_KEY || name.endsWith(`:${SNS_AWS_MANAGED_KEY}`)));
}

/** Problems with alarmTopicKey and the key of alarmTopic. */
function alarmTopicKeyProblems(options: SegmentsAccessMonitorOptions, prop: string): string[] {
  const { alarmTopic, alarmTopicKey } = options;
  const known = alarmTopic?.masterKey;
  if (alarmTopicKey !== undefined && alarmTopic === undefined) {
    return [`${prop}alarmTopicKey is the KMS key of alarmTopic, and no alarmTopic is given: the topic the monitor creates has its own key. Pass alarmTopic too, or drop alarmTopicKey.`];
  }
  if (alarmTopicKey !== undefined && known !== undefined && alarmTopicKey !== known) {
    return [`${prop}alarmTopicKey (${alarmTopicKey.node.path}) is not the key alarmTopic is encrypted with (${known.node.path}): drop alarmTopicKey, the topic's masterKey is used.`];
  }
  const key = alarmTopicKey ?? known;
  if (key !== undefined && isSnsAwsManagedKey(key)) {
    return [`${prop}alarmTopic is encrypted with the AWS managed key ${SNS_AWS_MANAGED_KEY}, which CloudWatch alarms cannot use and whose policy cannot be changed: ` +
      'the alarms could never publish. Encrypt the topic with a customer managed key whose policy lets CloudWatch use it, or leave alarmTopic out (the monitor creates one).'];
  }
  return [];
}

/**
 * The `monitor` prop of SegmentsBucket, SegmentsAccess and SegmentsImportedBucketAccess: `true`
 * for the defaults, or the options. Problems are returned with the prop's name (`monitor.sampleKeys`).
 */
export function monitorPropProblems(monitor: boolean | SegmentsAccessMonitorOptions | undefined, keyPrefixes: readonly string[] | undefined): string[] {
  if (monitor === undefined || typeof monitor === 'boolean') {
    return [];
  }
  if (typeof monitor !== 'object' || monitor === null) {
    return [`monitor must be true, false or an object of options (sampleKeys, schedule, alarmTopic, alarmTopicKey, notifyEmails), not ${JSON.stringify(monitor)}.`];
  }
  return [
    ...unknownPropProblems(monitor, SEGMENTS_ACCESS_MONITOR_OPTIONS).map((problem) => `monitor: ${problem}`),
    ...monitorOptionProblems(monitor, keyPrefixes, 'monitor.'),
  ];
}

/** The options of a `monitor` prop that asks for one, or undefined. */
export function monitorOptionsOf(monitor: boolean | SegmentsAccessMonitorOptions | undefined): SegmentsAccessMonitorOptions | undefined {
  return monitor === true ? {} : typeof monitor === 'object' && monitor !== null ? monitor : undefined;
}

