/**
 * `segments-cloud-constructs/gcp`: CDK for Terraform constructs that give Segments.ai read access
 * to a Cloud Storage bucket. Needs `cdktf`, `constructs` and `@cdktf/provider-google`; never loads
 * the AWS half.
 *
 * @module segments-cloud-constructs/gcp
 */
export {
  SEGMENTS_GCS_CORS_FILE,
  SEGMENTS_GCS_DEFAULT_CUSTOM_ROLE_ID,
  SegmentsGcsAccess,
} from './segments-gcs-access';
export type { SegmentsGcsAccessProps } from './segments-gcs-access';
export { SegmentsGcsBucket } from './segments-gcs-bucket';
export type { SegmentsGcsBucketProps } from './segments-gcs-bucket';
export { SegmentsGcsWarnings, acknowledgeGcsWarning } from './segments-gcs-warnings';
