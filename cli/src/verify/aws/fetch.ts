/**
 * The SDK edge of `verify aws`: every read it makes, and nothing else. Reads only (Get*, Head*,
 * DescribeKey; the test "sends no write" holds every command to that), each turned into a `Read`
 * that carries either the value or the failure with the permission it needed. Not found is a
 * value (no policy, no CORS configuration, no object), never a failure. The checks never see an
 * SDK type.
 *
 * Credentials and region come from the SDK's default chain; AWS_ENDPOINT_URL_S3 (read by the SDK)
 * sends the S3 calls, the presigned URL and the preflight to another server. STS and Organizations
 * are called only against AWS (not with AWS_ENDPOINT_URL_S3: an S3-compatible server has neither),
 * for the resource control policies; KMS only for a key the bucket or an object uses.
 */
import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribePolicyCommand, ListParentsCommand, ListPoliciesForTargetCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketRequestPaymentCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { s3UrlPrefix } from 'segments-cloud-constructs';
import { PREFLIGHT_KINDS } from '../preflight-answer';
import type { AwsVerifyOptions } from './options';
import {
  AclGrant,
  AwsBucketFacts,
  BucketLocation,
  CorsProbe,
  CorsRule,
  DefaultEncryption,
  KmsKeyFacts,
  ObjectFacts,
  ObjectHead,
  OrgPolicies,
  OrgPolicyLevel,
  PublicAccessBlock,
  REJECTED_CREDENTIAL_CODES,
  Read,
  ReadFailure,
  ReadFailureCause,
  isAwsRegion,
  partitionOf,
  readOk,
} from './facts';
import { isAwsManagedS3Alias } from './kms-key';
import { sameKey } from './object';
import { aclsOn } from './ownership';

/** One HTTP request of the browser's view: status and the CORS headers of the answer. */
export type HttpProbe = (url: string, method: 'OPTIONS' | 'GET', headers: Readonly<Record<string, string>>) =>
  Promise<{ readonly status: number; readonly headers: Readonly<Record<string, string>> }>;

/** What fetch.ts talks to; tests replace the HTTP probe (the SDK clients are mocked by class). */
export interface AwsEdge {
  readonly s3: S3Client;
  kms(region: string): KMSClient;
  /** A presigned GET URL of the object, signed for the bucket's region. */
  presign(region: string | undefined, bucket: string, key: string): Promise<string>;
  readonly http: HttpProbe;
  /** STS and Organizations, for the resource control policies; without them, those are not read. */
  readonly sts?: STSClient;
  readonly organizations?: OrganizationsClient;
  /**
   * S3 Control's GetPublicAccessBlock for an account (the account's Block Public Access); undefined
   * when none is set. Throws as the SDK does (`name` the error code, `$metadata.httpStatusCode`).
   * Without it, the account's setting is not read.
   */
  accountPublicAccessBlock?(accountId: string, region: string): Promise<PublicAccessBlock | undefined>;
}

/** How long one request of the browser's view may take. */
const PROBE_TIMEOUT_MS = 10_000;

/** The region of the SDK's default chain (env, profile), or us-east-1: S3 follows the bucket's region from there. */
async function defaultRegion(): Promise<string> {
  try {
    return await new S3Client({}).config.region();
  } catch {
    return 'us-east-1';
  }
}

/**
 * Path-style addressing for a dotted bucket name at a custom endpoint. The SDK otherwise puts the
 * name in the host name, which for an IP-address endpoint is no URL at all (`acme.images.127.0.0.1`:
 * "Invalid URL", a crash before any request), and S3-compatible servers serve every bucket by path.
 * At AWS itself the SDK already picks path style for a dotted name; aws.bucket fails such a name
 * either way, since Segments' virtual-hosted HTTPS URLs cannot serve it.
 */
export function needsPathStyle(bucket: string, endpoint: string | undefined): boolean {
  return endpoint !== undefined && bucket.includes('.');
}

