/**
 * `azure.service-principal`: Segments' multi-tenant app has a service principal (an "enterprise
 * application") in the tenant, which is what role assignments name. The vendor doc creates it with
 * `az ad sp create --id <app ID>`; skipping that step is the commonest cause of "access denied".
 */
import { SEGMENTS_AZURE_CLIENT_ID } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass } from '../report';
import { Read, isFailure, readFailureFix } from '../read';

/** A service principal as Microsoft Graph returns it (the fields used). */
export interface AzureServicePrincipal {
  /** The object ID, which role assignments name. */
  readonly id: string;
  readonly displayName?: string;
  /** false: sign-in is disabled, so Segments cannot get a token for this tenant. */
  readonly accountEnabled?: boolean;
}

const ID = 'azure.service-principal';

export function checkAzureServicePrincipal(principal: Read<AzureServicePrincipal>): CheckOutcome {
  const create = `az ad sp create --id ${SEGMENTS_AZURE_CLIENT_ID}`;
  if (isFailure(principal)) {
    if (principal.failed === 'missing') {
      return fail(ID, `Segments' app ${SEGMENTS_AZURE_CLIENT_ID} has no service principal in this tenant (${principal.message}), so no role can be assigned to it.`, create);
    }
    return couldNotRun(ID, `Could not look up the service principal of app ${SEGMENTS_AZURE_CLIENT_ID} in Microsoft Graph (${principal.message}).`,
      readFailureFix(principal, 'The caller needs to read service principals in Microsoft Graph (every member user can by default; a guest or a restricted tenant needs Application.Read.All).'));
  }
  const name = principal.value.displayName === undefined ? '' : ` '${principal.value.displayName}'`;
  if (principal.value.accountEnabled === false) {
    return fail(ID, `The service principal${name} (object ID ${principal.value.id}) of Segments' app has sign-in disabled, so Segments cannot get a token for this tenant.`,
      `az ad sp update --id ${principal.value.id} --set accountEnabled=true`);
  }
  return pass(ID, `Segments' app ${SEGMENTS_AZURE_CLIENT_ID} has the service principal${name}, object ID ${principal.value.id}.`);
}
