/**
 * cdk-nag 3's AwsSolutions pack on SegmentsBucket. cdk-nag 3 is a validation plugin, not an
 * Aspect: `validateScope(stack)` walks the construct tree and reports only what is not
 * acknowledged through `Validations.of(construct).acknowledge(...)`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { recommendedContext } from './app';
import { SegmentsAccessMonitor, SegmentsBucket, SegmentsImportedBucketAccess, segmentsBucketProps, type SegmentsBucketProps } from '../../lib/aws';

/** A stack with the example app's feature flags (CloudFormation validation off: speed; cdk-nag does not need a synth). */
function newStack(): Stack {
  return new Stack(new App({ context: recommendedContext, builtinCloudFormationValidation: false }), 'Customer');
}

/** One line per unacknowledged finding, so a failing test shows what cdk-nag reported. */
function findings(report: PolicyValidationPluginReport): string {
  return report.violations
    .map((violation) => `${violation.ruleName} (${violation.severity}) on ` +
      `${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}: ${violation.description}`)
    .join('\n');
}

function nag(scope: IConstruct): PolicyValidationPluginReport {
  return new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope);
}

/** The rules acknowledged anywhere in `scope`'s subtree, with their reasons. */
function acknowledgedRules(scope: IConstruct): Record<string, string> {
  const rules: Record<string, string> = {};
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          rules[id.replace(/^annotation::/i, '')] = reason;
        }
      }
    }
  }
  return rules;
}

function segmentsBucket(props: SegmentsBucketProps = {}): { stack: Stack; data: SegmentsBucket } {
  const stack = newStack();
  return { stack, data: new SegmentsBucket(stack, 'LabelingData', props) };
}

/** A bucket for server access logs, secure enough for AwsSolutions. */
function accessLogsBucket(stack: Stack): s3.Bucket {
  return new s3.Bucket(stack, 'AccessLogs', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
  });
}

describe('cdk-nag AwsSolutions reports nothing unacknowledged', () => {
  it('on the default SegmentsBucket', () => {
    const { stack } = segmentsBucket();
    expect(findings(nag(stack))).toBe('');
  });

  it('on a SegmentsBucket with a customer managed KMS key (rotation on)', () => {
    const stack = newStack();
    new SegmentsBucket(stack, 'LabelingData', { encryptionKey: new kms.Key(stack, 'DataKey', { enableKeyRotation: true }) });
    expect(findings(nag(stack))).toBe('');
  });

  it('on a SegmentsBucket with server access logs, the logs bucket included', () => {
    const stack = newStack();
    new SegmentsBucket(stack, 'LabelingData', { serverAccessLogsBucket: accessLogsBucket(stack) });
    expect(findings(nag(stack))).toBe('');
  });
});

describe('AwsSolutions-S1 (server access logs)', () => {
  it('is acknowledged, with a reason, and nothing else is, when no serverAccessLogsBucket is given', () => {
    const { data } = segmentsBucket();
    const acknowledged = acknowledgedRules(data);
    expect(Object.keys(acknowledged)).toEqual(['AwsSolutions-S1']);
    expect(acknowledged['AwsSolutions-S1']).toMatch(/serverAccessLogsBucket/);
    expect(acknowledged['AwsSolutions-S1'].length).toBeGreaterThan(40);
  });

  it('would fire without that acknowledgement: a bucket with the same props and no acknowledgement reports it', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'SameProps', segmentsBucketProps({}));
    expect(nag(stack).violations.map((violation) => violation.ruleName)).toEqual(['AwsSolutions-S1']);
  });

  it('is not acknowledged when serverAccessLogsBucket is given', () => {
    const stack = newStack();
    const data = new SegmentsBucket(stack, 'LabelingData', { serverAccessLogsBucket: accessLogsBucket(stack) });
    expect(acknowledgedRules(data)).toEqual({});
  });

  it('does not fire on the Segments bucket when serverAccessLogsBucket is given, because logging is on', () => {
    const stack = newStack();
    const logs = accessLogsBucket(stack);
    const data = new SegmentsBucket(stack, 'LabelingData', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'segments/' });
    const s1 = nag(data).violations.filter((violation) => violation.ruleName === 'AwsSolutions-S1');
    expect(s1).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: stack.getLogicalId(logs.node.defaultChild as s3.CfnBucket) }, LogFilePrefix: 'segments/' },
    });
  });

  it('does not fire on the logs bucket either: cdk-nag exempts a bucket that receives access logs', () => {
    const stack = newStack();
    const logs = accessLogsBucket(stack);
    new SegmentsBucket(stack, 'LabelingData', { serverAccessLogsBucket: logs });
    // only cdk-nag's rules matter here (without @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy, aws-cdk-lib
    // itself acknowledges a CloudFormation-Validate rule on a logs bucket)
    expect(Object.keys(acknowledgedRules(logs)).filter((id) => id.startsWith('AwsSolutions-'))).toEqual([]);
    expect(nag(stack).violations.filter((violation) => violation.ruleName === 'AwsSolutions-S1')).toEqual([]);
  });
});

