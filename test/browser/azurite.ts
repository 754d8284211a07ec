/**
 * Azurite (the npm dev dependency), the Azure Blob service emulator, as a child process on
 * 127.0.0.1 stopped by PID; and the few Blob REST calls the tier needs, signed with the account's
 * shared key: set the blob service's CORS rule, create a container, upload a blob, and a service SAS
 * URL for the browser.
 *
 * Azurite takes the account from the first label of the Host header ("production-style" URLs), so
 * `https://<account>.blob.core.windows.net/…` reaches it through the TLS proxy unchanged.
 */
import { spawn } from 'child_process';
import { createHmac } from 'crypto';
import * as http from 'http';
import * as path from 'path';
import { isAlive, killAndWait } from './processes';

/** The blob service's main script in the azurite package (its `azurite-blob` bin). */
const AZURITE_BLOB = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'blob', 'main.js');

/**
 * `spr`: the browser speaks HTTPS to the TLS proxy, which speaks HTTP to Azurite, and Azurite checks
 * the protocol it sees itself.
 */
const SAS_PROTOCOLS = 'https,http';

/** The REST and SAS version the calls below are written for. */
const API_VERSION = '2021-08-06';

/** An emulated storage account. */
export interface AzureAccount {
  readonly name: string;
  /** The shared key, base64. */
  readonly key: string;
}

