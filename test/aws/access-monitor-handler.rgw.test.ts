/**
 * SegmentsAccessMonitor's handler against a real S3 server, Ceph RGW (test/helpers/rgw.ts): the
 * checks of `verify aws` read the bucket with the owner's credentials (the function's role acts in
 * the owner's account), send the browser's preflight and presigned GET to the gateway, and the
 * handler turns the report into metric data, a message and a state. CloudWatch, SNS and SSM have
 * no local server here: aws-sdk-client-mock takes their calls (SSM keeps the state in memory).
 *
 * What the monitor claims is compared with what the server answers: Segments' own GET, signed as
 * Segments' principal, is allowed when the monitor reports 0 failing checks and refused when it
 * reports aws.policy failing.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { type CORSRule, CreateBucketCommand, GetObjectCommand, PutBucketCorsCommand, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { recommendedContext } from './app';
import { httpProbe } from '../../cli/src/verify/aws/fetch';
import { SegmentsBucket } from '../../lib/aws';
import { type MonitorDependencies, runMonitor } from '../../lib/aws/segments-access-monitor/handler';
import { resolvePolicies } from '../helpers/policy-evaluation';
import { asSegments, describeWithRgw, outcome } from '../helpers/rgw';

const BUCKET = 'monitored-images';
const KEY = 'images/cat.jpg';
const SEGMENTS = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';
const ENV = {
  SEGMENTS_MONITOR_BUCKET: BUCKET,
  SEGMENTS_MONITOR_KEY_PREFIXES: '["images/"]',
  SEGMENTS_MONITOR_SAMPLE_KEYS: JSON.stringify([KEY]),
  SEGMENTS_MONITOR_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:segments-access',
  SEGMENTS_MONITOR_STATE_PARAMETER: 'state',
};

/** The bucket policy and CORS rules SegmentsBucket synthesizes for this bucket, in S3 API form. */
function segmentsBucketConfiguration(): { policy: unknown; corsRules: CORSRule[] } {
  const stack = new Stack(new App({ context: recommendedContext, builtinCloudFormationValidation: false }), 'Customer');
  new SegmentsBucket(stack, 'Images', { bucketName: BUCKET, keyPrefixes: ['images/'] });
  const template = Template.fromStack(stack).toJSON();
  const { bucketPolicy } = resolvePolicies(template, { bucketName: BUCKET, region: 'us-east-1', account: '111122223333' });
  const bucket = Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'AWS::S3::Bucket');
  const corsRules = (bucket.Properties.CorsConfiguration.CorsRules as Record<string, any>[]).map((rule) => ({
    ID: rule.Id, AllowedHeaders: rule.AllowedHeaders, AllowedMethods: rule.AllowedMethods, AllowedOrigins: rule.AllowedOrigins, ExposeHeaders: rule.ExposedHeaders ?? [],
  }));
  return { policy: bucketPolicy, corsRules };
}

