import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

interface Registered {
  readonly bucket: s3.IBucket;
  readonly cfnBucket: s3.CfnBucket;
}

const CHECKS = new WeakMap<IConstruct, SeparateBucketPolicyCheck>();

/**
 * Refuses, at synth, a bucket that has a separate `AWS::S3::BucketPolicy` besides its own anywhere
 * in the app (its stack, another stack, a nested stack): a bucket has one policy, so on deploy one
 * resource would overwrite the other. A policy is the bucket's when its `Bucket` refers to the
 * bucket's resource (`Ref`, `bucket.bucketName`, also across stacks) or names it literally (a
 * `CfnBucketPolicy` with the name, or an `s3.BucketPolicy` on `Bucket.fromBucketName`).
 *
 * One validation per app walks the construct tree once for every SegmentsAccess in it: linear.
 * It is a validation of the app's root node, so it adds no construct to the tree.
 */
export class SeparateBucketPolicyCheck {
  /** The check of the app (the construct tree's root) that holds `scope`, created on first use. */
  public static of(scope: IConstruct): SeparateBucketPolicyCheck {
    const root = scope.node.root;
    let check = CHECKS.get(root);
    if (!check) {
      check = new SeparateBucketPolicyCheck(root);
      CHECKS.set(root, check);
    }
    return check;
  }

  private readonly registered: Registered[] = [];

  private constructor(private readonly root: IConstruct) {
    root.node.addValidation({ validate: () => this.validate() });
  }

  /** Checks this bucket at synth. */
  public register(bucket: s3.IBucket, cfnBucket: s3.CfnBucket): void {
    this.registered.push({ bucket, cfnBucket });
  }

  private validate(): string[] {
    const byResource = new Map<IConstruct, s3.CfnBucketPolicy[]>();
    const byName = new Map<string, s3.CfnBucketPolicy[]>();
    const add = <K>(map: Map<K, s3.CfnBucketPolicy[]>, key: K, policy: s3.CfnBucketPolicy) => {
      const policies = map.get(key);
      if (policies) {
        policies.push(policy);
      } else {
        map.set(key, [policy]);
      }
    };
    // A registered bucket's own policy that still names it by its own bucketName token refers to it:
    // no need to parse that token (the usual case, one per bucket).
    const ownPolicies = new Map<IConstruct, Registered>();
    for (const registered of this.registered) {
      const own = registered.bucket.policy?.node.defaultChild;
      if (own) {
        ownPolicies.set(own, registered);
      }
    }
    for (const construct of this.root.node.findAll()) {
      if (!s3.CfnBucketPolicy.isCfnBucketPolicy(construct)) {
        continue;
      }
      const owner = ownPolicies.get(construct);
      const target = owner && construct.bucket === owner.bucket.bucketName ? owner.cfnBucket : referencedResource(construct.bucket);
      if (target) {
        add(byResource, target, construct);
      } else if (typeof construct.bucket === 'string' && !Token.isUnresolved(construct.bucket)) {
        add(byName, construct.bucket, construct);
      }
    }
    return this.registered.flatMap(({ bucket, cfnBucket }) => {
      const own = bucket.policy?.node.defaultChild;
      const byRef = byResource.get(cfnBucket);
      const name = cfnBucket.bucketName;
      const literalName = name !== undefined && !Token.isUnresolved(name) ? name : undefined;
      const byLiteralName = literalName !== undefined ? byName.get(literalName) : undefined;
      if (!byLiteralName && (!byRef || (byRef.length === 1 && byRef[0] === own))) {
        return [];
      }
      const others = [...new Set([...(byRef ?? []), ...(byLiteralName ?? [])])].filter((policy) => policy !== own);
      return others.map((policy) =>
        `bucket ('${bucket.node.path}') also has the bucket policy ${policy.node.path} (a separate s3.BucketPolicy or CfnBucketPolicy` +
        `${literalName !== undefined && policy.bucket === literalName ? `, naming the bucket '${literalName}'` : ''}). ` +
        'A bucket has one policy, so on deploy one would overwrite the other and either the Segments grant or your statements would be lost. ' +
        'Add those statements with bucket.addToResourcePolicy() instead, and remove the separate policy.');
    });
  }
}

/** The resource a string refers to when it is one reference token (`Ref` or an attribute, also across stacks), else undefined. */
function referencedResource(value: unknown): IConstruct | undefined {
  if (typeof value !== 'string' || !Token.isUnresolved(value)) {
    return undefined;
  }
  const fragments = Tokenization.reverseString(value);
  if (fragments.length !== 1 || fragments.tokens.length !== 1) {
    return undefined;
  }
  const token = fragments.firstToken;
  return Reference.isReference(token) ? token.target : undefined;
}
