/**
 * The SDK edge of `verify gcs`: reads the bucket, its IAM policy, role definitions and objects,
 * and turns every answer into a `Read` for the pure checks. `@google-cloud/storage` honours
 * `STORAGE_EMULATOR_HOST` (then it sends no token). The other Google APIs are called over REST
 * with google-auth-library's authorized client (Application Default Credentials), no further SDK:
 *
 * | read                         | request                                                                 | caller's permission |
 * |------------------------------|-------------------------------------------------------------------------|---------------------|
 * | a role's permissions         | `GET iam.googleapis.com/v1/{role}`                                      | `iam.roles.get` (custom roles) |
 * | Google's verdict per object  | `POST policytroubleshooter.googleapis.com/v3/iam:troubleshoot`          | none of its own: it reads the policies as the caller (`storage.buckets.getIamPolicy`, `resourcemanager.{projects,folders,organizations}.getIamPolicy`, `iam.denypolicies.{get,list}`, `iam.roles.{get,list}`) |
 * | the project's allow policy   | `POST cloudresourcemanager.googleapis.com/v3/projects/{n}:getIamPolicy` | `resourcemanager.projects.getIamPolicy` |
 * | an effective org policy      | `GET orgpolicy.googleapis.com/v2/projects/{n}/policies/{c}:getEffectivePolicy` | `orgpolicy.policy.get` |
 */
import type { Read, ReadFailure } from '../read';
import type { GcsBucketMetadata } from './bucket';
import type { GcsCorsEntry } from './cors';
import type { GcsIamPolicy } from './iam';
import type { GcsObjectMetadata } from './object';
import { GcsOrgPolicy, MANAGED_MEMBERS_CONSTRAINT, MEMBER_DOMAINS_CONSTRAINT, PUBLIC_ACCESS_PREVENTION_CONSTRAINT } from './org-policy';
import { GCS_OBJECT_READ_PERMISSION, GcsRoleDefinition } from './roles';
import { GcsTroubleshootResponse, troubleshootRequest } from './troubleshooter';

/** Everything `verify gcs` reads. */
export interface GcsConfiguration {
  readonly metadata: Read<GcsBucketMetadata & { readonly cors?: readonly GcsCorsEntry[] }>;
  readonly policy: Read<GcsIamPolicy>;
  readonly objects: ReadonlyMap<string, Read<GcsObjectMetadata>>;
}

/** The few calls of `@google-cloud/storage` used (its `Bucket`), so tests can hand in a fake. */
export interface GcsBucketClient {
  getMetadata(): Promise<[unknown, ...unknown[]]>;
  iam: { getPolicy(options: { requestedPolicyVersion: number }): Promise<[unknown, ...unknown[]]> };
  file(name: string): { getMetadata(): Promise<[unknown, ...unknown[]]> };
}

/**
 * Calls a Google REST API with the caller's credentials and returns the parsed JSON: a GET, or a
 * POST of `body` when one is given. Throws with `code`/`status` as gaxios does.
 */
export type GcpCall = (url: string, body?: unknown) => Promise<unknown>;

/** The base URLs of the Google APIs read besides Cloud Storage. */
export interface GcpEndpoints {
  readonly iam: string;
  readonly troubleshooter: string;
  readonly resourceManager: string;
  readonly orgPolicy: string;
}

/** The IAM API's base URL. */
export const GCP_IAM_ENDPOINT = 'https://iam.googleapis.com/v1';

export const GCP_ENDPOINTS: GcpEndpoints = {
  iam: GCP_IAM_ENDPOINT,
  troubleshooter: 'https://policytroubleshooter.googleapis.com/v3',
  resourceManager: 'https://cloudresourcemanager.googleapis.com/v3',
  orgPolicy: 'https://orgpolicy.googleapis.com/v2',
};

/** An SDK or HTTP error as a `ReadFailure`: 404 is `missing`, 401 and 403 `denied`, anything else (network, 5xx) `error`. */
export function gcpFailure(error: unknown): ReadFailure {
  const e = error as { code?: number | string; status?: number; response?: { status?: number }; message?: string };
  const status = typeof e.code === 'number' ? e.code : e.status ?? e.response?.status;
  const message = (e.message ?? String(error)).split('\n')[0];
  if (status === 404) {
    return { failed: 'missing', message: `404 ${message}` };
  }
  if (status === 401 || status === 403) {
    return { failed: 'denied', message: `${status} ${message}` };
  }
  return { failed: 'error', message: typeof e.code === 'string' ? `${e.code}: ${message}` : message };
}

async function read<T>(call: () => Promise<[unknown, ...unknown[]]>): Promise<Read<T>> {
  try {
    const [value] = await call();
    return { value: value as T };
  } catch (error) {
    return gcpFailure(error);
  }
}

