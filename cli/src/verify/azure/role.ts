/**
 * `azure.role`: Segments' service principal holds a role whose data actions include blob read,
 * at the account or above. Built-in `Storage Blob Data Reader` is what the vendor doc assigns;
 * `Owner`, `Contributor` and `Reader` hold no data action and read no blob. A deny assignment that
 * covers the principal and blob read wins over every grant.
 */
import { SEGMENTS_AZURE_ROLE_NAME } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass, skipped, warn } from '../report';
import { Read, isFailure, readFailureFix } from '../read';
import { coversAccount, scopePlace } from './scope';

/** The data action Segments reads blobs with. */
export const AZURE_BLOB_READ_DATA_ACTION = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';

/**
 * The control-plane action that makes a user delegation key, which signs user-delegation SAS URLs.
 * `Storage Blob Data Reader` holds it (beside the blob read data action); a custom role with blob
 * read alone cannot sign such URLs, so where Segments signs them, browsers read nothing.
 */
export const AZURE_USER_DELEGATION_KEY_ACTION = 'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action';

/** Azure's principal that stands for everyone in a deny assignment (type `SystemDefined`). */
export const AZURE_EVERYONE_PRINCIPAL_ID = '00000000-0000-0000-0000-000000000000';

export interface AzurePermissionBlock {
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly dataActions?: readonly string[];
  readonly notDataActions?: readonly string[];
}

export interface AzureRoleAssignment {
  readonly scope: string;
  readonly principalId: string;
  readonly principalType?: string;
  readonly roleDefinitionId: string;
  /** An ABAC condition (`@Resource[...] StringEquals ...`): the grant holds only where it is true. */
  readonly condition?: string;
}

export interface AzureRoleDefinition {
  readonly id: string;
  readonly roleName: string;
  readonly permissions: readonly AzurePermissionBlock[];
}

export interface AzureDenyAssignment {
  readonly name: string;
  readonly scope: string;
  readonly permissions: readonly AzurePermissionBlock[];
  readonly principals: readonly { readonly id: string }[];
  readonly excludePrincipals?: readonly { readonly id: string }[];
  /** true: the deny covers its own scope only, not what lies below it. */
  readonly doNotApplyToChildScopes?: boolean;
}

