/**
 * Everything the browser tier runs, started once for the whole tier and stopped by PID:
 *
 *   Chromium ──https──▶ TLS proxy (127.0.0.1, routes by SNI, never parses HTTP)
 *                          ├─ app.segments.ai, segments.ai, evil.example ─▶ page server (in-process)
 *                          ├─ segments-browser-tier.s3.eu-west-1.amazonaws.com ─▶ Ceph RGW (scripts/rgw.sh)
 *                          └─ examplesegmentsdata.blob.core.windows.net ─▶ Azurite (child process)
 *
 * The storage host names are the real services' names (the bucket's virtual-hosted name, the
 * account from the Azure example), so the browser sends the Host and Origin a customer's would.
 *
 * Who signs the URLs does not change what CORS allows, so they are signed the simplest way: the S3
 * URLs by the bucket's owner (RGW lets Segments' tenant user reach the owner's bucket only
 * path-style, as `:<bucket>`, and Segments' URLs are virtual-hosted), the Azure ones as a service
 * SAS with the account key (the example account has shared keys off, so Segments' own links are
 * user-delegation SAS; to the browser both are a URL with a query string).
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { s3UrlPrefix } from '../../lib/segments';
import { blobHost, blobSasUrl, blobServiceProperties, createContainer, putBlob, setBlobServiceCors, startAzurite, type AzureAccount } from './azurite';
import { launchChromium, pageAt, type Chromium } from './chromium';
import { selfSignedCertificate } from './certificate';
import { synthesizeAwsExample, synthesizeAzureExample } from './example-rules';
import { testImagePng } from './image';
import { ORIGINS, STORAGES, type Origin, type StorageId } from './matrix';
import { KIND_HEADERS, REQUEST_KINDS, startPageServer, type ProbeResult, type RequestKind } from './page';
import { startTierRgw } from './rgw';
import { setUpBucket } from './s3-bucket';
import { presignS3Url } from './s3-presign';
import { startTlsProxy } from './tls-proxy';

/** A bucket name without dots (virtual-hosted TLS) and a region: the browser only sees the host name. */
const BUCKET = 'segments-browser-tier';
const REGION = 'eu-west-1';
const IMAGE_KEY = 'images/frame-0001.png';
const PUT_KEY = 'uploads/written-by-the-page.png';
/** The emulated account's shared key (a local emulator's, not a secret). */
const AZURE_ACCOUNT_KEY = Buffer.from('browser-tier-account-key-not-a-secret').toString('base64');

/** One storage service as the browser reaches it. */
export interface Storage {
  /** Its public host name (served through the TLS proxy). */
  readonly host: string;
  /** The plain-HTTP server behind the proxy. */
  readonly upstreamPort: number;
  /** A URL that reads the image (presigned / SAS). */
  readonly getUrl: string;
  /** A URL that would write another object, and the headers the write needs. */
  readonly putUrl: string;
  readonly putHeaders: Readonly<Record<string, string>>;
}

/** What a probe or a control request saw. */
export type Results = Map<string, ProbeResult>;

/** The key of one cell of the matrix. */
export function cellKey(storage: StorageId, origin: Origin, kind: RequestKind): string {
  return `${storage} ${origin} ${kind}`;
}

/** The running tier. */
export interface Tier {
  readonly image: Buffer;
  readonly storages: Readonly<Record<StorageId, Storage>>;
  readonly chromium: Chromium;
  /** Every TCP port a server of ours listens on. */
  readonly ports: readonly number[];
  /** Every PID of ours: Chromium, Azurite, the Ceph daemons. */
  readonly pids: readonly number[];
  /** The temp dirs: the tier's (synthesized apps, Azurite's cwd), RGW's cluster, Chromium's profile. */
  readonly dirs: readonly string[];
  /** Stops everything, last started first; safe to call twice. */
  readonly stop: () => Promise<void>;
}

/**
 * Like Promise.all, but waits until every promise has settled before it rejects: when one start
 * fails, the others must finish starting (and register their stoppers) before stop() runs, or a
 * server that starts late would be left behind.
 */
