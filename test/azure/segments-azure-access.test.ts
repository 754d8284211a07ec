import { Construct } from 'constructs';
import { Testing } from 'cdktf';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { SegmentsAzureAccess, SegmentsAzureAccessProps, SegmentsAzureStorageAccount, SegmentsAzureWarnings } from '../../lib/azure';
import { SEGMENTS_AZURE_CLIENT_ID } from '../../lib/segments';
import {
  TfJson,
  allStrings,
  documentedAttributes,
  errorOf,
  newStack,
  onlyLogicalId,
  onlyResource,
  resourceTypes,
  schemaProblems,
  synthWith,
  warningsUnder,
} from './synth';

const ACCOUNT_ID = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/acme-data/providers/Microsoft.Storage/storageAccounts/acmeimages';
const BASE: SegmentsAzureAccessProps = { storageAccountId: ACCOUNT_ID };
const OTHER_ACCOUNT_ID = ACCOUNT_ID.replace('acmeimages', 'acmevideos');

function accessJson(props: Partial<SegmentsAzureAccessProps> = {}) {
  let construct: SegmentsAzureAccess | undefined;
  const result = synthWith((scope) => {
    construct = new SegmentsAzureAccess(scope, 'Segments', { ...BASE, ...props } as SegmentsAzureAccessProps);
  });
  return { ...result, construct: construct! };
}

function outputValue(json: TfJson, output: { friendlyUniqueId: string } | undefined): unknown {
  return json.output?.[output!.friendlyUniqueId]?.value;
}

function dataSource(json: TfJson): Record<string, unknown> {
  const all = Object.values((json.data as Record<string, Record<string, Record<string, unknown>>>)?.azuread_service_principal ?? {});
  expect(all).toHaveLength(1);
  return all[0];
}

const VARIANTS: Record<string, Partial<SegmentsAzureAccessProps>> = {
  'default (existing principal, account scope)': {},
  'created principal': { servicePrincipal: 'create' },
  'container scope': { scope: 'container', containerName: 'images' },
  'custom origins': { allowedOrigins: ['https://labeling.segments.ai', 'https://segments.ai'] },
  'no CORS instructions': { emitCorsInstructions: false },
};
const SYNTHESIZED = new Map(Object.entries(VARIANTS).map(([name, props]) => [name, accessJson(props)]));
const EACH_VARIANT = [...SYNTHESIZED.entries()];

describe('SegmentsAzureAccess alone, on an account this app does not manage', () => {
  it.each(EACH_VARIANT)('%s matches the snapshot', (_name, synthesized) => {
    expect(synthesized.text).toMatchSnapshot();
  });

  it.each(EACH_VARIANT)('%s uses only attributes the provider bindings define, with every required one', (_name, synthesized) => {
    expect(schemaProblems(synthesized.json)).toEqual([]);
  });

  it.each(EACH_VARIANT)('%s declares one additive role assignment and nothing authoritative', (_name, synthesized) => {
    const types = resourceTypes(synthesized.json);
    expect(types.filter((t) => t !== 'azuread_service_principal')).toEqual(['azurerm_role_assignment']);
    expect(allStrings(synthesized.json).some((s) => /azurerm_role_definition|_policy|storage_account\b|Owner|Contributor/.test(s))).toBe(false);
  });
});

