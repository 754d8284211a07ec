import { CfnResource, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/**
 * The CloudFormation properties of a resource as they will be deployed, escape hatches
 * (`addPropertyOverride`, L1 property assignments) included, with tokens resolved.
 * Undefined if aws-cdk-lib no longer offers the renderer this relies on.
 */
export function renderedProperties(resource: CfnResource): Record<string, any> | undefined {
  const render = (resource as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
  if (typeof render !== 'function') {
    return undefined;
  }
  const rendered = Stack.of(resource).resolve(render.call(resource)) as { Resources?: Record<string, { Properties?: Record<string, any> }> };
  return Object.values(rendered.Resources ?? {})[0]?.Properties ?? {};
}

/**
 * The paths of the `AWS::S3::BucketPolicy` resources in the bucket's stack that attach to the
 * bucket, other than `except`: a bucket has one policy, so a second resource overwrites the first.
 */
export function otherBucketPolicies(bucket: s3.CfnBucket, except: IConstruct | undefined): string[] {
  const stack = Stack.of(bucket);
  const names = [bucket.ref, bucket.bucketName].filter((name) => name !== undefined).map((name) => JSON.stringify(stack.resolve(name)));
  return stack.node.findAll()
    .filter((c): c is s3.CfnBucketPolicy => s3.CfnBucketPolicy.isCfnBucketPolicy(c) && c !== except)
    .filter((policy) => names.includes(JSON.stringify(stack.resolve(policy.bucket))))
    .map((policy) => policy.node.path);
}
