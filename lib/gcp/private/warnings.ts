/**
 * The warnings of the Google Cloud constructs. Each carries a stable id, listed in the README, so
 * that a reader (or a CI grep) can recognise it whatever the wording becomes.
 */
import { IConstruct } from 'constructs';
import { Annotations } from 'cdktf';

/** The ids of the warnings, without the library prefix. */
export enum GcsWarning {
  /** SegmentsGcsBucket without segmentsServiceAccount: Segments cannot read the bucket yet. */
  NO_SERVICE_ACCOUNT = 'gcs-no-service-account',
  /** A dotted bucket name needs Search Console domain verification before it can be created. */
  DOTTED_BUCKET_NAME = 'gcs-dotted-bucket-name',
  /** forceDestroy lets `terraform destroy` delete every object in the bucket. */
  FORCE_DESTROY = 'gcs-force-destroy',
}

/** The full text of a warning as the CLI prints it: `[segments-cloud-constructs:<id>] <message>`. */
export function warningText(id: GcsWarning, message: string): string {
  return `[segments-cloud-constructs:${id}] ${message}`;
}

/** Adds a warning with a stable id to a construct. */
export function warn(scope: IConstruct, id: GcsWarning, message: string): void {
  Annotations.of(scope).addWarning(warningText(id, message));
}