describe("Segments' app gets Storage Blob Data Reader and nothing else", () => {
  const { json } = SYNTHESIZED.get('default (existing principal, account scope)')!;
  const assignment = onlyResource(json, 'azurerm_role_assignment');

  it("looks the service principal up by the Segments app's client ID", () => {
    expect(dataSource(json)).toEqual({ client_id: 'd47021c7-05d1-44c3-a594-93c2c30c68fc' });
    expect(SEGMENTS_AZURE_CLIENT_ID).toBe('d47021c7-05d1-44c3-a594-93c2c30c68fc');
  });

  it('assigns Storage Blob Data Reader on the account to that principal, as a service principal', () => {
    const dataId = Object.keys((json.data as Record<string, Record<string, unknown>>).azuread_service_principal)[0];
    expect(assignment).toEqual({
      scope: ACCOUNT_ID,
      role_definition_name: 'Storage Blob Data Reader',
      principal_id: `\${data.azuread_service_principal.${dataId}.object_id}`,
      principal_type: 'ServicePrincipal',
      description: expect.stringMatching(/Segments\.ai .*read blobs/),
    });
  });

  it('narrows the scope to one container when asked', () => {
    const scoped = onlyResource(SYNTHESIZED.get('container scope')!.json, 'azurerm_role_assignment');
    expect(scoped.scope).toBe(`${ACCOUNT_ID}/blobServices/default/containers/images`);
    expect(scoped.role_definition_name).toBe('Storage Blob Data Reader');
  });

  it('outputs the one-time az ad sp create command', () => {
    const { json: j, construct } = accessJson();
    expect(outputValue(j, construct.servicePrincipalCommandOutput)).toBe('az ad sp create --id d47021c7-05d1-44c3-a594-93c2c30c68fc');
  });

  it('warns nothing by default', () => {
    expect(warningsUnder(accessJson().construct)).toEqual([]);
  });
});

describe("servicePrincipal 'create'", () => {
  const { json, construct } = SYNTHESIZED.get('created principal')!;

  it('declares the principal with use_existing and prevent_destroy, and assigns the role to it', () => {
    expect(onlyResource(json, 'azuread_service_principal')).toEqual({
      client_id: SEGMENTS_AZURE_CLIENT_ID,
      use_existing: true,
      lifecycle: { prevent_destroy: true, ignore_changes: expect.any(Array) },
    });
    expect(json.data).toBeUndefined();
    expect(onlyResource(json, 'azurerm_role_assignment').principal_id).toBe(`\${azuread_service_principal.${onlyLogicalId(json, 'azuread_service_principal')}.object_id}`);
  });

  it("adopts an existing principal without resetting what the tenant's admins set on it", () => {
    // use_existing adopts the principal, then writes the configuration over it: without
    // ignore_changes an admin's account_enabled = false would be reset to true by the next apply.
    const ignored = (onlyResource(json, 'azuread_service_principal').lifecycle as { ignore_changes: string[] }).ignore_changes;
    expect([...ignored].sort()).toEqual([
      'account_enabled', 'app_role_assignment_required', 'description', 'feature_tags', 'notes', 'notification_email_addresses', 'tags',
    ]);
    const known = documentedAttributes('azuread_service_principal');
    expect(ignored.filter((attribute) => !known.has(attribute))).toEqual([]);
  });

  it('warns, with a stable ID, that destroying it removes Segments from every account in the tenant', () => {
    expect(warningsUnder(construct)).toEqual([
      expect.stringMatching(/^\[segments-cloud-constructs:azure-created-service-principal\] .*every storage account in the tenant.*account_enabled, .* are in ignore_changes/),
    ]);
    expect(SegmentsAzureWarnings.CREATED_SERVICE_PRINCIPAL).toBe('segments-cloud-constructs:azure-created-service-principal');
  });

  it('outputs no az ad sp create command', () => {
    expect(construct.servicePrincipalCommandOutput).toBeUndefined();
    expect(allStrings(json.output).some((s) => s.includes('az ad sp create'))).toBe(false);
  });

  it('refuses a second declaration in the same stack, and lets lookups wait for the first', () => {
    expect(errorOf((scope: Construct) => {
      new SegmentsAzureAccess(scope, 'A', { ...BASE, servicePrincipal: 'create' });
      new SegmentsAzureAccess(scope, 'B', { storageAccountId: OTHER_ACCOUNT_ID, servicePrincipal: 'create' });
    })).toMatch(/^stack\/B: SegmentsAzureAccess refused its input:\n {2}- servicePrincipal is 'create' but 'stack\/A' already declares/);
    let waiting: SegmentsAzureAccess | undefined;
    const { json: both } = synthWith((scope) => {
      new SegmentsAzureAccess(scope, 'A', { ...BASE, servicePrincipal: 'create' });
      waiting = new SegmentsAzureAccess(scope, 'B', { storageAccountId: OTHER_ACCOUNT_ID });
    });
    expect(dataSource(both).depends_on).toEqual([`azuread_service_principal.${onlyLogicalId(both, 'azuread_service_principal')}`]);
    // The stack declares the principal itself: there is no az ad sp create to run.
    expect(waiting!.servicePrincipalCommandOutput).toBeUndefined();
    expect(allStrings(both.output).some((s) => s.includes('az ad sp create'))).toBe(false);
  });
});

