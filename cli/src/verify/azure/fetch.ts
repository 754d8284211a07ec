/**
 * The SDK edge of `verify azure`. Management plane: Microsoft Graph for the service principal (a
 * plain request with a token of the credential), `@azure/arm-storage` for the account, its network
 * settings and (with credentials) its blob service CORS, `@azure/arm-authorization` for role and
 * deny assignments. Data plane: `@azure/storage-blob` for blobs, and for CORS when
 * `AZURE_STORAGE_CONNECTION_STRING` is set. Every answer becomes a `Read` for the pure checks.
 *
 * CORS is read through the management plane when there are credentials: `Reader` on the account
 * suffices there, while the data plane under Entra ID would need a data role for the caller too.
 */
import { SEGMENTS_AZURE_CLIENT_ID } from 'segments-cloud-constructs';
import type { Read, ReadFailure } from '../read';
import type { AzureBlobProperties } from './blob';
import { AzureCorsRule, splitCorsList } from './cors';
import type { AzureAccountNetwork } from './network';
import type { AzureDenyAssignment, AzureRoleAssignment, AzureRoleDefinition } from './role';
import type { AzureServicePrincipal } from './service-principal';

/** The storage account as found in a subscription. */
export interface AzureAccount extends AzureAccountNetwork {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
}

/** The management-plane reads, each already a `Read`. */
export interface AzureManagement {
  servicePrincipal(): Promise<Read<AzureServicePrincipal>>;
  findAccount(name: string): Promise<Read<AzureAccount>>;
  roleAssignments(scope: string): Promise<Read<AzureRoleAssignment[]>>;
  roleDefinition(id: string): Promise<Read<AzureRoleDefinition>>;
  denyAssignments(scope: string): Promise<Read<AzureDenyAssignment[]>>;
  corsRules(account: AzureAccount): Promise<Read<AzureCorsRule[]>>;
}

/** The data-plane reads. */
export interface AzureData {
  /** The blob service's CORS rules from the data plane (connection-string mode). */
  corsRules(): Promise<Read<AzureCorsRule[]>>;
  blobProperties(blob: string): Promise<Read<AzureBlobProperties>>;
  /** The URL a browser fetches the blob from. */
  blobUrl(blob: string): string;
}

/** An Azure SDK, Graph or ARM error as a `ReadFailure`: 404 `missing`, 401/403 `denied`, else `error`. */
export function azureFailure(error: unknown): ReadFailure {
  const e = error as { statusCode?: number; status?: number; code?: string; name?: string; message?: string };
  const status = e.statusCode ?? e.status;
  const code = e.code ?? (e.name === 'CredentialUnavailableError' || e.name === 'AuthenticationRequiredError' ? e.name : undefined);
  const message = `${status ?? ''} ${code ?? ''} ${(e.message ?? String(error)).split('\n')[0]}`.replace(/\s+/g, ' ').trim();
  if (status === 404) {
    return { failed: 'missing', message };
  }
  if (status === 401 || status === 403) {
    return { failed: 'denied', message };
  }
  return { failed: 'error', message };
}

async function read<T>(call: () => Promise<T>): Promise<Read<T>> {
  try {
    return { value: await call() };
  } catch (error) {
    return azureFailure(error);
  }
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pages) {
    items.push(item);
  }
  return items;
}

/** A token source (the credential's `getToken`). */
export interface TokenSource {
  getToken(scope: string): Promise<{ token: string } | null>;
}

/** A GET with a bearer token returning JSON; throws an error with `statusCode` on a non-2xx answer. */
export type JsonGet = (url: string, scope: string) => Promise<unknown>;

