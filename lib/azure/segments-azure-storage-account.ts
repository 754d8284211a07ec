import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { SEGMENTS_AZURE_DEFAULT_ORIGINS, azureBlobUrlPrefix, segmentsAzureCorsRule } from '../segments';
import { knownProps, unknownPropProblems } from '../checks/known-props';
import { refusalError } from '../checks/refusal';
import { isLiteral, originProblems, storageAccountProblems } from './private/checks';
import { DEFAULT_REPLICATION_TYPE, DEFAULT_SOFT_DELETE_DAYS } from './private/defaults';
import { storageAccountSettings } from './private/storage-account-defaults';
import { duplicateGrantProblem, existingGrant, grantKey, grantScopeText, recordGrant } from './private/role-assignment-registry';
import { AzureWarning, warn } from './private/warnings';
import { SegmentsAzureAccess, SegmentsAzureServicePrincipal } from './segments-azure-access';

/** Properties of a {@link SegmentsAzureStorageAccount}. */
export interface SegmentsAzureStorageAccountProps {
  /** The account's globally unique name: 3 to 24 lowercase letters and digits. */
  readonly name: string;

  /** The resource group to create the account in (it must exist). */
  readonly resourceGroupName: string;

  /** The Azure region of the account, such as `westeurope`. */
  readonly location: string;

  /**
   * Private blob containers to create in the account (3 to 63 lowercase letters, digits and
   * single hyphens each).
   * @default - no containers
   */
  readonly containerNames?: string[];

  /**
   * The origins of Segments' web app allowed by the blob service CORS rule, each a full host:
   * Azure matches an origin exactly, so a subdomain pattern (`https://*.segments.ai`) is refused.
   * @default ['https://app.segments.ai']
   */
  readonly allowedOrigins?: string[];

  /**
   * Whether Segments' service principal already exists in the tenant (`'existing'`) or this app
   * declares it (`'create'`); passed to the {@link SegmentsAzureAccess}.
   * @default 'existing'
   */
  readonly servicePrincipal?: SegmentsAzureServicePrincipal;

  /**
   * The account's replication: `LRS`, `ZRS`, `GRS`, `RAGRS`, `GZRS` or `RAGZRS`.
   * @default 'ZRS'
   */
  readonly accountReplicationType?: string;

  /**
   * Days a deleted blob or container can be restored (blob and container soft delete), 1 to 365.
   * @default 7
   */
  readonly blobSoftDeleteDays?: number;

  /**
   * Whether Terraform refuses to destroy the account and its containers (`lifecycle.prevent_destroy`),
   * the Terraform counterpart of CloudFormation's `RETAIN`. **Turning it off lets `terraform destroy`
   * delete the account with every blob in it.**
   * @default true
   */
  readonly preventDestroy?: boolean;

  /**
   * Whether account keys and key-signed SAS may be used. Segments never needs them. Off, the
   * azurerm provider block needs `features { storage { data_plane_available = false } }`
   * (see docs/azure.md).
   * @default false
   */
  readonly sharedAccessKeyEnabled?: boolean;

  /**
   * Tags of the account.
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

/** Every prop of {@link SegmentsAzureStorageAccountProps}: unknown ones are refused. */
const SEGMENTS_AZURE_STORAGE_ACCOUNT_PROPS = knownProps<SegmentsAzureStorageAccountProps>({
  name: true, resourceGroupName: true, location: true, containerNames: true, allowedOrigins: true, servicePrincipal: true, accountReplicationType: true, blobSoftDeleteDays: true, preventDestroy: true, sharedAccessKeyEnabled: true, tags: true,
});

/**
 * A storage account that Segments.ai can read, set up as Segments' Cloud integrations doc
 * describes, with secure defaults.
 *
 * Declares an `azurerm_storage_account` (TLS 1.2, HTTPS only, no public containers, no
 * cross-tenant replication, infrastructure encryption, no shared keys, versioning and soft delete,
 * and exactly the vendor's blob CORS rule), the private containers asked for, and grants
 * Segments' service principal `Storage Blob Data Reader` on the account through a
 * {@link SegmentsAzureAccess}. Outputs the account name and its blob endpoint.
 */
export class SegmentsAzureStorageAccount extends Construct {
  /** The storage account. */
  public readonly storageAccount: StorageAccount;