describe("scope 'container'", () => {
  it('warns, with a stable ID, that Segments may need account scope to sign URLs', () => {
    expect(warningsUnder(SYNTHESIZED.get('container scope')!.construct)).toEqual([
      expect.stringMatching(/^\[segments-cloud-constructs:azure-container-scope\] .*container 'images'.*user delegation key/),
    ]);
  });

  it('says "a value known at apply" rather than printing the token of a container name', () => {
    let access: SegmentsAzureAccess | undefined;
    synthWith((scope) => {
      const account = new StorageAccount(scope, 'Images', { name: 'acmeimages', resourceGroupName: 'rg', location: 'westeurope', accountTier: 'Standard', accountReplicationType: 'LRS' });
      access = new SegmentsAzureAccess(scope, 'Segments', { storageAccountId: ACCOUNT_ID, scope: 'container', containerName: account.primaryLocation });
    });
    expect(warningsUnder(access!)).toEqual([expect.stringMatching(/can read one container \(its name is a value known at apply\) only/)]);
    expect(warningsUnder(access!).join()).not.toMatch(/\$\{|TOKEN/);
  });
});

describe('CORS instructions for an account Terraform does not manage', () => {
  it("outputs the vendor doc's az storage cors add command, with the account's name", () => {
    const { json, construct } = SYNTHESIZED.get('default (existing principal, account scope)')!;
    expect(outputValue(json, construct.corsCommandOutput)).toBe(
      "az storage cors add --services b --methods GET --origins 'https://app.segments.ai' --max-age 3600 --account-name 'acmeimages'",
    );
  });

  it('also outputs the Resource Manager form, which needs no account key, with the resource group from the ID', () => {
    const { json, construct } = SYNTHESIZED.get('default (existing principal, account scope)')!;
    // Issue 18 item 9: azure-cli 2.45 (Debian 12) has no 'cors-rule'; HISTORY.rst adds it in 2.49.0.
    const description = json.output?.[construct.corsRuleCommandOutput!.friendlyUniqueId]?.description as string;
    expect(description).toMatch(/Needs azure-cli 2\.49\.0 or later .* Debian 12's 2\.45, answers "'cors-rule' is misspelled or not recognized"; upgrade it, or run CorsCommand/);
    expect(outputValue(json, construct.corsRuleCommandOutput)).toBe(
      "az storage account blob-service-properties cors-rule add --account-name 'acmeimages' --resource-group 'acme-data' --allowed-origins 'https://app.segments.ai' --allowed-methods GET --max-age 3600",
    );
  });

  it('lists the given origins, each single-quoted for the shell', () => {
    const { json, construct } = SYNTHESIZED.get('custom origins')!;
    expect(outputValue(json, construct.corsCommandOutput)).toMatch(/ --origins 'https:\/\/labeling\.segments\.ai' 'https:\/\/segments\.ai' --max-age 3600 /);
    expect(outputValue(json, construct.corsRuleCommandOutput)).toMatch(/ --allowed-origins 'https:\/\/labeling\.segments\.ai' 'https:\/\/segments\.ai' --allowed-methods GET /);
  });

  it('outputs nothing about CORS when emitCorsInstructions is false', () => {
    const { json, construct } = SYNTHESIZED.get('no CORS instructions')!;
    expect(construct.corsCommandOutput).toBeUndefined();
    expect(construct.corsRuleCommandOutput).toBeUndefined();
    expect(allStrings(json.output).some((s) => s.includes('cors'))).toBe(false);
  });

  it('derives the account name from a token ID with a Terraform expression', () => {
    let access: SegmentsAzureAccess | undefined;
    const { json } = synthWith((scope) => {
      const account = new StorageAccount(scope, 'Images', { name: 'acmeimages', resourceGroupName: 'rg', location: 'westeurope', accountTier: 'Standard', accountReplicationType: 'LRS' });
      access = new SegmentsAzureAccess(scope, 'Segments', { storageAccountId: account.id });
    });
    const ref = `azurerm_storage_account.${onlyLogicalId(json, 'azurerm_storage_account')}.id`;
    expect(onlyResource(json, 'azurerm_role_assignment').scope).toBe(`\${${ref}}`);
    expect(outputValue(json, access!.corsCommandOutput)).toBe(`az storage cors add --services b --methods GET --origins 'https://app.segments.ai' --max-age 3600 --account-name '\${element(split("/", ${ref}), 8)}'`);
    expect(outputValue(json, access!.corsRuleCommandOutput)).toBe(
      `az storage account blob-service-properties cors-rule add --account-name '\${element(split("/", ${ref}), 8)}' --resource-group '\${element(split("/", ${ref}), 4)}' --allowed-origins 'https://app.segments.ai' --allowed-methods GET --max-age 3600`,
    );
  });
});

/** Builds in a fresh stack and synthesizes it with validations, as `cdktf synth` does; the error ('' when none). */
function synthErrorOf(build: (scope: Construct) => void): string {
  try {
    const stack = newStack();
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new AzureadProvider(stack, 'azuread');
    build(stack);
    Testing.synth(stack, true);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('one grant per scope in an app (Azure refuses a second identical role assignment with 409)', () => {
  it('refuses a second SegmentsAzureAccess on the same account, naming both constructs', () => {
    expect(errorOf((scope: Construct) => {
      new SegmentsAzureAccess(scope, 'A', BASE);
      new SegmentsAzureAccess(scope, 'B', { storageAccountId: ACCOUNT_ID.replace('00000000-1111', '99999999-1111'), emitCorsInstructions: false });
    })).toMatch(/^stack\/B: SegmentsAzureAccess refused its input:\n {2}- 'stack\/B' would assign Storage Blob Data Reader to Segments on storage account 'acmeimages', which 'stack\/A' already does: .*409 RoleAssignmentExists/);
  });

  it('refuses a SegmentsAzureAccess on the account a SegmentsAzureStorageAccount declares, and the reverse', () => {
    expect(errorOf((scope: Construct) => {
      new SegmentsAzureStorageAccount(scope, 'Data', { name: 'acmeimages', resourceGroupName: 'acme-data', location: 'westeurope' });
      new SegmentsAzureAccess(scope, 'Segments', BASE);
    })).toMatch(/^stack\/Segments: SegmentsAzureAccess refused its input:\n {2}- 'stack\/Segments' would assign .* on storage account 'acmeimages', which 'stack\/Data' already does/);
    expect(errorOf((scope: Construct) => {
      new SegmentsAzureAccess(scope, 'Segments', BASE);
      new SegmentsAzureStorageAccount(scope, 'Data', { name: 'acmeimages', resourceGroupName: 'acme-data', location: 'westeurope' });
    })).toMatch(/^stack\/Data: SegmentsAzureStorageAccount refused its input:\n {2}- 'stack\/Data' would assign .* which 'stack\/Segments' already does/);
  });

  // Issue 18 item 9: the same token storageAccount.id twice was not caught.
  it('refuses a second SegmentsAzureAccess on the same token storageAccountId, and allows another token', () => {
    expect(synthErrorOf((scope: Construct) => {
      const account = new StorageAccount(scope, 'Images', { name: 'acmeimages', resourceGroupName: 'rg', location: 'westeurope', accountTier: 'Standard', accountReplicationType: 'LRS' });
      new SegmentsAzureAccess(scope, 'A', { storageAccountId: account.id });
      new SegmentsAzureAccess(scope, 'B', { storageAccountId: account.id, emitCorsInstructions: false });
    })).toMatch(/stack\/B.*SegmentsAzureAccess refused its input:\n {2}- 'stack\/B' would assign Storage Blob Data Reader to Segments on the storage account '\$\{azurerm_storage_account\.Images\.id\}', which 'stack\/A' already does: .*409 RoleAssignmentExists/s);
    expect(synthErrorOf((scope: Construct) => {
      const account = new StorageAccount(scope, 'Images', { name: 'acmeimages', resourceGroupName: 'rg', location: 'westeurope', accountTier: 'Standard', accountReplicationType: 'LRS' });
      new SegmentsAzureAccess(scope, 'A', { storageAccountId: account.id, scope: 'container', containerName: 'images' });
      new SegmentsAzureAccess(scope, 'B', { storageAccountId: account.id, scope: 'container', containerName: 'images', emitCorsInstructions: false });
    })).toMatch(/'stack\/B' would assign .* on container "images" of the storage account '\$\{azurerm_storage_account\.Images\.id\}', which 'stack\/A' already does/);
    expect(synthErrorOf((scope: Construct) => {
      const images = new StorageAccount(scope, 'Images', { name: 'acmeimages', resourceGroupName: 'rg', location: 'westeurope', accountTier: 'Standard', accountReplicationType: 'LRS' });
      const videos = new StorageAccount(scope, 'Videos', { name: 'acmevideos', resourceGroupName: 'rg', location: 'westeurope', accountTier: 'Standard', accountReplicationType: 'LRS' });
      new SegmentsAzureAccess(scope, 'A', { storageAccountId: images.id });
      new SegmentsAzureAccess(scope, 'B', { storageAccountId: videos.id });
      new SegmentsAzureAccess(scope, 'C', { storageAccountId: images.id, scope: 'container', containerName: 'images' });
    })).toBe('');
  });

  it('refuses the same container twice, and allows other scopes of the same account', () => {
    expect(errorOf((scope: Construct) => {
      new SegmentsAzureAccess(scope, 'A', { ...BASE, scope: 'container', containerName: 'images' });
      new SegmentsAzureAccess(scope, 'B', { ...BASE, scope: 'container', containerName: 'images' });
    })).toMatch(/'stack\/B' would assign .* on container 'images' of storage account 'acmeimages', which 'stack\/A' already does/);
    expect(errorOf((scope: Construct) => {
      new SegmentsAzureAccess(scope, 'A', BASE);
      new SegmentsAzureAccess(scope, 'B', { ...BASE, scope: 'container', containerName: 'images' });
      new SegmentsAzureAccess(scope, 'C', { ...BASE, scope: 'container', containerName: 'videos' });
      new SegmentsAzureAccess(scope, 'D', { storageAccountId: OTHER_ACCOUNT_ID });
    })).toBe('');
  });
});

describe('SegmentsAzureAccess refusals name the prop and the construct', () => {
  const cases: [string, Partial<SegmentsAzureAccessProps>, RegExp][] = [
    ['a missing storageAccountId (JavaScript callers)', { storageAccountId: undefined }, /storageAccountId is missing/],
    ['an account name instead of an ID', { storageAccountId: 'acmeimages' }, /storageAccountId \('acmeimages'\) is not the ARM ID of a storage account.*looks like an account name/],
    ['the ID of another resource type', { storageAccountId: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/acme-data' }, /is not the ARM ID of a storage account/],
    ['a container ID', { storageAccountId: `${ACCOUNT_ID}/blobServices/default/containers/images` }, /is a container's ID: give the storage account's ID, .*scope: 'container' and containerName: 'images'/],
    ['a bad account name inside the ID', { storageAccountId: ACCOUNT_ID.replace('acmeimages', 'Acme_Images') }, /storageAccountId's account name \('Acme_Images'\) must be 3 to 24 lowercase letters and digits/],
    ["scope 'container' without containerName", { scope: 'container' }, /scope is 'container' but containerName is not set/],
    ['containerName with account scope', { containerName: 'images' }, /containerName is set but scope is not 'container'/],
    ['an invalid container name', { scope: 'container', containerName: 'Images' }, /containerName \('Images'\) may only contain lowercase letters, digits and '-'.*Try 'images'/],
    ['an unknown servicePrincipal', { servicePrincipal: 'import' as never }, /servicePrincipal \('import'\) must be 'existing'/],
    ['an unknown scope', { scope: 'subscription' as never }, /scope \('subscription'\) must be 'account' or 'container'/],
    ['an http origin', { allowedOrigins: ['http://app.segments.ai'] }, /allowedOrigins\[0\] .* must use https/],
    ['two wildcards in an origin', { allowedOrigins: ['https://*.*.segments.ai'] }, /allowedOrigins\[0\] \('https:\/\/\*\.\*\.segments\.ai'\) /],
    ['a wildcard inside a label', { allowedOrigins: ['https://*segments.ai'] }, /allowedOrigins\[0\] .* contains '\*': Azure matches an allowed origin exactly/],
    // CorsRule.AllowedOrigins: "an exact case-sensitive match ... or the wildcard character '*'": no subdomain pattern.
    ['a subdomain wildcard, which Azure does not document', { allowedOrigins: ['https://*.segments.ai', 'https://segments.ai'] },
      /allowedOrigins\[0\] \('https:\/\/\*\.segments\.ai'\) contains '\*': Azure matches an allowed origin exactly and case-sensitively with the browser's Origin, or a lone '\*' \(any origin\), and documents no subdomain wildcard, so this would match no browser; list each host in full/],
    ['an empty origin list', { allowedOrigins: [] }, /allowedOrigins is empty, .*omit it to allow the default 'https:\/\/app\.segments\.ai'/],
    ['more origins than a CORS rule holds', { allowedOrigins: Array.from({ length: 65 }, (_, i) => `https://app${i}.segments.ai`) }, /allowedOrigins lists 65 origins: a Blob service CORS rule holds at most 64/],
    ['an origin longer than Azure accepts', { allowedOrigins: [`https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.segments.ai`] }, /allowedOrigins\[0\] is 263 characters long: the Blob service accepts at most 256/],
    ['origins without CORS instructions', { emitCorsInstructions: false, allowedOrigins: ['https://app.segments.ai'] }, /allowedOrigins is set but emitCorsInstructions is false/],
  ];

  it.each(cases)('refuses %s', (_name, props, message) => {
    const error = errorOf((scope: Construct) => new SegmentsAzureAccess(scope, 'Segments', { ...BASE, ...props } as SegmentsAzureAccessProps));
    expect(error).toMatch(message);
    expect(error).toMatch(/^stack\/Segments: SegmentsAzureAccess refused its input:\n {2}- /);
  });

  it('accepts the resource group and provider segments in any case (ARM IDs are case-insensitive)', () => {
    expect(errorOf((scope: Construct) => new SegmentsAzureAccess(scope, 'Segments', { storageAccountId: ACCOUNT_ID.replace('resourceGroups', 'resourcegroups').replace('Microsoft.Storage', 'microsoft.storage') }))).toBe('');
  });

  it('skips values that are unresolved tokens', () => {
    const { json } = synthWith((scope) => {
      const data = new SegmentsAzureStorageAccount(scope, 'Data', { name: 'acmedata', resourceGroupName: 'rg', location: 'westeurope' });
      new SegmentsAzureAccess(scope, 'Segments', { storageAccountId: data.storageAccount.id, scope: 'container', containerName: data.storageAccount.primaryLocation });
    });
    expect(Object.values(json.resource!.azurerm_role_assignment).map((a) => a.scope)).toContainEqual(expect.stringMatching(/\/blobServices\/default\/containers\/\$\{azurerm_storage_account\.Data_StorageAccount_[0-9A-F]{8}\.primary_location\}$/));
  });
});
