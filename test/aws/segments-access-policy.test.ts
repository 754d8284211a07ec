/**
 * Issue 18, items 2 and 4, as SegmentsAccess reports them in the rendered template: another Allow
 * that gives Segments more than s3:GetObject, and Denies that only look harmless.
 */
import { Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack, warningsWithId } from './app';
import { SegmentsAccess, SegmentsAccessWarnings, SegmentsBucket } from '../../lib/aws';

const SEGMENTS_USER = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';

function accessStack(keyPrefixes?: string[]) {
  const { stack } = newStack();
  const bucket = new s3.Bucket(stack, 'Images', { bucketName: 'acme-images' });
  new SegmentsAccess(stack, 'SegmentsAccess', { bucket, keyPrefixes });
  return { stack, bucket, cfnPolicy: () => bucket.policy!.node.defaultChild as s3.CfnBucketPolicy };
}

describe('another Allow that gives Segments\' user more than s3:GetObject warns, naming the statement', () => {
  it('s3:* for Segments put in with addPropertyOverride(\'PolicyDocument.Statement.1\', ...)', () => {
    const { stack, cfnPolicy } = accessStack();
    cfnPolicy().addPropertyOverride('PolicyDocument.Statement.1', { Effect: 'Allow', Principal: { AWS: SEGMENTS_USER }, Action: 's3:*', Resource: '*' });
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.WIDER_SEGMENTS_ALLOW);
    expect(SegmentsAccessWarnings.WIDER_SEGMENTS_ALLOW).toBe('segments-cloud-constructs:wider-segments-allow');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^bucket \\('TestStack/Images'\\): bucket policy statement #2 allows ${SEGMENTS_USER} s3:\\*, which can apply to Segments' user`));
  });

  it.each([
    ['s3:* for Segments\' user', { principals: [new iam.ArnPrincipal(SEGMENTS_USER)], actions: ['s3:*'] }, /statement Extra allows arn:aws:iam::931508227573:user\/segmentsai-prod-user s3:\*/],
    ['a NotAction Allow for Segments\' account', { principals: [new iam.AccountPrincipal('931508227573')], notActions: ['s3:DeleteObject'] },
      /statement Extra allows \{"Fn::Join".*931508227573:root.*\} NotAction "s3:DeleteObject"/],
    ['s3:PutObject for everyone under a condition', { principals: [new iam.AnyPrincipal()], actions: ['s3:PutObject'],
      conditions: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }, /statement Extra allows \* s3:PutObject/],
  ])('%s added with bucket.addToResourcePolicy', (_name, props, message) => {
    const { stack, bucket } = accessStack();
    bucket.addToResourcePolicy(new iam.PolicyStatement({ sid: 'Extra', resources: [bucket.arnForObjects('*')], ...props } as iam.PolicyStatementProps));
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.WIDER_SEGMENTS_ALLOW);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(message);
  });

  it('stays quiet on SegmentsBucket\'s own statements (TLS only, auto-delete role) and on another account\'s Allow (control)', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data', { bucketName: 'acme-data' });
    data.bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('111122223333')], actions: ['s3:*'], resources: [data.bucket.arnForObjects('*')],
    }));
    data.bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()], actions: ['s3:PutObject'], resources: [data.bucket.arnForObjects('*')],
    }));
    // autoDeleteObjects lets the template's own role (Fn::GetAtt) s3:DeleteObject*, s3:List*...
    const scratch = new s3.Bucket(stack, 'Scratch', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    new SegmentsAccess(stack, 'ScratchAccess', { bucket: scratch });
    expect(warningsWithId(stack, SegmentsAccessWarnings.WIDER_SEGMENTS_ALLOW)).toEqual([]);
  });
});

describe('Denies that only look harmless warn as lock-outs', () => {
  it('a Deny whose NotPrincipal lists only Segments', () => {
    const { stack, bucket } = accessStack();
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlySegments', effect: iam.Effect.DENY, notPrincipals: [new iam.ArnPrincipal(SEGMENTS_USER)], actions: ['s3:*'], resources: [bucket.arnForObjects('*')],
    }));
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.LOCKOUT_DENY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/statement OnlySegments uses NotPrincipal, which lists Segments but still denies it: AWS's IAM docs say/);
  });

  it('a Deny whose Effect is an Fn::If', () => {
    const { stack, bucket, cfnPolicy } = accessStack();
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'Maybe', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')],
    }));
    cfnPolicy().addPropertyOverride('PolicyDocument.Statement.1.Effect', Fn.conditionIf('Strict', 'Deny', 'Allow'));
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.LOCKOUT_DENY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/statement Maybe has its Effect given as Fn::If \(only known at deploy time, so treated as a Deny that matches Segments\)/);
  });

  it('but not a Deny on keys outside the granted prefixes (control: the same rule as the CLI and the handler)', () => {
    const { stack, bucket } = accessStack(['images/']);
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'Private', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('private/*')],
    }));
    expect(warningsWithId(stack, SegmentsAccessWarnings.LOCKOUT_DENY)).toEqual([]);
  });
});

