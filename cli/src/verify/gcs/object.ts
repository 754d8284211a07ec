/** `gcs.object` (per `--key`): the object exists and Segments could decrypt it. */
import { gsUrl } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass } from '../report';
import { Read, isFailure, readFailureFix } from '../read';

/** An object's metadata as the JSON API's `objects.get` returns it (the fields used). */
export interface GcsObjectMetadata {
  readonly size?: string | number;
  readonly contentType?: string;
  /** Present on an object encrypted with a customer-supplied key (CSEK): a reader needs the key itself. */
  readonly customerEncryption?: { readonly encryptionAlgorithm?: string };
}

const ID = 'gcs.object';

export function checkGcsObject(bucket: string, key: string, metadata: Read<GcsObjectMetadata>): CheckOutcome {
  const url = `${gsUrl(bucket)}/${key}`;
  if (isFailure(metadata)) {
    if (metadata.failed === 'missing') {
      return fail(ID, `There is no object ${url} (${metadata.message}).`, 'Check the key: it is case-sensitive and has no leading /.', key);
    }
    return couldNotRun(ID, `Could not read ${url} (${metadata.message}).`, readFailureFix(metadata, 'The caller needs storage.objects.get on the bucket.'), key);
  }
  if (metadata.value.customerEncryption !== undefined) {
    return fail(ID, `${url} is encrypted with a customer-supplied key (CSEK): only a reader who sends that key can read it, and Segments does not have it.`,
      `Rewrite it without the key: gcloud storage objects update ${url} --clear-encryption-key --decryption-keys=YOUR_KEY`, key);
  }
  const type = metadata.value.contentType === undefined ? '' : `, ${metadata.value.contentType}`;
  return pass(ID, `${url} exists (${metadata.value.size ?? '?'} bytes${type}).`, key);
}
