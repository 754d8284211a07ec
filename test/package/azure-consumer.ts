// A customer's cdktf app that installed the packed tarball next to cdktf, constructs and the
// azurerm and azuread providers only. Run by scripts/check-package.sh: compiled with tsc, then run.
// The consumer has no @types/node: declare the one global used.
declare const console: { log(message: string): void };
import { App, TerraformStack, Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { SegmentsAzureStorageAccount } from 'segments-cloud-constructs/azure';
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
const json = JSON.parse(Testing.synth(stack));

const assignments = Object.values<any>(json.resource.azurerm_role_assignment ?? {});
if (assignments.length !== 1 || assignments[0].role_definition_name !== SEGMENTS_AZURE_ROLE_NAME || assignments[0].principal_type !== 'ServicePrincipal') {
  throw new Error(`unexpected role assignment: ${JSON.stringify(assignments)}`);
}
const lookups = Object.values<any>(json.data?.azuread_service_principal ?? {});
if (lookups.length !== 1 || lookups[0].client_id !== SEGMENTS_AZURE_CLIENT_ID) {
  throw new Error(`unexpected service principal lookup: ${JSON.stringify(lookups)}`);
}
const accounts = Object.values<any>(json.resource.azurerm_storage_account ?? {});
if (accounts.length !== 1 || JSON.stringify(accounts[0].blob_properties.cors_rule[0].allowed_methods) !== '["GET"]') {
  throw new Error(`unexpected storage account: ${JSON.stringify(accounts)}`);
}
console.log('Azure-only consumer: synthesized a SegmentsAzureStorageAccount with the role assignment and the CORS rule');