async function allStarted<T extends readonly unknown[]>(promises: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) {
    throw failed.reason;
  }
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Starts the tier: synthesizes both example apps while the servers start, then configures storage from them. */
export async function startTier(): Promise<Tier> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-tier-'));
  const stoppers: (() => Promise<void>)[] = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const stopper of stoppers.splice(0).reverse()) {
      await stopper().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) {
      throw new Error(`stopping the browser tier: ${errors.map(String).join('; ')}`);
    }
  };
  try {
    const image = testImagePng();
    const s3Host = new URL(s3UrlPrefix(BUCKET, REGION)).host;
    const [aws, [azureExample, azurite], { rgw, pids: rgwPids }, pages] = await allStarted([
      synthesizeAwsExample(path.join(dir, 'cdk.out')),
      // Azurite takes the account's name at start: from the Azure example's output.
      synthesizeAzureExample(path.join(dir, 'cdktf.out')).then(async (example) => {
        const started = await startAzurite({ name: example.storageAccountName, key: AZURE_ACCOUNT_KEY }, fs.mkdtempSync(path.join(dir, 'azurite-')));
        stoppers.push(started.stop);
        return [example, started] as const;
      }),
      startTierRgw(s3Host.slice(BUCKET.length + 1)).then((started) => {
        stoppers.push(() => started.rgw.stop());
        return started;
      }),
      startPageServer().then((started) => {
        stoppers.push(started.close);
        return started;
      }),
    ]);
    const account: AzureAccount = { name: azureExample.storageAccountName, key: AZURE_ACCOUNT_KEY };

    await setUpBucket(rgw.owner, BUCKET, aws.corsRules, { key: IMAGE_KEY, body: image, contentType: 'image/png' });
    const blobEndpoint = { port: azurite.port, account };
    await setBlobServiceCors(blobEndpoint, azureExample.corsRules);
    const stored = await blobServiceProperties(blobEndpoint);
    if (!stored.includes(`<AllowedOrigins>${azureExample.corsRules[0]?.allowedOrigins}</AllowedOrigins>`)) {
      throw new Error(`Azurite did not keep the example's CORS rule: ${stored}`);
    }
    await createContainer(blobEndpoint, azureExample.containerName);
    await putBlob(blobEndpoint, azureExample.containerName, IMAGE_KEY, image, 'image/png');

    const azureHost = blobHost(account);
    const pageHosts = ORIGINS.map((origin) => new URL(origin).host);
    const hosts = [...pageHosts, s3Host, azureHost];
    const proxy = await startTlsProxy(selfSignedCertificate(hosts), new Map([
      ...pageHosts.map((host) => [host, pages.port] as const),
      [s3Host, rgw.port],
      [azureHost, azurite.port],
    ]));
    stoppers.push(proxy.close);
    const chromium = await launchChromium(hosts, proxy.port);
    stoppers.push(chromium.stop);

    return {
      image,
      storages: {
        s3: {
          host: s3Host,
          upstreamPort: rgw.port,
          getUrl: presignS3Url('GET', s3Host, IMAGE_KEY, REGION, rgw.ownerCredentials),
          putUrl: presignS3Url('PUT', s3Host, PUT_KEY, REGION, rgw.ownerCredentials),
          putHeaders: {},
        },
        azure: {
          host: azureHost,
          upstreamPort: azurite.port,
          getUrl: blobSasUrl(account, azureExample.containerName, IMAGE_KEY, 'r'),
          putUrl: blobSasUrl(account, azureExample.containerName, PUT_KEY, 'cw'),
          putHeaders: { 'x-ms-blob-type': 'BlockBlob' },
        },
      },
      chromium,
      ports: [proxy.port, pages.port, rgw.port, azurite.port],
      pids: [chromium.pid, azurite.pid, ...rgwPids],
      dirs: [dir, rgw.dir, chromium.userDataDir],
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Every cell of the matrix, asked in the browser: one page per origin, each in a context of its own.
 * All requests run at once (each cell is its own request, and its own preflight where it needs one).
 */
export async function probeInBrowser(tier: Tier): Promise<Results> {
  const results: Results = new Map();
  await Promise.all(ORIGINS.map(async (origin) => {
    const page = await pageAt(tier.chromium.browser, origin);
    try {
      await Promise.all(STORAGES.flatMap((storage) => REQUEST_KINDS.map(async (kind) => {
        const { getUrl, putUrl, putHeaders } = tier.storages[storage];
        const [url, headers, body] = kind === 'put' ? [putUrl, putHeaders, 'written by the page'] : [getUrl, KIND_HEADERS[kind], undefined];
        const result = await page.evaluate(
          (k: string, u: string, h: Record<string, string>, b: string | undefined) => (globalThis as unknown as { probe: (...args: unknown[]) => Promise<ProbeResult> }).probe(k, u, h, b),
          kind, url, headers, body,
        );
        results.set(cellKey(storage, origin, kind), result);
      })));
    } finally {
      await page.browserContext().close();
    }
  }));
  return results;
}

/**
 * The same requests without a browser (no Origin, no CORS), straight to the server behind the
 * proxy: each must succeed, so that a refusal in the browser is CORS and not a bad URL or
 * signature. Keyed `<storage> <kind>`; the value is the response's status.
 *
 * Read from the status line alone: Azurite has no suffix ranges (`bytes=-100` gets a 206 with
 * `content-length: NaN`, which Node's HTTP parser rejects). The browser never gets that far on
 * Azure: the preflight is refused first, as preflightStatuses shows.
 */
export async function controlRequests(tier: Tier): Promise<Map<string, number>> {
  const statuses = new Map<string, number>();
  for (const storage of STORAGES) {
    const { getUrl, putUrl, putHeaders } = tier.storages[storage];
    for (const kind of REQUEST_KINDS) {
      const [method, url, headers, body] = kind === 'put'
        ? ['PUT', putUrl, putHeaders, 'written by the control'] as const
        : ['GET', getUrl, KIND_HEADERS[kind], undefined] as const;
      statuses.set(`${storage} ${kind}`, await rawStatus(tier.storages[storage], method, new URL(url), headers, body));
    }
  }
  return statuses;
}

/**
 * The server's own answer to the preflights the browser sends from `https://app.segments.ai`:
 * keyed `<storage> <method> <headers>`. This is the CORS decision behind each preflighted cell.
 */
export async function preflightStatuses(tier: Tier): Promise<Map<string, number>> {
  const asks: [string, string][] = [['GET', 'range'], ['GET', 'x-segments-viewer'], ['PUT', '']];
  const statuses = new Map<string, number>();
  for (const storage of STORAGES) {
    const { getUrl, putUrl, putHeaders } = tier.storages[storage];
    for (const [method, names] of asks) {
      const requestHeaders = method === 'PUT' ? Object.keys(putHeaders).join(',') : names;
      const headers: Record<string, string> = { Origin: 'https://app.segments.ai', 'Access-Control-Request-Method': method };
      if (requestHeaders !== '') {
        headers['Access-Control-Request-Headers'] = requestHeaders;
      }
      statuses.set(`${storage} ${method} ${requestHeaders || '-'}`, await rawStatus(tier.storages[storage], 'OPTIONS', new URL(method === 'PUT' ? putUrl : getUrl), headers));
    }
  }
  return statuses;
}

/** One HTTP/1.1 request over a plain socket to the storage's server; resolves with the status line's code. */
function rawStatus(storage: Storage, method: string, url: URL, headers: Readonly<Record<string, string>>, body?: string): Promise<number> {
  const lines = [
    `${method} ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${storage.host}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body ?? '')}`,
    'Connection: close',
  ];
  return new Promise((resolve, reject) => {
    let response = '';
    const socket = net.connect(storage.upstreamPort, '127.0.0.1', () => socket.end(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`));
    socket.setTimeout(10000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString('latin1');
    });
    socket.on('error', (error) => reject(new Error(`${method} ${storage.host}${url.pathname}: ${error.message}`)));
    socket.on('close', () => {
      const match = /^HTTP\/1\.[01] (\d{3}) /.exec(response);
      if (match === null) {
        reject(new Error(`${method} ${storage.host}${url.pathname}: no status line in ${JSON.stringify(response.slice(0, 200))}`));
      } else {
        resolve(Number(match[1]));
      }
    });
  });
}
