/**
 * Issue 18, item 3: what a bucket policy's `Bucket` refers to is resolved by one function
 * (lib/aws/private/bucket-reference.ts), which every policy check uses. Each form below passed
 * before as "another bucket"; now each is the bucket, and its separate policy is refused.
 */
import { CfnOutput, CfnResource, Fn, Lazy, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack } from './app';
import { type TemplateContext, bucketTargets } from '../../lib/aws/private/bucket-reference';
import { SegmentsAccess } from '../../lib/aws';

describe('bucketTargets reads what a Bucket property refers to', () => {
  const template: TemplateContext = { stack: 'S', isParameter: (id) => id === 'Param' };
  const images = { kind: 'resource', stack: 'S', logicalId: 'Images' };
  const arn = { 'Fn::GetAtt': ['Images', 'Arn'] };
  const nameOfArn = (value: unknown) => ({ 'Fn::Select': [0, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', value] }] }] }] });

  it.each([
    ['a literal name', 'acme-images', { kind: 'name', name: 'acme-images' }],
    ['a Ref', { Ref: 'Images' }, images],
    ['Fn::Sub of a logical ID', { 'Fn::Sub': '${Images}' }, images],
    ['Fn::Sub with a map', { 'Fn::Sub': ['${B}', { B: { Ref: 'Images' } }] }, images],
    ['Fn::Sub of literal text', { 'Fn::Sub': ['acme-${Env}', { Env: 'images' }] }, { kind: 'name', name: 'acme-images' }],
    ['Fn::Sub with an escaped ${!}', { 'Fn::Sub': 'acme-${!x}' }, { kind: 'name', name: 'acme-${x}' }],
    ['Fn::Join of a Ref alone', { 'Fn::Join': ['', [{ Ref: 'Images' }]] }, images],
    ['Fn::Join of literals', { 'Fn::Join': ['-', ['acme', 'images']] }, { kind: 'name', name: 'acme-images' }],
    ['the name out of its ARN (Bucket.fromBucketArn)', nameOfArn(arn), images],
    ['the name out of its ARN given by Fn::Sub', nameOfArn({ 'Fn::Sub': '${Images.Arn}' }), images],
    ['the name out of a literal ARN', nameOfArn('arn:aws:s3:::acme-images'), { kind: 'name', name: 'acme-images' }],
    ['Fn::Select with a string index', { 'Fn::Select': ['1', ['x', { Ref: 'Images' }]] }, images],
  ])('%s', (_name, value, target) => {
    expect(bucketTargets(value, template)).toEqual([target]);
  });

  it.each([
    ['a parameter', { Ref: 'Param' }],
    ['a parameter inside text', { 'Fn::Join': ['', ['acme-', { Ref: 'Param' }]] }],
    ['a pseudo parameter', { Ref: 'AWS::StackName' }],
    ['AWS::NoValue', { Ref: 'AWS::NoValue' }],
    ['an import the context cannot resolve', { 'Fn::ImportValue': 'Elsewhere' }],
    ['an attribute other than Arn', { 'Fn::GetAtt': ['Images', 'DomainName'] }],
    ['a split on a separator a name may hold', { 'Fn::Select': [0, { 'Fn::Split': ['.', { Ref: 'Images' }] }] }],
    ['a split of a parameter', { 'Fn::Select': [0, { 'Fn::Split': [':', { Ref: 'Param' }] }] }],
    ['a select past the end', { 'Fn::Select': [3, ['a']] }],
    ['an unknown intrinsic', { 'Fn::Base64': 'acme' }],
    ['a list', ['acme']],
  ])('unknown: %s', (_name, value) => {
    expect(bucketTargets(value, template)).toEqual([{ kind: 'unknown' }]);
  });

  it('both branches of a top-level Fn::If', () => {
    expect(bucketTargets({ 'Fn::If': ['C', { Ref: 'Images' }, 'other'] }, template)).toEqual([images, { kind: 'name', name: 'other' }]);
  });

  it('an import and a nested stack\'s parameter, through what the context knows', () => {
    const producer: TemplateContext = { stack: 'P', isParameter: () => false };
    const consumer: TemplateContext = {
      stack: 'C',
      isParameter: (id) => id === 'FromParent',
      parameterValue: (name) => (name === 'FromParent' ? { value: { Ref: 'Bucket' }, context: producer } : undefined),
      exportValue: (name) => (name === 'DataBucketArn' ? { value: { 'Fn::GetAtt': ['Bucket', 'Arn'] }, context: producer } : undefined),
      stackOutputValue: (stack, output) => (stack === 'Data' && output === 'Out' ? { value: { Ref: 'Bucket' }, context: producer } : undefined),
    };
    const bucket = { kind: 'resource', stack: 'P', logicalId: 'Bucket' };
    expect(bucketTargets({ Ref: 'FromParent' }, consumer)).toEqual([bucket]);
    expect(bucketTargets({ 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::ImportValue': 'DataBucketArn' }] }] }, consumer)).toEqual([bucket]);
    expect(bucketTargets({ 'Fn::GetStackOutput': { StackName: 'Data', OutputName: 'Out', Region: { Ref: 'AWS::Region' } } }, consumer)).toEqual([bucket]);
  });
});

describe('a second bucket policy is found whatever form its Bucket takes (the five that escaped before)', () => {
  const document = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' }] };
  const statement = (bucket: s3.IBucket) => new iam.PolicyStatement({
    effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:DeleteBucket'], resources: [bucket.bucketArn],
  });

  function withAccess() {
    const { app, stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Images');
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    return { app, stack, bucket, other: new Stack(app, 'Other') };
  }

  it('1. a CfnBucketPolicy whose bucket is Fn.sub(\'${B}\', { B: bucket.bucketName }), in the same stack and in another', () => {
    const same = withAccess();
    new s3.CfnBucketPolicy(same.stack, 'Separate', { bucket: Fn.sub('${B}', { B: same.bucket.bucketName }), policyDocument: document });
    expect(() => same.app.synth()).toThrow(/bucket \('TestStack\/Images'\) has a second AWS::S3::BucketPolicy in the template, Separate \(TestStack\/Separate\)/);
    const across = withAccess();
    new s3.CfnBucketPolicy(across.other, 'Separate', { bucket: Fn.sub('${B}', { B: across.bucket.bucketName }), policyDocument: document });
    expect(() => across.app.synth()).toThrow(/bucket \('TestStack\/Images'\) also has the bucket policy Other\/Separate/);
  });

  it('2. an s3.BucketPolicy on Bucket.fromBucketArn(bucket.bucketArn) (Fn::Select/Fn::Split of the ARN), in the same stack and in another', () => {
    const same = withAccess();
    const sameImported = s3.Bucket.fromBucketArn(same.stack, 'ByArn', same.bucket.bucketArn);
    new s3.BucketPolicy(same.stack, 'Separate', { bucket: sameImported }).document.addStatements(statement(sameImported));
    expect(() => same.app.synth()).toThrow(/has a second AWS::S3::BucketPolicy in the template, Separate[0-9A-F]{8} \(TestStack\/Separate\/Resource\)/);
    const across = withAccess();
    const imported = s3.Bucket.fromBucketArn(across.other, 'ByArn', across.bucket.bucketArn);
    new s3.BucketPolicy(across.other, 'Separate', { bucket: imported }).document.addStatements(statement(imported));
    expect(() => across.app.synth()).toThrow(/bucket \('TestStack\/Images'\) also has the bucket policy Other\/Separate\/Resource/);
  });

  it('3. a Lazy name in another stack', () => {
    const { app, bucket, other } = withAccess();
    new s3.CfnBucketPolicy(other, 'Separate', { bucket: Lazy.string({ produce: () => bucket.bucketName }), policyDocument: document });
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\) also has the bucket policy Other\/Separate/);
  });

  it('4. Fn::ImportValue of a hand-made export', () => {
    const { app, stack, bucket, other } = withAccess();
    new CfnOutput(stack, 'DataBucket', { value: bucket.bucketName, exportName: 'acme-data-bucket' });
    new s3.CfnBucketPolicy(other, 'Separate', { bucket: Fn.importValue('acme-data-bucket'), policyDocument: document });
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\) also has the bucket policy Other\/Separate/);
  });

  it('5. a raw CfnResource of type AWS::S3::BucketPolicy in another stack', () => {
    const { app, bucket, other } = withAccess();
    new CfnResource(other, 'Raw', { type: 'AWS::S3::BucketPolicy', properties: { Bucket: bucket.bucketName, PolicyDocument: document } });
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\) also has the bucket policy Other\/Raw \(a separate s3\.BucketPolicy, CfnBucketPolicy or CfnResource/);
  });

  it('also through a nested stack\'s parameter, and an addPropertyOverride(\'Bucket\') in another stack', () => {
    const nested = withAccess();
    const inner = new NestedStack(nested.stack, 'Nested');
    new s3.CfnBucketPolicy(inner, 'Separate', { bucket: Fn.sub('${B}', { B: nested.bucket.bucketName }), policyDocument: document });
    expect(() => nested.app.synth()).toThrow(/also has the bucket policy TestStack\/Nested\/Separate/);
    const override = withAccess();
    const theirs = new s3.CfnBucketPolicy(override.other, 'Separate', { bucket: 'acme-other', policyDocument: document });
    theirs.addPropertyOverride('Bucket', override.bucket.bucketName);
    expect(() => override.app.synth()).toThrow(/also has the bucket policy Other\/Separate/);
  });

  it('but not a policy of another bucket, whatever its form (control)', () => {
    const { app, other } = withAccess();
    const another = new s3.Bucket(other, 'Another');
    new s3.CfnBucketPolicy(other, 'BySub', { bucket: Fn.sub('${B}', { B: another.bucketName }), policyDocument: document });
    const byArn = s3.Bucket.fromBucketArn(other, 'ByArn', another.bucketArn);
    new s3.BucketPolicy(other, 'ByArnPolicy', { bucket: byArn }).document.addStatements(statement(byArn));
    new CfnResource(other, 'Raw', { type: 'AWS::S3::BucketPolicy', properties: { Bucket: 'acme-unrelated', PolicyDocument: document } });
    expect(() => app.synth()).not.toThrow();
  });
});
