/**
 * SegmentsAccessMonitor's handler with mocked SDK clients (aws-sdk-client-mock): S3 and KMS answer
 * the reads of `verify aws` (its real code, cli/src/verify/aws/, runs here), CloudWatch, SNS and SSM
 * take the metric data, the message and the state. The browser's preflight goes to a fake HTTP
 * probe. test/aws/access-monitor-handler.rgw.test.ts runs the same handler against a real S3 server.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketRequestPaymentCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsEdge, HttpProbe } from '../../cli/src/verify/aws/fetch';
import { MonitorInputError, type MonitorDependencies, runMonitor } from '../../lib/aws/segments-access-monitor/handler';
import { parseState } from '../../lib/aws/segments-access-monitor/handler/run-outcome';
import { triggerOf } from '../../lib/aws/segments-access-monitor/handler/trigger';
import { ROOT } from '../helpers/module-graph';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BUCKET = 'acme-images';
const SEGMENTS = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:segments-access';
const STATE = 'SegmentsMonitorState';
const NOW = new Date('2026-12-07T12:00:00Z');
const ENV = {
  SEGMENTS_MONITOR_BUCKET: BUCKET,
  SEGMENTS_MONITOR_KEY_PREFIXES: '["images/"]',
  SEGMENTS_MONITOR_SAMPLE_KEYS: '["images/cat.jpg"]',
  SEGMENTS_MONITOR_TOPIC_ARN: TOPIC,
  SEGMENTS_MONITOR_STATE_PARAMETER: STATE,
};

const segmentsStatement = { Sid: 'segments-s3-access', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/images/*` };
const denySegments = { Sid: 'no-segments', Effect: 'Deny', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const SEGMENTS_RULE = { ID: 'segments-cors', AllowedHeaders: ['*'], AllowedMethods: ['GET'], AllowedOrigins: ['https://segments.ai', 'https://*.segments.ai'] };

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const cloudwatch = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);
const ssm = mockClient(SSMClient);

/** A bucket as SegmentsBucket sets it up, with `bucketPolicy` as its policy. */
function bucketWith(bucketPolicy: string | Error): void {
  s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
  if (bucketPolicy instanceof Error) {
    s3.on(GetBucketPolicyCommand).rejects(bucketPolicy);
  } else {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: bucketPolicy });
  }
  s3.on(GetBucketCorsCommand).resolves({ CORSRules: [SEGMENTS_RULE] });
  s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } });
  s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
  s3.on(GetBucketRequestPaymentCommand).resolves({ Payer: 'BucketOwner' });
  s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } });
  s3.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
  s3.on(HeadObjectCommand).resolves({ StorageClass: 'STANDARD', ServerSideEncryption: 'AES256' });
}

/** The browser's view: S3 answers each origin with Access-Control-Allow-Origin, as the Segments rule makes it. */
const corsAllowed: HttpProbe = async (_url, _method, headers) => ({
  status: 200,
  headers: {
    'access-control-allow-origin': headers.Origin,
    'vary': 'Origin',
    // S3 names the requested headers the rule allows (the Segments rule allows every header).
    ...(headers['Access-Control-Request-Headers'] ? { 'access-control-allow-headers': headers['Access-Control-Request-Headers'] } : {}),
  },
});

/** No route to the internet (a VPC without a NAT gateway): every request of the browser's view fails. */
const noInternet: HttpProbe = async () => {
  throw Object.assign(new Error('connect ENETUNREACH 52.218.0.1:443'), { code: 'ENETUNREACH' });
};

function edge(http: HttpProbe = corsAllowed): AwsEdge {
  return {
    s3: new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    kms: () => new KMSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    presign: async (_region, bucket, key) => `https://${bucket}.s3.eu-west-1.amazonaws.com/${key}?X-Amz-Signature=x`,
    http,
  };
}

/** The state parameter holds `previous` (undefined: the construct's initial `{}`). */
function previousState(previous?: object): void {
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: STATE, Value: previous === undefined ? '{}' : JSON.stringify(previous) } });
  ssm.on(PutParameterCommand).resolves({ Version: 2 });
}

let logged: string[];
function deps(http?: HttpProbe): MonitorDependencies {
  return {
    cloudwatch: new CloudWatchClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    sns: new SNSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    ssm: new SSMClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    edge: edge(http),
    log: (line) => logged.push(line),
    now: () => NOW,
  };
}

/** The metric data put, as `name: value` (dimension Bucket checked once, on every datum). */
function metrics(): string[] {
  const calls = cloudwatch.commandCalls(PutMetricDataCommand);
  expect(calls).toHaveLength(1);
  const input = calls[0].args[0].input;
  expect(input.Namespace).toBe('Segments/Access');
  for (const datum of input.MetricData ?? []) {
    expect(datum.Dimensions).toEqual([{ Name: 'Bucket', Value: BUCKET }]);
    expect(datum.Unit).toBe('Count');
    expect(datum.Timestamp).toEqual(NOW);
  }
  return (input.MetricData ?? []).map((datum) => `${datum.MetricName}: ${datum.Value}`);
}

