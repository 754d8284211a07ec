/**
 * Example CDK for Terraform stack: an Azure storage account that Segments.ai can read. Built by
 * bin/cdktf-app.ts next to the Google example:
 *
 *   CHECKPOINT_DISABLE=1 npx cdktf synth     # writes cdktf.out/stacks/segments-azure/cdk.tf.json
 *
 * Configured through environment variables, falling back to the `context` of cdktf.json, then to
 * example values that are safe to synthesize (no credentials are needed to synthesize):
 *
 * | variable                          | context key                    | default                   |
 * |-----------------------------------|--------------------------------|---------------------------|
 * | SEGMENTS_AZURE_STORAGE_ACCOUNT    | segmentsAzureStorageAccount    | examplesegmentsdata       |
 * | SEGMENTS_AZURE_RESOURCE_GROUP     | segmentsAzureResourceGroup     | segments-labeling         |
 * | SEGMENTS_AZURE_LOCATION           | segmentsAzureLocation          | westeurope                |
 * | SEGMENTS_AZURE_CONTAINERS         | segmentsAzureContainers        | images (comma-separated)  |
 * | SEGMENTS_AZURE_SERVICE_PRINCIPAL  | segmentsAzureServicePrincipal  | existing                  |
 * | SEGMENTS_AZURE_ALLOWED_ORIGINS    | segmentsAzureAllowedOrigins    | https://app.segments.ai (comma-separated) |
 *
 * The azurerm provider reads the subscription from ARM_SUBSCRIPTION_ID at plan time (azurerm 4
 * requires one), so nothing here names a subscription.
 */
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { SegmentsAzureServicePrincipal, SegmentsAzureStorageAccount } from '../lib/azure';
import { type ExampleSetting, exampleList, readExampleSetting } from './example-settings';

/** What the example stack needs to know. */
export interface AzureExampleConfig {
  /** The storage account's name. */
  readonly storageAccountName: string;
  /** The existing resource group to create it in. */
  readonly resourceGroupName: string;
  /** The Azure region. */
  readonly location: string;
  /** The private containers to create. */
  readonly containerNames: string[];
  /** Whether Segments' service principal exists already or is declared here. */
  readonly servicePrincipal: SegmentsAzureServicePrincipal;
  /** The CORS origins; undefined for the vendor's default. */
  readonly allowedOrigins?: string[];
}

/** The environment variables and context keys the Azure example reads, with their defaults. */
export const AZURE_EXAMPLE_SETTINGS = {
  storageAccountName: { env: 'SEGMENTS_AZURE_STORAGE_ACCOUNT', context: 'segmentsAzureStorageAccount', default: 'examplesegmentsdata' },
  resourceGroupName: { env: 'SEGMENTS_AZURE_RESOURCE_GROUP', context: 'segmentsAzureResourceGroup', default: 'segments-labeling' },
  location: { env: 'SEGMENTS_AZURE_LOCATION', context: 'segmentsAzureLocation', default: 'westeurope' },
  containerNames: { env: 'SEGMENTS_AZURE_CONTAINERS', context: 'segmentsAzureContainers', default: 'images' },
  servicePrincipal: { env: 'SEGMENTS_AZURE_SERVICE_PRINCIPAL', context: 'segmentsAzureServicePrincipal', default: 'existing' },
  allowedOrigins: { env: 'SEGMENTS_AZURE_ALLOWED_ORIGINS', context: 'segmentsAzureAllowedOrigins', default: undefined },
} as const;

/** Reads the Azure example's settings: environment first, then context, then the defaults. */
export function azureExampleConfig(
  env: NodeJS.ProcessEnv,
  context: (key: string) => unknown = () => undefined,
): AzureExampleConfig {
  const read = (setting: ExampleSetting): string | undefined => readExampleSetting(env, context, setting);
  const s = AZURE_EXAMPLE_SETTINGS;
  const origins = read(s.allowedOrigins);
  return {
    storageAccountName: read(s.storageAccountName) ?? s.storageAccountName.default,
    resourceGroupName: read(s.resourceGroupName) ?? s.resourceGroupName.default,
    location: read(s.location) ?? s.location.default,
    containerNames: exampleList(read(s.containerNames) ?? s.containerNames.default),
    // Checked by the construct: anything else is refused with the fix.
    servicePrincipal: (read(s.servicePrincipal) ?? s.servicePrincipal.default) as SegmentsAzureServicePrincipal,
    allowedOrigins: origins === undefined ? undefined : exampleList(origins),
  };
}

/** A stack with the azurerm and azuread providers and one storage account Segments can read. */
export class SegmentsAzureExampleStack extends TerraformStack {
  /** The storage account. */
  public readonly data: SegmentsAzureStorageAccount;

  constructor(scope: Construct, id: string, config: AzureExampleConfig) {
    super(scope, id);
    // data_plane_available = false: azurerm makes no data-plane call at all (it otherwise reads the
    // queue and static website properties of every StorageV2 account, which fails with shared keys
    // off unless Terraform's identity holds a data role). Nothing here needs the data plane: the
    // containers are created through Resource Manager (storage_account_id), and no
    // queue_properties or static_website is set.
    new AzurermProvider(this, 'Azurerm', { features: [{ storage: [{ dataPlaneAvailable: false }] }] });
    new AzureadProvider(this, 'Azuread', {});
    this.data = new SegmentsAzureStorageAccount(this, 'Data', {
      name: config.storageAccountName,
      resourceGroupName: config.resourceGroupName,
      location: config.location,
      containerNames: config.containerNames,
      servicePrincipal: config.servicePrincipal,
      allowedOrigins: config.allowedOrigins,
      tags: { purpose: 'segments-ai-labeling' },
    });
  }
}
