/** Runs `verify gcs`: reads the bucket (fetch.ts), then every check on what was read. */
import { segmentsGcsCorsRule } from 'segments-cloud-constructs';
import type { VerifyRuntime } from '../target';
import { judgePreflight, PreflightAnswer, sendPreflight } from '../preflight-answer';
import { isFailure } from '../read';
import { CheckOutcome, VerifyReport, skipped } from '../report';
import { checkGcsBucket } from './bucket';
import { checkGcsCors } from './cors';
import { GcsBucketClient, IamGet, emulatorHost, fetchGcsConfiguration, fetchGcsRoles, gcsClients } from './fetch';
import { checkGcsIam, rolesToRead } from './iam';
import type { GcsVerifyOptions } from './options';
import { checkGcsObject } from './object';

/** What the run talks to; tests hand in fakes or point them at a local server. */
export interface GcsDeps {
  readonly bucket: GcsBucketClient;
  readonly iamGet: IamGet;
  /** The base URL a browser fetches objects from: `https://storage.googleapis.com`, or the emulator's. */
  readonly publicEndpoint: string;
  readonly preflight: (url: string, origin: string) => Promise<PreflightAnswer>;
}

export function defaultGcsDeps(bucket: string): GcsDeps {
  return {
    ...gcsClients(bucket),
    publicEndpoint: emulatorHost() ?? 'https://storage.googleapis.com',
    preflight: sendPreflight,
  };
}

export async function verifyGcs(options: GcsVerifyOptions, runtime: VerifyRuntime, deps: GcsDeps = defaultGcsDeps(options.bucket)): Promise<VerifyReport> {
  const config = await fetchGcsConfiguration(deps.bucket, options.keys);
  const definitions = await fetchGcsRoles(deps.iamGet, rolesToRead(config.policy, options.serviceAccount));
  const cors = isFailure(config.metadata) ? config.metadata : { value: config.metadata.value.cors ?? [] };
  const checks: CheckOutcome[] = [
    checkGcsBucket(options.bucket, config.metadata),
    checkGcsIam(options.bucket, options.serviceAccount, config.policy, definitions),
    ...checkGcsCors(options.bucket, cors, options.origins),
    ...(options.keys.length === 0
      ? [skipped('gcs.object', 'No --key given: give a sample object or two to check they exist.')]
      : options.keys.map((key) => checkGcsObject(options.bucket, key, config.objects.get(key) as never))),
    ...await preflights(options, runtime, deps),
  ];
  return { subject: { bucket: options.bucket, serviceAccount: options.serviceAccount }, checks };
}

async function preflights(options: GcsVerifyOptions, runtime: VerifyRuntime, deps: GcsDeps): Promise<CheckOutcome[]> {
  if (runtime.offline) {
    return [skipped('gcs.preflight', '--offline: no request to the storage endpoint.')];
  }
  const key = options.keys[0];
  if (key === undefined) {
    return [skipped('gcs.preflight', 'No --key given: the preflight goes to the first object.')];
  }
  const url = `${deps.publicEndpoint}/${options.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  return Promise.all(options.origins.map(async (origin) => judgePreflight('gcs.preflight', url, origin, await deps.preflight(url, origin),
    `Give the bucket a CORS entry for the origin, ${JSON.stringify(segmentsGcsCorsRule([origin]))} (see gcs.cors).`)));
}
