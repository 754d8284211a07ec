/**
 * aws.ownership: Object Ownership. `BucketOwnerEnforced` (ACLs off) passes: every object belongs to
 * the bucket owner, so the bucket policy covers it. With ACLs on (`ObjectWriter`,
 * `BucketOwnerPreferred`, or nothing set, which S3 reads as `ObjectWriter`), objects another
 * account uploads belong to that account, outside the bucket policy: a warning, and for each
 * `--key` whose owner is not the bucket's owner, a failure.
 */
import { CheckOutcome, fail, pass, warn } from '../report';
import { AwsBucketFacts, noBucket, notReadable } from './facts';

const ID = 'aws.ownership';

export function ownershipFix(bucket: string): string {
  return `aws s3api put-bucket-ownership-controls --bucket ${bucket} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'`;
}

/** Whether the bucket has ACLs on (so objects' owners are worth reading). */
export function aclsOn(ownership: string | undefined): boolean {
  return ownership !== 'BucketOwnerEnforced';
}

export function checkOwnership(facts: AwsBucketFacts): CheckOutcome[] {
  if (facts.location.ok && !facts.location.value.exists) {
    return [noBucket(ID, facts.bucket)];
  }
  if (facts.ownership === undefined) {
    return [];
  }
  if (!facts.ownership.ok) {
    return [notReadable(ID, facts.ownership.failure)];
  }
  const ownership = facts.ownership.value;
  if (!aclsOn(ownership)) {
    return [pass(ID, 'Object Ownership is BucketOwnerEnforced: ACLs are off and the bucket owner owns every object, so the bucket policy covers them all.')];
  }
  const setting = ownership === undefined ? 'not set (S3 reads that as ObjectWriter)' : ownership;
  const outcomes: CheckOutcome[] = [warn(ID, `Object Ownership is ${setting}: ACLs are on, so objects another account uploads belong to that account and the bucket policy does not cover them.`,
    ownershipFix(facts.bucket))];
  for (const object of facts.objects) {
    if (object.owner === undefined) {
      continue;
    }
    if (!object.owner.ok) {
      outcomes.push(notReadable(ID, object.owner.failure, object.key));
      continue;
    }
    if (facts.bucketOwner === undefined || !facts.bucketOwner.ok) {
      if (facts.bucketOwner !== undefined && !facts.bucketOwner.ok) {
        outcomes.push(notReadable(ID, facts.bucketOwner.failure, object.key));
      }
      continue;
    }
    const owner = object.owner.value;
    if (owner !== undefined && owner !== facts.bucketOwner.value) {
      outcomes.push(fail(ID, `The object is owned by canonical user ${owner}, not by the bucket owner (${facts.bucketOwner.value}): the bucket policy does not cover it, so Segments cannot read it.`,
        `${ownershipFix(facts.bucket)}\n(BucketOwnerEnforced makes the bucket owner own every object, this one included.)`, object.key));
    } else if (owner !== undefined) {
      outcomes.push(pass(ID, 'The object is owned by the bucket owner, so the bucket policy covers it.', object.key));
    }
  }
  return outcomes;
}