describeWithRgw('SegmentsAccessMonitor\'s handler against a real S3 server (Ceph RGW)', (rgw) => {
  const cloudwatch = mockClient(CloudWatchClient);
  const sns = mockClient(SNSClient);
  const ssm = mockClient(SSMClient);
  let state: string | undefined = '{}';
  let deps: MonitorDependencies;
  const logged: string[] = [];
  const configuration = segmentsBucketConfiguration();
  const savedEndpoint = process.env.AWS_ENDPOINT_URL_S3;

  beforeAll(async () => {
    // The checks name the bucket's URLs on the gateway (fetch.ts reads AWS_ENDPOINT_URL_S3 as `verify aws` does).
    process.env.AWS_ENDPOINT_URL_S3 = rgw().endpoint;
    const owner = rgw().owner;
    await owner.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await owner.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: 'not really a jpeg' }));
    await owner.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(configuration.policy) }));
    await owner.send(new PutBucketCorsCommand({ Bucket: BUCKET, CORSConfiguration: { CORSRules: configuration.corsRules } }));
    ssm.on(GetParameterCommand).callsFake(async () => ({ Parameter: { Value: state } }));
    ssm.on(PutParameterCommand).callsFake(async (input: { Value: string }) => {
      state = input.Value;
      return { Version: 1 };
    });
    const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
    deps = {
      cloudwatch: new CloudWatchClient({ region: 'us-east-1', credentials }),
      sns: new SNSClient({ region: 'us-east-1', credentials }),
      ssm: new SSMClient({ region: 'us-east-1', credentials }),
      edge: {
        s3: owner,
        kms: () => { throw new Error('no KMS here: the bucket uses SSE-S3'); },
        presign: async (_region, bucket, key) => rgw().presignGet(rgw().ownerCredentials, bucket, key),
        http: httpProbe,
      },
      log: (line) => logged.push(line),
      now: () => new Date(),
    };
  });

  afterAll(() => {
    if (savedEndpoint === undefined) {
      delete process.env.AWS_ENDPOINT_URL_S3;
    } else {
      process.env.AWS_ENDPOINT_URL_S3 = savedEndpoint;
    }
  });

  beforeEach(() => {
    cloudwatch.reset();
    sns.reset();
    cloudwatch.on(PutMetricDataCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    logged.length = 0;
  });

  const run = () => runMonitor({ 'detail-type': 'Scheduled Event', 'time': new Date().toISOString() }, ENV, deps);
  const metric = (name: string): number | undefined => {
    const data = cloudwatch.commandCalls(PutMetricDataCommand).flatMap((call) => call.args[0].input.MetricData ?? []);
    return data.find((datum) => datum.MetricName === name)?.Value;
  };
  const segmentsGet = () => outcome(rgw().segments.send(new GetObjectCommand({ Bucket: asSegments(BUCKET), Key: KEY })));

  it('a bucket SegmentsBucket set up: 0 failing checks, none that could not run, and Segments\' GET is allowed (the truth)', async () => {
    const result = await run();
    const report = JSON.parse(logged[0]).report;
    expect(report.checks.filter((c: { result: string }) => c.result === 'fail')).toEqual([]);
    expect(result.state).toEqual({ status: 'pass', failing: [], couldNotCheck: [] });
    expect(metric('FailingChecks')).toBe(0);
    expect(metric('CouldNotCheck')).toBe(0);
    expect(metric('aws.policy')).toBe(0);
    expect(metric('aws.preflight')).toBe(0); // the browser's view came from the gateway
    expect(sns.commandCalls(PublishCommand)).toEqual([]);
    expect(await segmentsGet()).toBe('allowed');
  });

  it('after the policy is replaced by one that denies Segments: aws.policy fails, one message, and Segments\' GET is refused (the truth)', async () => {
    const deny = { Sid: 'no-segments', Effect: 'Deny', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };
    await rgw().owner.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [deny] }) }));
    const result = await run();
    expect(result.state?.failing).toEqual(['aws.policy']);
    expect(metric('FailingChecks')).toBe(1);
    expect(metric('aws.policy')).toBe(1);
    const messages = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(messages).toHaveLength(1);
    expect(messages[0].Subject).toBe(`Segments.ai cannot read ${BUCKET}: aws.policy failing`);
    expect(await segmentsGet()).toBe('AccessDenied');
  });

  it('a second failing run sends nothing new', async () => {
    await run();
    expect(metric('FailingChecks')).toBe(1);
    expect(sns.commandCalls(PublishCommand)).toEqual([]);
  });

  it('after the policy is restored: it recovers, with one recovery message, and Segments\' GET is allowed again (the truth)', async () => {
    await rgw().owner.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(configuration.policy) }));
    const result = await run();
    expect(result.state).toEqual({ status: 'pass', failing: [], couldNotCheck: [] });
    expect(metric('FailingChecks')).toBe(0);
    const messages = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(messages.map((m) => m.Subject)).toEqual([`Recovered: Segments.ai can read ${BUCKET} again`]);
    expect(await segmentsGet()).toBe('allowed');
  });
});
