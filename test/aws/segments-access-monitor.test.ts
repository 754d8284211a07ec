/**
 * SegmentsAccessMonitor's template: every resource, the role's statements exactly, the event
 * patterns, the alarm; the `monitor` prop of the three access constructs; the input checks.
 */
import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { newStack, onlyResource, resourcesOfType, withoutAssetHashes } from './app';
import {
  SegmentsAccess,
  SegmentsAccessMonitor,
  type SegmentsAccessMonitorProps,
  SegmentsBucket,
  SegmentsImportedBucketAccess,
} from '../../lib/aws';

/** A monitor on the existing bucket acme-images, as the example writes it. */
function monitored(props: Partial<SegmentsAccessMonitorProps> = {}): { stack: Stack; monitor: SegmentsAccessMonitor; template: Template } {
  const { stack } = newStack();
  const monitor = new SegmentsAccessMonitor(stack, 'Watch', {
    bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images'),
    keyPrefixes: ['images/'],
    sampleKeys: ['images/cat.jpg'],
    notifyEmails: ['data-platform@acme.com'],
    ...props,
  });
  return { stack, monitor, template: Template.fromStack(stack) };
}

const ref = (stack: Stack, construct: { node: { defaultChild?: unknown } } | undefined): string =>
  stack.getLogicalId((construct as { node: { defaultChild: any } }).node.defaultChild);

const BUCKET_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-images']] };

