/**
 * The warnings of the Google Cloud constructs. Each carries a stable id, listed in the guide, so
 * that a reader (or a CI grep) can recognise it whatever the wording becomes, and a user can
 * acknowledge it (`acknowledgeGcsWarning`).
 *
 * cdktf has no acknowledgement of its own, so a warning is added at synth, by an aspect, unless the
 * construct or one of its scopes acknowledged its id by then: an acknowledgement works whether it
 * comes before or after the construct is created.
 */
import { IConstruct } from 'constructs';
import { Annotations, Aspects } from 'cdktf';
import { DeferredWarning } from '../../warning-ids';

/** The ids of the warnings, without the library prefix. */
export enum GcsWarning {
  /** SegmentsGcsBucket without segmentsServiceAccount: Segments cannot read the bucket yet. */
  NO_SERVICE_ACCOUNT = 'gcs-no-service-account',
  /** A dotted bucket name needs Search Console domain verification before it can be created. */
  DOTTED_BUCKET_NAME = 'gcs-dotted-bucket-name',
  /** forceDestroy lets `terraform destroy` delete every object in the bucket. */
  FORCE_DESTROY = 'gcs-force-destroy',
}

/** Adds a warning with a stable id to a construct, at synth, unless its id is acknowledged. */
export function warn(scope: IConstruct, id: GcsWarning, message: string): void {
  Aspects.of(scope).add(new DeferredWarning(scope, id, message, (target, text) => Annotations.of(target).addWarning(text)));
}
