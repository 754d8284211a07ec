import { Annotations, CfnResource, Stack, Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { segmentsAccessInputProblems } from './private/access-input';
import { throwProblems } from './private/errors';
import { renderedProperties } from './private/rendered';
import { SeparateBucketPolicyCheck } from './private/separate-bucket-policy-check';
import {
  type ResolvedCorsRule,
  S3_BUCKET_POLICY_MAX_BYTES,
  earlierMatchingCorsRule,
  estimatePolicyBytes,
  lockoutDenyStatements,
  sameCorsRule,
} from './private/policy-inspection';
import { segmentsKeyDecryptStatement, segmentsObjectReadStatement } from './segments-statements';
import {
  SEGMENTS_AWS_PRINCIPAL_ARN,
  SEGMENTS_DEFAULT_ORIGINS,
  SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS,
  SEGMENTS_S3_CORS_RULE_ID,
  SEGMENTS_S3_POLICY_SID,
  segmentsS3CorsRule,
} from '../segments';

/** Properties of {@link SegmentsAccess}. */
export interface SegmentsAccessProps {
  /**
   * The bucket Segments.ai reads. It must be defined in this CDK app (`new s3.Bucket`, or a
   * bucket brought in with `cdk import`): CDK cannot change the policy of an imported bucket. For
   * an existing bucket outside the app, use {@link SegmentsImportedBucketAccess}.
   */
  readonly bucket: s3.IBucket;

  /**
   * Key prefixes Segments may read, such as `['images/']`. Each is matched literally as the start
   * of an object key (`images` also matches `images-old/…`; end it with `/` for a folder).
   *
   * @default - every object in the bucket
   */
  readonly keyPrefixes?: string[];

  /**
   * Origins of Segments' web app allowed by the CORS rule: `https://host[:port]`, no path, or a
   * leading subdomain wildcard `https://*.host` (S3 matches one `*`).
   *
   * @default ['https://segments.ai', 'https://*.segments.ai'] (SEGMENTS_DEFAULT_ORIGINS: the apex and its subdomains)
   */
  readonly allowedOrigins?: string[];
}

/** Regions of the China, GovCloud and isolated partitions, which cannot grant the aws-partition principal. */
const OTHER_PARTITION_REGION = /^(cn|us-gov|us-iso|us-isob|eu-isoe|us-isof)-/;

/** Stable IDs of the warnings {@link SegmentsAccess} emits; acknowledge them with `Annotations.of(scope).acknowledgeWarning(id, reason)`. */
export const SegmentsAccessWarnings = {
  /** The bucket's customer managed key is imported: its key policy must be changed by hand. */
  IMPORTED_KMS_KEY: 'segments-cloud-constructs:imported-kms-key',
  /** A Deny statement on the bucket may keep out Segments' presigned GETs. */
  LOCKOUT_DENY: 'segments-cloud-constructs:lockout-deny',
  /** An earlier CORS rule on the bucket answers Segments' origins instead of the Segments rule. */
  EARLIER_CORS_RULE: 'segments-cloud-constructs:earlier-cors-rule',
  /** The bucket's Object Ownership keeps ACLs on, so objects other accounts upload escape the bucket policy. */
  ACL_OWNERSHIP: 'segments-cloud-constructs:acl-ownership',
} as const;

/**
 * Grants Segments.ai read-only access to a bucket defined in the same CDK app, exactly as
 * Segments' "Cloud integrations" doc describes:
 *
 * - one bucket policy statement (Sid `segments-s3-access`): Segments' IAM user may `s3:GetObject`
 *   on the bucket's objects (or on those under `keyPrefixes`), and nothing else;
 * - one CORS rule (ID `segments-cors`): `GET` from `allowedOrigins`, any request header, no exposed headers;
 * - when the bucket uses a customer managed KMS key of this app, one key policy statement letting
 *   Segments `kms:Decrypt` through S3 only.
 *
 * Statements and CORS rules the bucket already has are kept; the bucket's logical ID is unchanged.
 */
export class SegmentsAccess extends Construct {
  /** The bucket policy statement added to the bucket. */
  public readonly policyStatement: iam.PolicyStatement;

  /** The CORS rule added to the bucket. */
  public readonly corsRule: s3.CorsRule;

  /** The key policy statement added to the bucket's customer managed key, if any. */
  public readonly keyPolicyStatement?: iam.PolicyStatement;

  /** The origins allowed by the CORS rule. */
  public readonly allowedOrigins: string[];

  constructor(scope: Construct, id: string, props: SegmentsAccessProps) {
    super(scope, id);
    const { bucket } = props;
    this.allowedOrigins = [...(props.allowedOrigins ?? SEGMENTS_DEFAULT_ORIGINS)];

    const problems = segmentsAccessInputProblems(props);
    const cfnBucket = bucket.node.defaultChild;
    const definedHere = CfnResource.isCfnResource(cfnBucket) && s3.CfnBucket.isCfnBucket(cfnBucket) &&
      typeof (bucket as Partial<s3.Bucket>).addCorsRule === 'function';
    if (!definedHere) {
      problems.push(
        `bucket ('${bucket.node.path}') is not an s3.Bucket defined in this app (it was imported with Bucket.fromBucketName, ` +
        'fromBucketArn or fromBucketAttributes, or wrapped with fromCfnBucket): CDK cannot change an imported bucket\'s policy or CORS ' +
        'and would silently drop them. For an existing bucket that no stack manages, use SegmentsImportedBucketAccess instead: its ' +
        'custom resource merges the Segments statement and CORS rule into what the bucket already has, and removes only those on delete. ' +
        'Otherwise define the bucket in this app (new s3.Bucket or SegmentsBucket), or bring it under the stack with `cdk import` ' +
        '(after copying its current bucket policy and CORS rules into the definition, because the stack then replaces both).');
    }
    const encryption = definedHere ? defaultEncryption(cfnBucket as s3.CfnBucket) : undefined;
    if (definedHere && usesAwsManagedKmsKey(bucket, encryption)) {
      problems.push(
        `bucket ('${bucket.node.path}') is encrypted with the AWS managed key aws/s3 (BucketEncryption.KMS_MANAGED), ` +
        'whose key policy cannot grant another account, so Segments could not decrypt the objects. ' +
        'Use BucketEncryption.S3_MANAGED, or BucketEncryption.KMS with a customer managed key (encryptionKey).');
    }
    const region = Stack.of(bucket).region;
    if (!Token.isUnresolved(region) && OTHER_PARTITION_REGION.test(region)) {
      problems.push(
        `bucket ('${bucket.node.path}') is in region ${region}, outside the standard aws partition where Segments' principal lives; ` +
        'IAM cannot grant across partitions. Keep the data Segments reads in a bucket in a standard AWS region.');
    }
    if (problems.length > 0) {
      throwProblems(this, 'SegmentsAccess', problems);
    }

    this.policyStatement = segmentsObjectReadStatement(bucket, props.keyPrefixes);
    if (!bucket.addToResourcePolicy(this.policyStatement).statementAdded) {
      throwProblems(this, 'SegmentsAccess', [`bucket ('${bucket.node.path}') did not accept the policy statement: define the bucket in this app.`]);
    }

    this.corsRule = {
      ...segmentsS3CorsRule(this.allowedOrigins),
      allowedMethods: [s3.HttpMethods.GET],
    };
    (bucket as s3.Bucket).addCorsRule(this.corsRule);

    if (bucket.encryptionKey) {
      this.keyPolicyStatement = segmentsKeyDecryptStatement(Stack.of(bucket).region);
      if (!bucket.encryptionKey.addToResourcePolicy(this.keyPolicyStatement).statementAdded) {
        Annotations.of(this).addWarningV2(SegmentsAccessWarnings.IMPORTED_KMS_KEY,
          `The bucket's KMS key (${bucket.encryptionKey.node.path}) is imported, so its key policy cannot be changed here. ` +
          `Add a statement allowing ${SEGMENTS_AWS_PRINCIPAL_ARN} kms:Decrypt with kms:ViaService s3.<region>.amazonaws.com to that key's policy, ` +
          'and tell Segments which key you use.');
      }
    } else if (encryption?.kmsMasterKeyId) {
      Annotations.of(this).addWarningV2(SegmentsAccessWarnings.IMPORTED_KMS_KEY,
        'The bucket is encrypted with a KMS key given by ID, not an IKey of this app, so its key policy cannot be changed here. ' +
        `Add a statement allowing ${SEGMENTS_AWS_PRINCIPAL_ARN} kms:Decrypt with kms:ViaService s3.<region>.amazonaws.com to that key's policy.`);
    }

    SeparateBucketPolicyCheck.of(Stack.of(bucket)).register(bucket);
    this.node.addValidation({ validate: () => this.validateBucket(bucket, cfnBucket as s3.CfnBucket) });
  }

  /** Checks that need the whole app: what else was added to the bucket's policy and CORS. */
  private validateBucket(bucket: s3.IBucket, cfnBucket: s3.CfnBucket): string[] {
    const errors: string[] = [];
    const stack = Stack.of(bucket);
    const document = bucket.policy?.document.toJSON();
    const statements: { Sid?: string }[] = document?.Statement ?? [];
    if (statements.filter((statement) => statement.Sid === SEGMENTS_S3_POLICY_SID).length > 1) {
      errors.push(`bucket ('${bucket.node.path}') has more than one SegmentsAccess: use one, listing every prefix in keyPrefixes.`);
    }
    const bytes = estimatePolicyBytes(document);
    if (document && bytes > S3_BUCKET_POLICY_MAX_BYTES) {
      errors.push(`The policy of bucket '${bucket.node.path}' would be up to ${bytes} bytes, over S3's 20 KB limit: ` +
        'use fewer keyPrefixes (a shorter common prefix covers several) or fewer other statements.');
    }
    for (const deny of lockoutDenyStatements(document)) {
      Annotations.of(this).addWarningV2(SegmentsAccessWarnings.LOCKOUT_DENY,
        `Bucket policy statement ${deny.sid} denies on ${deny.keys.join(', ')}. Segments reads through presigned URLs that labelers' ` +
        `browsers fetch from anywhere for up to ${SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS} hours, so this Deny may lock Segments out: ` +
        `exempt ${SEGMENTS_AWS_PRINCIPAL_ARN} (aws:PrincipalArn) from it.`);
    }

    const rendered = renderedProperties(cfnBucket);
    if (rendered === undefined) {
      return errors;
    }
    const rules: ResolvedCorsRule[] = rendered.CorsConfiguration?.CorsRules ?? [];
    const own: ResolvedCorsRule = stack.resolve({
      Id: this.corsRule.id,
      AllowedHeaders: this.corsRule.allowedHeaders,
      AllowedMethods: this.corsRule.allowedMethods,
      AllowedOrigins: this.corsRule.allowedOrigins,
      ExposedHeaders: this.corsRule.exposedHeaders,
    });
    const ownIndex = rules.findIndex((rule) => sameCorsRule(rule, own));
    if (ownIndex < 0) {
      errors.push(`The Segments CORS rule is missing from bucket '${bucket.node.path}': an escape hatch (cfnBucket.corsConfiguration ` +
        'or addPropertyOverride) replaced the CORS rules. Add your own rules with bucket.addCorsRule() or the cors prop instead.');
    }
    rules.forEach((rule, i) => {
      if (i !== ownIndex && rule.Id === SEGMENTS_S3_CORS_RULE_ID) {
        errors.push(`CORS rule #${i + 1} of bucket '${bucket.node.path}' has the ID '${SEGMENTS_S3_CORS_RULE_ID}', which names the ` +
          'Segments CORS rule (tools that update the rule in place would replace it): give that rule another ID.');
      }
    });
    // A wildcard origin stands for its subdomains: try the web app's, `app.` (https://app.segments.ai).
    const browserOrigins = this.allowedOrigins.map((origin) => origin.replace('://*.', '://app.'));
    const earlier = earlierMatchingCorsRule(rules, ownIndex < 0 ? rules.length : ownIndex, browserOrigins);
    if (earlier >= 0) {
      Annotations.of(this).addWarningV2(SegmentsAccessWarnings.EARLIER_CORS_RULE,
        `CORS rule #${earlier + 1} of the bucket also matches GETs from ${this.allowedOrigins.join(', ')} and comes first, ` +
        'so S3 answers Segments with it instead of the Segments rule: remove those origins from it, or add SegmentsAccess before it.');
    }
    const ownership = rendered.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
    if (ownership === 'ObjectWriter' || ownership === 'BucketOwnerPreferred') {
      Annotations.of(this).addWarningV2(SegmentsAccessWarnings.ACL_OWNERSHIP,
        `The bucket's Object Ownership is ${ownership}: objects another account uploads with ACLs stay that account's, and the ` +
        'bucket policy does not let Segments read them. Set objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED.');
    }
    return errors;
  }
}

/** The bucket's default encryption configuration, as CloudFormation would render it. */
function defaultEncryption(cfnBucket: s3.CfnBucket): { sseAlgorithm?: string; kmsMasterKeyId?: string } | undefined {
  const resolved = Stack.of(cfnBucket).resolve(cfnBucket.bucketEncryption);
  const rules = resolved?.serverSideEncryptionConfiguration ?? resolved?.ServerSideEncryptionConfiguration ?? [];
  const byDefault = rules[0]?.serverSideEncryptionByDefault ?? rules[0]?.ServerSideEncryptionByDefault;
  if (!byDefault) {
    return undefined;
  }
  return {
    sseAlgorithm: byDefault.sseAlgorithm ?? byDefault.SSEAlgorithm,
    kmsMasterKeyId: byDefault.kmsMasterKeyId ?? byDefault.KMSMasterKeyID,
  };
}

/** SSE-KMS without a key of its own: the AWS managed `aws/s3` key, which cannot be shared. */
function usesAwsManagedKmsKey(bucket: s3.IBucket, encryption: ReturnType<typeof defaultEncryption>): boolean {
  return !bucket.encryptionKey && !!encryption?.sseAlgorithm?.startsWith('aws:kms') && !encryption.kmsMasterKeyId;
}