export function bearerJsonGet(credential: TokenSource): JsonGet {
  return async (url, scope) => {
    const token = await credential.getToken(scope);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token?.token ?? ''}` }, signal: AbortSignal.timeout(30_000) });
    const body = await response.json().catch(() => ({})) as { error?: { code?: string; message?: string } };
    if (!response.ok) {
      throw Object.assign(new Error(body.error?.message ?? response.statusText), { statusCode: response.status, code: body.error?.code });
    }
    return body;
  };
}

/**
 * Every item of an ARM or Graph list: follows `nextLink` (ARM) or `@odata.nextLink` (Graph) until
 * the last page. The SDK clients' `list*` iterators page the same way by themselves.
 */
export async function listAll<T>(get: JsonGet, url: string, scope: string): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let next: string | undefined = url;
  while (next !== undefined && next !== '' && !seen.has(next)) {
    seen.add(next);
    const page = await get(next, scope) as { value?: T[]; nextLink?: string; '@odata.nextLink'?: string };
    items.push(...(page.value ?? []));
    next = page.nextLink ?? page['@odata.nextLink'];
  }
  return items;
}

/** The calls of `@azure/arm-storage`'s and `@azure/arm-authorization`'s clients used, so tests can hand in fakes. */
export interface AzureSdkClients {
  readonly get: JsonGet;
  /** The subscriptions to look for the account in (from --subscription, AZURE_SUBSCRIPTION_ID, or all the caller sees). */
  subscriptions(): Promise<string[]>;
  storage(subscription: string): {
    storageAccounts: { list(): AsyncIterable<Record<string, unknown>> };
    blobServices: { getServiceProperties(resourceGroup: string, account: string): Promise<{ cors?: { corsRules?: Record<string, unknown>[] } }> };
  };
  authorization(subscription: string): {
    roleAssignments: { listForScope(scope: string): AsyncIterable<Record<string, unknown>> };
    roleDefinitions: { getById(id: string): Promise<Record<string, unknown>> };
    denyAssignments: { listForScope(scope: string): AsyncIterable<Record<string, unknown>> };
  };
}

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const ARM_SCOPE = 'https://management.azure.com/.default';
export const ARM_ENDPOINT = 'https://management.azure.com';
/** `GET /subscriptions` (under the ARM endpoint): every subscription the caller sees, a page at a time. */
export const ARM_SUBSCRIPTIONS_PATH = '/subscriptions?api-version=2022-12-01';

/** The subscription of a resource ID. */
function subscriptionOf(id: string): string {
  return id.split('/')[2] ?? '';
}

export function corsRulesOf(rules: readonly Record<string, unknown>[] | undefined): AzureCorsRule[] {
  return (rules ?? []).map((rule) => ({
    allowedOrigins: splitCorsList(rule.allowedOrigins as string | string[]),
    allowedMethods: splitCorsList(rule.allowedMethods as string | string[]),
    allowedHeaders: splitCorsList(rule.allowedHeaders as string | string[]),
    exposedHeaders: splitCorsList(rule.exposedHeaders as string | string[]),
    maxAgeInSeconds: rule.maxAgeInSeconds as number | undefined,
  }));
}

/** The management plane over SDK clients. */
export function azureManagement(clients: AzureSdkClients): AzureManagement {
  return {
    servicePrincipal: () => read(async () => {
      const sp = await clients.get(`https://graph.microsoft.com/v1.0/servicePrincipals(appId='${SEGMENTS_AZURE_CLIENT_ID}')?$select=id,displayName,accountEnabled`, GRAPH_SCOPE) as AzureServicePrincipal;
      return { id: sp.id, displayName: sp.displayName, accountEnabled: sp.accountEnabled };
    }),
    findAccount: async (name) => {
      const subscriptions = await read(() => clients.subscriptions());
      if ('failed' in subscriptions) {
        return subscriptions;
      }
      for (const subscription of subscriptions.value) {
        const accounts = await read(() => collect(clients.storage(subscription).storageAccounts.list()));
        if ('failed' in accounts) {
          return accounts;
        }
        const account = accounts.value.find((a) => String(a.name).toLowerCase() === name.toLowerCase());
        if (account !== undefined) {
          const id = String(account.id);
          return { value: { id, name: String(account.name), resourceGroup: id.split('/')[4], publicNetworkAccess: account.publicNetworkAccess as string | undefined, networkRuleSet: account.networkRuleSet as AzureAccountNetwork['networkRuleSet'] } };
        }
      }
      return { failed: 'missing', message: `no storage account '${name}' in subscription(s) ${subscriptions.value.join(', ') || '(none visible)'}` };
    },
    roleAssignments: (scope) => read(async () => (await collect(clients.authorization(subscriptionOf(scope)).roleAssignments.listForScope(scope))).map((a) => ({
      scope: String(a.scope), principalId: String(a.principalId), principalType: a.principalType as string | undefined,
      roleDefinitionId: String(a.roleDefinitionId), condition: (a.condition as string | undefined) ?? undefined,
    }))),
    roleDefinition: (id) => read(async () => {
      const definition = await clients.authorization(subscriptionOf(id)).roleDefinitions.getById(id);
      return { id: String(definition.id), roleName: String(definition.roleName), permissions: (definition.permissions ?? []) as AzureRoleDefinition['permissions'] };
    }),
    denyAssignments: (scope) => read(async () => (await collect(clients.authorization(subscriptionOf(scope)).denyAssignments.listForScope(scope))).map((d) => ({
      name: String(d.denyAssignmentName ?? d.name), scope: String(d.scope), permissions: (d.permissions ?? []) as AzureDenyAssignment['permissions'],
      principals: (d.principals ?? []) as AzureDenyAssignment['principals'], excludePrincipals: (d.excludePrincipals ?? []) as AzureDenyAssignment['principals'],
      doNotApplyToChildScopes: d.doNotApplyToChildScopes as boolean | undefined,
    }))),
    corsRules: (account) => read(async () => corsRulesOf((await clients.storage(subscriptionOf(account.id)).blobServices.getServiceProperties(account.resourceGroup, account.name)).cors?.corsRules)),
  };
}