/** A running Azurite blob service. */
export interface Azurite {
  readonly port: number;
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

/** The blob service CORS rule as the Blob REST API stores it (comma-separated lists). */
export interface BlobCorsRule {
  readonly allowedOrigins: string;
  readonly allowedMethods: string;
  readonly allowedHeaders: string;
  readonly exposedHeaders: string;
  readonly maxAgeInSeconds: number;
}

/**
 * Starts Azurite's blob service with only `account`, in memory (it writes no files), telemetry off,
 * on a free port; resolves when it says it listens.
 */
export async function startAzurite(account: AzureAccount, cwd: string): Promise<Azurite> {
  const child = spawn(process.execPath, [
    AZURITE_BLOB, '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--disableTelemetry',
  ], {
    cwd,
    env: { ...process.env, AZURITE_ACCOUNTS: `${account.name}:${account.key}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`startAzurite: could not start ${AZURITE_BLOB}`);
  }
  // If the test process exits without stopping it (a crash, a forced exit), take Azurite along.
  const killOnExit = (): void => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await killAndWait(pid);
  };
  let output = '';
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`startAzurite: no "listens on" line within 30 s; it printed:\n${output}`)), 30000);
      const read = (data: Buffer): void => {
        output += data.toString();
        const match = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match !== null) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`startAzurite: azurite exited with ${code}; it printed:\n${output}`));
      });
    });
    // Keep reading (its access log), so a full pipe never blocks it.
    child.stdout.resume();
    child.stderr.resume();
    return { port, pid, stop };
  } catch (error) {
    if (isAlive(pid)) {
      await stop();
    }
    throw error;
  }
}

/** Where a blob REST call goes: Azurite's port, and the account's production host name. */
export interface BlobEndpoint {
  readonly port: number;
  readonly account: AzureAccount;
}

/** The account's production host name, `<account>.blob.core.windows.net`. */
export function blobHost(account: AzureAccount): string {
  return `${account.name}.blob.core.windows.net`;
}

/** One Blob REST call with a SharedKey Authorization header; resolves with the status and body. */
export async function blobRequest(
  endpoint: BlobEndpoint,
  method: string,
  pathAndQuery: string,
  headers: Readonly<Record<string, string>> = {},
  body: Buffer = Buffer.alloc(0),
): Promise<{ status: number; body: string }> {
  const url = new URL(pathAndQuery, `https://${blobHost(endpoint.account)}`);
  const msHeaders: Record<string, string> = {
    'x-ms-date': new Date().toUTCString(),
    'x-ms-version': API_VERSION,
    ...Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('x-ms-'))),
  };
  const contentType = headers['content-type'] ?? '';
  const stringToSign = [
    method, '', '', body.length > 0 ? String(body.length) : '', '', contentType, '', '', '', '', '', '',
    ...Object.keys(msHeaders).sort().map((name) => `${name}:${msHeaders[name]}`),
    `/${endpoint.account.name}${url.pathname}` + [...url.searchParams.keys()].sort().map((name) => `\n${name}:${url.searchParams.get(name)}`).join(''),
  ].join('\n');
  const signature = createHmac('sha256', Buffer.from(endpoint.account.key, 'base64')).update(stringToSign, 'utf8').digest('base64');
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port: endpoint.port,
      method,
      path: url.pathname + url.search,
      headers: {
        ...headers,
        ...msHeaders,
        host: blobHost(endpoint.account),
        'content-length': String(body.length),
        authorization: `SharedKey ${endpoint.account.name}:${signature}`,
      },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Throws unless the call answered with the expected status. */
async function expectStatus(call: Promise<{ status: number; body: string }>, status: number, what: string): Promise<string> {
  const response = await call;
  if (response.status !== status) {
    throw new Error(`${what}: Azurite answered ${response.status} (expected ${status}): ${response.body}`);
  }
  return response.body;
}

/** Sets the blob service's CORS rules (Set Blob Service Properties), replacing any. */
export async function setBlobServiceCors(endpoint: BlobEndpoint, rules: readonly BlobCorsRule[]): Promise<void> {
  const xml = '<?xml version="1.0" encoding="utf-8"?><StorageServiceProperties><Cors>'
    + rules.map((rule) => '<CorsRule>'
      + `<AllowedOrigins>${rule.allowedOrigins}</AllowedOrigins>`
      + `<AllowedMethods>${rule.allowedMethods}</AllowedMethods>`
      + `<MaxAgeInSeconds>${rule.maxAgeInSeconds}</MaxAgeInSeconds>`
      + `<ExposedHeaders>${rule.exposedHeaders}</ExposedHeaders>`
      + `<AllowedHeaders>${rule.allowedHeaders}</AllowedHeaders>`
      + '</CorsRule>').join('')
    + '</Cors></StorageServiceProperties>';
  await expectStatus(blobRequest(endpoint, 'PUT', '/?restype=service&comp=properties', { 'content-type': 'application/xml' }, Buffer.from(xml)), 202, 'Set Blob Service Properties');
}

/** The blob service's properties as Azurite returns them (XML), to check what it stored. */
export function blobServiceProperties(endpoint: BlobEndpoint): Promise<string> {
  return expectStatus(blobRequest(endpoint, 'GET', '/?restype=service&comp=properties'), 200, 'Get Blob Service Properties');
}

/** Creates a private container. */
export async function createContainer(endpoint: BlobEndpoint, container: string): Promise<void> {
  await expectStatus(blobRequest(endpoint, 'PUT', `/${container}?restype=container`), 201, `Create Container ${container}`);
}

/** Uploads a block blob. */
export async function putBlob(endpoint: BlobEndpoint, container: string, blob: string, body: Buffer, contentType: string): Promise<void> {
  await expectStatus(blobRequest(endpoint, 'PUT', `/${container}/${blob}`, { 'x-ms-blob-type': 'BlockBlob', 'content-type': contentType }, body), 201, `Put Blob ${container}/${blob}`);
}

/**
 * A service SAS URL for one blob (`sr=b`), valid for an hour: what a browser is handed.
 * `permissions` as in the SAS `sp` field (`r` read, `cw` create and write).
 */
export function blobSasUrl(account: AzureAccount, container: string, blob: string, permissions: string, now: Date = new Date()): string {
  const start = isoSeconds(new Date(now.getTime() - 5 * 60 * 1000));
  const expiry = isoSeconds(new Date(now.getTime() + 60 * 60 * 1000));
  const stringToSign = [
    permissions, start, expiry, `/blob/${account.name}/${container}/${blob}`,
    '', '', SAS_PROTOCOLS, API_VERSION, 'b', '', '', '', '', '', '', '',
  ].join('\n');
  const signature = createHmac('sha256', Buffer.from(account.key, 'base64')).update(stringToSign, 'utf8').digest('base64');
  const query = new URLSearchParams({ sv: API_VERSION, spr: SAS_PROTOCOLS, st: start, se: expiry, sr: 'b', sp: permissions, sig: signature });
  return `https://${blobHost(account)}/${container}/${blob}?${query.toString()}`;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
