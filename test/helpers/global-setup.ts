/**
 * Jest global setup. It builds the SegmentsImportedBucketAccess handler (as cdk.json's app command
 * does before `npx cdk synth`), so that the tests synthesize and exercise the handler source as it is now. And every
 * temp dir the tests write (aws-cdk-lib's `cdk.out*` for each App that synthesizes, cdktf's
 * `cdktf.outdir.*` for each Testing.app) goes under one dir for this run, which global teardown removes. The workers inherit TMPDIR, and Node's os.tmpdir() reads it.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The variable naming this run's temp dir, for the teardown and for test/hygiene.test.ts. */
export const RUN_TMPDIR_VARIABLE = 'SEGMENTS_TESTS_RUN_TMPDIR';

export default function globalSetup(): void {
  execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'build-handler.mjs')], { stdio: 'inherit' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-cloud-constructs-tests-'));
  process.env[RUN_TMPDIR_VARIABLE] = dir;
  process.env.TMPDIR = dir;
}
