import { IConstruct } from 'constructs';
import { AzureWarning } from './private/warnings';
import { WARNING_ID_PREFIX, acknowledgeWarningId } from '../warning-ids';

/**
 * The stable ids of the Azure constructs' warnings, as printed in front of each message by
 * `cdktf synth`: `[segments-cloud-constructs:<id>] ...`.
 */
export const SegmentsAzureWarnings = {
  /** `servicePrincipal: 'create'`: destroying it removes Segments from every storage account in the tenant. */
  CREATED_SERVICE_PRINCIPAL: `${WARNING_ID_PREFIX}${AzureWarning.CREATED_SERVICE_PRINCIPAL}`,
  /** `scope: 'container'`: Segments may need account scope to sign URLs. */
  CONTAINER_SCOPE: `${WARNING_ID_PREFIX}${AzureWarning.CONTAINER_SCOPE}`,
  /** `preventDestroy: false`: `terraform destroy` may delete the account and its blobs. */
  DESTROY_ALLOWED: `${WARNING_ID_PREFIX}${AzureWarning.DESTROY_ALLOWED}`,
  /** `sharedAccessKeyEnabled: true`: account keys can read every blob. */
  SHARED_KEY_ENABLED: `${WARNING_ID_PREFIX}${AzureWarning.SHARED_KEY_ENABLED}`,
} as const;

/**
 * Silences one warning of the Azure constructs for a scope and everything under it (a stack, or
 * one construct), the way aws-cdk's `Annotations.of(scope).acknowledgeWarning(id)` does; cdktf has
 * no such call. Works before or after the constructs are created, as long as it is before
 * `app.synth()`.
 *
 * @param id a warning ID from {@link SegmentsAzureWarnings}, such as
 *   `'segments-cloud-constructs:azure-container-scope'`; an unknown ID is refused, so a typo cannot
 *   silently acknowledge nothing.
 */
export function acknowledgeAzureWarning(scope: IConstruct, id: string): void {
  acknowledgeWarningId('acknowledgeAzureWarning', 'segments-cloud-constructs/azure', scope, id, Object.values(SegmentsAzureWarnings));
}