function published(): { Subject?: string; Message?: string; TopicArn?: string }[] {
  return sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

function savedState(): unknown {
  const calls = ssm.commandCalls(PutParameterCommand);
  return calls.length === 0 ? undefined : JSON.parse(calls[calls.length - 1].args[0].input.Value!);
}

/** The one JSON log line of the run. */
function logLine(): any {
  expect(logged).toHaveLength(1);
  return JSON.parse(logged[0]);
}

const PASSING_METRICS = [
  'FailingChecks: 0', 'CouldNotCheck: 0',
  'aws.bucket: 0', 'aws.policy: 0', 'aws.public-access-block: 0', 'aws.cors: 0', 'aws.encryption: 0', 'aws.ownership: 0', 'aws.requester-pays: 0', 'aws.object: 0', 'aws.preflight: 0',
];

const scheduled = { 'version': '0', 'detail-type': 'Scheduled Event', 'source': 'aws.events', 'time': '2026-12-07T12:00:00Z', 'detail': {} };
const policyChange = {
  'version': '0',
  'detail-type': 'AWS API Call via CloudTrail',
  'source': 'aws.s3',
  'time': '2026-12-07T11:59:30Z',
  'detail': {
    eventSource: 's3.amazonaws.com',
    eventName: 'PutBucketPolicy',
    eventTime: '2026-12-07T11:59:12Z',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/SecurityTeam/mallory' },
    requestParameters: { bucketName: BUCKET },
  },
};

beforeEach(() => {
  for (const mock of [s3, kms, cloudwatch, sns, ssm]) {
    mock.reset();
  }
  cloudwatch.on(PutMetricDataCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  logged = [];
  delete process.env.AWS_ENDPOINT_URL_S3;
});

describe('a bucket Segments can read', () => {
  it('puts FailingChecks 0, CouldNotCheck 0 and 0 for each check that reached a verdict (none for aws.org-policies, which cannot be seen)', async () => {
    bucketWith(policy(segmentsStatement));
    previousState();
    await runMonitor(scheduled, ENV, deps());
    expect(metrics()).toEqual(PASSING_METRICS);
  });

  it('sends no message on a first run that passes, and keeps the state', async () => {
    bucketWith(policy(segmentsStatement));
    previousState();
    await runMonitor(scheduled, ENV, deps());
    expect(published()).toEqual([]);
    expect(savedState()).toEqual({ status: 'pass', failing: [], couldNotCheck: [] });
  });

  it('logs the whole report as one JSON line (the --json schema), with the trigger and the status', async () => {
    bucketWith(policy(segmentsStatement));
    previousState();
    await runMonitor(scheduled, ENV, deps());
    const line = logLine();
    expect(line).toMatchObject({ monitor: 'SegmentsAccessMonitor', bucket: BUCKET, status: 'pass', failing: [], couldNotCheck: [], published: null, errors: [] });
    expect(line.trigger).toEqual({ kind: 'schedule', time: '2026-12-07T12:00:00Z' });
    expect(line.report.bucket).toBe(BUCKET);
    expect(line.report.checks.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['aws.bucket', 'aws.policy', 'aws.preflight', 'aws.org-policies']));
    expect(Object.keys(line.report.checks[0])).toEqual(['id', 'target', 'result', 'detail', 'fix']);
    expect(logged[0]).not.toContain('\n');
  });

  it('never writes to the bucket: every S3 call is a read', async () => {
    bucketWith(policy(segmentsStatement));
    previousState();
    await runMonitor(scheduled, ENV, deps());
    const names = s3.calls().map((call) => (call.args[0] as object).constructor.name);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !/^(Get|Head)/.test(name))).toEqual([]);
  });
});

