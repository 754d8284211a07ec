/**
 * The SDK edge of `verify gcs`: reads the bucket, its IAM policy, role definitions and objects,
 * and turns every answer into a `Read` for the pure checks. `@google-cloud/storage` honours
 * `STORAGE_EMULATOR_HOST` (then it sends no token); roles are read from the IAM REST API with
 * google-auth-library's Application Default Credentials.
 */
import type { Read, ReadFailure } from '../read';
import type { GcsBucketMetadata } from './bucket';
import type { GcsCorsEntry } from './cors';
import type { GcsIamPolicy } from './iam';
import type { GcsObjectMetadata } from './object';
import type { GcsRoleDefinition } from './roles';

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

/** GETs a URL of the IAM API with the caller's credentials and returns the parsed JSON; throws with `code`/`status` as gaxios does. */
export type IamGet = (url: string) => Promise<unknown>;

/** The IAM API's base URL. */
export const GCP_IAM_ENDPOINT = 'https://iam.googleapis.com/v1';

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

/** Reads each role's definition (`roles.get`: `roles/X`, `projects/P/roles/R`, `organizations/O/roles/R`). */
export async function fetchGcsRoles(get: IamGet, roles: readonly string[], endpoint = GCP_IAM_ENDPOINT): Promise<Map<string, Read<GcsRoleDefinition>>> {
  const read = await Promise.all(roles.map(async (role): Promise<Read<GcsRoleDefinition>> => {
    try {
      return { value: (await get(`${endpoint}/${role}`)) as GcsRoleDefinition };
    } catch (error) {
      return gcpFailure(error);
    }
  }));
  return new Map(roles.map((role, i) => [role, read[i]]));
}

/** `STORAGE_EMULATOR_HOST` without a trailing slash, or undefined when unset or empty. */
export function emulatorHost(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.STORAGE_EMULATOR_HOST;
  return host === undefined || host === '' ? undefined : host.replace(/\/+$/, '');
}

/** The real clients: `@google-cloud/storage` and google-auth-library, loaded only here. */
export function gcsClients(bucketName: string): { bucket: GcsBucketClient; iamGet: IamGet } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Storage } = require('@google-cloud/storage') as typeof import('@google-cloud/storage');
  const { GoogleAuth } = require('google-auth-library') as typeof import('google-auth-library');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // No retries: a read that fails is reported (not-checked, with the permission), and a rerun is cheap.
  const storage = new Storage({ retryOptions: { autoRetry: false } });
  const bucket = storage.bucket(bucketName) as unknown as GcsBucketClient;
  if (emulatorHost() !== undefined) {
    // An emulator has no IAM API, and looking for credentials would probe the metadata server.
    return { bucket, iamGet: () => Promise.reject(new Error('STORAGE_EMULATOR_HOST is set: there is no IAM API to read roles from')) };
  }
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  return { bucket, iamGet: async (url) => (await auth.request({ url, retry: false })).data };
}
