import { aws_iam as iam } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import {
  SEGMENTS_AWS_PRINCIPAL_ARN,
  SEGMENTS_KMS_ACTIONS,
  SEGMENTS_KMS_POLICY_SID,
  SEGMENTS_S3_ACTIONS,
  SEGMENTS_S3_POLICY_SID,
} from '../segments';

export { SEGMENTS_KMS_POLICY_SID };

/**
 * The vendor doc's bucket policy statement: Segments' principal may `s3:GetObject` on the objects
 * of the bucket (`<arn>/*`), or on the objects under each prefix (`<arn>/<prefix>*`), and nothing else.
 */
export function segmentsObjectReadStatement(bucket: s3.IBucket, keyPrefixes?: readonly string[]): iam.PolicyStatement {
  const patterns = keyPrefixes ? keyPrefixes.map((prefix) => `${prefix}*`) : ['*'];
  return new iam.PolicyStatement({
    sid: SEGMENTS_S3_POLICY_SID,
    effect: iam.Effect.ALLOW,
    principals: [new iam.ArnPrincipal(SEGMENTS_AWS_PRINCIPAL_ARN)],
    actions: [...SEGMENTS_S3_ACTIONS],
    resources: patterns.map((pattern) => bucket.arnForObjects(pattern)),
  });
}

/**
 * The key policy statement for a customer managed key: Segments' principal may `kms:Decrypt`,
 * only when S3 in the bucket's region calls KMS on its behalf (that is, while reading an object).
 * Cross-account, Segments' own IAM policy must allow the same key; the README says so.
 */
export function segmentsKeyDecryptStatement(region: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: SEGMENTS_KMS_POLICY_SID,
    effect: iam.Effect.ALLOW,
    principals: [new iam.ArnPrincipal(SEGMENTS_AWS_PRINCIPAL_ARN)],
    actions: [...SEGMENTS_KMS_ACTIONS],
    resources: ['*'],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
  });
}
