import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * Refuses, at synth, a bucket that has a separate `AWS::S3::BucketPolicy` besides its own: a bucket
 * has one policy, so on deploy one resource would overwrite the other.
 *
 * One instance per stack indexes the stack's bucket policies once for every SegmentsAccess in it,
 * so a stack with N of them costs N resolves, not N².
 */
export class SeparateBucketPolicyCheck extends Construct {
  /** The stack's check, created on first use. */
  public static of(stack: Stack): SeparateBucketPolicyCheck {
    const existing = stack.node.tryFindChild(CHECK_ID);
    return existing instanceof SeparateBucketPolicyCheck ? existing : new SeparateBucketPolicyCheck(stack, CHECK_ID);
  }

  private readonly buckets: s3.IBucket[] = [];

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => this.validate() });
  }

  /** Checks this bucket at synth. */
  public register(bucket: s3.IBucket): void {
    this.buckets.push(bucket);
  }

  private validate(): string[] {
    const stack = Stack.of(this);
    const policiesByBucket = new Map<string, s3.CfnBucketPolicy[]>();
    for (const construct of stack.node.findAll()) {
      if (s3.CfnBucketPolicy.isCfnBucketPolicy(construct) && Stack.of(construct) === stack) {
        const key = JSON.stringify(stack.resolve(construct.bucket));
        policiesByBucket.set(key, [...(policiesByBucket.get(key) ?? []), construct]);
      }
    }
    return this.buckets.flatMap((bucket) => {
      const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
      const own = bucket.policy?.node.defaultChild;
      const others = [...new Set([cfnBucket.ref, cfnBucket.bucketName]
        .filter((name): name is string => name !== undefined)
        .flatMap((name) => policiesByBucket.get(JSON.stringify(stack.resolve(name))) ?? []))]
        .filter((policy) => policy !== own);
      return others.map((policy) =>
        `bucket ('${bucket.node.path}') also has the bucket policy ${policy.node.path} (a separate s3.BucketPolicy or CfnBucketPolicy). ` +
        'A bucket has one policy, so on deploy one would overwrite the other and either the Segments grant or your statements would be lost. ' +
        'Add those statements with bucket.addToResourcePolicy() instead, and remove the separate policy.');
    });
  }
}

const CHECK_ID = 'SegmentsSeparateBucketPolicyCheck';