  /** The containers, in the order of `containerNames`. */
  public readonly containers: StorageContainer[];

  /** The grant to Segments' service principal. */
  public readonly access: SegmentsAzureAccess;

  /** The URL prefix Segments expects: `https://<name>.blob.core.windows.net/`. */
  public readonly blobEndpoint: string;

  /** The output holding the account name. */
  public readonly storageAccountNameOutput: TerraformOutput;

  /** The output holding the blob endpoint. */
  public readonly blobEndpointOutput: TerraformOutput;

  constructor(scope: Construct, id: string, props: SegmentsAzureStorageAccountProps) {
    super(scope, id);

    const problems = [...unknownPropProblems(props, SEGMENTS_AZURE_STORAGE_ACCOUNT_PROPS), ...storageAccountProblems(props), ...originProblems(props.allowedOrigins)];
    // Its grant is on a token ID, so the access construct cannot see the name: claim it here.
    const literalName = problems.length === 0 && isLiteral(props.name) ? props.name : undefined;
    if (literalName !== undefined) {
      const other = existingGrant(this, grantKey(literalName, undefined));
      if (other !== undefined) {
        problems.push(duplicateGrantProblem(this.node.path, other, grantScopeText(literalName, undefined)));
      }
    }
    if (problems.length > 0) {
      throw refusalError(this.node.path, 'SegmentsAzureStorageAccount', problems);
    }
    if (literalName !== undefined) {
      recordGrant(this, grantKey(literalName, undefined), this.node.path);
    }

    const preventDestroy = props.preventDestroy ?? true;
    const sharedAccessKeyEnabled = props.sharedAccessKeyEnabled ?? false;
    if (!preventDestroy) {
      warn(this, AzureWarning.DESTROY_ALLOWED, `preventDestroy is false: terraform destroy, or removing this construct, deletes storage account '${props.name}' and its containers with every blob in them (soft delete does not survive the account's deletion).`);
    }
    if (sharedAccessKeyEnabled) {
      warn(this, AzureWarning.SHARED_KEY_ENABLED, `sharedAccessKeyEnabled is true: anyone holding an account key, or a SAS signed with one, can read every blob, outside role assignments. Segments does not need it, nor does Terraform with features { storage { data_plane_available = false } } in the azurerm provider block (docs/azure.md).`);
    }

    this.storageAccount = new StorageAccount(this, 'StorageAccount', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountReplicationType: props.accountReplicationType ?? DEFAULT_REPLICATION_TYPE,
      tags: props.tags,
      ...storageAccountSettings({
        corsRule: segmentsAzureCorsRule(props.allowedOrigins ?? SEGMENTS_AZURE_DEFAULT_ORIGINS),
        softDeleteDays: props.blobSoftDeleteDays ?? DEFAULT_SOFT_DELETE_DAYS,
        sharedAccessKeyEnabled,
      }),
      lifecycle: { preventDestroy },
    });

    // storage_account_id (not storage_account_name) makes azurerm create the container through
    // Resource Manager, which works with shared keys off. A literal name is the construct ID, so
    // reordering containerNames never replaces (deletes) a container.
    this.containers = (props.containerNames ?? []).map((name, i) => new StorageContainer(this, isLiteral(name) ? `Container-${name}` : `Container${i}`, {
      name,
      storageAccountId: this.storageAccount.id,
      containerAccessType: 'private',
      lifecycle: { preventDestroy },
    }));

    // The account carries the CORS rule itself, so the access construct's az command (for
    // accounts Terraform does not manage) would only mislead.
    this.access = new SegmentsAzureAccess(this, 'Access', {
      storageAccountId: this.storageAccount.id,
      servicePrincipal: props.servicePrincipal,
      emitCorsInstructions: false,
    });

    this.blobEndpoint = azureBlobUrlPrefix(props.name);
    this.storageAccountNameOutput = new TerraformOutput(this, 'StorageAccountName', {
      description: 'The name of the storage account Segments.ai reads: share it with Segments.',
      value: this.storageAccount.name,
    });
    this.blobEndpointOutput = new TerraformOutput(this, 'BlobEndpoint', {
      description: 'The URL prefix of the blobs Segments.ai reads: https://<account>.blob.core.windows.net/.',
      value: this.blobEndpoint,
    });
  }
}