/** Reads the bucket's metadata (with its CORS list), its IAM policy (version 3, so conditions come back) and each key's metadata. */
export async function fetchGcsConfiguration(bucket: GcsBucketClient, keys: readonly string[]): Promise<GcsConfiguration> {
  const [metadata, policy, ...objects] = await Promise.all([
    read<GcsBucketMetadata & { cors?: GcsCorsEntry[] }>(() => bucket.getMetadata()),
    read<GcsIamPolicy>(() => bucket.iam.getPolicy({ requestedPolicyVersion: 3 })),
    ...keys.map((key) => read<GcsObjectMetadata>(() => bucket.file(key).getMetadata())),
  ]);
  return {
    metadata: metadata as GcsConfiguration['metadata'],
    policy: policy as Read<GcsIamPolicy>,
    objects: new Map(keys.map((key, i) => [key, objects[i] as Read<GcsObjectMetadata>])),
  };
}

async function call<T>(send: () => Promise<unknown>): Promise<Read<T>> {
  try {
    return { value: (await send()) as T };
  } catch (error) {
    return gcpFailure(error);
  }
}

/** Reads each role's definition (`roles.get`: `roles/X`, `projects/P/roles/R`, `organizations/O/roles/R`). */
export async function fetchGcsRoles(get: GcpCall, roles: readonly string[], endpoint = GCP_IAM_ENDPOINT): Promise<Map<string, Read<GcsRoleDefinition>>> {
  const read = await Promise.all(roles.map((role) => call<GcsRoleDefinition>(() => get(`${endpoint}/${role}`))));
  return new Map(roles.map((role, i) => [role, read[i]]));
}

/** Asks the Policy Troubleshooter, per object, whether the service account may get it. */
export async function fetchGcsTroubleshoot(send: GcpCall, bucket: string, serviceAccount: string, objects: readonly string[], endpoint = GCP_ENDPOINTS.troubleshooter): Promise<Map<string, Read<GcsTroubleshootResponse>>> {
  const read = await Promise.all(objects.map((object) => call<GcsTroubleshootResponse>(() =>
    send(`${endpoint}/iam:troubleshoot`, troubleshootRequest(serviceAccount, bucket, object, GCS_OBJECT_READ_PERMISSION)))));
  return new Map(objects.map((object, i) => [object, read[i]]));
}

/** What `verify gcs` reads about the project that holds the bucket. */
export interface GcsProjectReads {
  readonly policy: Read<GcsIamPolicy>;
  readonly memberDomains: Read<GcsOrgPolicy>;
  readonly managedMembers: Read<GcsOrgPolicy>;
  readonly publicAccessPrevention: Read<GcsOrgPolicy>;
}

/** Reads the project's allow policy (version 3) and its three effective organization policies. */
export async function fetchGcsProject(send: GcpCall, projectNumber: string, endpoints: GcpEndpoints = GCP_ENDPOINTS): Promise<GcsProjectReads> {
  const effective = (constraint: string) => call<GcsOrgPolicy>(() => send(`${endpoints.orgPolicy}/projects/${projectNumber}/policies/${constraint}:getEffectivePolicy`));
  const [policy, memberDomains, managedMembers, publicAccessPrevention] = await Promise.all([
    call<GcsIamPolicy>(() => send(`${endpoints.resourceManager}/projects/${projectNumber}:getIamPolicy`, { options: { requestedPolicyVersion: 3 } })),
    effective(MEMBER_DOMAINS_CONSTRAINT),
    effective(MANAGED_MEMBERS_CONSTRAINT),
    effective(PUBLIC_ACCESS_PREVENTION_CONSTRAINT),
  ]);
  return { policy, memberDomains, managedMembers, publicAccessPrevention };
}

/** `STORAGE_EMULATOR_HOST` without a trailing slash, or undefined when unset or empty. */
export function emulatorHost(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.STORAGE_EMULATOR_HOST;
  return host === undefined || host === '' ? undefined : host.replace(/\/+$/, '');
}

/** The real clients: `@google-cloud/storage` and google-auth-library, loaded only here. */
export function gcsClients(bucketName: string): { bucket: GcsBucketClient; gcpCall: GcpCall } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Storage } = require('@google-cloud/storage') as typeof import('@google-cloud/storage');
  const { GoogleAuth } = require('google-auth-library') as typeof import('google-auth-library');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // No retries: a read that fails is reported (not-checked, with the permission), and a rerun is cheap.
  const storage = new Storage({ retryOptions: { autoRetry: false } });
  const bucket = storage.bucket(bucketName) as unknown as GcsBucketClient;
  if (emulatorHost() !== undefined) {
    // An emulator has no IAM API, and looking for credentials would probe the metadata server.
    return { bucket, gcpCall: () => Promise.reject(new Error('STORAGE_EMULATOR_HOST is set: there is no IAM API to read from')) };
  }
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  // google-auth-library's authorized client: the token of the Application Default Credentials on each request.
  return {
    bucket,
    gcpCall: async (url, body) => (await auth.request(body === undefined ? { url, retry: false } : { url, method: 'POST', data: body, retry: false })).data,
  };
}
