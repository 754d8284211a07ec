/**
 * aws.object, per `--key`: the object exists; SSE-C fails (Segments cannot send the key); an
 * object in GLACIER or DEEP_ARCHIVE, or in an Intelligent-Tiering archive tier
 * (`ARCHIVE_ACCESS`, `DEEP_ARCHIVE_ACCESS`), fails unless restored; a restored copy is judged by its
 * expiry against the presigned URL's lifetime (it fails when it expires before a URL Segments
 * signs now runs out, and warns with the date otherwise: after it, S3 refuses GETs again); an object encrypted with another KMS key than the bucket default is judged by that
 * key's policy.
 */
import { SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS } from 'segments-cloud-constructs';
import { CheckOutcome, fail, pass, warn } from '../report';
import { evaluateForSegments } from './evaluator';
import { AwsBucketFacts, ObjectFacts, noBucket, notReadable, partitionOf } from './facts';
import { awsManagedKeyFix, encryptionContextArn, isAwsManagedS3Alias, judgeKey } from './kms-key';

const ID = 'aws.object';

/** Whether S3's `x-amz-restore` header says a restored copy is available. */
export function restored(restore: string | undefined): boolean {
  return restore !== undefined && /ongoing-request="false"/.test(restore);
}

/** The `expiry-date` of S3's `x-amz-restore` header: when the restored copy goes away; undefined when absent or unreadable. */
export function restoreExpiry(restore: string | undefined): Date | undefined {
  const date = restore === undefined ? undefined : /expiry-date="([^"]+)"/.exec(restore)?.[1];
  const parsed = date === undefined ? NaN : Date.parse(date);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
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

/** `now`: the run's clock, for a restored copy's expiry. */
export async function checkObjects(facts: AwsBucketFacts, evaluate: typeof evaluateForSegments = evaluateForSegments, now: Date = new Date()): Promise<CheckOutcome[]> {
  if (facts.location.ok && !facts.location.value.exists) {
    return facts.objects.length > 0 ? [noBucket(ID, facts.bucket)] : [];
  }
  const region = facts.region ?? (facts.location.ok && facts.location.value.exists ? facts.location.value.region : undefined);
  const outcomes: CheckOutcome[] = [];
  for (const object of facts.objects) {
    outcomes.push(await checkObject(facts, object, region, evaluate, now));
  }
  return outcomes;
}

async function checkObject(facts: AwsBucketFacts, object: ObjectFacts, region: string | undefined, evaluate: typeof evaluateForSegments, now: Date): Promise<CheckOutcome> {
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
  const keepReadable = `aws s3 cp s3://${facts.bucket}/${key} s3://${facts.bucket}/${key} --storage-class STANDARD --force-glacier-transfer`;
  const glacier = storageClass === 'GLACIER' || storageClass === 'DEEP_ARCHIVE';
  const tier = head.archiveStatus === 'ARCHIVE_ACCESS' || head.archiveStatus === 'DEEP_ARCHIVE_ACCESS' ? `Intelligent-Tiering's ${head.archiveStatus} tier` : undefined;
  const archived = glacier ? storageClass : tier;
  if (archived !== undefined && !restored(head.restore)) {
    const state = head.restore ? 'being restored' : 'not restored';
    return fail(ID, `The object is in ${archived} and ${state}: S3 refuses GETs of it (InvalidObjectState).`, glacier
      ? `aws s3api restore-object --bucket ${facts.bucket} --key ${key} --restore-request '{"Days":30}'\nthen, once restored, keep it readable: ${keepReadable}`
      : `aws s3api restore-object --bucket ${facts.bucket} --key ${key} --restore-request '{}' (Intelligent-Tiering moves it back to Frequent Access once restored)`, key);
  }
  const expiry = glacier ? restoreExpiry(head.restore) : undefined;
  if (expiry !== undefined) {
    const urlEnd = new Date(now.getTime() + SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS * 3600 * 1000);
    if (expiry.getTime() <= urlEnd.getTime()) {
      return fail(ID, `The object is in ${storageClass}, and its restored copy expires ${expiry.toISOString()}, ${expiry.getTime() <= now.getTime() ? 'already' : `within the ${SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS} hours a presigned URL Segments signs now is valid`}: then S3 refuses GETs of it again.`,
        `Keep it readable: ${keepReadable}`, key);
    }
    return warn(ID, `The object is in ${storageClass} and restored until ${expiry.toISOString()}: after that S3 refuses GETs of it again.`, `Keep it readable: ${keepReadable}`, key);
  }
  const encryption = head.serverSideEncryption ?? 'none reported';
  if ((head.serverSideEncryption === 'aws:kms' || head.serverSideEncryption === 'aws:kms:dsse')) {
    if (head.kmsKeyId === undefined || isAwsManagedS3Alias(head.kmsKeyId)) {
      return fail(ID, 'The object is encrypted with the AWS managed key aws/s3: Segments cannot decrypt it.', awsManagedKeyFix(facts.bucket), key);
    }
    if (!sameKey(head.kmsKeyId, defaultKeyArn(facts))) {
      const s3Arn = encryptionContextArn(`arn:${partitionOf(region)}:s3:::${facts.bucket}`, key, head.bucketKeyEnabled);
      return judgeKey(ID, 'The object\'s KMS key (not the bucket default)', facts.kmsKeys.get(head.kmsKeyId), facts.bucket, { region, s3Arn }, key, evaluate);
    }
    return pass(ID, `The object exists (${storageClass}), encrypted with the bucket's default KMS key: see aws.encryption.`, key);
  }
  return pass(ID, `The object exists (storage class ${storageClass}, encryption ${encryption}).`, key);
}