/**
 * Issue 21 item 7: every statement of the rendered policy, however it got there, judged by the IAM
 * evaluator for Segments' request (lib/iam), intrinsics unknown.
 */
describe('lock-out Denies judged by the evaluator, every statement as rendered', () => {
  const office = { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } };

  it('an override that appends a Deny with an Fn::If Effect to SegmentsBucket\'s policy warns', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data', { bucketName: 'acme-data' });
    (data.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride('PolicyDocument.Statement.3', {
      Effect: Fn.conditionIf('Strict', 'Deny', 'Allow'), Principal: '*', Action: 's3:GetObject', Resource: data.bucket.arnForObjects('*'), Condition: office,
    });
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.LOCKOUT_DENY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/bucket policy statement #4 has its Effect given as Fn::If .* and denies on aws:SourceIp/);
  });

  it('the same override on Statement.1 merges into SegmentsBucket\'s TLS statement: its NumericLessThan s3:TlsVersion 1.2 never holds for Segments, so it stays quiet', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data', { bucketName: 'acme-data' });
    const cfnPolicy = data.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy;
    cfnPolicy.addPropertyOverride('PolicyDocument.Statement.1', {
      Effect: Fn.conditionIf('Strict', 'Deny', 'Allow'), Principal: '*', Action: 's3:GetObject', Resource: data.bucket.arnForObjects('*'), Condition: office,
    });
    // The rendered statement: both conditions, which must all hold for the Deny to apply (AWS: conditions are ANDed).
    const rendered = (stack.resolve((cfnPolicy as unknown as { _toCloudFormation(): any })._toCloudFormation()) as any);
    const statement = Object.values(rendered.Resources as Record<string, any>)[0].Properties.PolicyDocument.Statement[1];
    expect(statement.Condition).toEqual({ NumericLessThan: { 's3:TlsVersion': 1.2 }, NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } });
    expect(warningsWithId(stack, SegmentsAccessWarnings.LOCKOUT_DENY)).toEqual([]);
  });

  it('the same override with the TLS condition deleted warns (control)', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data', { bucketName: 'acme-data' });
    const cfnPolicy = data.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy;
    cfnPolicy.addPropertyOverride('PolicyDocument.Statement.1', {
      Effect: Fn.conditionIf('Strict', 'Deny', 'Allow'), Principal: '*', Action: 's3:GetObject', Resource: data.bucket.arnForObjects('*'), Condition: office,
    });
    cfnPolicy.addDeletionOverride('Properties.PolicyDocument.Statement.1.Condition.NumericLessThan');
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.LOCKOUT_DENY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/statement #2 has its Effect given as Fn::If/);
  });

  it.each<[string, Record<string, unknown>]>([
    ['Segments\' account exempted with StringNotEquals aws:PrincipalAccount', { ...office, StringNotEquals: { 'aws:PrincipalAccount': '931508227573' } }],
    ['insecure transport with BoolIfExists', { BoolIfExists: { 'aws:SecureTransport': 'false' } }],
  ])('stays quiet on a Deny that cannot match Segments\' GET: %s', (_name, conditions) => {
    const { stack, bucket } = accessStack();
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'Harmless', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')], conditions,
    }));
    expect(warningsWithId(stack, SegmentsAccessWarnings.LOCKOUT_DENY)).toEqual([]);
  });

  it.each<[string, Record<string, unknown> | undefined, string]>([
    ['a contract that ended (DateGreaterThan aws:CurrentTime 2020-01-01)', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, '*'],
    ['a Deny on the .png keys of a bucket granted whole', undefined, '*.png'],
    ['a condition on a value only known at deploy time', { StringNotEquals: { 'aws:SourceVpce': Fn.importValue('Vpce') } }, '*'],
  ])('warns on %s', (_name, conditions, keys) => {
    const { stack, bucket } = accessStack();
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'LockOut', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects(keys)],
      ...(conditions ? { conditions } : {}),
    }));
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.LOCKOUT_DENY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/bucket policy statement LockOut /);
  });
});
