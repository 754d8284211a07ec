/**
 * Issue 18 item 8, on the SegmentsAccess side: CORS rules written as an intrinsic, and the one
 * function that turns a wildcard origin into the origin a browser sends (shared with the handler).
 */
import { CfnCondition, Fn } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack, warningsWithId } from './app';
import { SegmentsAccess, SegmentsAccessWarnings } from '../../lib/aws';
import { browserOriginsOf, segmentsS3CorsRuleJson } from '../../lib/s3/cors-configuration';

function accessStack(allowedOrigins?: string[]) {
  const { app, stack } = newStack();
  const bucket = new s3.Bucket(stack, 'Images', { bucketName: 'acme-images' });
  new SegmentsAccess(stack, 'SegmentsAccess', { bucket, allowedOrigins });
  return { app, stack, bucket, cfnBucket: bucket.node.defaultChild as s3.CfnBucket };
}

describe('CORS rules given as Fn::If', () => {
  it('are refused with a message naming the intrinsic and the fix, not a TypeError', () => {
    const { app, stack, cfnBucket } = accessStack();
    const condition = new CfnCondition(stack, 'Prod', { expression: Fn.conditionEquals('a', 'a') });
    const rules = [{ Id: 'segments-cors', AllowedMethods: ['GET'], AllowedOrigins: ['https://segments.ai'] }];
    cfnBucket.addPropertyOverride('CorsConfiguration.CorsRules', Fn.conditionIf(condition.logicalId, rules, []));
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\): the template's CorsConfiguration\.CorsRules is an Fn::If, not a list, so whether it holds the Segments CORS rule cannot be known at synth .* Give the CORS rules as a list/);
  });
});

describe('a wildcard origin is tried as the web app\'s host under it, by one function', () => {
  it('maps https://*.segments.ai to https://app.segments.ai and keeps exact origins', () => {
    expect(browserOriginsOf(['https://*.segments.ai', 'https://segments.ai', 'https://x.example.com:8443']))
      .toEqual(['https://app.segments.ai', 'https://segments.ai', 'https://x.example.com:8443']);
  });

  it('SegmentsAccess warns about an earlier rule for https://app.segments.ai when it grants https://*.segments.ai', () => {
    const { stack } = newStackWithEarlierRule(['https://app.segments.ai']);
    expect(warningsWithId(stack, SegmentsAccessWarnings.EARLIER_CORS_RULE)).toHaveLength(1);
  });

  it('and not about an earlier rule for another host (control)', () => {
    const { stack } = newStackWithEarlierRule(['https://other.example.com']);
    expect(warningsWithId(stack, SegmentsAccessWarnings.EARLIER_CORS_RULE)).toEqual([]);
  });

  it('the handler\'s rule is the one the vendor doc writes, whose origins the function maps', () => {
    expect(browserOriginsOf(segmentsS3CorsRuleJson(['https://*.segments.ai']).AllowedOrigins)).toEqual(['https://app.segments.ai']);
  });
});

function newStackWithEarlierRule(earlierOrigins: string[]) {
  const { app, stack } = newStack();
  const bucket = new s3.Bucket(stack, 'Images', {
    bucketName: 'acme-images',
    cors: [{ allowedMethods: [s3.HttpMethods.GET], allowedOrigins: earlierOrigins }],
  });
  new SegmentsAccess(stack, 'SegmentsAccess', { bucket, allowedOrigins: ['https://*.segments.ai'] });
  return { app, stack };
}
