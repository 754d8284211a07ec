/**
 * Which Google Cloud roles hold `storage.objects.get`, the one permission Segments needs on a
 * bucket. The predefined storage roles are listed here (Google's "IAM roles for Cloud Storage"
 * page); any other role's permissions are read from the IAM API (`roles.get`), which answers for
 * predefined and custom roles alike.
 */
import { SEGMENTS_GCS_PERMISSIONS } from 'segments-cloud-constructs';

/** The permission Segments reads objects with (the vendor doc's custom role holds it alone). */
export const GCS_OBJECT_READ_PERMISSION = SEGMENTS_GCS_PERMISSIONS[0];

/** Predefined roles that hold `storage.objects.get`. */
export const GCS_ROLES_WITH_OBJECT_GET: ReadonlySet<string> = new Set([
  'roles/storage.objectViewer',
  'roles/storage.objectUser',
  'roles/storage.objectAdmin',
  'roles/storage.admin',
  'roles/storage.folderAdmin',
  'roles/storage.legacyObjectReader',
  'roles/storage.legacyObjectOwner',
]);

/**
 * Predefined storage roles that can be bound on a bucket and do not hold it: the ones people
 * mistake for a read grant (`legacyBucketReader` lists objects but cannot read them).
 */
export const GCS_ROLES_WITHOUT_OBJECT_GET: ReadonlySet<string> = new Set([
  'roles/storage.legacyBucketReader',
  'roles/storage.legacyBucketWriter',
  'roles/storage.legacyBucketOwner',
  'roles/storage.objectCreator',
  'roles/storage.bucketViewer',
  'roles/storage.hmacKeyAdmin',
  'roles/storage.insightsCollectorService',
]);

/** A role as the IAM API's `roles.get` returns it (the fields used). */
export interface GcsRoleDefinition {
  readonly name: string;
  readonly includedPermissions?: readonly string[];
  /** `DISABLED` grants nothing. */
  readonly stage?: string;
  /** A deleted custom role grants nothing (it can be undeleted for a while). */
  readonly deleted?: boolean;
}

/** Whether a role holds the permission, and why not when it does not. */
export type RoleVerdict =
  | { readonly holds: true }
  | { readonly holds: false; readonly why: string }
  | { readonly holds: 'unknown'; readonly why: string };

/** The verdict of the table alone: `undefined` when the role's definition must be read. */
export function predefinedRoleVerdict(role: string): RoleVerdict | undefined {
  if (GCS_ROLES_WITH_OBJECT_GET.has(role)) {
    return { holds: true };
  }
  if (GCS_ROLES_WITHOUT_OBJECT_GET.has(role)) {
    return { holds: false, why: `${role} does not hold ${GCS_OBJECT_READ_PERMISSION}` };
  }
  return undefined;
}

/** The verdict from a role definition read from the IAM API (a custom role, or a predefined one the table lacks). */
export function definitionVerdict(definition: GcsRoleDefinition): RoleVerdict {
  if (definition.deleted === true) {
    return { holds: false, why: `${definition.name} is deleted, so it grants nothing` };
  }
  if (definition.stage === 'DISABLED') {
    return { holds: false, why: `${definition.name} is DISABLED, so it grants nothing` };
  }
  if (!(definition.includedPermissions ?? []).includes(GCS_OBJECT_READ_PERMISSION)) {
    const held = definition.includedPermissions ?? [];
    return { holds: false, why: `${definition.name} holds ${held.length === 0 ? 'no permission' : held.join(', ')}, not ${GCS_OBJECT_READ_PERMISSION}` };
  }
  return { holds: true };
}
