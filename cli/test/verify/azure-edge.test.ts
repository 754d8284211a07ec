/**
 * `verify azure` through its SDK edge (fetch.ts) with mocked clients shaped as `@azure/arm-storage`,
 * `@azure/arm-authorization` and `@azure/storage-blob` answer, and Microsoft Graph over a local
 * HTTP server: every check's results reach the exit code, and access denied or a network error is
 * exit 3 naming the permission.
 */
// The CLI's entry first: verify/command.ts and each cloud's index.ts import each other.
import { runCli } from '../../src/run';
import { AzureSdkClients, BlobServiceLike, azureData, azureFailure, azureManagement, azureSdkClients, bearerJsonGet, listAll } from '../../src/verify/azure/fetch';
import { AzureDeps, defaultAzureDeps, verifyAzure } from '../../src/verify/azure/run';
import { parseAzureVerifyFlags, azureVerifyTarget } from '../../src/verify/azure';
import { parseGcsVerifyFlags, gcsVerifyTarget } from '../../src/verify/gcs';
import { parseFlags } from '../../src/args';
import { COMMON_VERIFY_FLAGS } from '../../src/verify/command';
import { exitCodeOf } from '../../src/verify/report';
import { startLocalServer } from './local-server';

const APP_ID = 'd47021c7-05d1-44c3-a594-93c2c30c68fc';
const SUB_ID = '0b1f6471-1bf0-4dda-aec3-111122223333';
const SP = '5f3a9C2e-7B41-4d0e-9A6c-0C1d2E3f4A5b';
const ACCOUNT_ID = `/subscriptions/${SUB_ID}/resourceGroups/acme-data/providers/Microsoft.Storage/storageAccounts/acmeimages`;
const READER = `/subscriptions/${SUB_ID}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`;

const restError = (statusCode: number, code: string) => Object.assign(new Error(`${code}: The client does not have authorization`), { name: 'RestError', statusCode, code });
async function* pages<T>(items: T[] | Error): AsyncIterable<T> {
  if (items instanceof Error) {
    throw items;
  }
  yield* items;
}

interface World {
  sp?: unknown;
  accounts?: Record<string, unknown>[] | Error;
  assignments?: Record<string, unknown>[] | Error;
  denies?: Record<string, unknown>[] | Error;
  cors?: Record<string, unknown>[] | Error;
  blobs?: Record<string, Record<string, unknown> | Error>;
  preflight?: Record<string, string>;
  /** Whether the rule allows the Range header (the vendor's does not: Azure then answers a Range preflight 403). */
  rangeAllowed?: boolean;
}

