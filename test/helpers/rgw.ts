/**
 * The real-S3 test tier: a Ceph RADOS Gateway (radosgw) on 127.0.0.1, started by scripts/rgw.sh
 * (one single-node memstore cluster per test file; it starts in a few seconds) with two users:
 * - `owner`, the customer, who creates and owns the buckets;
 * - `segmentsai-prod-user` in tenant `931508227573`: to RGW's policy engine, the principal
 *   `arn:aws:iam::931508227573:user/segmentsai-prod-user`, i.e. Segments.
 *
 * RGW's multitenancy differs from S3 here: a user in a tenant who names a bucket `acme` means its own
 * tenant's `acme`; the owner's bucket (empty tenant) is `:acme` to it, path-style only (a colon
 * cannot be in a host name). `asSegments(bucket)` gives that name. The bucket policy still names the
 * bucket as S3 does (`arn:aws:s3:::acme/*`) and the principal as
 * `arn:aws:iam::931508227573:user/segmentsai-prod-user`.
 *
 * Use `describeWithRgw(title, (rgw) => { ... })`: inside, `rgw()` returns the running gateway. When
 * the Ceph binaries are missing, the tier is skipped with one line on stderr for the whole run, and
 * fails instead under CI (env CI set), where .ci/run installs them; SEGMENTS_RGW_TIER=off skips it
 * on purpose.
 */
import { execFile, execFileSync } from 'child_process';
import { createHash, createHmac } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { promisify } from 'util';
import { S3Client } from '@aws-sdk/client-s3';
import { RUN_TMPDIR_VARIABLE } from './global-setup';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'rgw.sh');
const run = promisify(execFile);

/**
 * `SEGMENTS_RGW_TIER=off` skips the tier with one line, even under CI: for runs that repeat the
 * suite against the same server (another Node version), where the tier would add nothing new.
 */
export const RGW_TIER_VARIABLE = 'SEGMENTS_RGW_TIER';

/** What scripts/rgw.sh needs on PATH (its python3-rados check is its own). */
export const RGW_BINARIES = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'monmaptool'] as const;

/** The outcome of an S3 request: 'allowed', or the S3 error's name (AccessDenied, NoSuchKey, ...). */
export async function outcome(request: Promise<unknown>): Promise<string> {
  try {
    await request;
    return 'allowed';
  } catch (error) {
    return (error as Error).name;
  }
}

/** How Segments' tenant user names the owner's bucket in RGW (see the header): `:<bucket>`. */
export function asSegments(bucket: string): string {
  return `:${bucket}`;
}

/** An S3 access key pair. */
export interface RgwCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A running gateway, as scripts/rgw.sh started it. */
export interface Rgw {
  /** `http://127.0.0.1:<port>`: path-style requests. */
  readonly endpoint: string;
  readonly port: number;
  /** rgw_dns_name: a request with `Host: <bucket>.<dnsName>:<port>` is virtual-hosted. */
  readonly dnsName: string;
  /** The cluster's directory (config, logs, PID files); removed by stop. */
  readonly dir: string;
  /** The cluster's ceph.conf, for `radosgw-admin -c`. */
  readonly conf: string;
  /** The customer: owns the buckets the tests create. */
  readonly ownerCredentials: RgwCredentials;
  /** RGW user `segmentsai-prod-user` in tenant `931508227573`. */
  readonly segmentsCredentials: RgwCredentials;
  /**
   * A key ID for SSE-KMS (`SSEKMSKeyId`) that RGW's `testing` KMS backend knows (scripts/rgw.sh): RGW
   * encrypts and decrypts with it for anyone the bucket lets read; there is no KMS and no key policy.
   */
  readonly kmsTestKeyId: string;
  /** An S3 client signing as the customer (path-style). */
  readonly owner: S3Client;
  /** An S3 client signing as Segments' principal (path-style; name the owner's buckets with `asSegments`). */
  readonly segments: S3Client;
  /** A new S3 client with these credentials; virtual-hosted when asked (`<bucket>.<dnsName>`). */
  client(credentials: RgwCredentials, options?: { virtualHosted?: boolean }): S3Client;
  /**
   * A presigned GET URL (SigV4, path-style on `endpoint`), as Segments hands its web app: signed with
   * these credentials, valid for `expiresIn` seconds (default 24 hours, as Segments'). A tenant user
   * names the owner's bucket with `asSegments`.
   */
  presignGet(credentials: RgwCredentials, bucket: string, key: string, expiresIn?: number): string;
  /** Creates another RGW user (`radosgw-admin user create`) and returns its keys. */
  createUser(uid: string, options?: { tenant?: string }): Promise<RgwCredentials>;
}

