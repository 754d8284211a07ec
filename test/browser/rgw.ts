/**
 * The tier's Ceph RGW, from test/helpers/rgw.ts (scripts/rgw.sh), with rgw_dns_name set to the AWS
 * region's S3 host so that `https://<bucket>.s3.<region>.amazonaws.com/` is virtual-hosted.
 */
import * as fs from 'fs';
import * as path from 'path';
import { startRgw, type StartedRgw } from '../helpers/rgw';

/** A running gateway, and the PIDs of its daemons (from its `pids` file: "<name> <pid>" lines). */
export interface TierRgw {
  readonly rgw: StartedRgw;
  readonly pids: readonly number[];
}

/**
 * Starts a gateway whose rgw_dns_name is `dnsName`. startRgw passes the environment to scripts/rgw.sh
 * when it is called (before its first await), so RGW_DNS_NAME is set for that call only.
 */
export async function startTierRgw(dnsName: string): Promise<TierRgw> {
  const before = process.env.RGW_DNS_NAME;
  process.env.RGW_DNS_NAME = dnsName;
  let starting: Promise<StartedRgw>;
  try {
    starting = startRgw();
  } finally {
    if (before === undefined) {
      delete process.env.RGW_DNS_NAME;
    } else {
      process.env.RGW_DNS_NAME = before;
    }
  }
  const rgw = await starting;
  try {
    if (rgw.dnsName !== dnsName) {
      throw new Error(`scripts/rgw.sh set rgw_dns_name ${rgw.dnsName}, not ${dnsName}`);
    }
    const pids = fs.readFileSync(path.join(rgw.dir, 'pids'), 'utf8').split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => Number(line.trim().split(/\s+/)[1]));
    return { rgw, pids };
  } catch (error) {
    await rgw.stop();
    throw error;
  }
}