/** The real edge: SDK clients from the default chain, and Node's HTTP client. */
export function defaultEdge(bucket = ''): AwsEdge {
  const kmsClients = new Map<string, KMSClient>();
  const forcePathStyle = needsPathStyle(bucket, process.env.AWS_ENDPOINT_URL_S3 || undefined);
  return {
    s3: new S3Client({ region: defaultRegion, followRegionRedirects: true, maxAttempts: 2, forcePathStyle }),
    kms(region) {
      let client = kmsClients.get(region);
      if (!client) {
        client = new KMSClient({ region, maxAttempts: 2 });
        kmsClients.set(region, client);
      }
      return client;
    },
    async presign(region, bucket, key) {
      const client = new S3Client({ region: region ?? defaultRegion, maxAttempts: 2, forcePathStyle });
      return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 900 });
    },
    http: httpProbe,
    sts: new STSClient({ region: defaultRegion, maxAttempts: 2 }),
    // Organizations' API lives in us-east-1 (aws partition).
    organizations: new OrganizationsClient({ region: 'us-east-1', maxAttempts: 2 }),
    accountPublicAccessBlock: (accountId, region) => getAccountPublicAccessBlock(accountId, region, s3Credentials),
  };
}

/** The credentials of the SDK's default chain, as the S3 client resolves them. */
async function s3Credentials(): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> {
  return new S3Client({}).config.credentials();
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  return typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** SHA-256 (HMAC with a secret) for SigV4, from node:crypto. */
class NodeSha256 {
  private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** S3 Control's endpoint for an account in a region (https://docs.aws.amazon.com/general/latest/gr/s3.html#s3_control_region). */
export function s3ControlEndpoint(accountId: string, region: string): string {
  return `https://${accountId}.s3-control.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/**
 * S3 Control GetPublicAccessBlock, signed with SigV4 (service `s3`) and sent with Node's HTTPS
 * client: `GET /v20180820/configuration/publicAccessBlock` with `x-amz-account-id`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html). The SDK's
 * S3 Control client is not used: the package registry this project builds from does not carry it.
 * `base` replaces the endpoint (tests).
 */
export async function getAccountPublicAccessBlock(
  accountId: string,
  region: string,
  credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>,
  base: string = s3ControlEndpoint(accountId, region),
): Promise<PublicAccessBlock | undefined> {
  const url = new URL('/v20180820/configuration/publicAccessBlock', base);
  const signer = new SignatureV4({ service: 's3', region, credentials, sha256: NodeSha256, uriEscapePath: false });
  const signed = await signer.sign({
    method: 'GET', protocol: url.protocol, hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), path: url.pathname, query: {},
    headers: { 'host': url.host, 'x-amz-account-id': accountId, 'x-amz-content-sha256': createHash('sha256').update('').digest('hex') },
  });
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, { method: 'GET', headers: signed.headers, timeout: PROBE_TIMEOUT_MS }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end();
  });
  const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
  if (status !== 200) {
    throw Object.assign(new Error(tag('Message') ?? `HTTP ${status}`), { name: tag('Code') ?? `HTTP${status}`, $metadata: { httpStatusCode: status } });
  }
  const flag = (name: keyof PublicAccessBlock) => (tag(name) === undefined ? {} : { [name]: tag(name) === 'true' });
  return { ...flag('BlockPublicAcls'), ...flag('IgnorePublicAcls'), ...flag('BlockPublicPolicy'), ...flag('RestrictPublicBuckets') };
}

/** Sends one request and reads the status and the CORS headers; the body is not read. */
export const httpProbe: HttpProbe = (url, method, headers) => new Promise((resolve, reject) => {
  const target = new URL(url);
  const request = (target.protocol === 'https:' ? https : http).request(target, { method, headers, timeout: PROBE_TIMEOUT_MS }, (response) => {
    const cors: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if ((name.startsWith('access-control-') || name === 'vary') && value !== undefined) {
        cors[name] = Array.isArray(value) ? value.join(', ') : value;
      }
    }
    response.resume();
    response.destroy();
    resolve({ status: response.statusCode ?? 0, headers: cors });
  });
  request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
  request.on('error', reject);
  request.end();
});

interface SdkError {
  readonly name?: string;
  readonly input?: string;
  readonly message?: string;
  readonly code?: string;
  readonly Code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $response?: { readonly headers?: Record<string, string> };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Why an SDK call failed. A refused credential is checked before the status: S3 sends it as 403 or 400. */
export function failureCause(error: unknown): ReadFailureCause {
  const e = (error ?? {}) as SdkError;
  if (REJECTED_CREDENTIAL_CODES.includes(e.name ?? '') || REJECTED_CREDENTIAL_CODES.includes(e.Code ?? '')) {
    return 'rejected-credentials';
  }
  if (e.code === 'ERR_INVALID_URL') {
    return 'invalid-endpoint';
  }
  if (e.name === 'CredentialsProviderError' || /credential/i.test(e.message ?? '') && e.$metadata?.httpStatusCode === undefined) {
    return 'no-credentials';
  }
  if (e.$metadata?.httpStatusCode === 403 || ['AccessDenied', 'AccessDeniedException', 'Forbidden', 'AllAccessDisabled'].includes(e.name ?? '')) {
    return 'access-denied';
  }
  if (NETWORK_CODES.has(e.code ?? '') || e.name === 'TimeoutError' || e.name === 'RequestTimeout') {
    return 'network';
  }
  return 'other';
}

function statusOf(error: unknown): number | undefined {
  return (error as SdkError | undefined)?.$metadata?.httpStatusCode;
}

function nameOf(error: unknown): string | undefined {
  return (error as SdkError | undefined)?.name;
}

/** The `x-amz-bucket-region` header of a failed call's response (S3 sends it even on a 403 HeadBucket). */
export function bucketRegionHeader(error: unknown): string | undefined {
  return (error as SdkError | undefined)?.$response?.headers?.['x-amz-bucket-region'] || undefined;
}

function describe(error: unknown): string {
  const e = (error ?? {}) as SdkError;
  if (e.code === 'ERR_INVALID_URL') {
    return `the SDK could not build a URL for the request (${e.input ?? e.message})`;
  }
  const name = e.name && e.name !== 'Error' ? e.name : e.code;
  const status = e.$metadata?.httpStatusCode;
  const message = e.message && e.message !== name && e.message !== 'UnknownError' ? e.message : undefined;
  return [name, status ? `HTTP ${status}` : undefined, message].filter(Boolean).join(': ') || String(error);
}

/**
 * Runs one read. `absent` turns the error that means "nothing there" (no policy, no object) into a
 * value instead of a failure.
 */
async function read<T>(
  operation: string,
  permission: string,
  resource: string,
  call: () => Promise<T>,
  absent?: (error: unknown) => T | undefined,
): Promise<Read<T>> {
  try {
    return readOk(await call());
  } catch (error) {
    const value = absent?.(error);
    if (value !== undefined) {
      return readOk(value);
    }
    const failure: ReadFailure = { operation, permission, resource, cause: failureCause(error), message: describe(error) };
    return { ok: false, failure };
  }
}

/** A marker for "nothing there", since `undefined` means "not absent" to `read`. */
const NONE = Symbol('none');
type Maybe<T> = T | typeof NONE;
function orUndefined<T>(r: Read<Maybe<T>>): Read<T | undefined> {
  return r.ok ? readOk(r.value === NONE ? undefined : r.value) : r;
}
function absentWhen(...names: string[]): (error: unknown) => typeof NONE | undefined {
  return (error) => (names.includes(nameOf(error) ?? '') ? NONE : undefined);
}

/** `LocationConstraint` to region: empty is us-east-1, `EU` is eu-west-1 (the old name). */
export function regionOfLocation(constraint: string | undefined): string {
  return !constraint ? 'us-east-1' : constraint === 'EU' ? 'eu-west-1' : constraint;
}

/** Where the bucket is, and its region wherever S3 named it (see `AwsBucketFacts.region`). */
async function fetchLocation(edge: AwsEdge, bucket: string, arn: string): Promise<{ location: Read<BucketLocation>; region?: string }> {
  let headerRegion: string | undefined;
  const head = await read<BucketLocation>('HeadBucket', 's3:ListBucket', arn, async () => {
    const out = await edge.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return { exists: true, region: out.BucketRegion };
  }, (error) => {
    headerRegion = bucketRegionHeader(error);
    return statusOf(error) === 404 || ['NotFound', 'NoSuchBucket'].includes(nameOf(error) ?? '') ? { exists: false } : undefined;
  });
  if (head.ok && (!head.value.exists || head.value.region !== undefined)) {
    return { location: head, ...(head.value.exists ? { region: head.value.region } : {}) };
  }
  // HeadBucket named no region (S3-compatible servers), or was refused: GetBucketLocation says where it is.
  const location = await read('GetBucketLocation', 's3:GetBucketLocation', arn,
    async () => regionOfLocation((await edge.s3.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint));
  if (location.ok) {
    return { location: readOk({ exists: true, region: location.value }), region: location.value };
  }
  // A HEAD answer has no body, so a refused credential shows only in GetBucketLocation's error code.
  const failure = !head.ok && head.failure.cause !== 'rejected-credentials' && location.failure.cause === 'rejected-credentials' ? location : head;
  return { location: failure, ...(headerRegion ? { region: headerRegion } : {}) };
}

/** Whether a read failed because the credentials were refused. */
function rejected(r: Read<unknown> | undefined): boolean {
  return r !== undefined && !r.ok && r.failure.cause === 'rejected-credentials';
}

async function fetchObject(edge: AwsEdge, bucket: string, bucketArn: string, key: string): Promise<ObjectFacts> {
  const head = await read<Maybe<ObjectHead>>('HeadObject', 's3:GetObject', `${bucketArn}/${key}`, async () => {
    const out = await edge.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      storageClass: out.StorageClass,
      restore: out.Restore,
      archiveStatus: out.ArchiveStatus,
      serverSideEncryption: out.ServerSideEncryption,
      kmsKeyId: out.SSEKMSKeyId,
      sseCustomerAlgorithm: out.SSECustomerAlgorithm,
      ...(out.BucketKeyEnabled !== undefined ? { bucketKeyEnabled: out.BucketKeyEnabled } : {}),
    };
  }, (error) => {
    const status = statusOf(error);
    return status === 404 || nameOf(error) === 'NotFound' ? NONE : status === 400 ? { badRequest: true } : undefined;
  });
  return { key, head: orUndefined(head) };
}

async function fetchKey(edge: AwsEdge, keyId: string, bucketRegion: string | undefined): Promise<Read<KmsKeyFacts>> {
  // SSE-KMS keys live in the bucket's region; a bare key ID with the region unknown goes to the SDK's default.
  const region = /^arn:[^:]+:kms:([^:]+):/.exec(keyId)?.[1] ?? bucketRegion ?? await defaultRegion();
  const client = edge.kms(region);
  const described = await read('DescribeKey', 'kms:DescribeKey', keyId, async () => {
    const out = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    return { arn: out.KeyMetadata?.Arn ?? keyId, manager: out.KeyMetadata?.KeyManager, state: out.KeyMetadata?.KeyState };
  });
  if (!described.ok || described.value.manager === 'AWS') {
    return described;
  }
  const policy = await read('GetKeyPolicy', 'kms:GetKeyPolicy', described.value.arn, async () =>
    (await client.send(new GetKeyPolicyCommand({ KeyId: described.value.arn, PolicyName: 'default' }))).Policy ?? '');
  return readOk({ ...described.value, policy });
}

/** The object URL of the browser's view: the first key's (presigned), or the bucket root; undefined when the region is unknown. */
function bucketRootUrl(bucket: string, region: string | undefined, endpoint: string | undefined): string | undefined {
  return endpoint ? `${endpoint.replace(/\/+$/, '')}/${bucket}/` : region !== undefined ? s3UrlPrefix(bucket, region) : undefined;
}

/**
 * The requests the web app's browser sends (test/browser/ measures each kind): a preflight of a
 * plain GET (`fetch` with a non-simple mode), a preflight naming `range` (a suffix or multi-range
 * `Range`), and the GET itself.
 */
async function probe(edge: AwsEdge, origin: string, method: 'OPTIONS' | 'GET', url: string, requestHeaders: readonly string[] = []): Promise<CorsProbe> {
  const headers: Record<string, string> = { Origin: origin };
  if (method === 'OPTIONS') {
    headers['Access-Control-Request-Method'] = 'GET';
    if (requestHeaders.length > 0) {
      headers['Access-Control-Request-Headers'] = requestHeaders.join(',');
    }
  }
  const response = await read('HTTP ' + method, 'network access to the bucket endpoint', url.split('?')[0],
    () => edge.http(url, method, headers));
  return {
    origin, method, ...(method === 'OPTIONS' ? { requestHeaders } : {}), url: url.split('?')[0],
    response: response.ok ? response : { ok: false, failure: { ...response.failure, cause: 'network' } },
  };
}

/** The preflights' request headers: none, then `range` (the kinds every cloud's verify sends). */
export const PREFLIGHT_REQUEST_HEADERS: readonly (readonly string[])[] = PREFLIGHT_KINDS.map((kind) => kind.headers);

async function fetchProbes(edge: AwsEdge, options: AwsVerifyOptions, region: string | undefined, endpoint: string | undefined, presignArn: string): Promise<CorsProbe[]> {
  const key = options.keys[0];
  const root = bucketRootUrl(options.bucket, region, endpoint);
  if (root === undefined) {
    // No region, no endpoint: any URL would be a guess. The probes say so, naming what would tell the region.
    const failure: ReadFailure = {
      operation: 'HeadBucket and GetBucketLocation', permission: 's3:GetBucketLocation', resource: presignArn.replace(/\/.*$/, ''),
      cause: 'access-denied', message: 'the bucket\'s region is unknown, so its endpoint is too',
    };
    return options.origins.map((origin) => ({ origin, method: 'OPTIONS' as const, requestHeaders: [], url: `s3://${options.bucket}/`, response: { ok: false as const, failure } }));
  }
  let url = root;
  let presigned: Read<string> | undefined;
  if (key !== undefined) {
    presigned = await read('presign GetObject', 'credentials to sign with', presignArn, () => edge.presign(region, options.bucket, key));
    if (presigned.ok) {
      url = presigned.value;
    }
  }
  const probes: CorsProbe[] = [];
  for (const origin of options.origins) {
    for (const requestHeaders of PREFLIGHT_REQUEST_HEADERS) {
      probes.push(await probe(edge, origin, 'OPTIONS', url, requestHeaders));
    }
    if (presigned !== undefined) {
      probes.push(presigned.ok ? await probe(edge, origin, 'GET', presigned.value)
        : { origin, method: 'GET', url: url.split('?')[0], response: presigned });
    }
  }
  return probes;
}

/** A failure of these on the first read stops the run: every other read would fail the same way. */
export const WHOLE_RUN_CAUSES: readonly ReadFailureCause[] = ['no-credentials', 'rejected-credentials', 'network', 'invalid-endpoint'];

/** Reads everything the checks need. Never throws for a failed read: it becomes a failure in the facts. */
export async function fetchAwsBucketFacts(options: AwsVerifyOptions, offline: boolean, edge: AwsEdge = defaultEdge(options.bucket)): Promise<AwsBucketFacts> {
  const { bucket } = options;
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 || undefined;
  const provisionalArn = `arn:aws:s3:::${bucket}`;
  const { location, region } = await fetchLocation(edge, bucket, provisionalArn);
  const base = { bucket, ...(endpoint ? { endpoint } : {}), location, ...(region !== undefined ? { region } : {}), objects: [], kmsKeys: new Map() };
  if (location.ok ? !location.value.exists : WHOLE_RUN_CAUSES.includes(location.failure.cause)) {
    return base;
  }
  const arn = `arn:${partitionOf(region)}:s3:::${bucket}`;
  const s3 = edge.s3;
  const [policy, cors, encryption, ownership, requestPayer, publicAccessBlock, fetchedObjects] = await Promise.all([
    read('GetBucketPolicy', 's3:GetBucketPolicy', arn, async () => (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? NONE,
      absentWhen('NoSuchBucketPolicy')).then(orUndefined),
    read<Maybe<readonly CorsRule[]>>('GetBucketCors', 's3:GetBucketCORS', arn, async () => (await s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules ?? NONE,
      absentWhen('NoSuchCORSConfiguration')).then(orUndefined),
    // Ceph RGW answers with an empty configuration, or NotImplemented: both are "not set".
    read<Maybe<DefaultEncryption>>('GetBucketEncryption', 's3:GetEncryptionConfiguration', arn, async () => {
      const first = (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0];
      const rule = first?.ApplyServerSideEncryptionByDefault;
      return rule?.SSEAlgorithm ? {
        algorithm: rule.SSEAlgorithm,
        ...(rule.KMSMasterKeyID ? { kmsKeyId: rule.KMSMasterKeyID } : {}),
        ...(first?.BucketKeyEnabled !== undefined ? { bucketKeyEnabled: first.BucketKeyEnabled } : {}),
      } : NONE;
    }, absentWhen('ServerSideEncryptionConfigurationNotFoundError', 'NotImplemented')).then(orUndefined),
    read<Maybe<string>>('GetBucketOwnershipControls', 's3:GetBucketOwnershipControls', arn, async () =>
      (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? NONE,
    absentWhen('OwnershipControlsNotFoundError', 'NotImplemented')).then(orUndefined),
    read('GetBucketRequestPayment', 's3:GetBucketRequestPayment', arn, async () =>
      (await s3.send(new GetBucketRequestPaymentCommand({ Bucket: bucket }))).Payer ?? 'BucketOwner'),
    read<Maybe<PublicAccessBlock>>('GetPublicAccessBlock', 's3:GetBucketPublicAccessBlock', arn, async () =>
      (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration ?? NONE,
    absentWhen('NoSuchPublicAccessBlockConfiguration', 'NotImplemented')).then(orUndefined),
    Promise.all(options.keys.map((key) => fetchObject(edge, bucket, arn, key))),
  ]);
  // Credentials refused on any read: a 400 HeadObject is then the refusal (S3 sends ExpiredToken as a
  // bodiless 400 to a HEAD), not an SSE-C object.
  const refused = [policy, cors, encryption, ownership, requestPayer, publicAccessBlock, ...fetchedObjects.map((o) => o.head)].find(rejected);
  const objects = refused === undefined || refused.ok ? fetchedObjects : fetchedObjects.map((object) =>
    object.head.ok && object.head.value?.badRequest ? { ...object, head: { ok: false as const, failure: { ...refused.failure, operation: 'HeadObject', resource: `${arn}/${object.key}` } } } : object);

  // Owners, only where they matter: ACLs on, and objects to compare.
  let bucketOwner: Read<string | undefined> | undefined;
  let withOwners: readonly ObjectFacts[] = objects;
  // An object HeadObject was refused on may still have an ACL to read (an ACL that grants others READ
  // and not its owner: the owner keeps READ_ACP).
  const existing = objects.filter((o) => o.head.ok ? o.head.value !== undefined && !o.head.value.badRequest : o.head.failure.cause === 'access-denied');
  if (ownership.ok && aclsOn(ownership.value) && existing.length > 0) {
    bucketOwner = await read('GetBucketAcl', 's3:GetBucketAcl', arn, async () => (await s3.send(new GetBucketAclCommand({ Bucket: bucket }))).Owner?.ID);
    withOwners = await Promise.all(objects.map(async (object) => {
      if (!existing.includes(object)) {
        return object;
      }
      const acl = await read('GetObjectAcl', 's3:GetObjectAcl', `${arn}/${object.key}`, async () => {
        const out = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: object.key }));
        return { owner: out.Owner?.ID, grants: (out.Grants ?? []).map(aclGrant) };
      });
      return acl.ok
        ? { ...object, owner: readOk(acl.value.owner), grants: readOk(acl.value.grants) }
        : { ...object, owner: acl, grants: acl };
    }));
  }

  // KMS, only for keys in use: the bucket default's (unless the AWS managed aws/s3), then objects' own
  // when they differ from it.
  const kmsKeys = new Map<string, Read<KmsKeyFacts>>();
  const defaultKey = encryption.ok ? encryption.value?.kmsKeyId : undefined;
  let defaultArn: string | undefined;
  if (defaultKey !== undefined && !isAwsManagedS3Alias(defaultKey)) {
    const key = await fetchKey(edge, defaultKey, region);
    kmsKeys.set(defaultKey, key);
    defaultArn = key.ok ? key.value.arn : defaultKey;
  }
  for (const object of objects) {
    const keyId = object.head.ok ? object.head.value?.kmsKeyId : undefined;
    if (keyId !== undefined && !isAwsManagedS3Alias(keyId) && !kmsKeys.has(keyId) && !sameKey(keyId, defaultArn ?? defaultKey)) {
      kmsKeys.set(keyId, await fetchKey(edge, keyId, region));
    }
  }

  // With the credentials refused, the browser's view would show the refusal, not CORS: not sent.
  const notSent = (failure: ReadFailure): CorsProbe[] => options.origins.map((origin) =>
    ({ origin, method: 'OPTIONS' as const, requestHeaders: [], url: `s3://${bucket}/`, response: { ok: false as const, failure } }));
  const credentialsRefused = refused !== undefined && !refused.ok;
  const probes = offline ? undefined : credentialsRefused ? notSent(refused.failure)
    : await fetchProbes(edge, options, region, endpoint, `${arn}/${options.keys[0] ?? ''}`);
  const tagged = credentialsRefused ? withOwners : await fetchObjectTags(edge, bucket, arn, withOwners);
  // The bucket's account, for its RCPs and its Block Public Access: only at AWS (an S3-compatible server has neither API).
  const owner = credentialsRefused || endpoint || !edge.sts || (!edge.organizations && !edge.accountPublicAccessBlock) ? undefined
    : await bucketAccount(edge, bucket, edge.sts);
  const [orgPolicies, accountPublicAccessBlock] = owner === undefined ? [undefined, undefined] : await Promise.all([
    edge.organizations && edge.sts ? fetchOrgPolicies(edge, bucket, edge.sts, edge.organizations, owner) : undefined,
    fetchAccountPublicAccessBlock(edge, owner, region),
  ]);
  return {
    ...base, location, policy, cors, encryption, ownership, requestPayer, publicAccessBlock, objects: tagged, bucketOwner, kmsKeys,
    ...(orgPolicies ? { orgPolicies } : {}), ...(accountPublicAccessBlock ? { accountPublicAccessBlock } : {}), ...(probes ? { probes } : {}),
  };
}

/** One grant of GetObjectAcl's answer, as plain data. */
function aclGrant(grant: { Permission?: string; Grantee?: { Type?: string; ID?: string; URI?: string; EmailAddress?: string } }): AclGrant {
  const grantee = grant.Grantee ?? {};
  return {
    permission: grant.Permission ?? '', type: grantee.Type ?? '',
    ...(grantee.ID !== undefined ? { id: grantee.ID } : {}),
    ...(grantee.URI !== undefined ? { uri: grantee.URI } : {}),
    ...(grantee.EmailAddress !== undefined ? { email: grantee.EmailAddress } : {}),
  };
}

/** Each existing `--key`'s tags (GetObjectTagging), which `s3:ExistingObjectTag/<key>` conditions test. */
async function fetchObjectTags(edge: AwsEdge, bucket: string, bucketArn: string, objects: readonly ObjectFacts[]): Promise<ObjectFacts[]> {
  return Promise.all(objects.map(async (object) => {
    if (!object.head.ok || object.head.value === undefined || object.head.value.badRequest) {
      return object;
    }
    const tags = await read<Maybe<Readonly<Record<string, string>>>>('GetObjectTagging', 's3:GetObjectTagging', `${bucketArn}/${object.key}`, async () => {
      const out = await edge.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: object.key }));
      return Object.fromEntries((out.TagSet ?? []).flatMap((tag) => (tag.Key !== undefined ? [[tag.Key, tag.Value ?? '']] : [])));
    }, (error) => (statusOf(error) === 404 || ['NoSuchKey', 'NotFound'].includes(nameOf(error) ?? '') ? NONE : undefined));
    return { ...object, tags: orUndefined(tags) };
  }));
}