const GOOD: World = {
  sp: { id: SP, displayName: 'Segments.ai Blob Link Service app', accountEnabled: true },
  accounts: [{ id: ACCOUNT_ID, name: 'acmeimages', publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow' } }],
  assignments: [{ scope: ACCOUNT_ID, principalId: SP, principalType: 'ServicePrincipal', roleDefinitionId: READER }],
  denies: [],
  cors: [{ allowedOrigins: ['https://app.segments.ai'], allowedMethods: ['GET'], allowedHeaders: [], exposedHeaders: [], maxAgeInSeconds: 3600 }],
  blobs: { 'cat.jpg': { accessTier: 'Hot', contentLength: 42 } },
  preflight: { 'access-control-allow-origin': 'https://app.segments.ai' },
};

function deps(world: World, calls: string[] = []): AzureDeps {
  const clients: AzureSdkClients = {
    get: async (url, scope) => {
      calls.push(`GET ${url} (${scope})`);
      if (world.sp instanceof Error) {
        throw world.sp;
      }
      if (world.sp === undefined) {
        throw Object.assign(new Error('Resource not found'), { statusCode: 404, code: 'Request_ResourceNotFound' });
      }
      return world.sp;
    },
    subscriptions: async () => [SUB_ID],
    storage: () => ({
      storageAccounts: { list: () => pages(world.accounts ?? []) },
      blobServices: {
        getServiceProperties: async (rg, account) => {
          calls.push(`getServiceProperties ${rg} ${account}`);
          if (world.cors instanceof Error) {
            throw world.cors;
          }
          return { cors: { corsRules: world.cors } };
        },
      },
    }),
    authorization: () => ({
      roleAssignments: { listForScope: (scope) => { calls.push(`roleAssignments ${scope}`); return pages(world.assignments ?? []); } },
      roleDefinitions: {
        getById: async (id) => ({
          id, roleName: 'Storage Blob Data Reader', permissions: [{
            actions: ['Microsoft.Storage/storageAccounts/blobServices/containers/read', 'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'],
            dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
          }],
        }),
      },
      denyAssignments: { listForScope: () => pages(world.denies ?? []) },
    }),
  };
  const service: BlobServiceLike = {
    getProperties: async () => ({ cors: world.cors instanceof Error ? [] : world.cors ?? [] }),
    getContainerClient: (container) => ({
      getBlobClient: (path) => ({
        url: `https://acmeimages.blob.core.windows.net/${container}/${path}`,
        getProperties: async () => {
          const blob = world.blobs?.[path];
          if (blob === undefined) {
            throw Object.assign(new Error('The specified blob does not exist.'), { statusCode: 404, code: 'BlobNotFound' });
          }
          if (blob instanceof Error) {
            throw blob;
          }
          return blob;
        },
      }),
    }),
  };
  return {
    management: azureManagement(clients),
    data: azureData(service),
    preflight: async (url, _origin, headers) => {
      calls.push(`OPTIONS ${url}${headers.length > 0 ? ` [${headers.join(',')}]` : ''}`);
      if (world.preflight === undefined) {
        return { error: 'ENOTFOUND' };
      }
      return headers.length > 0 && world.rangeAllowed !== true ? { status: 403, headers: {} }
        : { status: 200, headers: { ...world.preflight, ...(headers.length > 0 ? { 'access-control-allow-headers': headers.join(',') } : {}) } };
    },
  };
}

const OPTIONS = { account: 'acmeimages', blobs: ['images/cat.jpg'], origins: ['https://app.segments.ai'] };
async function results(world: World) {
  const report = await verifyAzure(OPTIONS, { offline: false }, deps(world));
  return { report, byId: Object.fromEntries(report.checks.map((c) => [c.id, c])), exit: exitCodeOf(report.checks) };
}

describe('verify azure over the SDK edge', () => {
  it('an account set up as the vendor doc says is exit 0; its rule refuses a Range preflight, a warning on azure.cors and azure.preflight', async () => {
    const calls: string[] = [];
    const report = await verifyAzure(OPTIONS, { offline: false }, deps(GOOD, calls));
    expect(report.checks.map((c) => `${c.id}: ${c.result}`)).toEqual([
      'azure.service-principal: pass', 'azure.role: pass', 'azure.network: pass', 'azure.cors: warn', 'azure.blob: pass', 'azure.preflight: warn',
    ]);
    expect(exitCodeOf(report.checks)).toBe(0);
    expect(calls).toEqual(expect.arrayContaining([
      `GET https://graph.microsoft.com/v1.0/servicePrincipals(appId='${APP_ID}')?$select=id,displayName,accountEnabled (https://graph.microsoft.com/.default)`,
      `roleAssignments ${ACCOUNT_ID}`,
      'getServiceProperties acme-data acmeimages',
      'OPTIONS https://acmeimages.blob.core.windows.net/images/cat.jpg',
      'OPTIONS https://acmeimages.blob.core.windows.net/images/cat.jpg [range]',
    ]));
  });

  it('passes every check when the rule also allows Range, and both preflights are answered', async () => {
    const world = { ...GOOD, rangeAllowed: true, cors: [{ allowedOrigins: ['https://app.segments.ai'], allowedMethods: ['GET'], allowedHeaders: ['range'], exposedHeaders: [], maxAgeInSeconds: 3600 }] };
    const { report, exit } = await results(world);
    expect(report.checks.map((c) => c.result)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(exit).toBe(0);
  });

  it('fails (exit 1) without the service principal: the role is then not checked', async () => {
    const { byId, exit } = await results({ ...GOOD, sp: undefined });
    expect(byId['azure.service-principal']).toMatchObject({ result: 'fail', fix: `az ad sp create --id ${APP_ID}` });
    expect(byId['azure.role'].result).toBe('not-checked');
    expect(exit).toBe(1);
  });

  it('fails (exit 1) for a firewall that denies, an archived blob, a CORS rule for another origin, a preflight without Allow-Origin', async () => {
    const { byId, exit } = await results({
      ...GOOD,
      accounts: [{ id: ACCOUNT_ID, name: 'acmeimages', networkRuleSet: { defaultAction: 'Deny' } }],
      cors: [{ allowedOrigins: ['https://example.com'], allowedMethods: ['GET'], allowedHeaders: [], exposedHeaders: [] }],
      blobs: { 'cat.jpg': { accessTier: 'Archive', archiveStatus: 'rehydrate-pending-to-hot' } },
      preflight: {},
    });
    expect([byId['azure.network'], byId['azure.cors'], byId['azure.blob'], byId['azure.preflight']].map((c) => c.result)).toEqual(['fail', 'fail', 'fail', 'fail']);
    expect(exit).toBe(1);
  });

  it('an account not found in the subscriptions fails azure.network and skips the role', async () => {
    const { byId } = await results({ ...GOOD, accounts: [] });
    expect(byId['azure.network']).toMatchObject({ result: 'not-checked', detail: expect.stringContaining("no storage account 'acmeimages'") });
    expect(byId['azure.role'].result).toBe('not-checked');
  });

  it.each([
    ['Graph', { sp: restError(403, 'Authorization_RequestDenied') }, 'azure.service-principal', 'Application.Read.All'],
    ['the role assignments', { assignments: restError(403, 'AuthorizationFailed') }, 'azure.role', 'Microsoft.Authorization/roleAssignments/read'],
    ['the account', { accounts: restError(403, 'AuthorizationFailed') }, 'azure.network', 'Microsoft.Storage/storageAccounts/read'],
    ['the blob service properties', { cors: restError(403, 'AuthorizationFailed') }, 'azure.cors', 'Microsoft.Storage/storageAccounts/blobServices/read'],
    ['the blob', { blobs: { 'cat.jpg': restError(403, 'AuthorizationPermissionMismatch') } }, 'azure.blob', 'Storage Blob Data Reader'],
  ])('access denied on %s is exit 3, naming the permission', async (_, change, id, permission) => {
    const { byId, exit } = await results({ ...GOOD, ...change } as World);
    expect(byId[id]).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining(permission) });
    expect(exit).toBe(3);
  });

  it('a network error is exit 3 and says the read got no answer', async () => {
    const { byId, exit } = await results({ ...GOOD, blobs: { 'cat.jpg': Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'REQUEST_SEND_ERROR' }) }, preflight: undefined });
    expect(byId['azure.blob']).toMatchObject({ result: 'not-checked', fix: expect.stringContaining('got no answer') });
    expect(byId['azure.preflight']).toMatchObject({ result: 'not-checked', detail: expect.stringContaining('ENOTFOUND') });
    expect(exit).toBe(3);
  });

  it('--offline sends no preflight; without --blob the blob and preflight checks say what to give', async () => {
    const calls: string[] = [];
    const report = await verifyAzure({ ...OPTIONS, blobs: [] }, { offline: true }, deps(GOOD, calls));
    expect(report.checks.filter((c) => c.id === 'azure.blob' || c.id === 'azure.preflight').map((c) => c.result)).toEqual(['not-checked', 'not-checked']);
    expect(calls.filter((c) => c.startsWith('OPTIONS'))).toEqual([]);
    expect(exitCodeOf(report.checks)).toBe(0);
  });

  it('with a connection string and no subscription, the management-plane checks could not run: exit 3, never 0 (the grant is not established)', async () => {
    const d = defaultAzureDeps({ account: 'devstoreaccount1', blobs: [], origins: [] }, { AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;' });
    expect(d.management).toBeUndefined();
    expect(d.managementSkipped).toContain('--subscription');
    const good = deps(GOOD);
    const report = await verifyAzure(OPTIONS, { offline: false }, { data: good.data, preflight: good.preflight, managementSkipped: d.managementSkipped });
    expect(report.checks.slice(0, 3)).toEqual(['azure.service-principal', 'azure.role', 'azure.network'].map((id) => expect.objectContaining({ id, result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('--subscription') })));
    expect(exitCodeOf(report.checks)).toBe(3);
  });

  it('maps errors: 404 missing, 401/403 denied, anything else an error', () => {
    expect(azureFailure(restError(404, 'ResourceNotFound')).failed).toBe('missing');
    expect(azureFailure(restError(401, 'InvalidAuthenticationToken')).failed).toBe('denied');
    expect(azureFailure(restError(403, 'AuthorizationFailed')).failed).toBe('denied');
    expect(azureFailure(Object.assign(new Error('no credential'), { name: 'CredentialUnavailableError' }))).toMatchObject({ failed: 'error', message: expect.stringContaining('CredentialUnavailableError') });
  });
});

describe('ARM and Graph lists follow nextLink to the last page', () => {
  it('finds the subscriptions of every page of GET /subscriptions', async () => {
    const server = await startLocalServer();
    try {
      server.routes = {
        'GET /subscriptions': (request) => (request.url ?? '').includes('skiptoken=2')
          ? { status: 200, body: { value: [{ subscriptionId: 'C2d3E4f5-A6b7-48c9-9d0e-1F2a3B4c5D6e' }] } }
          : { status: 200, body: { value: [{ subscriptionId: SUB_ID }], nextLink: `${server.url}/subscriptions?api-version=2022-12-01&%24skiptoken=2` } },
      };
      const clients = azureSdkClients({ getToken: async () => ({ token: 't0ken' }) }, undefined, server.url);
      expect(await clients.subscriptions()).toEqual([SUB_ID, 'C2d3E4f5-A6b7-48c9-9d0e-1F2a3B4c5D6e']);
      expect(server.requests).toEqual(['GET /subscriptions?api-version=2022-12-01', 'GET /subscriptions?api-version=2022-12-01&%24skiptoken=2']);
    } finally {
      await server.close();
    }
  });
  it('an account in a subscription on the second page is found', async () => {
    const second = 'C2d3E4f5-A6b7-48c9-9d0e-1F2a3B4c5D6e';
    const accountId = `/subscriptions/${second}/resourceGroups/acme-data/providers/Microsoft.Storage/storageAccounts/acmeimages`;
    const clients: AzureSdkClients = {
      get: async () => undefined,
      subscriptions: async () => listAll<{ subscriptionId: string }>(async (url) => url === 'page1'
        ? { value: [{ subscriptionId: SUB_ID }], nextLink: 'page2' } : { value: [{ subscriptionId: second }] }, 'page1', 'scope').then((s) => s.map((x) => x.subscriptionId)),
      storage: (sub) => ({ storageAccounts: { list: () => pages(sub === second ? [{ id: accountId, name: 'acmeimages' }] : []) }, blobServices: { getServiceProperties: async () => ({}) } }),
      authorization: () => { throw new Error('not used'); },
    };
    expect(await azureManagement(clients).findAccount('acmeimages')).toMatchObject({ value: { id: accountId, resourceGroup: 'acme-data' } });
  });
  it('follows Graph\'s @odata.nextLink too, and stops on a link it has seen', async () => {
    const get = async (url: string) => url === 'a' ? { value: [1], '@odata.nextLink': 'b' } : { value: [2], nextLink: 'a' };
    expect(await listAll<number>(get, 'a', 'scope')).toEqual([1, 2]);
  });
});

describe('Microsoft Graph and ARM requests with a bearer token', () => {
  it('sends the token for the scope and maps the answer\'s status', async () => {
    const server = await startLocalServer({
      'GET /ok': (request) => ({ status: 200, body: { id: SP, auth: request.headers.authorization } }),
      'GET /denied': { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } } },
    });
    try {
      const scopes: string[] = [];
      const get = bearerJsonGet({ getToken: async (scope) => { scopes.push(scope); return { token: 't0ken' }; } });
      expect(await get(`${server.url}/ok`, 'https://graph.microsoft.com/.default')).toEqual({ id: SP, auth: 'Bearer t0ken' });
      expect(scopes).toEqual(['https://graph.microsoft.com/.default']);
      const denied = await get(`${server.url}/denied`, 'x').catch((e: unknown) => e);
      expect(azureFailure(denied)).toEqual({ failed: 'denied', message: '403 Authorization_RequestDenied Insufficient privileges' });
      const missing = await get(`${server.url}/nothing`, 'x').catch((e: unknown) => e);
      expect(azureFailure(missing).failed).toBe('missing');
    } finally {
      await server.close();
    }
  });
});

