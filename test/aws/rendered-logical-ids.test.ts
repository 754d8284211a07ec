/**
 * The template checks find the bucket and its policy by the logical IDs the template has:
 * `overrideLogicalId` included (used with `cdk import` and when moving resources between stacks),
 * and computed once per render without changing the stack for anything after it.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack } from './app';
import { SegmentsAccess, SegmentsBucket } from '../../lib/aws';

describe('an overridden logical ID', () => {
  it('on the bucket of a SegmentsBucket: synth passes, and the grant names the new ID', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data', { bucketName: 'acme-labeling-data' });
    (data.bucket.node.defaultChild as s3.CfnBucket).overrideLogicalId('LabelingData');
    const template = Template.fromStack(stack).toJSON();
    expect(template.Resources.LabelingData.Type).toBe('AWS::S3::Bucket');
    const policy = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::S3::BucketPolicy');
    expect(policy.Properties.Bucket).toEqual({ Ref: 'LabelingData' });
  });

  it('on the bucket policy of a SegmentsAccess: synth passes', () => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    new SegmentsAccess(stack, 'Access', { bucket });
    (bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).overrideLogicalId('SegmentsPolicy');
    expect(Template.fromStack(stack).toJSON().Resources.SegmentsPolicy.Type).toBe('AWS::S3::BucketPolicy');
  });

  it('an escape hatch on an overridden bucket is still refused', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data');
    const cfnBucket = data.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.overrideLogicalId('LabelingData');
    cfnBucket.addPropertyOverride('CorsConfiguration.CorsRules', []);
    expect(() => Template.fromStack(stack)).toThrow(/the Segments CORS rule .* is missing from the template or was changed/);
  });
});

describe('the logical IDs computed during a render', () => {
  it('leave the stack as it was: getLogicalId is the class\'s again after synth', () => {
    const { stack } = newStack();
    new SegmentsBucket(stack, 'Data');
    Template.fromStack(stack);
    expect(Object.prototype.hasOwnProperty.call(stack, 'getLogicalId')).toBe(false);
  });

  it('leave the stack as it was when a check refuses', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data');
    (data.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('CorsConfiguration.CorsRules', []);
    expect(() => Template.fromStack(stack)).toThrow(/Segments CORS rule/);
    expect(Object.prototype.hasOwnProperty.call(stack, 'getLogicalId')).toBe(false);
  });

  it('follow a rename made before synth', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data');
    const original = stack.getLogicalId(data.bucket.node.defaultChild as s3.CfnBucket);
    stack.renameLogicalId(original, 'Renamed');
    const template = Template.fromStack(stack).toJSON();
    expect(template.Resources.Renamed.Type).toBe('AWS::S3::Bucket');
    expect(template.Resources[original]).toBeUndefined();
  });
});
