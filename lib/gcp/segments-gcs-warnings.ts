import { IConstruct } from 'constructs';
import { GcsWarning } from './private/warnings';
import { WARNING_ID_PREFIX, acknowledgeWarningId } from '../warning-ids';

/** Stable IDs of the warnings the Google Cloud constructs emit, as `cdktf synth` prints them. */
export const SegmentsGcsWarnings = {
  /** `SegmentsGcsBucket` without `segmentsServiceAccount`: Segments cannot read the bucket yet. */
  NO_SERVICE_ACCOUNT: `${WARNING_ID_PREFIX}${GcsWarning.NO_SERVICE_ACCOUNT}`,
  /** A dotted bucket name: Cloud Storage creates it only after the domain is verified. */
  DOTTED_BUCKET_NAME: `${WARNING_ID_PREFIX}${GcsWarning.DOTTED_BUCKET_NAME}`,
  /** `forceDestroy: true`: destroying the stack deletes every object in the bucket. */
  FORCE_DESTROY: `${WARNING_ID_PREFIX}${GcsWarning.FORCE_DESTROY}`,
} as const;

/**
 * Silences one warning of the Google Cloud constructs for a scope and everything under it (a
 * stack, or one construct), the way aws-cdk's `Annotations.of(scope).acknowledgeWarning(id)`
 * does; cdktf has no such call. Works before or after the constructs are created, as long as it
 * is before `app.synth()`.
 *
 * @param id a warning ID from {@link SegmentsGcsWarnings}, such as
 *   `'segments-cloud-constructs:gcs-force-destroy'`; an unknown ID is refused, so a typo cannot
 *   silently acknowledge nothing.
 */
export function acknowledgeGcsWarning(scope: IConstruct, id: string): void {
  acknowledgeWarningId('acknowledgeGcsWarning', 'segments-cloud-constructs/gcp', scope, id, Object.values(SegmentsGcsWarnings));
}