describe('a policy that denies Segments', () => {
  it('puts FailingChecks 1 and aws.policy 1, and publishes one message with the failing check, its detail and its fix', async () => {
    bucketWith(policy(segmentsStatement, denySegments));
    previousState({ status: 'pass', failing: [], couldNotCheck: [] });
    await runMonitor(scheduled, ENV, deps());
    expect(metrics()).toEqual(PASSING_METRICS.map((m) => (m === 'FailingChecks: 0' ? 'FailingChecks: 1' : m === 'aws.policy: 0' ? 'aws.policy: 1' : m)));
    const messages = published();
    expect(messages).toHaveLength(1);
    expect(messages[0].TopicArn).toBe(TOPIC);
    expect(messages[0].Subject).toBe('Segments.ai cannot read acme-images: aws.policy failing');
    expect(messages[0].Message).toMatch(/- aws\.policy.*no-segments/);
    expect(messages[0].Message).toMatch(/\n {2}Fix: /);
    expect(messages[0].Message).toContain('Scheduled run at 2026-12-07T12:00:00Z.');
    expect(savedState()).toEqual({ status: 'fail', failing: ['aws.policy'], couldNotCheck: [] });
  });

  it('fail then fail (the same checks): nothing new is sent, the state is not rewritten', async () => {
    bucketWith(policy(segmentsStatement, denySegments));
    previousState({ status: 'fail', failing: ['aws.policy'], couldNotCheck: [] });
    await runMonitor(scheduled, ENV, deps());
    expect(published()).toEqual([]);
    expect(ssm.commandCalls(PutParameterCommand)).toEqual([]);
    expect(metrics()).toContain('FailingChecks: 1');
  });

  it('fail then pass: one recovery message, naming what failed before', async () => {
    bucketWith(policy(segmentsStatement));
    previousState({ status: 'fail', failing: ['aws.policy'], couldNotCheck: [] });
    await runMonitor(scheduled, ENV, deps());
    const messages = published();
    expect(messages).toHaveLength(1);
    expect(messages[0].Subject).toBe('Recovered: Segments.ai can read acme-images again');
    expect(messages[0].Message).toContain('(aws.policy failed before)');
    expect(savedState()).toEqual({ status: 'pass', failing: [], couldNotCheck: [] });
  });

  it('after a change recorded by CloudTrail: the message names the API call, its time and who made it', async () => {
    bucketWith(policy(segmentsStatement, denySegments));
    previousState({ status: 'pass', failing: [], couldNotCheck: [] });
    await runMonitor(policyChange, ENV, deps());
    const messages = published();
    expect(messages).toHaveLength(1);
    expect(messages[0].Message).toContain('Run after PutBucketPolicy at 2026-12-07T11:59:12Z by arn:aws:sts::111122223333:assumed-role/SecurityTeam/mallory.');
    expect(logLine().trigger).toEqual({
      kind: 'change', eventName: 'PutBucketPolicy', eventTime: '2026-12-07T11:59:12Z',
      identity: 'arn:aws:sts::111122223333:assumed-role/SecurityTeam/mallory', bucket: BUCKET,
    });
  });

  it('with the state unreadable: the failure is still announced (a duplicate at worst), the state is left alone, and the run errors', async () => {
    bucketWith(policy(segmentsStatement, denySegments));
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(runMonitor(scheduled, ENV, deps())).rejects.toThrow(/GetParameter: AccessDeniedException/);
    expect(published()).toHaveLength(1);
    expect(ssm.commandCalls(PutParameterCommand)).toEqual([]);
    expect(metrics()).toContain('FailingChecks: 1');
  });

  it('when the message cannot be published: the state is not written (a later run sends it), and the run errors after logging', async () => {
    bucketWith(policy(segmentsStatement, denySegments));
    previousState({ status: 'pass', failing: [], couldNotCheck: [] });
    sns.on(PublishCommand).rejects(Object.assign(new Error('no'), { name: 'AuthorizationErrorException' }));
    await expect(runMonitor(scheduled, ENV, deps())).rejects.toThrow(/Publish: AuthorizationErrorException/);
    expect(ssm.commandCalls(PutParameterCommand)).toEqual([]);
    expect(logLine()).toMatchObject({ status: 'fail', published: null, errors: ['Publish: AuthorizationErrorException: no'] });
  });
});

describe('a read that fails is not-checked, never a pass', () => {
  const accessDenied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });

  it('GetBucketPolicy refused: aws.policy (and aws.public-access-block, which judges the policy) not-checked, CouldNotCheck 2, and neither FailingChecks nor aws.policy gets a datum', async () => {
    bucketWith(accessDenied);
    previousState({ status: 'pass', failing: [], couldNotCheck: [] });
    await runMonitor(scheduled, ENV, deps());
    const data = metrics();
    expect(data).toContain('CouldNotCheck: 2');
    expect(data.filter((d) => d.startsWith('FailingChecks') || d.startsWith('aws.policy'))).toEqual([]);
    const policyOutcomes = logLine().report.checks.filter((c: { id: string }) => c.id === 'aws.policy');
    expect(policyOutcomes.map((c: { result: string }) => c.result)).toEqual(['not-checked']);
    expect(policyOutcomes[0].fix).toContain('s3:GetBucketPolicy');
  });

  it('after a failure, a run that cannot check sends "could not be checked", not a recovery', async () => {
    bucketWith(accessDenied);
    previousState({ status: 'fail', failing: ['aws.policy'], couldNotCheck: [] });
    await runMonitor(scheduled, ENV, deps());
    const messages = published();
    expect(messages).toHaveLength(1);
    expect(messages[0].Subject).toBe('Segments.ai access to acme-images could not be checked: aws.policy, aws.public-access-block');
    expect(messages[0].Message).toContain('this is not a pass');
    expect(messages[0].Message).toContain('s3:GetBucketPolicy');
    expect(savedState()).toEqual({ status: 'could-not-check', failing: [], couldNotCheck: ['aws.policy', 'aws.public-access-block'] });
  });

  it('in a VPC without internet access, aws.preflight is not-checked (never pass) and counted in CouldNotCheck', async () => {
    bucketWith(policy(segmentsStatement));
    previousState();
    await runMonitor(scheduled, ENV, deps(noInternet));
    const line = logLine();
    const preflight = line.report.checks.filter((c: { id: string }) => c.id === 'aws.preflight');
    expect(preflight.length).toBeGreaterThan(0);
    expect(preflight.map((c: { result: string }) => c.result)).toEqual(preflight.map(() => 'not-checked'));
    expect(line.status).toBe('could-not-check');
    const data = metrics();
    expect(data).toContain('CouldNotCheck: 1');
    expect(data.filter((d) => d.startsWith('FailingChecks') || d.startsWith('aws.preflight'))).toEqual([]);
  });
});

