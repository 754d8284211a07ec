/**
 * What the browser tier needs on the machine, and what it does when something is missing: locally
 * it skips with one line on stderr; under CI (CI=true, as .ci/run sets it) it fails instead, so CI
 * cannot pass without having run it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { missingRgwBinaries } from '../helpers/rgw';
import { CHROMIUM_PATH } from './chromium';

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, program)));
}

/** What is missing of Debian's chromium, Ceph's binaries (scripts/rgw.sh's) and openssl (certificate.ts). */
export function missingRequirements(): string[] {
  return [
    ...(fs.existsSync(CHROMIUM_PATH) ? [] : [CHROMIUM_PATH]),
    ...missingRgwBinaries(),
    ...(onPath('openssl') ? [] : ['openssl']),
  ];
}

/** Whether this run must fail rather than skip: CI is set (.ci/run: CI=true); empty or "false" is not CI, as in test/helpers/rgw.ts. */
export function mustRun(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false';
}

/** The one line printed when the tier skips. */
export function skipLine(missing: readonly string[]): string {
  return `browser tier (test/browser) skipped: ${missing.join(', ')} not found; apt-get install -y chromium radosgw ceph-mon ceph-osd openssl (under CI=true this fails instead)\n`;
}