/** The calls of `@azure/storage-blob`'s `BlobServiceClient` used. */
export interface BlobServiceLike {
  getProperties(): Promise<{ cors?: Record<string, unknown>[] }>;
  getContainerClient(name: string): { getBlobClient(path: string): { url: string; getProperties(): Promise<AzureBlobProperties> } };
}

/** The data plane over a `BlobServiceClient`. */
export function azureData(service: BlobServiceLike): AzureData {
  const blobClient = (blob: string) => {
    const [container, ...path] = blob.split('/');
    return service.getContainerClient(container).getBlobClient(path.join('/'));
  };
  return {
    corsRules: () => read(async () => corsRulesOf((await service.getProperties()).cors)),
    blobProperties: (blob) => read(async () => {
      const p = await blobClient(blob).getProperties();
      return { accessTier: p.accessTier, archiveStatus: p.archiveStatus, contentLength: p.contentLength, contentType: p.contentType };
    }),
    blobUrl: (blob) => blobClient(blob).url,
  };
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** The real SDK clients over a credential (`@azure/arm-storage`, `@azure/arm-authorization`), loaded only here. */
export function azureSdkClients(credential: TokenSource, subscription: string | undefined, armEndpoint = ARM_ENDPOINT): AzureSdkClients {
  const { StorageManagementClient } = require('@azure/arm-storage') as typeof import('@azure/arm-storage');
  const { AuthorizationManagementClient } = require('@azure/arm-authorization') as typeof import('@azure/arm-authorization');
  const get = bearerJsonGet(credential);
  return {
    get,
    subscriptions: async () => subscription !== undefined ? [subscription]
      : (await listAll<{ subscriptionId: string }>(get, `${armEndpoint}${ARM_SUBSCRIPTIONS_PATH}`, ARM_SCOPE)).map((s) => s.subscriptionId),
    storage: (sub) => new StorageManagementClient(credential as never, sub) as never,
    authorization: (sub) => new AuthorizationManagementClient(credential as never, sub) as never,
  };
}

/** `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI, ...). */
export function defaultAzureCredential(): TokenSource {
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return new DefaultAzureCredential();
}

export function blobServiceFromConnectionString(connectionString: string): BlobServiceLike {
  const { BlobServiceClient } = require('@azure/storage-blob') as typeof import('@azure/storage-blob');
  return BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 1 } }) as unknown as BlobServiceLike;
}

export function blobServiceWithCredential(account: string, credential: TokenSource): BlobServiceLike {
  const { BlobServiceClient } = require('@azure/storage-blob') as typeof import('@azure/storage-blob');
  return new BlobServiceClient(`https://${account}.blob.core.windows.net`, credential as never, { retryOptions: { maxTries: 1 } }) as unknown as BlobServiceLike;
}
/* eslint-enable @typescript-eslint/no-require-imports */