/** Whether an action pattern (`*` matches any characters, case ignored) covers an action. */
export function azureActionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`, 'i');
  return regex.test(action);
}

/** Whether permission blocks grant a data action: one block lists it and does not take it back in its notDataActions. */
export function grantsDataAction(permissions: readonly AzurePermissionBlock[], action: string): boolean {
  return permissions.some((block) => (block.dataActions ?? []).some((p) => azureActionMatches(p, action))
    && !(block.notDataActions ?? []).some((p) => azureActionMatches(p, action)));
}

/** Whether permission blocks grant a control-plane action: one block lists it in actions and does not take it back in its notActions. */
export function grantsAction(permissions: readonly AzurePermissionBlock[], action: string): boolean {
  return permissions.some((block) => (block.actions ?? []).some((p) => azureActionMatches(p, action))
    && !(block.notActions ?? []).some((p) => azureActionMatches(p, action)));
}

/** Whether a deny assignment applies to the principal's blob reads. */
export function denyApplies(deny: AzureDenyAssignment, principalId: string): boolean {
  const id = principalId.toLowerCase();
  const names = (list: readonly { readonly id: string }[] | undefined) => (list ?? []).map((p) => p.id.toLowerCase());
  const covered = names(deny.principals).some((p) => p === id || p === AZURE_EVERYONE_PRINCIPAL_ID);
  return covered && !names(deny.excludePrincipals).includes(id) && grantsDataAction(deny.permissions, AZURE_BLOB_READ_DATA_ACTION);
}

/** What azure.role reads besides the principal. */
export interface AzureRoleInputs {
  /** The account's resource ID. */
  readonly accountId: string;
  /** Every role assignment listed for the account's scope (at, above and below it). */
  readonly assignments: Read<readonly AzureRoleAssignment[]>;
  /** The definitions of the roles those assignments name, by ID (lower case). */
  readonly definitions: ReadonlyMap<string, Read<AzureRoleDefinition>>;
  readonly denyAssignments: Read<readonly AzureDenyAssignment[]>;
  /** `--container`: the container Segments reads. */
  readonly container?: string;
}

const ID = 'azure.role';
const READ_FIX = 'The caller needs Microsoft.Authorization/roleAssignments/read, roleDefinitions/read and denyAssignments/read on the account (Reader holds them).';

export function checkAzureRole(principal: Read<{ readonly id: string }> | undefined, inputs: AzureRoleInputs): CheckOutcome {
  if (principal === undefined || isFailure(principal)) {
    return skipped(ID, 'Needs Segments\' service principal, which was not found (see azure.service-principal).');
  }
  const { assignments, definitions, denyAssignments, accountId } = inputs;
  if (isFailure(assignments)) {
    return couldNotRun(ID, `Could not list the role assignments of the account (${assignments.message}).`, readFailureFix(assignments, READ_FIX));
  }
  if (isFailure(denyAssignments)) {
    return couldNotRun(ID, `Could not list the deny assignments of the account (${denyAssignments.message}).`, readFailureFix(denyAssignments, READ_FIX));
  }
  const spId = principal.value.id.toLowerCase();
  const fix = `az role assignment create --assignee-object-id ${principal.value.id} --assignee-principal-type ServicePrincipal --role "${SEGMENTS_AZURE_ROLE_NAME}" --scope ${accountId}`;
  const deny = denyAssignments.value.find((d) => {
    const place = scopePlace(d.scope, accountId);
    const own = place.kind === 'account' || place.kind === 'container';
    if (d.doNotApplyToChildScopes === true && !own) {
      return false;
    }
    const reaches = coversAccount(place) || (place.kind === 'container' && (inputs.container === undefined || place.container === inputs.container));
    return reaches && denyApplies(d, spId);
  });
  if (deny !== undefined) {
    return fail(ID, `Deny assignment '${deny.name}' at ${deny.scope} denies blob read to Segments' app; a deny wins over every role.`,
      'Exclude Segments\' service principal from the deny assignment (it is managed by the blueprint or managed application that created it).');
  }
  const judged = assignments.value
    .map((assignment) => ({ assignment, place: scopePlace(assignment.scope, accountId), definition: definitions.get(assignment.roleDefinitionId.toLowerCase()) }))
    .filter((j) => j.place.kind !== 'unrelated');
  const roleName = (j: (typeof judged)[number]) => j.definition !== undefined && !isFailure(j.definition) ? j.definition.value.roleName : j.assignment.roleDefinitionId;
  const grants = (j: (typeof judged)[number]) => j.definition !== undefined && !isFailure(j.definition) && grantsDataAction(j.definition.value.permissions, AZURE_BLOB_READ_DATA_ACTION);
  const own = judged.filter((j) => j.assignment.principalId.toLowerCase() === spId);
  const granting = own.filter(grants);
  const broad = granting.filter((j) => coversAccount(j.place));
  const where = (j: (typeof judged)[number]) => `${j.place.kind.replace('-', ' ')} scope (${j.assignment.scope})`;
  const plain = broad.find((j) => j.assignment.condition === undefined || j.assignment.condition === '');
  if (plain !== undefined) {
    // A user delegation key is made on the account's blob service: only an assignment at the account or above can grant it.
    const keyMaker = own.find((j) => coversAccount(j.place) && j.definition !== undefined && !isFailure(j.definition)
      && grantsAction(j.definition.value.permissions, AZURE_USER_DELEGATION_KEY_ACTION));
    if (keyMaker === undefined) {
      return warn(ID, `Segments' app holds ${roleName(plain)} at ${where(plain)}, which includes blob read, but no role of it at the account or above includes ` +
        `${AZURE_USER_DELEGATION_KEY_ACTION}: it cannot get a user delegation key, so user-delegation SAS URLs it signs read nothing in a browser ` +
        `(${SEGMENTS_AZURE_ROLE_NAME} holds both).`,
        `Add ${AZURE_USER_DELEGATION_KEY_ACTION} to the role's actions, or assign the built-in role instead:\n${fix}`);
    }
    return pass(ID, `Segments' app holds ${roleName(plain)} at ${where(plain)}, which includes blob read` +
      `${keyMaker === plain ? ' and making a user delegation key' : `; ${roleName(keyMaker)} at ${where(keyMaker)} lets it make a user delegation key`}.`);
  }
  if (broad.length > 0) {
    return warn(ID, `Segments' app holds ${roleName(broad[0])} at ${where(broad[0])} only under the condition ${broad[0].assignment.condition}: it reads only the blobs the condition admits.`,
      'Check that the condition admits every blob Segments reads, or assign the role without a condition.');
  }
  const containers = granting.filter((j) => j.place.kind === 'container').map((j) => j.place.container as string);
  if (containers.length > 0) {
    const signing = 'Segments may need account scope to sign URLs (a user delegation key is account-level): confirm with Segments before relying on it.';
    if (inputs.container !== undefined && !containers.includes(inputs.container)) {
      return fail(ID, `Segments' app holds blob read only on container(s) ${containers.join(', ')}, not on ${inputs.container}.`, fix);
    }
    return warn(ID, `Segments' app holds blob read only on container(s) ${containers.join(', ')}. ${signing}`, fix);
  }
  const unread = own.filter((j) => j.definition === undefined || isFailure(j.definition));
  if (unread.length > 0) {
    return couldNotRun(ID, `Segments' app is assigned ${unread.map((j) => j.assignment.roleDefinitionId).join(', ')}, whose definition could not be read.`, READ_FIX);
  }
  if (own.length > 0) {
    return fail(ID, `Segments' app is assigned ${own.map((j) => `${roleName(j)} at ${where(j)}`).join(', ')}, but none of these includes blob read (${AZURE_BLOB_READ_DATA_ACTION}): management roles such as Owner or Reader read no blob.`, fix);
  }
  const others = judged.filter((j) => coversAccount(j.place) && grants(j) && roleName(j) === SEGMENTS_AZURE_ROLE_NAME);
  const elsewhere = others.length === 0 ? '' : ` ${SEGMENTS_AZURE_ROLE_NAME} is assigned to ${others.map((j) => `${j.assignment.principalType ?? 'principal'} ${j.assignment.principalId}`).join(', ')}: not to Segments' app (object ID ${principal.value.id}).`;
  return fail(ID, `Segments' app has no role assignment on the account or above.${elsewhere}`, fix);
}
