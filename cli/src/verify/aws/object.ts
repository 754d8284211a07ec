/**
 * aws.object, per `--key`: the object exists; SSE-C fails (Segments cannot send the key); an
 * object in GLACIER or DEEP_ARCHIVE that is not restored, or in an Intelligent-Tiering archive
 * tier, fails; an object encrypted with another KMS key than the bucket default is judged by that
 * key's policy.
 */
import { CheckOutcome, fail, pass } from '../report';
import { evaluateForSegments } from './evaluator';
import { AwsBucketFacts, ObjectFacts, noBucket, notReadable } from './facts';
import { awsManagedKeyFix, isAwsManagedS3Alias, judgeKey } from './kms-key';

const ID = 'aws.object';

/** Whether S3's `x-amz-restore` header says a restored copy is available. */
export function restored(restore: string | undefined): boolean {
  return restore !== undefined && /ongoing-request="false"/.test(restore);
}

/** The ARN of the bucket's default KMS key, when it is known (as configured or as DescribeKey resolved it). */
function defaultKeyArn(facts: AwsBucketFacts): string | undefined {
  const configured = facts.encryption?.ok ? facts.encryption.value?.kmsKeyId : undefined;
  if (configured === undefined) {
    return undefined;
  }
  const key = facts.kmsKeys.get(configured);
  return key?.ok ? key.value.arn : configured;
}

/** Whether an object's key ARN is the configured default (an ARN, or a bare key ID the ARN ends with). */
export function sameKey(objectKeyArn: string, defaultKey: string | undefined): boolean {
  return defaultKey !== undefined && (objectKeyArn === defaultKey || objectKeyArn.endsWith(`:key/${defaultKey}`));
}

export async function checkObjects(facts: AwsBucketFacts, evaluate: typeof evaluateForSegments = evaluateForSegments): Promise<CheckOutcome[]> {
  if (facts.location.ok && !facts.location.value.exists) {
    return facts.objects.length > 0 ? [noBucket(ID, facts.bucket)] : [];
  }
  const region = facts.location.ok && facts.location.value.exists ? facts.location.value.region ?? 'us-east-1' : 'us-east-1';
  const outcomes: CheckOutcome[] = [];
  for (const object of facts.objects) {
    outcomes.push(await checkObject(facts, object, region, evaluate));
  }
  return outcomes;
}

async function checkObject(facts: AwsBucketFacts, object: ObjectFacts, region: string, evaluate: typeof evaluateForSegments): Promise<CheckOutcome> {
  const { key } = object;
  if (!object.head.ok) {
    return notReadable(ID, object.head.failure, key);
  }
  const head = object.head.value;
  if (head === undefined) {
    return fail(ID, `There is no object ${key} in ${facts.bucket} (HeadObject: 404).`,
      `Check the key: keys are case-sensitive and have no leading '/'. List what is there: aws s3 ls s3://${facts.bucket}/${key.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : ''}`, key);
  }
  if (head.badRequest || head.sseCustomerAlgorithm !== undefined) {
    return fail(ID, 'The object is encrypted with a customer-provided key (SSE-C): S3 answers HeadObject without that key with 400 Bad Request, and Segments\' GETs cannot send it.',
      `Re-encrypt it with SSE-S3: aws s3 cp s3://${facts.bucket}/${key} s3://${facts.bucket}/${key} --sse-c-copy-source AES256 --sse-c-copy-source-key <your key> --sse AES256`, key);
  }
  const storageClass = head.storageClass ?? 'STANDARD';
  if ((storageClass === 'GLACIER' || storageClass === 'DEEP_ARCHIVE') && !restored(head.restore)) {
    const state = head.restore ? 'being restored' : 'not restored';
    return fail(ID, `The object is in ${storageClass} and ${state}: S3 refuses GETs of it (InvalidObjectState).`,
      `aws s3api restore-object --bucket ${facts.bucket} --key ${key} --restore-request '{"Days":30}'\n` +
      `then, once restored, keep it readable: aws s3 cp s3://${facts.bucket}/${key} s3://${facts.bucket}/${key} --storage-class STANDARD --force-glacier-transfer`, key);
  }
  if (head.archiveStatus === 'ARCHIVE_ACCESS' || head.archiveStatus === 'DEEP_ARCHIVE_ACCESS') {
    return fail(ID, `The object is in Intelligent-Tiering's ${head.archiveStatus} tier: S3 refuses GETs of it until it is restored.`,
      `aws s3api restore-object --bucket ${facts.bucket} --key ${key} --restore-request '{}'`, key);
  }
  const encryption = head.serverSideEncryption ?? 'none reported';
  if ((head.serverSideEncryption === 'aws:kms' || head.serverSideEncryption === 'aws:kms:dsse')) {
    if (head.kmsKeyId === undefined || isAwsManagedS3Alias(head.kmsKeyId)) {
      return fail(ID, 'The object is encrypted with the AWS managed key aws/s3: Segments cannot decrypt it.', awsManagedKeyFix(facts.bucket), key);
    }
    if (!sameKey(head.kmsKeyId, defaultKeyArn(facts))) {
      return judgeKey(ID, 'The object\'s KMS key (not the bucket default)', facts.kmsKeys.get(head.kmsKeyId), facts.bucket, region, key, evaluate);
    }
    return pass(ID, `The object exists (${storageClass}), encrypted with the bucket's default KMS key: see aws.encryption.`, key);
  }
  return pass(ID, `The object exists (storage class ${storageClass}, encryption ${encryption}).`, key);
}
