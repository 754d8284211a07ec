/**
 * The warnings of the Azure constructs. Each carries a stable id, listed in docs/azure.md, so that
 * a reader (or a CI grep) can recognise it whatever the wording becomes. cdktf has no
 * `addWarningV2`, so the id leads the message as `[segments-cloud-constructs:<id>]`, as in the
 * Google half.
 */
import { IConstruct } from 'constructs';
import { Annotations } from 'cdktf';

/** The ids of the warnings, without the library prefix. */
export enum AzureWarning {
  /** servicePrincipal 'create': destroying it removes Segments from every storage account in the tenant. */
  CREATED_SERVICE_PRINCIPAL = 'azure-created-service-principal',
  /** scope 'container': Segments may need account scope to sign URLs (a user delegation key is account-level). */
  CONTAINER_SCOPE = 'azure-container-scope',
  /** preventDestroy false: `terraform destroy` may delete the account and every blob in it. */
  DESTROY_ALLOWED = 'azure-destroy-allowed',
  /** sharedAccessKeyEnabled true: account keys and key-signed SAS can read every blob. */
  SHARED_KEY_ENABLED = 'azure-shared-key-enabled',
}

/** The full text of a warning as the CLI prints it: `[segments-cloud-constructs:<id>] <message>`. */
export function warningText(id: AzureWarning, message: string): string {
  return `[segments-cloud-constructs:${id}] ${message}`;
}

/** Adds a warning with a stable id to a construct. */
export function warn(scope: IConstruct, id: AzureWarning, message: string): void {
  Annotations.of(scope).addWarning(warningText(id, message));
}
