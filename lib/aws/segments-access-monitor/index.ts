import { Annotations, type CfnResource, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import {
  SEGMENTS_MONITOR_BUCKET_DIMENSION,
  SEGMENTS_MONITOR_FAILING_CHECKS_METRIC,
  SEGMENTS_MONITOR_NAMESPACE,
  SegmentsMonitorEnvironment,
} from './monitor-settings';
import { findBuiltHandler } from '../private/built-handler';
import { prefixProblems } from '../private/access-input';
import { throwProblems } from '../private/errors';
import { type SegmentsAccessMonitorOptions, monitorOptionProblems } from '../private/monitor-options';
import { literalElementProblems } from '../../checks/problems';
import { s3BucketNameProblems } from '../../checks/s3-names';
import { knownProps, unknownPropProblems } from '../../checks/known-props';

export { SEGMENTS_MONITOR_MAX_SAMPLE_KEYS, type SegmentsAccessMonitorOptions } from '../private/monitor-options';

export {
  SEGMENTS_MONITOR_BUCKET_DIMENSION,
  SEGMENTS_MONITOR_COULD_NOT_CHECK_METRIC,
  SEGMENTS_MONITOR_FAILING_CHECKS_METRIC,
  SEGMENTS_MONITOR_NAMESPACE,
} from './monitor-settings';

/** Properties of {@link SegmentsAccessMonitor}. */
export interface SegmentsAccessMonitorProps extends SegmentsAccessMonitorOptions {
  /**
   * The bucket Segments.ai reads: a bucket of this app, or one outside it
   * (`s3.Bucket.fromBucketName(this, 'Data', 'acme-images')`). It must be in this stack's account
   * and region (the change events and the alarm are regional).
   */
  readonly bucket: s3.IBucket;

  /**
   * What Segments must read, such as `['images/']`: the checks judge the bucket policy for keys
   * under each prefix.
   *
   * @default - the whole bucket
   */
  readonly keyPrefixes?: string[];

  /**
   * The bucket's customer managed KMS key: the function may read its policy (`kms:DescribeKey`,
   * `kms:GetKeyPolicy`), and a change of that policy (`PutKeyPolicy`) starts a run.
   *
   * @default - the bucket's `encryptionKey` when it is a bucket of this app; else none (a key the checks find but may not read is reported `not-checked`)
   */
  readonly encryptionKey?: kms.IKey;
}

/** Every prop of {@link SegmentsAccessMonitorProps}: unknown ones are refused. */
const SEGMENTS_ACCESS_MONITOR_PROPS = knownProps<SegmentsAccessMonitorProps>({
  bucket: true, keyPrefixes: true, sampleKeys: true, schedule: true, alarmTopic: true, notifyEmails: true, encryptionKey: true,
});

/** The S3 reads the checks make on the bucket (docs/cli.md, "Verify a bucket"): configuration only. */
export const SEGMENTS_MONITOR_BUCKET_ACTIONS: readonly string[] = [
  's3:GetBucketAcl',
  's3:GetBucketCORS',
  's3:GetBucketLocation',
  's3:GetBucketOwnershipControls',
  's3:GetBucketPolicy',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketRequestPayment',
  's3:GetEncryptionConfiguration',
  's3:ListBucket',
];

/** The S3 reads on each sample key (HeadObject and the presigned GET need s3:GetObject). */
export const SEGMENTS_MONITOR_OBJECT_ACTIONS: readonly string[] = ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging'];

/**
 * The account-level read the checks make: the bucket's account's Block Public Access (S3 Control
 * GetPublicAccessBlock), which IAM grants on `*` only (S3 Control's account resource has no ARN to
 * name in a policy: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 */
export const SEGMENTS_MONITOR_ACCOUNT_ACTIONS: readonly string[] = ['s3:GetAccountPublicAccessBlock'];

/** The KMS reads on the bucket's key. */
export const SEGMENTS_MONITOR_KEY_ACTIONS: readonly string[] = ['kms:DescribeKey', 'kms:GetKeyPolicy'];

/** The API calls CloudTrail records that change what the checks judge on the bucket: each starts a run. */
export const SEGMENTS_MONITOR_BUCKET_EVENTS: readonly string[] = [
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'PutBucketCors',
  'DeleteBucketCors',
  'PutBucketEncryption',
  'DeleteBucketEncryption',
  'PutBucketOwnershipControls',
  'DeleteBucketOwnershipControls',
  'PutBucketRequestPayment',
  'PutBucketAcl',
  'PutBucketPublicAccessBlock',
  'DeleteBucketPublicAccessBlock',
];

/** Stable IDs of the messages {@link SegmentsAccessMonitor} adds. */
export const SegmentsAccessMonitorMessages = {
  /** Info: runs after a configuration change need a CloudTrail trail recording management events. */
  CLOUDTRAIL_NEEDED: 'segments-cloud-constructs:monitor-cloudtrail',
} as const;

/** Why the function's role may put metric data on `*`, for cdk-nag's AwsSolutions-IAM5. */
const PUT_METRIC_DATA_REASON = 'cloudwatch:PutMetricData has no resource-level permissions (its only resource is *); ' +
  `the statement is limited to the ${SEGMENTS_MONITOR_NAMESPACE} namespace by the cloudwatch:namespace condition.`;

/** Why the dead-letter queue has none of its own, for cdk-nag's AwsSolutions-SQS3. */
const DLQ_REASON = 'This queue is the dead-letter queue of the monitor\'s EventBridge targets (the events its function could not take): ' +
  'a dead-letter queue of a dead-letter queue would only move them again.';

interface CdkModules {
  readonly cloudwatch: typeof cloudwatch;
  readonly cloudwatchActions: typeof cloudwatchActions;
  readonly events: typeof events;
  readonly targets: typeof targets;
  readonly iam: typeof iam;
  readonly kms: typeof kms;
  readonly lambda: typeof lambda;
  readonly sns: typeof sns;
  readonly subscriptions: typeof subscriptions;
  readonly sqs: typeof sqs;
  readonly ssm: typeof ssm;
}

let loaded: CdkModules | undefined;

/**
 * aws-cdk-lib's submodules the monitor uses, loaded on the first monitor: aws-cdk-lib loads its
 * submodules lazily, and importing these at the top would make every user of `/aws` pay for
 * Lambda, EventBridge, SNS, SQS, SSM and CloudWatch (test/aws/load-cost.test.ts).
 */
function cdkModules(): CdkModules {
  /* eslint-disable @typescript-eslint/no-require-imports */
  loaded ??= {
    cloudwatch: require('aws-cdk-lib/aws-cloudwatch'),
    cloudwatchActions: require('aws-cdk-lib/aws-cloudwatch-actions'),
    events: require('aws-cdk-lib/aws-events'),
    targets: require('aws-cdk-lib/aws-events-targets'),
    iam: require('aws-cdk-lib/aws-iam'),
    kms: require('aws-cdk-lib/aws-kms'),
    lambda: require('aws-cdk-lib/aws-lambda'),
    sns: require('aws-cdk-lib/aws-sns'),
    subscriptions: require('aws-cdk-lib/aws-sns-subscriptions'),
    sqs: require('aws-cdk-lib/aws-sqs'),
    ssm: require('aws-cdk-lib/aws-ssm'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return loaded;
}

/**
 * Acknowledges a cdk-nag rule (one finding of it, with `appliesTo`) with a reason: for cdk-nag 3
 * through aws-cdk-lib's Validations, and for cdk-nag 2 through the `cdk_nag` metadata it reads.
 */
function acknowledgeNagRule(construct: Construct, id: string, reason: string, appliesTo?: string): void {
  Validations.of(construct).acknowledge({ id: appliesTo !== undefined ? `${id}[${appliesTo}]` : id, reason });
  (construct.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
    rules_to_suppress: [{ id, reason, ...(appliesTo !== undefined ? { applies_to: [appliesTo] } : {}) }],
  });
}

/**
 * Watches, from inside the customer's account, whether Segments.ai can still read a bucket, and
 * raises an alarm naming the change and who made it.
 *
 * A Lambda function runs the checks of `segments-cloud verify aws` (the same code, bundled into
 * the function) on the bucket every `schedule` and right after each change to its policy, CORS,
 * encryption, ownership, request payment or ACL (and its key's policy), as CloudTrail records them
 * and EventBridge delivers them. Each run puts metric data in the `Segments/Access` namespace
 * (`FailingChecks`, `CouldNotCheck`, one per check ID, with the dimension `Bucket`), logs its
 * report as one JSON line, and publishes one message to the topic when the state changed (a
 * failure with each failing check's detail and fix, a recovery, a run that could not check). An
 * alarm on `FailingChecks >= 1` publishes to the topic too.
 *
 * The function's role may only read: the bucket's configuration, the sample keys, the bucket key's
 * policy; plus put metric data in its namespace, publish to its topic and keep its state in one SSM
 * parameter. It never writes to the bucket. See docs/aws.md, "Watch Segments' access".
 */
export class SegmentsAccessMonitor extends Construct {
  /** The function that runs the checks. */
  public readonly function: lambda.Function;

  /** The function's role. */
  public readonly role: iam.Role;

  /** The alarm on FailingChecks >= 1. */
  public readonly alarm: cloudwatch.Alarm;

  /** The alarm on the function's errors: a monitor that cannot run watches nothing, and must say so. */
  public readonly functionErrorsAlarm: cloudwatch.Alarm;

  /** The topic the alarm and the messages go to. */
  public readonly topic: sns.ITopic;

  /** The KMS key of the topic, when this construct created the topic. */
  public readonly topicKey?: kms.Key;

  /** The SSM parameter that holds the last run's state. */
  public readonly stateParameter: ssm.StringParameter;

  /** Where the rules' targets put the events the function could not take. */
  public readonly deadLetterQueue: sqs.Queue;

  /** The rule that runs the checks on the schedule. */
  public readonly scheduleRule: events.Rule;

  /** The rule that runs the checks after a change to the bucket's configuration. */
  public readonly changeRule: events.Rule;

  /** The rule that runs the checks after a change to the bucket key's policy, when the key is known. */
  public readonly keyPolicyRule?: events.Rule;

  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SegmentsAccessMonitorProps) {
    super(scope, id);
    const { bucket } = props;
    const problems = [...unknownPropProblems(props, SEGMENTS_ACCESS_MONITOR_PROPS)];
    if (bucket === undefined || bucket === null) {
      problems.push('bucket is required: the bucket Segments reads (a bucket of this app, or s3.Bucket.fromBucketName for one outside it).');
    } else if (!Token.isUnresolved(bucket.bucketName)) {
      const name = `bucket ('${bucket.node.path}') name`;
      problems.push(...s3BucketNameProblems(name, bucket.bucketName).filter((problem) => !problem.includes('contains a dot')));
    }
    if (props.keyPrefixes !== undefined && Token.isUnresolved(props.keyPrefixes)) {
      problems.push('keyPrefixes is a list token: pass an array of strings (an element may be a token).');
    } else {
      problems.push(...literalElementProblems(props.keyPrefixes, Token.isUnresolved, prefixProblems));
    }
    problems.push(...monitorOptionProblems(props, props.keyPrefixes));
    if (problems.length > 0) {
      throwProblems(this, 'SegmentsAccessMonitor', problems);
    }

    const m = cdkModules();
    const stack = Stack.of(this);
    const schedule = props.schedule ?? m.events.Schedule.rate(Duration.hours(6));
    const encryptionKey = props.encryptionKey ?? bucket.encryptionKey;

    // The topic: encrypted with a key whose policy lets CloudWatch (the alarm) use it; the AWS
    // managed key of SNS cannot be used by CloudWatch alarms.
    let topic = props.alarmTopic;
    let topicKey: kms.Key | undefined;
    if (topic === undefined) {
      topicKey = new m.kms.Key(this, 'TopicKey', {
        enableKeyRotation: true,
        description: `Encrypts the SNS topic of the Segments.ai access monitor of ${bucket.bucketName} (segments-cloud-constructs)`,
      });
      topicKey.addToResourcePolicy(new m.iam.PolicyStatement({
        sid: 'cloudwatch-alarm-publishes',
        principals: [new m.iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }));
      topic = new m.sns.Topic(this, 'Topic', {
        displayName: 'Segments.ai access',
        masterKey: topicKey,
        enforceSSL: true,
      });
    }
    this.topic = topic;
    this.topicKey = topicKey;
    for (const email of props.notifyEmails ?? []) {
      topic.addSubscription(new m.subscriptions.EmailSubscription(email));
    }

    this.stateParameter = new m.ssm.StringParameter(this, 'State', {
      description: `The last state of the Segments.ai access monitor of ${bucket.bucketName}, so that it sends one message per change (segments-cloud-constructs)`,
      stringValue: '{}',
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });

    const topicKeyOfTopic = topicKey ?? (topic as sns.ITopic & { masterKey?: kms.IKey }).masterKey;
    const statements = [
      new m.iam.PolicyStatement({ sid: 'ReadBucketConfiguration', actions: [...SEGMENTS_MONITOR_BUCKET_ACTIONS], resources: [bucket.bucketArn] }),
      ...(props.sampleKeys !== undefined && props.sampleKeys.length > 0
        ? [new m.iam.PolicyStatement({ sid: 'ReadSampleKeys', actions: [...SEGMENTS_MONITOR_OBJECT_ACTIONS], resources: props.sampleKeys.map((key) => bucket.arnForObjects(key)) })]
        : []),
      ...(encryptionKey !== undefined
        ? [new m.iam.PolicyStatement({ sid: 'ReadBucketKey', actions: [...SEGMENTS_MONITOR_KEY_ACTIONS], resources: [encryptionKey.keyArn] })]
        : []),
      new m.iam.PolicyStatement({ sid: 'ReadAccountPublicAccessBlock', actions: [...SEGMENTS_MONITOR_ACCOUNT_ACTIONS], resources: ['*'] }),
      new m.iam.PolicyStatement({
        sid: 'PutMetricDataInItsNamespace',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': SEGMENTS_MONITOR_NAMESPACE } },
      }),
      new m.iam.PolicyStatement({ sid: 'PublishToItsTopic', actions: ['sns:Publish'], resources: [topic.topicArn] }),
      ...(topicKeyOfTopic !== undefined
        ? [new m.iam.PolicyStatement({ sid: 'UseItsTopicKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [topicKeyOfTopic.keyArn] })]
        : []),
      new m.iam.PolicyStatement({ sid: 'KeepItsState', actions: ['ssm:GetParameter', 'ssm:PutParameter'], resources: [this.stateParameter.parameterArn] }),
      new m.iam.PolicyStatement({ sid: 'WriteItsLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
    ];
    this.role = new m.iam.Role(this, 'Role', {
      assumedBy: new m.iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the Segments.ai access checks on ${bucket.bucketName}: reads only (segments-cloud-constructs)`,
      inlinePolicies: { Monitor: new m.iam.PolicyDocument({ statements }) },
    });
    acknowledgeNagRule(this.role, 'AwsSolutions-IAM5', PUT_METRIC_DATA_REASON, 'Resource::*');

    this.function = new m.lambda.Function(this, 'Function', {
      runtime: m.lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: m.lambda.Code.fromAsset(findBuiltHandler(__dirname, 'segments-access-monitor', 'SegmentsAccessMonitor')),
      role: this.role,
      logGroup: this.logGroup,
      // The reads, the preflight and its presigned GET (10 s each at most), the metric data and the message.
      timeout: Duration.minutes(2),
      memorySize: 256,
      description: `Checks that Segments.ai can read ${bucket.bucketName} (segments-cloud-constructs SegmentsAccessMonitor)`,
      environment: {
        [SegmentsMonitorEnvironment.BUCKET]: bucket.bucketName,
        [SegmentsMonitorEnvironment.KEY_PREFIXES]: stack.toJsonString(props.keyPrefixes ?? []),
        [SegmentsMonitorEnvironment.SAMPLE_KEYS]: stack.toJsonString(props.sampleKeys ?? []),
        [SegmentsMonitorEnvironment.TOPIC_ARN]: topic.topicArn,
        [SegmentsMonitorEnvironment.STATE_PARAMETER]: this.stateParameter.parameterName,
      },
    });

    this.deadLetterQueue = new m.sqs.Queue(this, 'DeadLetters', {
      encryption: m.sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeNagRule(this.deadLetterQueue, 'AwsSolutions-SQS3', DLQ_REASON);
    const target = new m.targets.LambdaFunction(this.function, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 4,
      maxEventAge: Duration.hours(2),
    });

    this.scheduleRule = new m.events.Rule(this, 'Schedule', {
      description: `Runs the Segments.ai access checks on ${bucket.bucketName} on a schedule`,
      schedule,
      targets: [target],
    });
    this.changeRule = new m.events.Rule(this, 'ConfigurationChanges', {
      description: `Runs the Segments.ai access checks on ${bucket.bucketName} after a change to its configuration (CloudTrail)`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['s3.amazonaws.com'],
          eventName: [...SEGMENTS_MONITOR_BUCKET_EVENTS],
          requestParameters: { bucketName: [bucket.bucketName] },
        },
      },
      targets: [target],
    });
    if (encryptionKey !== undefined) {
      this.keyPolicyRule = new m.events.Rule(this, 'KeyPolicyChanges', {
        description: `Runs the Segments.ai access checks on ${bucket.bucketName} after a change to its KMS key's policy (CloudTrail)`,
        eventPattern: {
          source: ['aws.kms'],
          detailType: ['AWS API Call via CloudTrail'],
          detail: {
            eventSource: ['kms.amazonaws.com'],
            eventName: ['PutKeyPolicy'],
            resources: { ARN: [encryptionKey.keyArn] },
          },
        },
        targets: [target],
      });
    }

    this.alarm = new m.cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: `Segments.ai cannot read ${bucket.bucketName}: at least one check of SegmentsAccessMonitor fails. ` +
        'The topic\'s message from the monitor\'s function names each failing check and its fix.',
      metric: new m.cloudwatch.Metric({
        namespace: SEGMENTS_MONITOR_NAMESPACE,
        metricName: SEGMENTS_MONITOR_FAILING_CHECKS_METRIC,
        dimensionsMap: { [SEGMENTS_MONITOR_BUCKET_DIMENSION]: bucket.bucketName },
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: m.cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // Between runs (hours apart) there is no data: the alarm keeps the state of the last run.
      treatMissingData: m.cloudwatch.TreatMissingData.IGNORE,
    });
    this.alarm.addAlarmAction(new m.cloudwatchActions.SnsAction(topic));
    // A function that fails (a crash, a timeout, a permission taken away) sends no metric: the alarm
    // above would keep its last state, and a pass would read as "still fine". This one says it.
    this.functionErrorsAlarm = new m.cloudwatch.Alarm(this, 'FunctionErrorsAlarm', {
      alarmDescription: `SegmentsAccessMonitor for ${bucket.bucketName} could not run: its function failed (see its log group). ` +
        'Until it runs again, nothing watches Segments\' access to the bucket.',
      metric: this.function.metricErrors({ statistic: 'Sum', period: Duration.hours(1) }),
      threshold: 1,
      comparisonOperator: m.cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: m.cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.functionErrorsAlarm.addAlarmAction(new m.cloudwatchActions.SnsAction(topic));
    // The topic's policy (enforceSSL makes one) must let this alarm publish.
    topic.addToResourcePolicy(new m.iam.PolicyStatement({
      sid: 'cloudwatch-alarm-publishes',
      principals: [new m.iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { ArnEquals: { 'aws:SourceArn': [this.alarm.alarmArn, this.functionErrorsAlarm.alarmArn] } },
    }));

    const bucketShown = Token.isUnresolved(bucket.bucketName) ? `the bucket ${bucket.node.path}` : bucket.bucketName;
    Annotations.of(this).addInfo(`[${SegmentsAccessMonitorMessages.CLOUDTRAIL_NEEDED}] SegmentsAccessMonitor runs the checks on ` +
      `${bucketShown} on its schedule (${schedule.expressionString}), and right after a change to the bucket's configuration only ` +
      'where a CloudTrail trail records management events in this account and region: EventBridge receives those API calls from CloudTrail. ' +
      'See docs/aws.md, "Watch Segments\' access".');
  }
}