/**
 * SegmentsImportedBucketAccess's role and function come from aws-cdk-lib's CustomResourceProvider,
 * which writes them as plain CfnResources that cdk-nag's rules (`instanceof CfnRole`, `CfnFunction`)
 * skip. So the pack runs on the synthesized template itself, read back with CfnInclude, where every
 * resource is the typed L1 the rules inspect; the controls show that each rule does fire there.
 */
describe('cdk-nag AwsSolutions on the template of SegmentsImportedBucketAccess', () => {
  const stack = newStack();
  new SegmentsImportedBucketAccess(stack, 'SegmentsAccess', { bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images') });
  const template = Template.fromStack(stack).toJSON();

  /** The violations cdk-nag reports on a template, each as `rule on logical ID`. */
  function nagTemplate(edit: (resources: Record<string, any>) => void = () => undefined): string[] {
    const copy = JSON.parse(JSON.stringify(template));
    edit(copy.Resources);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-nag-'));
    try {
      const file = path.join(dir, 'template.json');
      fs.writeFileSync(file, JSON.stringify(copy));
      const included = new Stack(new App(), 'Included');
      new CfnInclude(included, 'Template', { templateFile: file });
      return nag(included).violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} on ${(resource.constructPath ?? '').split('/').pop()}`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const ofType = (resources: Record<string, any>, type: string) => Object.values(resources).find((r: any) => r.Type === type);

  it('reports nothing, with nothing acknowledged', () => {
    expect(nagTemplate()).toEqual([]);
    expect(acknowledgedRules(stack)).toEqual({});
  });

  it('would report the AWS managed Lambda policy that CustomResourceProvider attaches, which the construct removes (IAM4)', () => {
    expect(nagTemplate((resources) => {
      ofType(resources, 'AWS::IAM::Role').Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'];
    })).toEqual([expect.stringMatching(/^AwsSolutions-IAM4\[Policy::.*AWSLambdaBasicExecutionRole\] on .*HandlerRole/)]);
  });

  it('would report a wildcard resource (IAM5) and an outdated runtime (L1)', () => {
    expect(nagTemplate((resources) => {
      ofType(resources, 'AWS::IAM::Role').Properties.Policies[0].PolicyDocument.Statement[0].Resource = '*';
      ofType(resources, 'AWS::Lambda::Function').Properties.Runtime = 'nodejs18.x';
    }).map((finding) => finding.split(' ')[0]).sort()).toEqual(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-L1']);
  });
});

describe('cdk-nag AwsSolutions on SegmentsAccessMonitor', () => {
  function monitoredStack(): Stack {
    const stack = newStack();
    new SegmentsAccessMonitor(stack, 'Watch', {
      bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images'), sampleKeys: ['images/cat.jpg'], notifyEmails: ['data-platform@acme.com'],
    });
    return stack;
  }

  it('reports nothing unacknowledged, on its own and through SegmentsBucket\'s monitor prop (with a customer managed key)', () => {
    expect(findings(nag(monitoredStack()))).toBe('');
    const stack = newStack();
    new SegmentsBucket(stack, 'LabelingData', { encryptionKey: new kms.Key(stack, 'DataKey', { enableKeyRotation: true }), monitor: true });
    expect(findings(nag(stack))).toBe('');
  });

  it('acknowledges exactly two findings, each with its reason: PutMetricData on * (limited by its namespace condition) and the dead-letter queue without its own', () => {
    const acknowledged = acknowledgedRules(monitoredStack());
    expect(Object.keys(acknowledged).sort()).toEqual(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-SQS3']);
    expect(acknowledged['AwsSolutions-IAM5[Resource::*]']).toMatch(/cloudwatch:namespace/);
    expect(acknowledged['AwsSolutions-SQS3']).toMatch(/dead-letter queue/);
  });

  it('would report those two without the acknowledgements (its template read back with CfnInclude carries none)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-nag-'));
    try {
      const file = path.join(dir, 'template.json');
      fs.writeFileSync(file, JSON.stringify(Template.fromStack(monitoredStack()).toJSON()));
      const included = new Stack(new App(), 'Included');
      new CfnInclude(included, 'Template', { templateFile: file });
      expect(nag(included).violations.map((violation) => violation.ruleName).sort()).toEqual(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-SQS3']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