describe('SegmentsAccessMonitor on an existing bucket', () => {
  it('matches the snapshot', () => {
    expect(withoutAssetHashes(monitored().template.toJSON())).toMatchSnapshot();
  });

  it('creates exactly these resources', () => {
    const { template } = monitored();
    const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type).sort();
    expect(types).toEqual([
      'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Alarm',
      'AWS::Events::Rule', 'AWS::Events::Rule',
      'AWS::IAM::Role',
      'AWS::KMS::Key',
      'AWS::Lambda::Function',
      'AWS::Lambda::Permission', 'AWS::Lambda::Permission',
      'AWS::Logs::LogGroup',
      'AWS::SNS::Subscription',
      'AWS::SNS::Topic',
      'AWS::SNS::TopicPolicy',
      'AWS::SQS::Queue',
      'AWS::SQS::QueuePolicy',
      'AWS::SSM::Parameter',
    ]);
  });

  it('gives the function a role with exactly the read permissions the checks need, its namespace, its topic, its state and its logs', () => {
    const { stack, monitor, template } = monitored();
    const { resource } = onlyResource(template, 'AWS::IAM::Role');
    expect(resource.Properties.ManagedPolicyArns).toBeUndefined();
    expect(resource.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(resource.Properties.Policies).toHaveLength(1);
    expect(resource.Properties.Policies[0].PolicyDocument.Statement).toEqual([
      {
        Sid: 'ReadBucketConfiguration', Effect: 'Allow', Resource: BUCKET_ARN,
        Action: ['s3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketLocation', 's3:GetBucketOwnershipControls', 's3:GetBucketPolicy',
          's3:GetBucketPublicAccessBlock', 's3:GetBucketRequestPayment', 's3:GetEncryptionConfiguration', 's3:ListBucket'],
      },
      {
        Sid: 'ReadSampleKeys', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-images/images/cat.jpg']] },
      },
      // The account's Block Public Access (S3 Control GetPublicAccessBlock): IAM names no resource for it but "*".
      { Sid: 'ReadAccountPublicAccessBlock', Effect: 'Allow', Action: 's3:GetAccountPublicAccessBlock', Resource: '*' },
      {
        Sid: 'PutMetricDataInItsNamespace', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'Segments/Access' } },
      },
      { Sid: 'PublishToItsTopic', Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: ref(stack, monitor.topic) } },
      { Sid: 'UseItsTopicKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [ref(stack, monitor.topicKey), 'Arn'] } },
      {
        Sid: 'KeepItsState', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':parameter/', { Ref: ref(stack, monitor.stateParameter) }]] },
      },
      { Sid: 'WriteItsLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [ref(stack, monitor.logGroup), 'Arn'] } },
    ]);
    // nothing else grants the role anything
    expect(Object.keys(resourcesOfType(template, 'AWS::IAM::Policy'))).toEqual([]);
  });

  it('never lets the role write to the bucket or read objects other than the sample keys', () => {
    const { template } = monitored();
    const statements = onlyResource(template, 'AWS::IAM::Role').resource.Properties.Policies[0].PolicyDocument.Statement as { Action: string | string[] }[];
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('s3:') && !/^s3:(Get|List)/.test(a))).toEqual([]);
    expect(JSON.stringify(statements)).not.toContain('acme-images/*');
  });

  it('without sample keys, the role reads no object', () => {
    const { template } = monitored({ sampleKeys: undefined });
    const statements = onlyResource(template, 'AWS::IAM::Role').resource.Properties.Policies[0].PolicyDocument.Statement as { Sid: string }[];
    expect(statements.map((s) => s.Sid)).not.toContain('ReadSampleKeys');
  });

  it('runs the function (Node.js 24, 2 minutes) with the bucket, prefixes, sample keys, topic and state parameter, logging to a log group kept a year', () => {
    const { stack, monitor, template } = monitored();
    const { resource } = onlyResource(template, 'AWS::Lambda::Function');
    expect(resource.Properties).toMatchObject({
      Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 120,
      LoggingConfig: { LogGroup: { Ref: ref(stack, monitor.logGroup) } },
      Environment: {
        Variables: {
          SEGMENTS_MONITOR_BUCKET: 'acme-images',
          SEGMENTS_MONITOR_KEY_PREFIXES: '["images/"]',
          SEGMENTS_MONITOR_SAMPLE_KEYS: '["images/cat.jpg"]',
          SEGMENTS_MONITOR_TOPIC_ARN: { Ref: ref(stack, monitor.topic) },
          SEGMENTS_MONITOR_STATE_PARAMETER: { Ref: ref(stack, monitor.stateParameter) },
        },
      },
    });
    expect(resource.Properties.VpcConfig).toBeUndefined();
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('runs every 6 hours by default, and on the schedule given', () => {
    const rules = (t: Template) => Object.values(resourcesOfType(t, 'AWS::Events::Rule')).map((r) => r.Properties.ScheduleExpression).filter(Boolean);
    expect(rules(monitored().template)).toEqual(['rate(6 hours)']);
    expect(rules(monitored({ schedule: events.Schedule.rate(Duration.hours(1)) }).template)).toEqual(['rate(1 hour)']);
  });

  it('runs after each configuration change CloudTrail records on this bucket, and only this bucket', () => {
    const { template } = monitored();
    const change = Object.values(resourcesOfType(template, 'AWS::Events::Rule')).filter((r) => r.Properties.EventPattern);
    expect(change.map((r) => r.Properties.EventPattern)).toEqual([{
      'source': ['aws.s3'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['s3.amazonaws.com'],
        eventName: ['PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketCors', 'DeleteBucketCors', 'PutBucketEncryption', 'DeleteBucketEncryption',
          'PutBucketOwnershipControls', 'DeleteBucketOwnershipControls', 'PutBucketRequestPayment', 'PutBucketAcl',
          'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock'],
        requestParameters: { bucketName: ['acme-images'] },
      },
    }]);
  });

  it('gives both rules\' targets a dead-letter queue (encrypted, TLS only) and a retry policy', () => {
    const { stack, monitor, template } = monitored();
    const rules = Object.values(resourcesOfType(template, 'AWS::Events::Rule'));
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([{
        Arn: { 'Fn::GetAtt': [ref(stack, monitor.function), 'Arn'] },
        Id: 'Target0',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ref(stack, monitor.deadLetterQueue), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 4 },
      }]);
    }
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('alarms on FailingChecks >= 1 for this bucket, keeps its state between runs, and publishes to the topic', () => {
    const { stack, monitor, template } = monitored();
    expect(template.toJSON().Resources[ref(stack, monitor.alarm)].Properties).toEqual({
      AlarmActions: [{ Ref: ref(stack, monitor.topic) }],
      AlarmDescription: expect.stringContaining('Segments.ai cannot read acme-images'),
      Namespace: 'Segments/Access',
      MetricName: 'FailingChecks',
      Dimensions: [{ Name: 'Bucket', Value: 'acme-images' }],
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
    });
  });

  it('alarms on any error of its function within an hour (a monitor that cannot run is no pass), and publishes to the topic', () => {
    const { stack, monitor, template } = monitored();
    expect(template.toJSON().Resources[ref(stack, monitor.functionErrorsAlarm)].Properties).toEqual({
      AlarmActions: [{ Ref: ref(stack, monitor.topic) }],
      AlarmDescription: expect.stringContaining('SegmentsAccessMonitor for acme-images could not run'),
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ref(stack, monitor.function) } }],
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('creates an encrypted topic (a rotated customer managed key that CloudWatch may use), TLS only, that this alarm alone may publish to as CloudWatch', () => {
    const { stack, monitor, template } = monitored();
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [ref(stack, monitor.topicKey), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([{ Sid: 'cloudwatch-alarm-publishes', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' }]) },
    });
    const statements = onlyResource(template, 'AWS::SNS::TopicPolicy').resource.Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      {
        Sid: 'cloudwatch-alarm-publishes', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish',
        Resource: { Ref: ref(stack, monitor.topic) },
        Condition: { ArnEquals: { 'aws:SourceArn': [{ 'Fn::GetAtt': [ref(stack, monitor.alarm), 'Arn'] }, { 'Fn::GetAtt': [ref(stack, monitor.functionErrorsAlarm), 'Arn'] }] } },
      },
    ]);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'data-platform@acme.com', TopicArn: { Ref: ref(stack, monitor.topic) } });
  });

  it('publishes to alarmTopic when one is given, and creates no topic or key', () => {
    const { stack } = newStack();
    const alarmTopic = new sns.Topic(stack, 'Ops');
    const monitor = new SegmentsAccessMonitor(stack, 'Watch', { bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images'), alarmTopic });
    const template = Template.fromStack(stack);
    expect(Object.keys(resourcesOfType(template, 'AWS::SNS::Topic'))).toEqual([ref(stack, alarmTopic)]);
    expect(Object.keys(resourcesOfType(template, 'AWS::KMS::Key'))).toEqual([]);
    expect(monitor.topic).toBe(alarmTopic);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: ref(stack, alarmTopic) }] });
  });

  it('with the bucket\'s KMS key known: reads its policy, and runs after PutKeyPolicy on that key', () => {
    const { stack } = newStack();
    const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
    const monitor = new SegmentsAccessMonitor(stack, 'Watch', { bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images'), encryptionKey: key });
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [ref(stack, key), 'Arn'] };
    const statements = onlyResource(template, 'AWS::IAM::Role').resource.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements).toContainEqual({ Sid: 'ReadBucketKey', Effect: 'Allow', Action: ['kms:DescribeKey', 'kms:GetKeyPolicy'], Resource: keyArn });
    expect(monitor.keyPolicyRule).toBeDefined();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.kms'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': { eventSource: ['kms.amazonaws.com'], eventName: ['PutKeyPolicy'], resources: { ARN: [keyArn] } },
      },
    });
  });

  it('says at synth that runs after a change need a CloudTrail trail', () => {
    const { monitor } = monitored();
    const infos = monitor.node.metadata.filter((entry) => entry.type === 'aws:cdk:info').map((entry) => String(entry.data));
    expect(infos).toEqual([expect.stringMatching(/^\[segments-cloud-constructs:monitor-cloudtrail\] .*rate\(6 hours\).*CloudTrail trail records management events/)]);
  });

  it('names a bucket of this app by its path in that message, not by an unresolved token', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data', { monitor: true });
    const infos = data.monitor!.node.metadata.filter((entry) => entry.type === 'aws:cdk:info').map((entry) => String(entry.data));
    expect(infos).toEqual([expect.stringContaining('runs the checks on the bucket TestStack/Data/Bucket on its schedule')]);
    expect(infos[0]).not.toContain('${Token');
  });
});

