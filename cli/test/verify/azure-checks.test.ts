/**
 * `verify azure`: every result of every check, from configuration as the Azure APIs return it.
 * Vendor facts (the app ID, the role's name, the origin) are literals here.
 */
import * as fc from 'fast-check';
import { checkAzureBlob } from '../../src/verify/azure/blob';
import { AzureCorsRule, azureCorsRuleFor, azureHeaderAllowed, azureOriginMatches, checkAzureCors, splitCorsList } from '../../src/verify/azure/cors';
import { checkAzureNetwork } from '../../src/verify/azure/network';
import { AzureDenyAssignment, AzureRoleAssignment, AzureRoleDefinition, AzureRoleInputs, azureActionMatches, checkAzureRole, denyApplies, grantsAction, grantsDataAction } from '../../src/verify/azure/role';
import { coversAccount, scopePlace } from '../../src/verify/azure/scope';
import { checkAzureServicePrincipal } from '../../src/verify/azure/service-principal';
import { Read } from '../../src/verify/read';
import { PROPERTY_SEED } from '../../../test/helpers/arbitraries';

const APP_ID = 'd47021c7-05d1-44c3-a594-93c2c30c68fc';
/**
 * Object IDs are GUIDs, which Azure compares without regard to case; the APIs do not agree on the
 * case they print (Graph lower case, ARM as it was written). Mixed case here, so a comparison that
 * forgets to ignore case fails.
 */
const SP = '5f3a9C2e-7B41-4d0e-9A6c-0C1d2E3f4A5b';
const SUB = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333';
const RG = `${SUB}/resourceGroups/acme-data`;
const ACCOUNT = `${RG}/providers/Microsoft.Storage/storageAccounts/acmeimages`;
const READER_ID = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/2A2B9908-6EA1-4AE2-8E65-A410DF84E7D1`;
const OWNER_ID = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`;
const denied = { failed: 'denied', message: 'AuthorizationFailed' } as const;
const missing = { failed: 'missing', message: 'Request_ResourceNotFound' } as const;
const value = <T>(v: T): Read<T> => ({ value: v });

describe('azure.service-principal: Segments\' app has a service principal in the tenant', () => {
  it('passes and names the object ID', () => {
    expect(checkAzureServicePrincipal(value({ id: SP, displayName: 'Segments.ai Blob Link Service app' }))).toMatchObject({ result: 'pass', detail: expect.stringContaining(SP) });
  });
  it('fails without one, with the vendor\'s az ad sp create', () => {
    expect(checkAzureServicePrincipal(missing)).toMatchObject({ result: 'fail', fix: `az ad sp create --id ${APP_ID}` });
  });
  it('fails with sign-in disabled', () => {
    expect(checkAzureServicePrincipal(value({ id: SP, accountEnabled: false }))).toMatchObject({ result: 'fail', fix: expect.stringContaining('accountEnabled=true') });
  });
  it('could not run when Graph refuses, naming Application.Read.All', () => {
    expect(checkAzureServicePrincipal(denied)).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('Application.Read.All') });
  });
});

