/**
 * aws.encryption: the bucket's default encryption. SSE-S3 (or none set: S3 then uses SSE-S3)
 * passes; SSE-KMS or DSSE-KMS passes only with a customer managed key whose key policy lets
 * Segments `kms:Decrypt` (kms-key.ts). The AWS managed key `aws/s3` fails.
 */
import { CheckOutcome, fail, pass } from '../report';
import { evaluateForSegments } from './evaluator';
import { AwsBucketFacts, noBucket, notReadable, partitionOf } from './facts';
import { awsManagedKeyFix, encryptionContextArn, isAwsManagedS3Alias, judgeKey } from './kms-key';

const ID = 'aws.encryption';

/** The object the bucket default is judged for when no `--key` names one (its ARN is the KMS encryption context). */
export const SAMPLE_KEY = 'segments-verify-sample.jpg';

/** `sampleKey`: the object whose ARN S3 sends KMS as encryption context (the first `--key`); default SAMPLE_KEY. */
export async function checkEncryption(facts: AwsBucketFacts, evaluate: typeof evaluateForSegments = evaluateForSegments, sampleKey?: string): Promise<CheckOutcome[]> {
  if (facts.location.ok && !facts.location.value.exists) {
    return [noBucket(ID, facts.bucket)];
  }
  if (facts.encryption === undefined) {
    return [];
  }
  if (!facts.encryption.ok) {
    return [notReadable(ID, facts.encryption.failure)];
  }
  const encryption = facts.encryption.value;
  if (encryption === undefined) {
    return [pass(ID, 'No default encryption is set: S3 encrypts new objects with SSE-S3, which Segments\' GETs decrypt with no extra permission.')];
  }
  if (encryption.algorithm === 'AES256') {
    return [pass(ID, 'Default encryption is SSE-S3 (AES256), which Segments\' GETs decrypt with no extra permission.')];
  }
  if (encryption.algorithm !== 'aws:kms' && encryption.algorithm !== 'aws:kms:dsse') {
    return [fail(ID, `Default encryption is ${encryption.algorithm}, which this command does not know.`, awsManagedKeyFix(facts.bucket))];
  }
  const kind = encryption.algorithm === 'aws:kms' ? 'SSE-KMS' : 'DSSE-KMS';
  if (encryption.kmsKeyId === undefined || isAwsManagedS3Alias(encryption.kmsKeyId)) {
    return [fail(ID, `Default encryption is ${kind} with the AWS managed key aws/s3: its key policy cannot be changed and lets only your account decrypt, so Segments cannot read new objects.`,
      awsManagedKeyFix(facts.bucket))];
  }
  const region = facts.region ?? (facts.location.ok && facts.location.value.exists ? facts.location.value.region : undefined);
  const bucketArn = `arn:${partitionOf(region)}:s3:::${facts.bucket}`;
  const s3Arn = encryptionContextArn(bucketArn, sampleKey ?? SAMPLE_KEY, encryption.bucketKeyEnabled);
  return [await judgeKey(ID, `The bucket's default key (${kind})`, facts.kmsKeys.get(encryption.kmsKeyId), facts.bucket, { region, s3Arn }, undefined, evaluate)];
}