describe('the input', () => {
  it('refuses a misconfigured function before reading anything, naming each variable', async () => {
    await expect(runMonitor(scheduled, { ...ENV, SEGMENTS_MONITOR_KEY_PREFIXES: '"images/"', SEGMENTS_MONITOR_TOPIC_ARN: '' }, deps()))
      .rejects.toThrow(MonitorInputError);
    await expect(runMonitor(scheduled, { ...ENV, SEGMENTS_MONITOR_KEY_PREFIXES: '["*"]' }, deps())).rejects.toThrow(/SEGMENTS_MONITOR_KEY_PREFIXES/);
    expect(s3.calls()).toEqual([]);
  });

  it('skips, with a log line, an event that names another bucket', async () => {
    const other = { ...policyChange, detail: { ...policyChange.detail, requestParameters: { bucketName: 'other-bucket' } } };
    await runMonitor(other, ENV, deps());
    expect(s3.calls()).toEqual([]);
    expect(cloudwatch.calls()).toEqual([]);
    expect(logLine().skipped).toContain('other-bucket');
  });

  it('reads an AWS service\'s identity from invokedBy when CloudTrail names no ARN', () => {
    expect(triggerOf({ 'detail-type': 'AWS API Call via CloudTrail', 'detail': { eventName: 'PutKeyPolicy', eventTime: 't', userIdentity: { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' } } }))
      .toEqual({ kind: 'change', eventName: 'PutKeyPolicy', eventTime: 't', identity: 'cloudformation.amazonaws.com' });
  });

  it('reads no state from the construct\'s initial value or from anything it did not write', () => {
    expect(parseState('{}')).toBeUndefined();
    expect(parseState('not json')).toBeUndefined();
    expect(parseState('{"status":"ok","failing":[],"couldNotCheck":[]}')).toBeUndefined();
    expect(parseState('{"status":"fail","failing":["aws.policy"],"couldNotCheck":[]}')).toEqual({ status: 'fail', failing: ['aws.policy'], couldNotCheck: [] });
  });
});

describe('the built handler (scripts/build-handler.mjs)', () => {
  const built = fs.readFileSync(path.join(ROOT, 'lib/aws/segments-access-monitor/handler/dist/index.js'), 'utf8');
  const required = [...new Set([...built.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];

  it('leaves to the Lambda runtime only the AWS SDK clients; bundles the rest, the policy evaluator (lib/iam) included', () => {
    const packages = required.filter((name) => !name.startsWith('node:'));
    expect(packages.filter((name) => !/^@aws-sdk\/client-/.test(name) && name !== '@aws-sdk/signature-v4-crt')).toEqual([]);
    expect(packages.filter((name) => name.startsWith('@cloud-copilot/'))).toEqual([]);
    expect(packages).not.toContain('@aws-sdk/s3-request-presigner');
    expect(packages).not.toContain('segments-cloud-constructs');
  });

  it('holds nothing of aws-cdk-lib or constructs', () => {
    expect(built).not.toMatch(/aws-cdk-lib|require\("constructs"\)/);
  });

  it('runs: the bundle\'s runMonitor, on the same mocked clients, reports aws.policy failing under a Deny', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(path.join(ROOT, 'lib/aws/segments-access-monitor/handler/dist/index.js')) as { runMonitor: typeof runMonitor; handler: unknown };
    expect(typeof bundle.handler).toBe('function');
    bucketWith(policy(segmentsStatement, denySegments));
    previousState();
    const result = await bundle.runMonitor(scheduled, ENV, deps());
    expect(result.state).toEqual({ status: 'fail', failing: ['aws.policy'], couldNotCheck: [] });
    expect(metrics()).toContain('aws.policy: 1');
  });
});