describe('role-assignment scopes relative to the account', () => {
  it.each([
    ['/', 'root'],
    ['/providers/Microsoft.Management/managementGroups/acme-root', 'management-group'],
    [SUB, 'subscription'],
    [RG, 'resource-group'],
    [RG.toUpperCase(), 'resource-group'],
    [ACCOUNT, 'account'],
    [`${ACCOUNT}/`, 'account'],
    [`${ACCOUNT}/blobServices/default/containers/images`, 'container'],
    [`${SUB}/resourceGroups/other`, 'unrelated'],
    [`${RG}/providers/Microsoft.Storage/storageAccounts/acmeimages2`, 'unrelated'],
    [`${RG}/providers/Microsoft.Storage/storageAccounts/acme`, 'unrelated'],
    ['/subscriptions/other', 'unrelated'],
    [`${ACCOUNT}/blobServices/default/containers/images/blobs/x`, 'unrelated'],
  ])('%s is %s', (scope, kind) => {
    expect(scopePlace(scope, ACCOUNT).kind).toBe(kind);
  });
  it('names the container', () => {
    expect(scopePlace(`${ACCOUNT}/blobServices/default/containers/images`, ACCOUNT)).toEqual({ kind: 'container', container: 'images' });
  });
  it('only account scope and above cover the whole account', () => {
    expect(['root', 'management-group', 'subscription', 'resource-group', 'account', 'container', 'unrelated'].filter((kind) => coversAccount({ kind } as never)))
      .toEqual(['root', 'management-group', 'subscription', 'resource-group', 'account']);
  });
  it('a scope covers the account exactly when the account\'s ID starts with it at a segment boundary (property)', () => {
    const segment = fc.constantFrom('acme-data', 'acmeimages', 'other', 'acme');
    fc.assert(fc.property(fc.boolean(), segment, (withGroup, name) => {
      const scope = withGroup ? `${SUB}/resourceGroups/${name}` : `${RG}/providers/Microsoft.Storage/storageAccounts/${name}`;
      const ancestorOrSelf = ACCOUNT.toLowerCase() === scope.toLowerCase() || ACCOUNT.toLowerCase().startsWith(`${scope.toLowerCase()}/`);
      expect(coversAccount(scopePlace(scope, ACCOUNT))).toBe(ancestorOrSelf);
    }), { seed: PROPERTY_SEED, numRuns: 50 });
  });
});

describe('data actions: wildcards and notDataActions', () => {
  const read = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';
  it.each([
    ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read', true],
    ['microsoft.storage/storageaccounts/blobservices/containers/blobs/READ', true],
    ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*', true],
    ['Microsoft.Storage/*', true],
    ['*', true],
    ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write', false],
    ['Microsoft.Storage/storageAccounts/fileServices/*', false],
  ])('%s covers blob read: %s', (pattern, covers) => {
    expect(azureActionMatches(pattern, read)).toBe(covers);
  });
  it('a notDataAction takes it back within its block, not from another block', () => {
    expect(grantsDataAction([{ dataActions: ['Microsoft.Storage/*'], notDataActions: ['*/blobs/read'] }], read)).toBe(false);
    expect(grantsDataAction([{ dataActions: ['Microsoft.Storage/*'], notDataActions: ['*/blobs/read'] }, { dataActions: [read] }], read)).toBe(true);
    expect(grantsDataAction([{ actions: ['*'] }], read)).toBe(false);
  });
});

