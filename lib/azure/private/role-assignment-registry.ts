/**
 * Remembers which construct of an app grants Segments on which storage account (and container),
 * when the account is known at synth time. Azure holds one assignment of a role to a principal on
 * a scope: a second identical `azurerm_role_assignment` fails at apply with `409
 * RoleAssignmentExists`, whichever stack of the app declares it. Storage account names are
 * globally unique, so the name identifies the account whatever the subscription.
 */
import { IConstruct } from 'constructs';

const grantsByApp = new WeakMap<IConstruct, Map<string, string>>();

/** The key of a grant: the account name and, for container scope, the container. */
export function grantKey(accountName: string, containerName: string | undefined): string {
  return containerName === undefined ? accountName.toLowerCase() : `${accountName.toLowerCase()}/${containerName}`;
}

/** A phrase naming a grant's scope, for messages. */
export function grantScopeText(accountName: string, containerName: string | undefined): string {
  return containerName === undefined ? `storage account '${accountName}'` : `container '${containerName}' of storage account '${accountName}'`;
}

/** The path of the construct of this app that already grants on this key, if any. */
export function existingGrant(scope: IConstruct, key: string): string | undefined {
  return grantsByApp.get(scope.node.root)?.get(key);
}

/** Records that the construct at `path` grants on this key. */
export function recordGrant(scope: IConstruct, key: string, path: string): void {
  const root = scope.node.root;
  const grants = grantsByApp.get(root) ?? new Map<string, string>();
  grants.set(key, path);
  grantsByApp.set(root, grants);
}

/** The refusal of a second grant on the same scope, naming both constructs. */
export function duplicateGrantProblem(path: string, otherPath: string, scopeText: string): string {
  return `'${path}' would assign Storage Blob Data Reader to Segments on ${scopeText}, which '${otherPath}' already does: Azure refuses the second identical role assignment at apply (409 RoleAssignmentExists). Keep one of them.`;
}
