/**
 * What the browser tier needs on the machine, and what it does when something is missing: locally
 * it skips with one line on stderr; under CI (CI=true, as .ci/run sets it) it fails instead, so CI
 * cannot pass without having run it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CHROMIUM_PATH } from './chromium';

/** The programs the tier runs: Debian's chromium, Ceph's daemons and CLIs (scripts/rgw.sh), openssl. */
const PROGRAMS = ['radosgw', 'radosgw-admin', 'ceph-mon', 'ceph-osd', 'ceph', 'monmaptool', 'openssl'];

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, program)));
}

/** The missing programs, with the command that installs them. */
export function missingRequirements(): string[] {
  const missing = PROGRAMS.filter((program) => !onPath(program));
  if (!fs.existsSync(CHROMIUM_PATH)) {
    missing.unshift(CHROMIUM_PATH);
  }
  return missing;
}

/** Whether this run must fail rather than skip (CI=true or CI=1). */
export function mustRun(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/** The one line printed when the tier skips. */
export function skipLine(missing: readonly string[]): string {
  return `browser tier (test/browser) skipped: ${missing.join(', ')} not found; apt-get install -y chromium radosgw ceph-mon ceph-osd openssl (under CI=true this fails instead)\n`;
}
