/**
 * aws.bucket: the bucket exists and is reachable; its region gives the URL Segments expects,
 * `https://<bucket>.s3.<region>.amazonaws.com/<key>`. A dotted name fails: the
 * `*.s3.<region>.amazonaws.com` certificate does not cover it, so virtual-hosted HTTPS cannot serve it.
 */
import { s3BucketNameDotProblem, s3ObjectUrl, s3UrlPrefix } from 'segments-cloud-constructs';
import { CheckOutcome, fail, pass } from '../report';
import { AwsBucketFacts, isAwsRegion, notReadable } from './facts';

const ID = 'aws.bucket';

export function checkBucket(facts: AwsBucketFacts, keys: readonly string[]): CheckOutcome[] {
  const through = facts.endpoint ? ` (read through AWS_ENDPOINT_URL_S3=${facts.endpoint})` : '';
  if (!facts.location.ok) {
    const failure = facts.location.failure;
    if (failure.cause === 'invalid-endpoint') {
      const dotted = facts.bucket.includes('.') ? ' A dotted bucket name cannot go in the host name of an IP-address endpoint.' : '';
      return [fail(ID, `${failure.operation} could not be sent: ${failure.message}${through}.${dotted}`,
      'Set AWS_ENDPOINT_URL_S3 to the server\'s URL (scheme, host, port), and give the bucket a name without dots.')];
    }
    const outcome = notReadable(ID, failure);
    return [facts.region !== undefined ? { ...outcome, detail: `${outcome.detail} S3 named the bucket's region in its answer: ${facts.region}.` } : outcome];
  }
  if (!facts.location.value.exists) {
    return [fail(ID, `There is no bucket ${facts.bucket}${through}.`,
      'Check --bucket (names are global and exact), and that the credentials belong to the bucket\'s account: aws sts get-caller-identity.')];
  }
  const region = facts.region ?? facts.location.value.region;
  const dot = s3BucketNameDotProblem('The bucket name', facts.bucket);
  if (dot) {
    return [fail(ID, `${dot.replace(/; use '-' instead\.$/, '.')} Segments cannot load its images.`,
      'Copy the objects to a bucket without dots (aws s3 sync s3://old.name s3://new-name) and give Segments that bucket.')];
  }
  if (region === undefined) {
    return [pass(ID, `Bucket ${facts.bucket} exists${through}; S3 did not say its region, so the URL Segments expects is https://${facts.bucket}.s3.<region>.amazonaws.com/<key>.`)];
  }
  if (!isAwsRegion(region)) {
    return [pass(ID, `Bucket ${facts.bucket} exists${through}; its server names its region '${region}', which is not an AWS region, so no AWS URL can be given for it.`)];
  }
  const example = keys.length > 0 ? s3ObjectUrl(facts.bucket, region, keys[0]) : `${s3UrlPrefix(facts.bucket, region)}<key>`;
  return [pass(ID, `Bucket ${facts.bucket} is in ${region}${through}: submit images to Segments as ${example}.`)];
}