describe('verify gcs and verify azure flags', () => {
  const gcs = (args: string[]) => parseGcsVerifyFlags(parseFlags('verify gcs', args, { ...gcsVerifyTarget.flags, ...COMMON_VERIFY_FLAGS }));
  const azure = (args: string[]) => parseAzureVerifyFlags(parseFlags('verify azure', args, { ...azureVerifyTarget.flags, ...COMMON_VERIFY_FLAGS }));
  const run = (args: string[]) => runCli(args, { readText: () => '' });

  it('gcs defaults to the page origins https://app.segments.ai and https://segments.ai', () => {
    expect(gcs(['--bucket', 'acme-images', '--service-account', 'sa@p.iam.gserviceaccount.com'])).toEqual({
      bucket: 'acme-images', serviceAccount: 'sa@p.iam.gserviceaccount.com', keys: [], origins: ['https://app.segments.ai', 'https://segments.ai'],
    });
  });
  it('azure defaults to the vendor\'s origin https://app.segments.ai', () => {
    expect(azure(['--account', 'acmeimages', '--blob', 'images/a.jpg', '--container', 'images'])).toEqual({
      account: 'acmeimages', container: 'images', blobs: ['images/a.jpg'], origins: ['https://app.segments.ai'],
    });
  });
  it.each([
    [['verify', 'gcs', '--bucket', 'b'], /needs --service-account EMAIL/],
    [['verify', 'gcs', '--service-account', 'sa@p.iam.gserviceaccount.com'], /needs --bucket NAME/],
    [['verify', 'gcs', '--bucket', 'gs://acme', '--service-account', 'sa@p.iam.gserviceaccount.com'], /--bucket/],
    [['verify', 'gcs', '--bucket', 'acme', '--service-account', 'sa@p.iam.gserviceaccount.com', '--origin', 'https://*.segments.ai'], /CORS rule pattern/],
    [['verify', 'azure'], /needs --account NAME/],
    [['verify', 'azure', '--account', 'Acme_Images'], /--account/],
    [['verify', 'azure', '--account', 'acmeimages', '--blob', 'cat.jpg'], /must be CONTAINER\/PATH/],
    [['verify', 'azure', '--account', 'acmeimages', '--subscription', 'my-sub'], /not a subscription ID/],
    [['verify', 'azure', '--account', 'acmeimages', '--blob', 'images/a', '--blob', 'images/a'], /listed twice/],
  ])('%j is a usage error (exit 2, nothing on stdout)', async (args, message) => {
    const result = await run(args);
    expect(result).toEqual({ stdout: '', stderr: expect.stringMatching(message), exitCode: 2 });
  });
  it.each(['gcs', 'azure'])('verify %s --help lists every check ID', async (cloud) => {
    const result = await run(['verify', cloud, '--help']);
    expect(result.exitCode).toBe(0);
    const ids = cloud === 'gcs' ? ['gcs.bucket', 'gcs.iam', 'gcs.cors', 'gcs.object', 'gcs.preflight']
      : ['azure.service-principal', 'azure.role', 'azure.network', 'azure.cors', 'azure.blob', 'azure.preflight'];
    for (const id of ids) {
      expect(result.stdout).toContain(id);
    }
  });
});

describe('docs/cli.md describes every check of verify gcs and verify azure', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const doc = (require('fs') as typeof import('fs')).readFileSync(require('path').join(__dirname, '..', '..', '..', 'docs', 'cli.md'), 'utf8');
  it.each([
    ...['gcs.bucket', 'gcs.iam', 'gcs.cors', 'gcs.object', 'gcs.preflight'],
    ...['azure.service-principal', 'azure.role', 'azure.network', 'azure.cors', 'azure.blob', 'azure.preflight'],
  ])('%s has a row', (id) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${id.replace('.', '\\.')}\``, 'm'));
  });
});