const WHOSE_SETTINGS = 'whose settings would be read';

/**
 * The caller's account (sts:GetCallerIdentity), when the bucket is in it (HeadBucket with
 * ExpectedBucketOwner): the account whose RCPs and Block Public Access apply to the bucket. One
 * call of each, shared by both reads.
 */
export async function bucketAccount(edge: AwsEdge, bucket: string, sts: STSClient): Promise<Read<string>> {
  const identity = await read('GetCallerIdentity', 'sts:GetCallerIdentity', '*', async () => (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '');
  if (!identity.ok) {
    return identity;
  }
  const account = identity.value;
  const owned = await read('HeadBucket', 's3:ListBucket', `arn:aws:s3:::${bucket}`, async () => {
    await edge.s3.send(new HeadBucketCommand({ Bucket: bucket, ExpectedBucketOwner: account }));
    return true;
  });
  if (!owned.ok) {
    const failure = { ...owned.failure, operation: 'HeadBucket with ExpectedBucketOwner',
      message: `the bucket is not in account ${account}, the account of these credentials, ${WHOSE_SETTINGS} (${owned.failure.message})` };
    return { ok: false, failure: owned.failure.cause === 'access-denied' ? { ...failure, cause: 'other' } : failure };
  }
  return readOk(account);
}

/**
 * The account's Block Public Access (S3 Control GetPublicAccessBlock), for the bucket's account;
 * undefined value: none set.
 */
export async function fetchAccountPublicAccessBlock(edge: AwsEdge, owner: Read<string>, region: string | undefined): Promise<Read<PublicAccessBlock | undefined> | undefined> {
  const get = edge.accountPublicAccessBlock;
  if (get === undefined) {
    return undefined;
  }
  if (!owner.ok) {
    return { ok: false, failure: { ...owner.failure, message: owner.failure.message.replace(WHOSE_SETTINGS, 'whose Block Public Access would be read') } };
  }
  const account = owner.value;
  // The account's setting is the same from every region: the bucket's, where S3 Control has an endpoint.
  const at = region !== undefined && isAwsRegion(region) ? region : 'us-east-1';
  return orUndefined(await read<Maybe<PublicAccessBlock>>('GetPublicAccessBlock (S3 Control)', 's3:GetAccountPublicAccessBlock', '*',
    async () => (await get(account, at)) ?? NONE, absentWhen('NoSuchPublicAccessBlockConfiguration')));
}

/**
 * The resource control policies over the bucket's account: the caller's account (GetCallerIdentity),
 * checked to own the bucket (HeadBucket with ExpectedBucketOwner), then its parents up to the root
 * (ListParents) and the RCPs attached at each level (ListPoliciesForTarget, DescribePolicy). An
 * account in no organization has no levels. The first failed read is the answer's failure.
 */
export async function fetchOrgPolicies(
  edge: AwsEdge, bucket: string, sts: STSClient, organizations: OrganizationsClient, owningAccount?: Read<string>,
): Promise<Read<OrgPolicies>> {
  const owner = owningAccount ?? await bucketAccount(edge, bucket, sts);
  if (!owner.ok) {
    return { ok: false, failure: { ...owner.failure, message: owner.failure.message.replace(WHOSE_SETTINGS, 'whose RCPs would be read') } };
  }
  const account = owner.value;
  // From the account up to the root.
  const chain: string[] = [account];
  for (let child = account; ;) {
    const parent = await read('ListParents', 'organizations:ListParents', '*', async () => {
      try {
        return (await organizations.send(new ListParentsCommand({ ChildId: child }))).Parents?.[0] ?? NONE;
      } catch (error) {
        if (nameOf(error) === 'AWSOrganizationsNotInUseException') {
          return NONE;
        }
        throw error;
      }
    });
    if (!parent.ok) {
      return parent;
    }
    if (parent.value === NONE) {
      return readOk({ account, levels: [] });
    }
    const id = parent.value.Id ?? '';
    chain.push(id);
    if (parent.value.Type === 'ROOT' || chain.length > 7) {
      break;
    }
    child = id;
  }
  const described = new Map<string, { id: string; name: string; content: string }>();
  const levels: OrgPolicyLevel[] = [];
  for (const target of chain.reverse()) {
    const ids: { id: string; name: string }[] = [];
    for (let token: string | undefined, first = true; first || token; first = false) {
      const page = await read('ListPoliciesForTarget', 'organizations:ListPoliciesForTarget', target, () =>
        organizations.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: 'RESOURCE_CONTROL_POLICY', NextToken: token })));
      if (!page.ok) {
        return page;
      }
      ids.push(...(page.value.Policies ?? []).map((p) => ({ id: p.Id ?? '', name: p.Name ?? p.Id ?? '' })));
      token = page.value.NextToken;
    }
    const policies = [];
    for (const { id, name } of ids) {
      let policy = described.get(id);
      if (!policy) {
        const content = await read('DescribePolicy', 'organizations:DescribePolicy', id, async () =>
          (await organizations.send(new DescribePolicyCommand({ PolicyId: id }))).Policy?.Content ?? '');
        if (!content.ok) {
          return content;
        }
        policy = { id, name, content: content.value };
        described.set(id, policy);
      }
      policies.push(policy);
    }
    levels.push({ id: target, policies });
  }
  return readOk({ account, levels });
}