describe('the monitor prop', () => {
  const monitorPaths = (stack: Stack) => stack.node.findAll().filter((c) => c instanceof SegmentsAccessMonitor).map((c) => c.node.path);

  it('is off by default on every access construct', () => {
    const { stack } = newStack();
    new SegmentsBucket(stack, 'Data');
    new SegmentsAccess(stack, 'Access', { bucket: new s3.Bucket(stack, 'Other') });
    new SegmentsImportedBucketAccess(stack, 'Imported', { bucket: s3.Bucket.fromBucketName(stack, 'Existing', 'acme-existing') });
    expect(monitorPaths(stack)).toEqual([]);
    expect(Object.keys(resourcesOfType(Template.fromStack(stack), 'AWS::CloudWatch::Alarm'))).toEqual([]);
  });

  it('SegmentsBucket: monitor: true watches its bucket, prefixes and key', () => {
    const { stack } = newStack();
    const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
    const data = new SegmentsBucket(stack, 'Data', { keyPrefixes: ['images/'], encryptionKey: key, monitor: true });
    expect(monitorPaths(stack)).toEqual(['TestStack/Data/Access/Monitor']);
    expect(data.monitor).toBe(data.access.monitor);
    const template = Template.fromStack(stack);
    const fn = onlyResource(template, 'AWS::Lambda::Function').resource;
    expect(fn.Properties.Environment.Variables.SEGMENTS_MONITOR_BUCKET).toEqual({ Ref: ref(stack, data.bucket) });
    expect(fn.Properties.Environment.Variables.SEGMENTS_MONITOR_KEY_PREFIXES).toBe('["images/"]');
    expect(data.monitor!.keyPolicyRule).toBeDefined();
  });

  it('SegmentsAccess and SegmentsImportedBucketAccess take the options', () => {
    const { stack } = newStack();
    const access = new SegmentsAccess(stack, 'Access', { bucket: new s3.Bucket(stack, 'Other'), monitor: { sampleKeys: ['a.jpg'], notifyEmails: ['ops@acme.com'] } });
    const imported = new SegmentsImportedBucketAccess(stack, 'Imported', {
      bucket: s3.Bucket.fromBucketName(stack, 'Existing', 'acme-existing'), keyPrefixes: ['images/'], monitor: { schedule: events.Schedule.rate(Duration.hours(12)) },
    });
    expect(monitorPaths(stack)).toEqual(['TestStack/Access/Monitor', 'TestStack/Imported/Monitor']);
    expect(access.monitor).toBeDefined();
    expect(imported.monitor).toBeDefined();
    const template = Template.fromStack(stack);
    expect(Object.values(resourcesOfType(template, 'AWS::Events::Rule')).map((r) => r.Properties.ScheduleExpression).filter(Boolean).sort())
      .toEqual(['rate(12 hours)', 'rate(6 hours)']);
    // The imported bucket's monitor starts after the grant exists.
    const importedFunction = stack.getLogicalId(imported.monitor!.function.node.defaultChild as never);
    expect(template.toJSON().Resources[importedFunction].DependsOn).toEqual(expect.arrayContaining([stack.resolve((imported.resource.node.defaultChild as CfnElement).logicalId)]));
  });

  it('is refused with its option named: an unknown option, a sample key outside the prefixes, a bad email', () => {
    const { stack } = newStack();
    expect(() => new SegmentsBucket(stack, 'Data', {
      keyPrefixes: ['images/'],
      monitor: { sampleKey: ['images/a.jpg'], sampleKeys: ['videos/a.mp4'], notifyEmails: ['not-an-email'] } as never,
    })).toThrow(/monitor: unknown prop 'sampleKey': did you mean 'sampleKeys'\?[\s\S]*monitor\.sampleKeys\[0\] \('videos\/a\.mp4'\) is outside keyPrefixes[\s\S]*monitor\.notifyEmails\[0\] \('not-an-email'\)/);
    expect(monitorPaths(stack)).toEqual([]);
  });
});

