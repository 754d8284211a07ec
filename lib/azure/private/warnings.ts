/**
 * The warnings of the Azure constructs. Each carries a stable id, listed in docs/azure.md, so that
 * a reader (or a CI grep) can recognise it whatever the wording becomes, and a user can
 * acknowledge it (`acknowledgeAzureWarning`). cdktf has no `addWarningV2`, so the id leads the
 * message as `[segments-cloud-constructs:<id>]`, as in the Google half.
 *
 * cdktf has no acknowledgement of its own either, so a warning is added at synth, by an aspect,
 * unless the construct or one of its scopes acknowledged its id by then: an acknowledgement works
 * whether it comes before or after the construct is created.
 */
import { IConstruct } from 'constructs';
import { Annotations, Aspects } from 'cdktf';
import { DeferredWarning } from '../../warning-ids';

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

/** Adds a warning with a stable id to a construct, at synth, unless its id is acknowledged. */
export function warn(scope: IConstruct, id: AzureWarning, message: string): void {
  Aspects.of(scope).add(new DeferredWarning(scope, id, message, (target, text) => Annotations.of(target).addWarning(text)));
}
