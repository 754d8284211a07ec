/**
 * The secure settings of the storage account SegmentsAzureStorageAccount declares, as a pure
 * function: readable and testable without a stack.
 */
import type { StorageAccountConfig } from '@cdktf/provider-azurerm/lib/storage-account';
import { SegmentsAzureCorsRule } from '../../segments';
import { azurermCorsRule } from './defaults';

/** What the settings depend on. */
export interface StorageAccountSettingsInput {
  /** The vendor's CORS rule, with the chosen origins. */
  readonly corsRule: SegmentsAzureCorsRule;
  /** Days of blob and container soft delete. */
  readonly softDeleteDays: number;
  /** Whether account keys (and key-signed SAS) may be used. */
  readonly sharedAccessKeyEnabled: boolean;
}

/** The attributes this function decides. */
export type StorageAccountSettings = Pick<StorageAccountConfig,
  | 'accountTier'
  | 'accountKind'
  | 'minTlsVersion'
  | 'httpsTrafficOnlyEnabled'
  | 'allowNestedItemsToBePublic'
  | 'crossTenantReplicationEnabled'
  | 'infrastructureEncryptionEnabled'
  | 'sharedAccessKeyEnabled'
  | 'defaultToOauthAuthentication'
  | 'publicNetworkAccessEnabled'
  | 'blobProperties'>;

/**
 * The storage account's settings, one line each:
 *
 * | attribute                           | value       | why                                                          |
 * |-------------------------------------|-------------|--------------------------------------------------------------|
 * | account_tier / account_kind         | Standard / StorageV2 | the general-purpose kind that has blob versioning and soft delete |
 * | min_tls_version                     | TLS1_2      | no TLS 1.0/1.1                                               |
 * | https_traffic_only_enabled          | true        | blobs only over HTTPS, as Segments reads them                |
 * | allow_nested_items_to_be_public     | false       | no container can be made anonymous-readable                  |
 * | cross_tenant_replication_enabled    | false       | object replication cannot copy the data to another tenant    |
 * | infrastructure_encryption_enabled   | true        | a second layer of encryption at rest (set at creation only)  |
 * | shared_access_key_enabled           | false       | Segments reads with Entra ID (the role assignment), never with keys; see below |
 * | default_to_oauth_authentication     | true        | the portal uses Entra ID too                                  |
 * | public_network_access_enabled       | true        | Segments reads over the internet; the doc has no private endpoint step |
 * | blob_properties.versioning_enabled  | true        | an overwritten or deleted blob can be restored               |
 * | blob_properties.delete_retention_policy | softDeleteDays | a deleted blob can be undeleted                        |
 * | blob_properties.container_delete_retention_policy | softDeleteDays | a deleted container can be restored          |
 * | blob_properties.cors_rule           | the vendor's rule | browsers on Segments' web app may GET blobs             |
 *
 * Shared keys: turning them off is the secure choice and nothing Segments does needs them. The
 * catch is Terraform itself: azurerm uses shared-key authorisation for data-plane calls (it reads
 * the queue and static website properties of every StorageV2 account it manages, and
 * `azurerm_storage_container` with `storage_account_name`), and those calls fail with 403
 * KeyBasedAuthenticationNotPermitted. We keep keys off, create containers with
 * `storage_account_id` (Resource Manager, not the data plane), set no queue or static website
 * properties, and document the provider feature `storage { data_plane_available = false }`
 * (docs/azure.md), which stops every data-plane call; `sharedAccessKeyEnabled: true` is the
 * escape hatch, with a warning.
 */
export function storageAccountSettings(input: StorageAccountSettingsInput): StorageAccountSettings {
  return {
    accountTier: 'Standard',
    accountKind: 'StorageV2',
    minTlsVersion: 'TLS1_2',
    httpsTrafficOnlyEnabled: true,
    allowNestedItemsToBePublic: false,
    crossTenantReplicationEnabled: false,
    infrastructureEncryptionEnabled: true,
    sharedAccessKeyEnabled: input.sharedAccessKeyEnabled,
    defaultToOauthAuthentication: true,
    publicNetworkAccessEnabled: true,
    blobProperties: {
      versioningEnabled: true,
      deleteRetentionPolicy: { days: input.softDeleteDays },
      containerDeleteRetentionPolicy: { days: input.softDeleteDays },
      corsRule: [azurermCorsRule(input.corsRule)],
    },
  };
}