describe('azure.role: Segments\' principal can read blobs at the account or above', () => {
  // The built-in role as `az role definition list --name "Storage Blob Data Reader"` prints it.
  const readerDef: AzureRoleDefinition = {
    id: READER_ID, roleName: 'Storage Blob Data Reader', permissions: [{
      actions: ['Microsoft.Storage/storageAccounts/blobServices/containers/read', 'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'],
      dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
    }],
  };
  const ownerDef: AzureRoleDefinition = { id: OWNER_ID, roleName: 'Owner', permissions: [{ actions: ['*'] }] };
  const definitions = new Map<string, Read<AzureRoleDefinition>>([[READER_ID.toLowerCase(), value(readerDef)], [OWNER_ID.toLowerCase(), value(ownerDef)]]);
  const assign = (scope: string, roleDefinitionId = READER_ID, principalId = SP, extra: Partial<AzureRoleAssignment> = {}): AzureRoleAssignment => ({ scope, roleDefinitionId, principalId, principalType: 'ServicePrincipal', ...extra });
  const inputs = (assignments: AzureRoleAssignment[], more: Partial<AzureRoleInputs> = {}): AzureRoleInputs => ({ accountId: ACCOUNT, assignments: value(assignments), definitions, denyAssignments: value([]), ...more });
  // Graph prints the object ID in lower case; the assignments keep the case they were made with.
  const sp = value({ id: SP.toLowerCase() });

  it.each([ACCOUNT, RG, SUB, '/providers/Microsoft.Management/managementGroups/acme', '/'])('passes for Storage Blob Data Reader at %s', (scope) => {
    expect(checkAzureRole(sp, inputs([assign(scope)]))).toMatchObject({ result: 'pass', detail: expect.stringContaining('Storage Blob Data Reader') });
  });
  it('fails for Owner: management roles read no blob', () => {
    expect(checkAzureRole(sp, inputs([assign(ACCOUNT, OWNER_ID)]))).toMatchObject({ result: 'fail', detail: expect.stringContaining('Owner') });
  });
  it('fails when the role went to a user instead of the app, naming that principal', () => {
    const outcome = checkAzureRole(sp, inputs([assign(ACCOUNT, READER_ID, '9D8c7B6a-5F4e-4D3c-8B2a-1F0e9D8c7B6a', { principalType: 'User' })]));
    expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining('User 9D8c7B6a-5F4e-4D3c-8B2a-1F0e9D8c7B6a') });
    expect(outcome.fix).toBe(`az role assignment create --assignee-object-id ${SP.toLowerCase()} --assignee-principal-type ServicePrincipal --role "Storage Blob Data Reader" --scope ${ACCOUNT}`);
  });
  it('fails with no assignment at all', () => {
    expect(checkAzureRole(sp, inputs([]))).toMatchObject({ result: 'fail', detail: expect.stringContaining('no role assignment') });
  });
  it('ignores an assignment on another account', () => {
    expect(checkAzureRole(sp, inputs([assign(`${RG}/providers/Microsoft.Storage/storageAccounts/other`)])))
      .toMatchObject({ result: 'fail', detail: "Segments' app has no role assignment on the account or above." });
  });
  it('names the scope of the grant, and an empty condition is no condition', () => {
    expect(checkAzureRole(sp, inputs([assign(RG, READER_ID, SP, { condition: '' })])))
      .toMatchObject({ result: 'pass', detail: `Segments' app holds Storage Blob Data Reader at resource group scope (${RG}), which includes blob read and making a user delegation key.` });
  });
  const customId = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/7C9E4B2a-1D3f-4A5b-8C6d-9E0F1a2B3c4D`;
  const custom = (permissions: AzureRoleDefinition['permissions']) => new Map(definitions).set(customId.toLowerCase(), value({ id: customId, roleName: 'acme blob reader', permissions }));
  it('passes for a custom role whose data actions include blob read and whose actions make a user delegation key', () => {
    const defs = custom([{ actions: ['Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'], dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*'] }]);
    expect(checkAzureRole(sp, inputs([assign(ACCOUNT, customId)], { definitions: defs }))).toMatchObject({ result: 'pass', detail: expect.stringContaining('acme blob reader') });
  });
  it('warns for a custom role with blob read but without the user-delegation-key action, naming the action', () => {
    const defs = custom([{ dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'] }]);
    const outcome = checkAzureRole(sp, inputs([assign(ACCOUNT, customId)], { definitions: defs }));
    expect(outcome).toMatchObject({ result: 'warn', detail: expect.stringContaining('Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action') });
    expect(outcome.fix).toContain('--role "Storage Blob Data Reader"');
  });
  it('the action taken back by notActions does not count; from another role at the account it does; at a container it does not', () => {
    const takenBack = custom([{ actions: ['Microsoft.Storage/*'], notActions: ['Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'], dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'] }]);
    expect(checkAzureRole(sp, inputs([assign(ACCOUNT, customId)], { definitions: takenBack })).result).toBe('warn');
    const keyRoleId = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/befefa01-2a29-4197-83a8-272ff33ce314`;
    const defs = custom([{ dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'] }])
      .set(keyRoleId.toLowerCase(), value({ id: keyRoleId, roleName: 'Storage Blob Delegator', permissions: [{ actions: ['Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action'] }] }));
    expect(checkAzureRole(sp, inputs([assign(ACCOUNT, customId), assign(SUB, keyRoleId.toUpperCase())], { definitions: defs }))).toMatchObject({ result: 'pass', detail: expect.stringContaining('Storage Blob Delegator') });
    expect(checkAzureRole(sp, inputs([assign(ACCOUNT, customId), assign(`${ACCOUNT}/blobServices/default/containers/images`, keyRoleId)], { definitions: defs })).result).toBe('warn');
    expect(checkAzureRole(sp, inputs([assign(ACCOUNT, customId), assign(ACCOUNT, keyRoleId, '0A1b2C3d-4E5f-6A7b-8C9d-0E1f2A3b4C5d')], { definitions: defs })).result).toBe('warn');
  });
  it('grantsAction reads actions and notActions, not data actions', () => {
    const udk = 'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action';
    // Any block that lists it grants it: a role of several blocks.
    expect(grantsAction([{ actions: ['Microsoft.Storage/storageAccounts/read'] }, { actions: [udk] }], udk)).toBe(true);
    expect(grantsDataAction([{ dataActions: ['Microsoft.Storage/storageAccounts/queueServices/*'] }, { dataActions: ['*/blobs/read'] }], 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read')).toBe(true);
    expect(grantsAction([{ actions: ['Microsoft.Storage/storageAccounts/blobServices/*'] }], udk)).toBe(true);
    expect(grantsAction([{ dataActions: ['*'] }], udk)).toBe(false);
    expect(grantsAction([{ actions: ['*'], notActions: ['*/action'] }], udk)).toBe(false);
  });
  it('matches the principal and the role definition without regard to case (GUIDs)', () => {
    // The assignment names the principal in upper case and the role ID in lower case; Graph gave the object ID in lower case.
    const outcome = checkAzureRole(value({ id: SP.toLowerCase() }), inputs([assign(ACCOUNT, READER_ID.toLowerCase(), SP.toUpperCase())]));
    expect(outcome.result).toBe('pass');
    expect(checkAzureRole(value({ id: SP.toUpperCase() }), inputs([assign(ACCOUNT, READER_ID, SP)])).result).toBe('pass');
  });
  it('warns for a container-only assignment: a user delegation key is account-level', () => {
    const outcome = checkAzureRole(sp, inputs([assign(`${ACCOUNT}/blobServices/default/containers/images`)], { container: 'images' }));
    expect(outcome).toMatchObject({ result: 'warn', detail: expect.stringContaining('user delegation key is account-level') });
  });
  it('warns for a container-only assignment without --container too', () => {
    expect(checkAzureRole(sp, inputs([assign(`${ACCOUNT}/blobServices/default/containers/images`)])).result).toBe('warn');
  });
  it('fails for an assignment on another container than --container', () => {
    expect(checkAzureRole(sp, inputs([assign(`${ACCOUNT}/blobServices/default/containers/images`)], { container: 'videos' }))).toMatchObject({ result: 'fail', detail: expect.stringContaining('not on videos') });
  });
  it('warns for an assignment with a condition, showing it', () => {
    const condition = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'images'";
    expect(checkAzureRole(sp, inputs([assign(ACCOUNT, READER_ID, SP, { condition })]))).toMatchObject({ result: 'warn', detail: expect.stringContaining(condition) });
  });
  describe('deny assignments', () => {
    const deny = (extra: Partial<AzureDenyAssignment> = {}): AzureDenyAssignment => ({ name: 'blueprint-lock', scope: RG, permissions: [{ dataActions: ['*'] }], principals: [{ id: '00000000-0000-0000-0000-000000000000' }], ...extra });
    it('fails for a deny on everyone that covers blob read, even with the role', () => {
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([deny()]) }))).toMatchObject({ result: 'fail', detail: expect.stringContaining('blueprint-lock') });
    });
    it('fails for a deny naming the principal', () => {
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([deny({ principals: [{ id: SP.toUpperCase() }] })]) })).result).toBe('fail');
    });
    it('passes when Segments is excluded, when the deny covers other actions, or another principal', () => {
      for (const d of [deny({ excludePrincipals: [{ id: SP }] }), deny({ permissions: [{ dataActions: ['*'], notDataActions: ['*/blobs/read'] }] }), deny({ principals: [{ id: 'someone-else' }] }), deny({ scope: `${SUB}/resourceGroups/other` })]) {
        expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([d]) })).result).toBe('pass');
      }
    });
    it('doNotApplyToChildScopes: a deny above the account then stops there; at the account or its container it still applies', () => {
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([deny({ doNotApplyToChildScopes: true })]) })).result).toBe('pass');
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([deny({ doNotApplyToChildScopes: false })]) })).result).toBe('fail');
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([deny({ scope: ACCOUNT, doNotApplyToChildScopes: true })]) })).result).toBe('fail');
      const onContainer = deny({ scope: `${ACCOUNT}/blobServices/default/containers/images`, doNotApplyToChildScopes: true });
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([onContainer]), container: 'images' })).result).toBe('fail');
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([deny({ scope: SUB, doNotApplyToChildScopes: true })]) })).result).toBe('pass');
    });
    it('a deny on a container applies when no --container is given (Segments may read any); on an unrelated scope never', () => {
      const onContainer = deny({ scope: `${ACCOUNT}/blobServices/default/containers/images` });
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([onContainer]) })).result).toBe('fail');
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([deny({ scope: `${RG}/providers/Microsoft.Storage/storageAccounts/other` })]) })).result).toBe('pass');
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([deny({ scope: '/' })]) })).result).toBe('fail');
    });
    it('compares principal IDs as GUIDs: any case, in principals and in excludePrincipals', () => {
      const upper = SP.toUpperCase();
      // A deny listing several principals applies to each of them.
      expect(denyApplies(deny({ principals: [{ id: 'E0a1B2c3-D4e5-46F7-8a9B-0c1D2e3F4a5B' }, { id: upper }] }), SP)).toBe(true);
      expect(denyApplies(deny({ principals: [{ id: upper }] }), SP.toLowerCase())).toBe(true);
      expect(denyApplies(deny({ principals: [{ id: SP.toLowerCase() }] }), upper)).toBe(true);
      expect(denyApplies(deny({ excludePrincipals: [{ id: upper }] }), SP.toLowerCase())).toBe(false);
      expect(denyApplies(deny({ excludePrincipals: [{ id: SP.toLowerCase() }] }), upper)).toBe(false);
      expect(denyApplies(deny({ principals: [{ id: 'E0a1B2c3-D4e5-46F7-8a9B-0c1D2e3F4a5B' }] }), SP)).toBe(false);
    });
    it('a deny assignment at the subscription with the role at the account still fails; the role\'s own scope does not matter', () => {
      expect(checkAzureRole(sp, inputs([assign('/')], { denyAssignments: value([deny({ scope: SUB })]) })).result).toBe('fail');
    });
    it('a deny on another container than --container does not apply', () => {
      const d = deny({ scope: `${ACCOUNT}/blobServices/default/containers/secret` });
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([d]), container: 'images' })).result).toBe('pass');
      expect(checkAzureRole(sp, inputs([assign(ACCOUNT)], { denyAssignments: value([d]), container: 'secret' })).result).toBe('fail');
    });
  });
  it('could not run when assignments, denies or a definition cannot be read', () => {
    expect(checkAzureRole(sp, inputs([], { assignments: denied }))).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('roleAssignments/read') });
    expect(checkAzureRole(sp, inputs([], { denyAssignments: denied }))).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('denyAssignments/read') });
    const unknownId = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/unknown`;
    expect(checkAzureRole(sp, inputs([assign(ACCOUNT, unknownId)], { definitions: new Map([[unknownId, denied]]) }))).toMatchObject({ result: 'not-checked', couldNotRun: true });
  });
  it('is skipped without the service principal', () => {
    expect(checkAzureRole(missing, inputs([assign(ACCOUNT)]))).toMatchObject({ result: 'not-checked' });
    expect(checkAzureRole(undefined, inputs([assign(ACCOUNT)])).couldNotRun).toBeUndefined();
  });
});

describe('azure.network: Segments reads from the internet', () => {
  it('passes with public access and the firewall open', () => {
    expect(checkAzureNetwork('acmeimages', 'acme-data', value({ publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow' } })).result).toBe('pass');
    expect(checkAzureNetwork('acmeimages', 'acme-data', value({})).result).toBe('pass');
  });
  it('fails with publicNetworkAccess Disabled', () => {
    expect(checkAzureNetwork('acmeimages', 'acme-data', value({ publicNetworkAccess: 'Disabled' }))).toMatchObject({ result: 'fail', fix: 'az storage account update --name acmeimages --resource-group acme-data --public-network-access Enabled' });
  });
  it('fails with the firewall\'s default action Deny, even with IP rules', () => {
    expect(checkAzureNetwork('acmeimages', 'acme-data', value({ publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Deny', ipRules: [{}, {}] } })))
      .toMatchObject({ result: 'fail', detail: expect.stringContaining('2 IP rule(s)'), fix: expect.stringContaining('--default-action Allow') });
  });
  it('warns for a network security perimeter', () => {
    expect(checkAzureNetwork('acmeimages', undefined, value({ publicNetworkAccess: 'SecuredByPerimeter' })).result).toBe('warn');
  });
  it('could not run on access denied, naming Microsoft.Storage/storageAccounts/read', () => {
    expect(checkAzureNetwork('acmeimages', undefined, denied)).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('Microsoft.Storage/storageAccounts/read') });
  });
});

describe('azure.cors: the first rule that matches origin and method', () => {
  const rule = (origins: string[], methods = ['GET'], headers: string[] = []): AzureCorsRule => ({ allowedOrigins: origins, allowedMethods: methods, allowedHeaders: headers, exposedHeaders: [], maxAgeInSeconds: 3600 });
  it.each([
    ['https://app.segments.ai', 'https://app.segments.ai', true],
    // Azure: "the origin must be an exact case-sensitive match with the origin that the user agent sends".
    ['HTTPS://APP.SEGMENTS.AI', 'https://app.segments.ai', false],
    ['https://App.Segments.ai', 'https://app.segments.ai', false],
    ['*', 'https://app.segments.ai', true],
    // Azure documents '*' and exact origins only: a subdomain pattern is not taken to match.
    ['https://*.segments.ai', 'https://app.segments.ai', false],
    ['https://*.segments.ai', 'https://a.b.segments.ai', false],
    ['https://app.segments.ai/', 'https://app.segments.ai', false],
    ['https://*.segments.ai', 'https://segments.ai', false],
    ['https://*.segments.ai', 'https://evilsegments.ai', false],
    ['https://*.segments.ai', 'http://app.segments.ai', false],
    ['https://segments.ai', 'https://app.segments.ai', false],
    ['https://app.segments.ai.evil.example', 'https://app.segments.ai', false],
  ])('rule origin %s admits %s: %s', (pattern, origin, admits) => {
    expect(azureOriginMatches(pattern, origin)).toBe(admits);
  });
  it.each([
    [['*'], 'range', true], [['range'], 'Range', true], [['x-ms-meta*'], 'x-ms-meta-a', true], [[], 'range', false], [['x-ms-meta*'], 'range', false],
  ])('allowed headers %j admit %s: %s', (patterns, header, admits) => {
    expect(azureHeaderAllowed(patterns, header)).toBe(admits);
  });
  it('splits the data plane\'s comma-joined lists, empty string as empty', () => {
    expect(splitCorsList('')).toEqual([]);
    expect(splitCorsList('GET,HEAD')).toEqual(['GET', 'HEAD']);
    expect(splitCorsList(['a', ''])).toEqual(['a']);
    expect(splitCorsList(undefined)).toEqual([]);
    // What azure-cli and the portal store can carry spaces after the commas.
    expect(splitCorsList('https://segments.ai, https://app.segments.ai')).toEqual(['https://segments.ai', 'https://app.segments.ai']);
    expect(splitCorsList(' , ')).toEqual([]);
  });
  it('warns for the vendor\'s rule (empty headers): a preflight naming Range is refused, GETs pass', () => {
    const [outcome] = checkAzureCors('acmeimages', value([rule(['https://app.segments.ai'])]), ['https://app.segments.ai']);
    expect(outcome.result).toBe('warn');
    expect(outcome.detail).toContain('allowed headers [] (empty)');
    expect(outcome.detail).toContain('No rule allows the Range header');
    expect(outcome.fix).toBe('To allow it too: az storage cors add --services b --methods GET --origins https://app.segments.ai --max-age 3600 --account-name acmeimages --allowed-headers range');
  });
  it.each([[['*']], [['range']], [['Range']], [['ran*']], [['x-ms-meta*', 'range']]])('passes with allowed headers %j, which admit Range', (headers) => {
    const [outcome] = checkAzureCors('a', value([rule(['https://app.segments.ai'], ['GET'], headers)]), ['https://app.segments.ai']);
    expect(outcome.result).toBe('pass');
    expect(outcome.detail).toContain(`allowed headers ${JSON.stringify(headers)}`);
  });
  it.each([[['x-ms-meta*']], [['x-range']], [['content-type']]])('warns with allowed headers %j, which do not admit Range', (headers) => {
    expect(checkAzureCors('a', value([rule(['https://app.segments.ai'], ['GET'], headers)]), ['https://app.segments.ai'])[0].result).toBe('warn');
  });
  it('fails for an origin that differs only in case, and says Azure compares case-sensitively', () => {
    const [outcome] = checkAzureCors('a', value([rule(['https://App.Segments.ai'], ['GET'], ['*'])]), ['https://app.segments.ai']);
    expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining('case-sensitively') });
  });
  it('fails for a subdomain pattern, saying Azure documents only * and exact origins', () => {
    const [outcome] = checkAzureCors('a', value([rule(['https://*.segments.ai'], ['GET'], ['*'])]), ['https://app.segments.ai']);
    expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining('not a subdomain pattern') });
  });
  it('names the later rule that answers preflights naming headers', () => {
    const [outcome] = checkAzureCors('a', value([rule(['https://app.segments.ai']), rule(['*'], ['GET'], ['*'])]), ['https://app.segments.ai']);
    expect(outcome.detail).toContain('Rule #1');
    expect(outcome.detail).toContain('answered by rule #2');
  });
  it('fails for a rule of another origin, with the vendor\'s az storage cors add', () => {
    const [outcome] = checkAzureCors('acmeimages', value([rule(['https://example.com'])]), ['https://app.segments.ai']);
    expect(outcome.result).toBe('fail');
    expect(outcome.fix).toBe('az storage cors add --services b --methods GET --origins https://app.segments.ai --max-age 3600 --account-name acmeimages');
  });
  it('fails for a rule of the origin without GET, saying so', () => {
    expect(checkAzureCors('a', value([rule(['https://app.segments.ai'], ['PUT'])]), ['https://app.segments.ai'])[0]).toMatchObject({ result: 'fail', detail: expect.stringContaining('allows only PUT') });
  });
  it('fails with no rule', () => {
    expect(checkAzureCors('a', value([]), ['https://app.segments.ai'])[0]).toMatchObject({ result: 'fail', detail: expect.stringContaining('no CORS rule') });
  });
  it('could not run when the properties cannot be read', () => {
    expect(checkAzureCors('a', denied, ['https://app.segments.ai'])).toEqual([expect.objectContaining({ result: 'not-checked', couldNotRun: true })]);
  });
  it('a prefix header pattern admits the names it starts with, and only those', () => {
    expect(azureHeaderAllowed(['x-ms-*'], 'x-ms-date')).toBe(true);
    expect(azureHeaderAllowed(['x-ms-*'], 'x-other')).toBe(false);
    expect(azureHeaderAllowed(['X-MS-*'], 'x-ms-date')).toBe(true);
  });
  it('numbers the rules from 1 in every message, and says when the same rule answers the Range preflight', () => {
    const origin = 'https://app.segments.ai';
    const second = checkAzureCors('a', value([rule(['https://example.com']), rule([origin])]), [origin])[0];
    expect(second).toMatchObject({ result: 'warn', detail: expect.stringMatching(/^Rule #2 allows GET from https:\/\/app\.segments\.ai; /) });
    const both = checkAzureCors('a', value([rule(['https://example.com']), rule([origin], ['GET'], ['range'])]), [origin])[0];
    expect(both).toMatchObject({ result: 'pass', detail: 'Rule #2 allows GET from https://app.segments.ai and a preflight naming Range; allowed headers ["range"].' });
  });
  it('a failure names only the near misses, each by its number, and nothing else', () => {
    const origin = 'https://app.segments.ai';
    // The origin listed second in a rule without GET still counts as naming it.
    const near = checkAzureCors('a', value([rule(['https://example.com']), rule(['https://example.com', origin], ['PUT'])]), [origin])[0];
    expect(near.detail).toBe("None of the blob service's 2 CORS rules allows GET from https://app.segments.ai: rule #2 names the origin but allows only PUT. A browser on https://app.segments.ai cannot load the images.");
    const cased = checkAzureCors('a', value([rule(['https://example.com']), rule(['https://example.com', 'https://App.segments.ai'])]), [origin])[0];
    expect(cased.detail).toBe("None of the blob service's 2 CORS rules allows GET from https://app.segments.ai: rule #2 lists https://App.segments.ai, which differs from https://app.segments.ai in case: Azure compares origins case-sensitively. A browser on https://app.segments.ai cannot load the images.");
    const pattern = checkAzureCors('a', value([rule(['https://example.com']), rule(['https://*.segments.ai'])]), [origin])[0];
    expect(pattern.detail).toContain("2 CORS rules allows GET from https://app.segments.ai: rule #2 lists https://*.segments.ai: Azure documents only '*' and exact origins");
    const unrelated = checkAzureCors('a', value([rule(['https://example.com'])]), [origin])[0];
    expect(unrelated.detail).toBe("None of the blob service's 1 CORS rules allows GET from https://app.segments.ai. A browser on https://app.segments.ai cannot load the images.");
  });
  it('picks the first rule whose origin, method and headers all match (property)', () => {
    const originArb = fc.constantFrom('https://app.segments.ai', 'https://*.segments.ai', '*', 'https://segments.ai', 'https://evil.example', 'https://APP.segments.ai');
    const ruleArb = fc.record({
      allowedOrigins: fc.array(originArb, { maxLength: 2 }),
      allowedMethods: fc.array(fc.constantFrom('GET', 'PUT', 'get'), { maxLength: 2 }),
      allowedHeaders: fc.array(fc.constantFrom('*', 'range', 'x-ms-*'), { maxLength: 2 }),
      exposedHeaders: fc.constant([]),
    });
    fc.assert(fc.property(fc.array(ruleArb, { maxLength: 4 }), fc.boolean(), (rules, withRange) => {
      const origin = 'https://app.segments.ai';
      const headers = withRange ? ['range'] : [];
      const expected = rules.findIndex((r) => r.allowedOrigins.some((o) => o === 'https://app.segments.ai' || o === '*')
        && r.allowedMethods.some((m) => m.toUpperCase() === 'GET')
        && (!withRange || r.allowedHeaders.some((h) => h === '*' || h === 'range')));
      expect(azureCorsRuleFor(rules, origin, 'GET', headers)).toBe(expected);
    }), { seed: PROPERTY_SEED, numRuns: 300 });
  });
});

describe('azure.blob: the blob exists and is online', () => {
  it('passes for a Hot blob', () => {
    expect(checkAzureBlob('a', 'images/cat.jpg', value({ accessTier: 'Hot', contentLength: 42 }))).toMatchObject({ result: 'pass', target: 'images/cat.jpg' });
  });
  it('fails for an archived blob, with the rehydrate command', () => {
    expect(checkAzureBlob('acmeimages', 'images/a/cat.jpg', value({ accessTier: 'Archive' })))
      .toMatchObject({ result: 'fail', fix: 'az storage blob set-tier --account-name acmeimages --container-name images --name a/cat.jpg --tier Hot --rehydrate-priority Standard' });
  });
  it('fails for a missing blob', () => {
    expect(checkAzureBlob('a', 'images/cat.jpg', missing).result).toBe('fail');
  });
  it('could not run on access denied, naming Storage Blob Data Reader', () => {
    expect(checkAzureBlob('a', 'images/cat.jpg', denied)).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('Storage Blob Data Reader') });
  });
});
