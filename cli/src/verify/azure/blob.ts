/** `azure.blob` (per `--blob`): the blob exists and is online: a blob in the Archive tier cannot be read until rehydrated. */
import { CheckOutcome, couldNotRun, fail, pass } from '../report';
import { Read, isFailure, readFailureFix } from '../read';

/** A blob's properties as `@azure/storage-blob` returns them (the fields used). */
export interface AzureBlobProperties {
  readonly accessTier?: string;
  /** `rehydrate-pending-to-hot` and the like while it is coming back. */
  readonly archiveStatus?: string;
  readonly contentLength?: number;
  readonly contentType?: string;
}

const ID = 'azure.blob';

/** `blob` is `container/path`. */
export function checkAzureBlob(account: string, blob: string, properties: Read<AzureBlobProperties>): CheckOutcome {
  if (isFailure(properties)) {
    if (properties.failed === 'missing') {
      return fail(ID, `There is no blob ${blob} in ${account} (${properties.message}).`, 'Check the container and the path: both are case-sensitive.', blob);
    }
    return couldNotRun(ID, `Could not read ${blob} (${properties.message}).`,
      readFailureFix(properties, 'The caller needs Storage Blob Data Reader (Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read) on the account or the container.'), blob);
  }
  const [container, ...path] = blob.split('/');
  if (properties.value.accessTier === 'Archive') {
    const pending = properties.value.archiveStatus === undefined ? '' : ` (${properties.value.archiveStatus})`;
    return fail(ID, `${blob} is in the Archive tier${pending}: it is offline, and nobody can read it until it is rehydrated.`,
      `az storage blob set-tier --account-name ${account} --container-name ${container} --name ${path.join('/')} --tier Hot --rehydrate-priority Standard`, blob);
  }
  const type = properties.value.contentType === undefined ? '' : `, ${properties.value.contentType}`;
  return pass(ID, `${blob} exists (${properties.value.contentLength ?? '?'} bytes${type}), tier ${properties.value.accessTier ?? 'inferred from the account'}.`, blob);
}
