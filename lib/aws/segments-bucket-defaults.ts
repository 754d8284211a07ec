import { RemovalPolicy, aws_s3 as s3 } from 'aws-cdk-lib';

/**
 * The inputs of {@link segmentsBucketProps}: the user's choices among the bucket settings, the
 * `SegmentsBucketProps` of the same names (declared here as `s3.BucketProps` fields, so that this
 * file does not import the construct that imports it).
 */
export type SegmentsBucketChoices = Pick<s3.BucketProps,
  'bucketName' | 'encryptionKey' | 'versioned' | 'removalPolicy' | 'serverAccessLogsBucket' | 'serverAccessLogsPrefix' | 'lifecycleRules'>;

/**
 * The secure defaults of a bucket that Segments.ai reads, as plain `s3.BucketProps` (no resources
 * are created here, so they can be read and tested without a stack):
 *
 * | setting                 | value                                | why                                                        |
 * |-------------------------|--------------------------------------|------------------------------------------------------------|
 * | blockPublicAccess       | BLOCK_ALL                            | a named principal is not public; nothing else should be    |
 * | enforceSSL              | true                                 | refuses plain HTTP for everyone, Segments included         |
 * | minimumTLSVersion       | 1.2                                  | refuses TLS 1.0 and 1.1                                    |
 * | encryption              | S3_MANAGED, or KMS with your key     | at rest; the AWS managed aws/s3 key cannot be shared       |
 * | bucketKeyEnabled        | true with a KMS key                  | fewer KMS calls, lower cost                                |
 * | objectOwnership         | BUCKET_OWNER_ENFORCED                | ACLs off: the bucket policy covers every object            |
 * | versioned               | true                                 | an overwrite or delete keeps the previous version          |
 * | removalPolicy           | RETAIN (delete and replace)          | deleting the stack never deletes customer data             |
 * | autoDeleteObjects       | false, always                        | no custom resource that empties the bucket                 |
 */
export function segmentsBucketProps(choices: SegmentsBucketChoices): s3.BucketProps {
  return {
    bucketName: choices.bucketName,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: choices.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: choices.encryptionKey,
    bucketKeyEnabled: choices.encryptionKey ? true : undefined,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: choices.versioned ?? true,
    removalPolicy: choices.removalPolicy ?? RemovalPolicy.RETAIN,
    autoDeleteObjects: false,
    serverAccessLogsBucket: choices.serverAccessLogsBucket,
    serverAccessLogsPrefix: choices.serverAccessLogsPrefix,
    lifecycleRules: choices.lifecycleRules,
  };
}
