import { AzureWarning } from './private/warnings';

/**
 * The stable ids of the Azure constructs' warnings, as printed in front of each message by
 * `cdktf synth`: `[segments-cloud-constructs:<id>] ...`.
 */
export const SegmentsAzureWarnings = {
  /** `servicePrincipal: 'create'`: destroying it removes Segments from every storage account in the tenant. */
  CREATED_SERVICE_PRINCIPAL: `segments-cloud-constructs:${AzureWarning.CREATED_SERVICE_PRINCIPAL}`,
  /** `scope: 'container'`: Segments may need account scope to sign URLs. */
  CONTAINER_SCOPE: `segments-cloud-constructs:${AzureWarning.CONTAINER_SCOPE}`,
  /** `preventDestroy: false`: `terraform destroy` may delete the account and its blobs. */
  DESTROY_ALLOWED: `segments-cloud-constructs:${AzureWarning.DESTROY_ALLOWED}`,
  /** `sharedAccessKeyEnabled: true`: account keys can read every blob. */
  SHARED_KEY_ENABLED: `segments-cloud-constructs:${AzureWarning.SHARED_KEY_ENABLED}`,
} as const;
