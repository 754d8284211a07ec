/**
 * Remembers which construct of an app grants Segments on which storage account (and container),
 * when the account is known at synth time. Azure holds one assignment of a role to a principal on
 * a scope: a second identical `azurerm_role_assignment` fails at apply with `409
 * RoleAssignmentExists`, whichever stack of the app declares it. Storage account names are
 * globally unique, so the name identifies the account whatever the subscription.
 */
import { IConstruct } from 'constructs';
import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from 'cdktf';

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

/** A grant whose account ID (or container) is a token, compared once the app is complete. */
interface TokenGrant {
  readonly construct: IConstruct;
  readonly accountId: string;
  readonly containerName: string | undefined;
}

const tokenGrantsByApp = new WeakMap<IConstruct, TokenGrant[]>();

/** Records a grant whose account ID or container name is a token. */
export function recordTokenGrant(construct: IConstruct, accountId: string, containerName: string | undefined): void {
  const root = construct.node.root;
  const grants = tokenGrantsByApp.get(root) ?? [];
  grants.push({ construct, accountId, containerName });
  tokenGrantsByApp.set(root, grants);
}

/**
 * At synth: the refusal of `construct`'s token grant when an earlier one of its stack names the
 * same account and container. Each `storageAccount.id` read is a new token, so tokens are compared
 * by what they resolve to (`${azurerm_storage_account.images.id}`), in their stack; the same
 * account referenced from two stacks resolves differently and is not compared.
 */
export function duplicateTokenGrantProblems(construct: IConstruct): string[] {
  const grants = tokenGrantsByApp.get(construct.node.root) ?? [];
  const index = grants.findIndex((grant) => grant.construct === construct);
  const stack = TerraformStack.of(construct);
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resolved = (value: string): unknown => Tokenization.resolve(value, { scope: stack, resolver });
  const resolve = (value: string | undefined): string => JSON.stringify(value === undefined ? null : resolved(value));
  const mine = grants[index];
  const other = grants.slice(0, index).find((grant) => TerraformStack.of(grant.construct) === stack
    && resolve(grant.accountId) === resolve(mine.accountId) && resolve(grant.containerName) === resolve(mine.containerName));
  if (other === undefined) {
    return [];
  }
  const account = `the storage account '${String(resolved(mine.accountId))}'`;
  const scopeText = mine.containerName === undefined ? account : `container ${JSON.stringify(resolved(mine.containerName))} of ${account}`;
  return [duplicateGrantProblem(construct.node.path, other.construct.node.path, scopeText)];
}