/** The binaries of RGW_BINARIES that are not on PATH. */
export function missingRgwBinaries(): string[] {
  return RGW_BINARIES.filter((binary) => !onPath(binary));
}

function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, binary), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * A describe block for a tier that needs RGW: starts one gateway before its tests and stops it
 * after. Without the Ceph binaries it is skipped locally (one line on stderr per run) and fails
 * under CI.
 */
export function describeWithRgw(title: string, body: (rgw: () => Rgw) => void): void {
  describeIfRgwInstalled(title, () => {
    let gateway: StartedRgw | undefined;
    beforeAll(async () => {
      gateway = await startRgw();
    }, 90_000);
    afterAll(async () => {
      await gateway?.stop();
    }, 30_000);
    body(() => {
      if (gateway === undefined) {
        throw new Error('RGW did not start (see the beforeAll error)');
      }
      return gateway;
    });
  });
}

/**
 * A describe block that needs the Ceph binaries but starts no gateway itself (tests of
 * scripts/rgw.sh). Skipped locally with one line on stderr per run when they are missing; under CI
 * (env CI set), fails instead.
 */
export function describeIfRgwInstalled(title: string, body: () => void): void {
  if (process.env[RGW_TIER_VARIABLE] === 'off') {
    // Asked for explicitly (e.g. by .ci/run on Node 24): skipped even under CI.
    reportSkipOnce(`the Ceph RGW tier is off (${RGW_TIER_VARIABLE}=off)`);
    describe.skip(title, body);
    return;
  }
  const missing = missingRgwBinaries();
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const reason = `the Ceph RGW tier needs ${missing.join(', ')} (Debian: apt-get install -y radosgw ceph-mon ceph-osd)`;
  if (underCi()) {
    describe(title, () => {
      it('runs under CI', () => {
        throw new Error(`${reason}; under CI (env CI set) this tier must run, not skip`);
      });
    });
    return;
  }
  reportSkipOnce(reason);
  describe.skip(title, body);
}

/** CI sets CI (.ci/run: CI=true); an empty value or "false" is not CI. */
function underCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false';
}

/** One line on stderr for the whole jest run, however many files skip (a marker in the run's temp dir). */
function reportSkipOnce(reason: string): void {
  const runDir = process.env[RUN_TMPDIR_VARIABLE];
  if (runDir !== undefined) {
    try {
      fs.writeFileSync(path.join(runDir, 'rgw-tier-skipped'), reason, { flag: 'wx' });
    } catch {
      return;
    }
  }
  process.stderr.write(`skipped: ${reason}\n`);
}

/** A gateway with its stop. */
export interface StartedRgw extends Rgw {
  /** Kills the daemons by PID and removes the directory; throws if a daemon or the directory survived. */
  stop(): Promise<void>;
}

