/**
 * The Google Cloud constructs' defaults, as pure values and functions: readable and testable
 * without a stack.
 */
import { SEGMENTS_GCS_PERMISSIONS, gsUrl } from '../../segments';

/** The ID of the custom role created unless `customRoleId` or `existingCustomRole` says otherwise. */
export const DEFAULT_CUSTOM_ROLE_ID = 'segmentsObjectReader';

/** The file name the CORS instructions tell `gcloud` to read. */
export const CORS_FILE_NAME = 'segments-cors.json';

/** The custom role's title (at most 100 characters), for a reviewer scanning the roles list. */
export const CUSTOM_ROLE_TITLE = 'Segments.ai object reader';

/** The custom role's description (at most 256 characters): what it is for and what it holds. */
export const CUSTOM_ROLE_DESCRIPTION =
  `Lets Segments.ai's service account read objects (${SEGMENTS_GCS_PERMISSIONS.join(', ')} only) ` +
  'in the buckets it is granted on, to label them. Managed by segments-cloud-constructs.';

/** The role ID to create: none when an existing role is granted. */
export function customRoleIdToCreate(customRoleId: string | undefined, existingCustomRole: string | undefined): string | undefined {
  return existingCustomRole === undefined ? customRoleId ?? DEFAULT_CUSTOM_ROLE_ID : undefined;
}

/** The IAM member for a service-account email. */
export function serviceAccountMember(email: string): string {
  return `serviceAccount:${email}`;
}

/** The command that sets the CORS rule saved in {@link CORS_FILE_NAME} on a bucket. */
export function corsCommand(bucketName: string): string {
  return `gcloud storage buckets update ${gsUrl(bucketName)} --cors-file=${CORS_FILE_NAME}`;
}
