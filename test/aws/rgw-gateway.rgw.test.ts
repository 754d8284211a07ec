/**
 * scripts/rgw.sh and test/helpers/rgw.ts, which the real-S3 tiers stand on: the gateway serves S3
 * for both users, tells Segments' tenant user apart from the owner, answers virtual-hosted names,
 * listens on 127.0.0.1 only, and `stop` (or the death of the process that started it) leaves no
 * daemon and no directory behind.
 */
import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { asSegments, daemonsOf, describeIfRgwInstalled, describeWithRgw, startRgw } from '../helpers/rgw';

const run = promisify(execFile);
const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'rgw.sh');

/** The TCP ports these processes listen on, as "address:port" (from /proc, no ss or netstat needed). */
function listeningAddresses(pids: number[]): string[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' }) as string;
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match) {
        inodes.add(match[1]);
      }
    }
  }
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, , state] = [fields[1], fields[2], fields[3]];
      if (state === '0A' && inodes.has(fields[9])) {
        const [hex, port] = local.split(':');
        const address = hex.length === 8
          ? hex.match(/../g)!.reverse().map((byte) => parseInt(byte, 16)).join('.')
          : `[${hex}]`;
        addresses.push(`${address}:${parseInt(port, 16)}`);
      }
    }
  }
  return addresses;
}

function pidsOf(dir: string): number[] {
  return fs.readFileSync(path.join(dir, 'pids'), 'utf8').trim().split('\n').map((line) => Number(line.split(' ')[1]));
}

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

describeWithRgw('a Ceph RGW started by scripts/rgw.sh', (rgw) => {
  it('runs a monitor, an OSD and the gateway, each listening on 127.0.0.1 only, the gateway on its port', () => {
    const pids = pidsOf(rgw().dir);
    expect(pids).toHaveLength(3);
    const addresses = listeningAddresses(pids);
    expect(addresses).toContain(`127.0.0.1:${rgw().port}`);
    expect(addresses.filter((address) => !address.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it('serves S3 to the owner, who owns what it creates, and tells Segments\' tenant user apart', async () => {
    await rgw().owner.send(new CreateBucketCommand({ Bucket: 'gateway-check' }));
    await rgw().owner.send(new PutObjectCommand({ Bucket: 'gateway-check', Key: 'a.txt', Body: 'hello' }));
    const { Buckets } = await rgw().owner.send(new ListBucketsCommand({}));
    expect(Buckets!.map((bucket) => bucket.Name)).toContain('gateway-check');
    // Segments' user owns nothing and was granted nothing: the owner's bucket is not its own
    const { Buckets: segments } = await rgw().segments.send(new ListBucketsCommand({}));
    expect(segments ?? []).toEqual([]);
    await expect(rgw().segments.send(new GetObjectCommand({ Bucket: asSegments('gateway-check'), Key: 'a.txt' })))
      .rejects.toMatchObject({ name: 'AccessDenied' });
    // without the empty tenant's ':', RGW looks in Segments' own tenant
    await expect(rgw().segments.send(new GetObjectCommand({ Bucket: 'gateway-check', Key: 'a.txt' })))
      .rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('answers virtual-hosted names (<bucket>.<rgw_dns_name>) by Host header', async () => {
    const s3 = rgw().client(rgw().ownerCredentials, { virtualHosted: true });
    const object = await s3.send(new GetObjectCommand({ Bucket: 'gateway-check', Key: 'a.txt' }));
    // the request's path is /a.txt: only the Host header names the bucket
    expect(await object.Body!.transformToString()).toBe('hello');
  });

  it('creates further users, in a tenant or not', async () => {
    const other = await rgw().createUser('other', { tenant: '111122223333' });
    const s3 = rgw().client(other);
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets ?? []).toEqual([]);
  });
});

describeIfRgwInstalled('scripts/rgw.sh leaves nothing behind', () => {
  it('stop kills every daemon by PID and removes the directory', async () => {
    const started = await startRgw();
    const pids = pidsOf(started.dir);
    try {
      // the three daemons and the watchdog (startRgw passes RGW_WATCH_PID)
      expect(daemonsOf(started.dir).map((line) => line.split(' ')[1]).sort()).toEqual(['bash', 'ceph-mon', 'ceph-osd', 'radosgw']);
    } finally {
      await started.stop();
    }
    expect(daemonsOf(started.dir)).toEqual([]);
    expect(fs.existsSync(started.dir)).toBe(false);
    for (const pid of pids) {
      expect(fs.existsSync(`/proc/${pid}/cmdline`) ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '').not.toContain(started.dir);
    }
  }, 90_000);

  it('stops the cluster when the process named by RGW_WATCH_PID dies before calling stop', async () => {
    const parent = spawn('sleep', ['600'], { stdio: 'ignore' });
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'rgw-'));
    try {
      await run('bash', [SCRIPT, 'start', dir], { env: { ...process.env, RGW_WATCH_PID: String(parent.pid) } });
      // The three daemons and the watchdog (not the short-lived commands the watchdog runs, such as awk reading the PID file).
      expect(daemonsOf(dir).filter((process) => /^\d+ (ceph-mon|ceph-osd|radosgw|bash) /.test(process))).toHaveLength(4);
      parent.kill('SIGKILL');
      expect(await waitFor(() => !fs.existsSync(dir), 15_000)).toBe(true);
      expect(daemonsOf(dir)).toEqual([]);
    } finally {
      parent.kill('SIGKILL');
      await run('bash', [SCRIPT, 'stop', dir]);
    }
  }, 90_000);

  it('start fails naming the daemon that died, with its output, after retrying, and stops what it started', async () => {
    const bin = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'fake-bin-'));
    const dir = path.join(bin, 'cluster');
    fs.writeFileSync(path.join(bin, 'radosgw'), '#!/bin/sh\necho "fake radosgw: refusing to start" >&2\nexit 1\n', { mode: 0o755 });
    try {
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, RGW_START_ATTEMPTS: '2', RGW_WATCH_PID: String(process.pid) };
      const failure = await run('bash', [SCRIPT, 'start', dir], { env })
        .then(() => undefined, (error: { code: number; stderr: string }) => error);
      expect(failure).toMatchObject({ code: 1 });
      expect(failure!.stderr).toContain('client.rgw exited while waiting for radosgw');
      expect(failure!.stderr).toContain('fake radosgw: refusing to start');
      expect(failure!.stderr).toContain('attempt 1 of 2 failed');
      expect(failure!.stderr).toContain('attempt 2 of 2 failed');
      // no daemon and no watchdog (its command line names the directory too)
      expect(daemonsOf(dir)).toEqual([]);
      expect(fs.existsSync(dir)).toBe(false); // start made it, so start removes it
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  }, 90_000);
});
