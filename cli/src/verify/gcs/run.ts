/** Runs `verify gcs`: reads the bucket (fetch.ts), then every check on what was read. */
import { segmentsGcsCorsRule } from 'segments-cloud-constructs';
import type { VerifyRuntime } from '../target';
import { PREFLIGHT_KINDS, PreflightAnswer, judgePreflights, sendPreflight } from '../preflight-answer';
import { isFailure } from '../read';
import { CheckOutcome, VerifyReport, skipped } from '../report';
import { checkGcsBucket } from './bucket';
import { checkGcsCors } from './cors';
import {
  GCP_ENDPOINTS, GcpCall, GcpEndpoints, GcsBucketClient, emulatorHost, fetchGcsConfiguration, fetchGcsProject, fetchGcsRoles, fetchGcsTroubleshoot, gcsClients,
} from './fetch';
import { checkGcsIam, rolesToRead } from './iam';
import type { GcsVerifyOptions } from './options';
import { checkGcsObject } from './object';

/** What the run talks to; tests hand in fakes or point them at a local server. */
export interface GcsDeps {
  readonly bucket: GcsBucketClient;
  /** REST calls to the Google APIs besides Cloud Storage (IAM, Policy Troubleshooter, Resource Manager, Org Policy). */
  readonly gcpCall: GcpCall;
  /** Their base URLs. @default GCP_ENDPOINTS */
  readonly endpoints?: GcpEndpoints;
  /** The base URL a browser fetches objects from: `https://storage.googleapis.com`, or the emulator's. */
  readonly publicEndpoint: string;
  readonly preflight: (url: string, origin: string, requestHeaders: readonly string[]) => Promise<PreflightAnswer>;
}

/**
 * The object the troubleshooter is asked about when no `--key` is given: any name stands for "an
 * object of this bucket" to allow and deny policies without conditions on the object's name.
 */
export const TROUBLESHOOT_PLACEHOLDER_OBJECT = 'segments-verify-any-object';

export function defaultGcsDeps(bucket: string): GcsDeps {
  return {
    ...gcsClients(bucket),
    publicEndpoint: emulatorHost() ?? 'https://storage.googleapis.com',
    preflight: (url, origin, headers) => sendPreflight(url, origin, headers),
  };
}

export async function verifyGcs(options: GcsVerifyOptions, runtime: VerifyRuntime, deps: GcsDeps = defaultGcsDeps(options.bucket)): Promise<VerifyReport> {
  const endpoints = deps.endpoints ?? GCP_ENDPOINTS;
  const objects = options.keys.length > 0 ? options.keys : [TROUBLESHOOT_PLACEHOLDER_OBJECT];
  const [config, troubleshoot] = await Promise.all([
    fetchGcsConfiguration(deps.bucket, options.keys),
    fetchGcsTroubleshoot(deps.gcpCall, options.bucket, options.serviceAccount, objects, endpoints.troubleshooter),
  ]);
  const projectNumber = isFailure(config.metadata) ? undefined : config.metadata.value.projectNumber;
  const project = projectNumber === undefined ? undefined : await fetchGcsProject(deps.gcpCall, projectNumber, endpoints);
  const definitions = await fetchGcsRoles(deps.gcpCall, rolesToRead([config.policy, project?.policy], options.serviceAccount), endpoints.iam);
  const cors = isFailure(config.metadata) ? config.metadata : { value: config.metadata.value.cors ?? [] };
  const checks: CheckOutcome[] = [
    checkGcsBucket(options.bucket, config.metadata),
    checkGcsIam(options.bucket, options.serviceAccount, config.policy, definitions, {
      publicAccessPrevention: isFailure(config.metadata) ? undefined : config.metadata.value.iamConfiguration?.publicAccessPrevention,
      troubleshoot,
      ...(project !== undefined && projectNumber !== undefined ? {
        project: { number: projectNumber, policy: project.policy },
        memberDomains: project.memberDomains,
        managedMembers: project.managedMembers,
        orgPublicAccessPrevention: project.publicAccessPrevention,
      } : {}),
    }),
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
  return Promise.all(options.origins.map(async (origin) => {
    const answers = await Promise.all(PREFLIGHT_KINDS.map((kind) => deps.preflight(url, origin, kind.headers)));
    // The vendor's entry allows every header (responseHeader ["*"]): a refused Range preflight is a failure.
    return judgePreflights('gcs.preflight', url, origin, answers,
      `Give the bucket a CORS entry for the origin, first in the list, ${JSON.stringify(segmentsGcsCorsRule([origin]))} (see gcs.cors).`, 'fail');
  }));
}
