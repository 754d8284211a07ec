/**
 * The Azure constructs' defaults, as pure values and functions: readable and testable without a
 * stack. This is the only file that knows how azurerm spells the vendor's facts.
 */
import type { StorageAccountBlobPropertiesCorsRule } from '@cdktf/provider-azurerm/lib/storage-account';
import { SEGMENTS_AZURE_CLIENT_ID, SegmentsAzureCorsRule } from '../../segments';

/** Who may read the account: Segments' app, as a service principal. */
export const PRINCIPAL_TYPE = 'ServicePrincipal';

/** The description of the role assignment, for a reviewer scanning Access control (IAM). */
export const ROLE_ASSIGNMENT_DESCRIPTION =
  'Lets Segments.ai (app d47021c7-05d1-44c3-a594-93c2c30c68fc) read blobs to label them. Managed by segments-cloud-constructs.';

/** The default replication: zone-redundant, so one datacenter's loss loses no labeling data. */
export const DEFAULT_REPLICATION_TYPE = 'ZRS';

/** The replication types azurerm accepts for a Standard StorageV2 account. */
export const REPLICATION_TYPES: readonly string[] = ['LRS', 'ZRS', 'GRS', 'RAGRS', 'GZRS', 'RAGZRS'];

/** The default blob and container soft delete, in days. */
export const DEFAULT_SOFT_DELETE_DAYS = 7;

/** The command that installs Segments' app in a tenant, once per tenant (the vendor doc's step). */
export const SERVICE_PRINCIPAL_COMMAND = `az ad sp create --id ${SEGMENTS_AZURE_CLIENT_ID}`;

/**
 * The vendor's CORS rule as azurerm's `blob_properties.cors_rule`. azurerm requires
 * `allowed_headers` and `exposed_headers` with at least one item, while the doc's
 * `az storage cors add` (no header flags) stores empty strings; `[""]` is how azurerm writes that
 * (its own acceptance test `blobPropertiesUpdatedEmptyAllowedExposedHeaders` does the same), so an
 * empty list becomes `[""]` and the rule matches what the doc's command sets.
 */
export function azurermCorsRule(rule: SegmentsAzureCorsRule): StorageAccountBlobPropertiesCorsRule {
  const atLeastOne = (values: string[]): string[] => (values.length === 0 ? [''] : [...values]);
  return {
    allowedOrigins: [...rule.allowedOrigins],
    allowedMethods: [...rule.allowedMethods],
    allowedHeaders: atLeastOne(rule.allowedHeaders),
    exposedHeaders: atLeastOne(rule.exposedHeaders),
    maxAgeInSeconds: rule.maxAgeInSeconds,
  };
}

/** The role assignment's scope: the account, or one container under it (an ARM ID either way). */
export function roleAssignmentScope(storageAccountId: string, containerName: string | undefined): string {
  return containerName === undefined ? storageAccountId : `${storageAccountId}/blobServices/default/containers/${containerName}`;
}

/**
 * The attributes of Segments' service principal that `servicePrincipal: 'create'` leaves to the
 * tenant's admins. With `use_existing = true`, azuread adopts a principal that already exists and
 * then writes the configuration over it, so every attribute left unset would be reset to its
 * default: an admin who disabled the enterprise app (`account_enabled = false`) to cut Segments
 * off would see it re-enabled by the next apply. `tags` and `feature_tags` are two views of the
 * same tags (hiding the app from My Apps is one of them).
 */
export const ADOPTED_SERVICE_PRINCIPAL_IGNORED_ATTRIBUTES: readonly string[] = [
  'account_enabled',
  'app_role_assignment_required',
  'description',
  'notes',
  'notification_email_addresses',
  'tags',
  'feature_tags',
];

/**
 * A word for a POSIX shell (bash, zsh): single-quoted, so `*` in an origin is not a glob (zsh
 * fails with "no matches found" otherwise). A `'` inside becomes `'\''`.
 */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The vendor doc's `az storage cors add` command for an account, with the given origins. It
 * authorises with an account key (azure-cli's `storage cors` has no `--auth-mode login`), so it
 * fails on an account with shared keys off: see {@link corsRuleCommand}.
 */
export function corsCommand(accountName: string, rule: SegmentsAzureCorsRule): string {
  return [
    'az storage cors add --services b',
    `--methods ${rule.allowedMethods.join(' ')}`,
    `--origins ${rule.allowedOrigins.map(shellQuote).join(' ')}`,
    `--max-age ${rule.maxAgeInSeconds}`,
    `--account-name ${shellQuote(accountName)}`,
  ].join(' ');
}

/**
 * The first azure-cli with `az storage account blob-service-properties cors-rule`: its HISTORY.rst,
 * 2.49.0, Storage, "Add new command group to manage blob cors rules" (Azure/azure-cli#26447).
 * Debian 12's azure-cli 2.45 answers "'cors-rule' is misspelled or not recognized".
 */
export const CORS_RULE_COMMAND_MIN_AZURE_CLI = '2.49.0';

/**
 * The same rule through Resource Manager (`az storage account blob-service-properties cors-rule
 * add`): it needs the resource group but no account key, so it works on an account with shared
 * keys off, and the caller's `Microsoft.Storage/storageAccounts/blobServices/write` permission.
 * It needs azure-cli {@link CORS_RULE_COMMAND_MIN_AZURE_CLI} or later.
 */
export function corsRuleCommand(accountName: string, resourceGroupName: string, rule: SegmentsAzureCorsRule): string {
  return [
    'az storage account blob-service-properties cors-rule add',
    `--account-name ${shellQuote(accountName)}`,
    `--resource-group ${shellQuote(resourceGroupName)}`,
    `--allowed-origins ${rule.allowedOrigins.map(shellQuote).join(' ')}`,
    `--allowed-methods ${rule.allowedMethods.join(' ')}`,
    `--max-age ${rule.maxAgeInSeconds}`,
  ].join(' ');
}
