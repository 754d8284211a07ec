/**
 * `segments-cloud-constructs/azure`: CDK for Terraform constructs that give Segments.ai read access
 * to an Azure storage account. Needs `cdktf`, `constructs`, `@cdktf/provider-azurerm` and
 * `@cdktf/provider-azuread` (imported through deep paths only); never loads the AWS or Google half.
 *
 * @module segments-cloud-constructs/azure
 */
export { SegmentsAzureAccess } from './segments-azure-access';
export type {
  SegmentsAzureAccessProps,
  SegmentsAzureAccessScope,
  SegmentsAzureServicePrincipal,
} from './segments-azure-access';
export { SegmentsAzureStorageAccount } from './segments-azure-storage-account';
export type { SegmentsAzureStorageAccountProps } from './segments-azure-storage-account';
export { SegmentsAzureWarnings, acknowledgeAzureWarning } from './warnings';