/** Starts a gateway in a new directory under the run's temp dir. */
export async function startRgw(): Promise<StartedRgw> {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'rgw-'));
  let stdout: string;
  try {
    ({ stdout } = await run('bash', [SCRIPT, 'start', dir], {
      env: { ...process.env, RGW_WATCH_PID: String(process.pid) },
      maxBuffer: 1 << 20,
    }));
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    const { stderr } = error as { stderr?: string };
    throw new Error(`scripts/rgw.sh start failed:\n${stderr ?? String(error)}`);
  }
  const env = parseEnv(stdout);
  const credentials = (prefix: string): RgwCredentials => ({
    accessKeyId: env[`RGW_${prefix}_ACCESS_KEY`], secretAccessKey: env[`RGW_${prefix}_SECRET_KEY`],
  });
  const clients: S3Client[] = [];
  const port = Number(env.RGW_PORT);
  const dnsName = env.RGW_DNS_NAME;
  const client = (creds: RgwCredentials, options: { virtualHosted?: boolean } = {}): S3Client => {
    const s3 = options.virtualHosted
      ? new S3Client({
        endpoint: `http://${dnsName}:${port}`,
        region: 'us-east-1',
        credentials: creds,
        // <bucket>.<dnsName> does not resolve in Node: connect to 127.0.0.1, keep the Host header.
        requestHandler: { httpAgent: new http.Agent({ lookup: loopbackLookup }) },
      })
      : new S3Client({ endpoint: env.RGW_ENDPOINT, forcePathStyle: true, region: 'us-east-1', credentials: creds });
    clients.push(s3);
    return s3;
  };
  const ownerCredentials = credentials('OWNER');
  const segmentsCredentials = credentials('SEGMENTS');
  return {
    endpoint: env.RGW_ENDPOINT,
    port,
    dnsName,
    dir: env.RGW_DIR,
    conf: env.RGW_CONF,
    kmsTestKeyId: env.RGW_KMS_TEST_KEY_ID,
    ownerCredentials,
    segmentsCredentials,
    owner: client(ownerCredentials),
    segments: client(segmentsCredentials),
    client,
    presignGet: (creds, bucket, key, expiresIn = 24 * 3600) => presignGet(env.RGW_ENDPOINT, creds, bucket, key, expiresIn),
    createUser: async (uid, options = {}) => {
      const accessKeyId = `K${uid.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`.slice(0, 20).padEnd(20, '0');
      const secretAccessKey = `secret-of-${uid}`;
      await run('radosgw-admin', ['-c', env.RGW_CONF, 'user', 'create', '--uid', uid, '--display-name', uid,
        ...(options.tenant ? ['--tenant', options.tenant] : []), '--access-key', accessKeyId, '--secret-key', secretAccessKey]);
      return { accessKeyId, secretAccessKey };
    },
    stop: async () => {
      for (const s3 of clients) {
        s3.destroy();
      }
      await run('bash', [SCRIPT, 'stop', dir]);
      const survivors = daemonsOf(dir);
      if (survivors.length > 0 || fs.existsSync(dir)) {
        throw new Error(`scripts/rgw.sh stop left ${survivors.length > 0 ? `processes ${survivors.join(', ')}` : `the directory ${dir}`}`);
      }
    },
  };
}

/**
 * SigV4 query-string signing of a GET (AWS's "Authenticating Requests: Using Query Parameters"),
 * written out here so the tests need no presigner package: region us-east-1, payload unsigned, only
 * the host header signed.
 */
export function presignGet(endpoint: string, credentials: RgwCredentials, bucket: string, key: string, expiresIn: number, now = new Date()): string {
  const url = new URL(endpoint);
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const scope = `${date}/us-east-1/s3/aws4_request`;
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonicalUri = `/${encode(bucket)}/${key.split('/').map(encode).join('/')}`;
  const query = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(expiresIn)],
    ['X-Amz-SignedHeaders', 'host'],
  ].map(([name, value]) => `${encode(name)}=${encode(value)}`).sort().join('&');
  const canonicalRequest = ['GET', canonicalUri, query, `host:${url.host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const hmac = (secret: string | Buffer, text: string) => createHmac('sha256', secret).update(text).digest();
  let signingKey = hmac(`AWS4${credentials.secretAccessKey}`, date);
  for (const part of ['us-east-1', 's3', 'aws4_request']) {
    signingKey = hmac(signingKey, part);
  }
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `${url.origin}${canonicalUri}?${query}&X-Amz-Signature=${signature}`;
}

/** The live processes whose command line names the directory (pgrep -f; a reaped daemon has none). */
export function daemonsOf(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', '-a', dir], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(RGW_[A-Z_]+)=(.*)$/.exec(line);
    if (match) {
      env[match[1]] = match[2];
    }
  }
  for (const key of ['RGW_DIR', 'RGW_ENDPOINT', 'RGW_PORT', 'RGW_DNS_NAME', 'RGW_CONF', 'RGW_OWNER_ACCESS_KEY', 'RGW_SEGMENTS_ACCESS_KEY', 'RGW_KMS_TEST_KEY_ID']) {
    if (env[key] === undefined) {
      throw new Error(`scripts/rgw.sh start printed no ${key}:\n${text}`);
    }
  }
  return env;
}

/** net.connect's lookup: every name to 127.0.0.1 (the virtual-hosted client only talks to the gateway). */
function loopbackLookup(
  _hostname: string,
  options: { all?: boolean },
  callback: (error: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void,
): void {
  if (options.all) {
    callback(null, [{ address: '127.0.0.1', family: 4 }]);
  } else {
    callback(null, '127.0.0.1', 4);
  }
}
