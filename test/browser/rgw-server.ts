/**
 * Ceph's S3 gateway through scripts/rgw.sh: `start DIR` brings up a single-node cluster (ceph-mon,
 * ceph-osd on memstore, radosgw) on 127.0.0.1 and prints its settings; `stop DIR` kills the daemons
 * by the PIDs in DIR/pids and removes DIR.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';

const RGW_SH = path.join(__dirname, '..', '..', 'scripts', 'rgw.sh');

/** A running gateway. */
export interface Rgw {
  /** http://127.0.0.1:<port>, for path-style calls. */
  readonly endpoint: string;
  readonly port: number;
  /** The bucket owner's keys (user `owner`). */
  readonly owner: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The daemons' PIDs, read from DIR/pids. */
  readonly pids: readonly number[];
  /** Runs `rgw.sh stop DIR`. */
  readonly stop: () => Promise<void>;
}

/** Starts a cluster in `dir` whose rgw_dns_name is `dnsName`, so `<bucket>.<dnsName>` is virtual-hosted. */
export async function startRgw(dir: string, dnsName: string): Promise<Rgw> {
  const stop = async (): Promise<void> => {
    await promisify(execFile)('bash', [RGW_SH, 'stop', dir]);
  };
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('bash', [RGW_SH, 'start', dir], { env: { ...process.env, RGW_DNS_NAME: dnsName } }));
  } catch (error) {
    // rgw.sh stops what it started when it fails, and prints why.
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`scripts/rgw.sh start failed: ${(error as Error).message}\n${stderr}`);
  }
  const settings = new Map(stdout.split('\n').map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line)).filter((m) => m !== null).map((m) => [m![1], m![2].replace(/^'(.*)'$/, '$1')]));
  const setting = (name: string): string => {
    const value = settings.get(name);
    if (value === undefined) {
      throw new Error(`scripts/rgw.sh start printed no ${name}; it printed:\n${stdout}`);
    }
    return value;
  };
  const pids = fs.readFileSync(path.join(dir, 'pids'), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => Number(line.trim().split(/\s+/)[1]));
  try {
    if (setting('RGW_DNS_NAME') !== dnsName) {
      throw new Error(`scripts/rgw.sh set rgw_dns_name ${setting('RGW_DNS_NAME')}, not ${dnsName}`);
    }
    return {
      endpoint: setting('RGW_ENDPOINT'),
      port: Number(setting('RGW_PORT')),
      owner: { accessKeyId: setting('RGW_OWNER_ACCESS_KEY'), secretAccessKey: setting('RGW_OWNER_SECRET_KEY') },
      pids,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
