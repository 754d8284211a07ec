/** `gcs.bucket`: the bucket exists, has uniform bucket-level access, and does not make Segments pay. */
import { gsUrl } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass, warn } from '../report';
import { Read, isFailure, readFailureFix } from '../read';

/** A bucket's metadata as the JSON API's `buckets.get` returns it (the fields used). */
export interface GcsBucketMetadata {
  readonly name: string;
  /** The number of the project the bucket belongs to: where `gcs.iam` reads inherited grants. */
  readonly projectNumber?: string;
  readonly iamConfiguration?: {
    readonly uniformBucketLevelAccess?: { readonly enabled?: boolean };
    /** `enforced`: public members (allUsers, allAuthenticatedUsers) are granted nothing; `inherited`: the organization policy decides. */
    readonly publicAccessPrevention?: string;
  };
  readonly billing?: { readonly requesterPays?: boolean };
}

const ID = 'gcs.bucket';

export function checkGcsBucket(bucket: string, metadata: Read<GcsBucketMetadata>): CheckOutcome {
  if (isFailure(metadata)) {
    if (metadata.failed === 'missing') {
      return fail(ID, `There is no bucket ${bucket} (${metadata.message}).`, 'Check the name: it is the part after gs:// and before the first /.');
    }
    return couldNotRun(ID, `Could not read bucket ${bucket} (${metadata.message}).`,
      readFailureFix(metadata, 'The caller needs storage.buckets.get on the bucket (the read role in docs/cli.md holds it).'));
  }
  const urls = `Segments takes its objects as ${gsUrl(bucket)}/KEY.`;
  if (metadata.value.billing?.requesterPays === true) {
    return fail(ID, `Requester pays is on: Segments' reads are refused unless it names a billing project, which it does not. ${urls}`,
      `gcloud storage buckets update ${gsUrl(bucket)} --no-requester-pays`);
  }
  if (metadata.value.iamConfiguration?.uniformBucketLevelAccess?.enabled !== true) {
    // IAM and ACLs grant in parallel: either suffices (https://cloud.google.com/storage/docs/access-control).
    return warn(ID, 'Uniform bucket-level access is off: IAM and object ACLs grant in parallel (either suffices), so an object\'s ACL can give ' +
      `read to principals the bucket's IAM policy does not show; Segments' grant through IAM is unaffected. With uniform access on, IAM alone decides. ${urls}`,
      `gcloud storage buckets update ${gsUrl(bucket)} --uniform-bucket-level-access`);
  }
  return pass(ID, `The bucket exists, with uniform bucket-level access and without requester pays. ${urls}`);
}
