/**
 * Where an Azure role assignment (or deny assignment) sits relative to a storage account. Azure
 * inherits an assignment down the hierarchy: management group, subscription, resource group,
 * account, container. Scopes are compared without regard to case, as Azure compares resource IDs.
 *
 * | scope                                                                | kind               |
 * |----------------------------------------------------------------------|--------------------|
 * | `/`                                                                  | `root`             |
 * | `/providers/Microsoft.Management/managementGroups/MG`                | `management-group` |
 * | `/subscriptions/S` (the account's)                                   | `subscription`     |
 * | `/subscriptions/S/resourceGroups/RG` (the account's)                 | `resource-group`   |
 * | the account's ID                                                     | `account`          |
 * | the account's ID + `/blobServices/default/containers/C`              | `container`        |
 * | anything else (another account, another group, a container's blob)   | `unrelated`        |
 *
 * A management group is taken as an ancestor: the assignments API lists one for an account only
 * when it is inherited there.
 */
export type ScopeKind = 'root' | 'management-group' | 'subscription' | 'resource-group' | 'account' | 'container' | 'unrelated';

export interface ScopePlace {
  readonly kind: ScopeKind;
  /** The container, for `container`. */
  readonly container?: string;
}

function normalize(id: string): string {
  return id.toLowerCase().replace(/\/+$/, '');
}

/** Where `scope` sits relative to the account whose resource ID is `accountId`. */
export function scopePlace(scope: string, accountId: string): ScopePlace {
  const s = normalize(scope);
  const account = normalize(accountId);
  if (s === '') {
    return { kind: 'root' };
  }
  if (/^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/.test(s)) {
    return { kind: 'management-group' };
  }
  if (s === account) {
    return { kind: 'account' };
  }
  const container = /^\/blobservices\/default\/containers\/([^/]+)$/.exec(s.startsWith(account) ? s.slice(account.length) : '');
  if (container !== null) {
    // The container's name as written in the scope (names are lowercase anyway).
    return { kind: 'container', container: scope.replace(/\/+$/, '').split('/').pop() };
  }
  if (account.startsWith(`${s}/`)) {
    const depth = s.split('/').length;
    if (depth === 3 && /^\/subscriptions\/[^/]+$/.test(s)) {
      return { kind: 'subscription' };
    }
    if (depth === 5 && /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(s)) {
      return { kind: 'resource-group' };
    }
  }
  return { kind: 'unrelated' };
}

/** Whether an assignment at this place reaches every blob of the account. */
export function coversAccount(place: ScopePlace): boolean {
  return place.kind !== 'container' && place.kind !== 'unrelated';
}