describe('SegmentsAccessMonitor refuses input it cannot watch', () => {
  const bucketOf = (stack: Stack) => s3.Bucket.fromBucketName(stack, 'Images', 'acme-images');

  it.each([
    [{ keyPrefixes: ['*'] }, /keyPrefixes/],
    [{ sampleKeys: ['/cat.jpg'] }, /sampleKeys\[0\] \('\/cat\.jpg'\) is not an object key/],
    [{ sampleKeys: ['images/../secret.jpg'] }, /sampleKeys\[0\].*'\.' or '\.\.' segment/],
    // A Resource ARN reads '*' and '?' as wildcards: ['*'] would let the role read every object.
    [{ sampleKeys: ['*'] }, /sampleKeys\[0\] \('\*'\) has '\*' or '\?'/],
    [{ sampleKeys: ['images/cat?.jpg'] }, /sampleKeys\[0\] \('images\/cat\?\.jpg'\) has '\*' or '\?'/],
    [{ sampleKeys: ['a.jpg', 'a.jpg'] }, /sampleKeys\[1\] \('a\.jpg'\) is listed twice/],
    [{ sampleKeys: Array.from({ length: 11 }, (_, i) => `k${i}`) }, /sampleKeys lists 11 keys: at most 10/],
    [{ notifyEmails: ['a@b.co', 'a@b.co'] }, /notifyEmails\[1\] \('a@b\.co'\) is listed twice/],
  ])('%j', (props, message) => {
    const { stack } = newStack();
    expect(() => new SegmentsAccessMonitor(stack, 'Watch', { bucket: bucketOf(stack), ...props } as SegmentsAccessMonitorProps)).toThrow(message);
  });

  it('accepts what those refuse, corrected (the control)', () => {
    const { stack } = newStack();
    expect(() => new SegmentsAccessMonitor(stack, 'Watch', {
      bucket: bucketOf(stack), keyPrefixes: ['images/'], sampleKeys: ['images/cat.jpg', 'images/dog.jpg'], notifyEmails: ['a@b.co', 'c@d.co'],
    })).not.toThrow();
  });
});
