// A customer's cdktf app that installed the packed tarball next to cdktf, constructs and the
// azurerm and azuread providers only. Run by scripts/check-package.sh and each row of
// scripts/check-matrix.sh: compiled with tsc (as CommonJS or as an ES module), then run. It
// synthesizes every Azure construct, then shows that the checks fire: a wildcard origin and a
// misspelled prop are refused (the cdktf constructs have no rendered-template check).
// The consumer has no @types/node: declare the one global used.
declare const console: { log(message: string): void };
import { App, TerraformStack, Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { SegmentsAzureAccess, SegmentsAzureStorageAccount } from 'segments-cloud-constructs/azure';
import { SEGMENTS_AZURE_CLIENT_ID, SEGMENTS_AZURE_ROLE_NAME } from 'segments-cloud-constructs';

const app = Testing.app();
const stack = new TerraformStack(app as App, 'consumer');
new AzurermProvider(stack, 'azurerm', { features: [{ storage: [{ dataPlaneAvailable: false }] }] });
new AzureadProvider(stack, 'azuread', {});
new SegmentsAzureStorageAccount(stack, 'Data', {
  name: 'consumercheckdata',
  resourceGroupName: 'consumer-rg',
  location: 'westeurope',
  containerNames: ['images'],
});
new SegmentsAzureAccess(stack, 'Existing', {
  storageAccountId: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/consumer-rg/providers/Microsoft.Storage/storageAccounts/consumerexisting',
});
const json = JSON.parse(Testing.synth(stack));

const assignments = Object.values<any>(json.resource.azurerm_role_assignment ?? {});
if (assignments.length !== 2 || assignments.some((a) => a.role_definition_name !== SEGMENTS_AZURE_ROLE_NAME || a.principal_type !== 'ServicePrincipal')) {
  throw new Error(`unexpected role assignments: ${JSON.stringify(assignments)}`);
}
const lookups = Object.values<any>(json.data?.azuread_service_principal ?? {});
if (lookups.length < 1 || lookups.some((lookup) => lookup.client_id !== SEGMENTS_AZURE_CLIENT_ID)) {
  throw new Error(`unexpected service principal lookups: ${JSON.stringify(lookups)}`);
}
const accounts = Object.values<any>(json.resource.azurerm_storage_account ?? {});
if (accounts.length !== 1 || JSON.stringify(accounts[0].blob_properties.cors_rule[0].allowed_methods) !== '["GET"]') {
  throw new Error(`unexpected storage account: ${JSON.stringify(accounts)}`);
}

/** The error a build throws, as text ('' when it does not throw). */
function refusal(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return String(error);
  }
  return '';
}
const scope = () => new TerraformStack(Testing.app() as App, 'refused');
const account = { name: 'consumerrefused', resourceGroupName: 'consumer-rg', location: 'westeurope' };
const origin = refusal(() => new SegmentsAzureStorageAccount(scope(), 'Data', { ...account, allowedOrigins: ['https://*'] }));
if (!origin.includes('SegmentsAzureStorageAccount refused its input')) {
  throw new Error(`the wildcard origin was not refused: ${JSON.stringify(origin)}`);
}
const typo = refusal(() => new SegmentsAzureStorageAccount(scope(), 'Data', { ...account, ...JSON.parse('{"containernames": ["images"]}') }));
if (!typo.includes("unknown prop 'containernames': did you mean 'containerNames'?")) {
  throw new Error(`the misspelled prop was not refused: ${JSON.stringify(typo)}`);
}
console.log('Azure consumer: synthesized SegmentsAzureStorageAccount and SegmentsAzureAccess (role assignments, CORS rule); refused a wildcard origin and a misspelled prop');
