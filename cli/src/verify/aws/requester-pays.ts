/** aws.requester-pays: Requester Pays on fails: Segments' presigned GETs do not send `x-amz-request-payer`, so S3 refuses them. */
import { CheckOutcome, fail, pass } from '../report';
import { AwsBucketFacts, noBucket, notReadable } from './facts';

const ID = 'aws.requester-pays';

export function checkRequesterPays(facts: AwsBucketFacts): CheckOutcome[] {
  if (facts.location.ok && !facts.location.value.exists) {
    return [noBucket(ID, facts.bucket)];
  }
  if (facts.requestPayer === undefined) {
    return [];
  }
  if (!facts.requestPayer.ok) {
    return [notReadable(ID, facts.requestPayer.failure)];
  }
  if (facts.requestPayer.value === 'Requester') {
    return [fail(ID, 'Requester Pays is on: S3 refuses requests that do not send x-amz-request-payer, and Segments\' presigned GETs (fetched by browsers) do not.',
      `aws s3api put-bucket-request-payment --bucket ${facts.bucket} --request-payment-configuration Payer=BucketOwner`)];
  }
  return [pass(ID, `Requester Pays is off (the payer is ${facts.requestPayer.value}).`)];
}
