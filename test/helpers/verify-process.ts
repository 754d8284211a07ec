/**
 * `segments-cloud verify aws` as a process: the bundle the CLI package ships (cli/scripts/bundle.js),
 * built once into a temp dir, run with the given credentials against an S3-compatible endpoint
 * (AWS_ENDPOINT_URL_S3), with no AWS config or credentials file of the machine's.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import * as esbuild from 'esbuild';
import type { RgwCredentials } from './rgw';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleOptions } = require('../../cli/scripts/bundle.js') as { bundleOptions(outfile: string): esbuild.BuildOptions };

/** One check of the `--json` report. */
export interface ReportCheck {
  readonly id: string;
  readonly target: string | null;
  readonly result: 'pass' | 'warn' | 'fail' | 'not-checked';
  readonly detail: string;
  readonly fix: string | null;
}

/** The `--json` report: the bucket it judged and its checks. */
export interface VerifyReport {
  readonly bucket: string;
  readonly checks: readonly ReportCheck[];
}

/** A finished run: exit status, output, and the parsed `--json` report (and its checks) when stdout was one. */
export interface VerifyRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly report?: VerifyReport;
  readonly checks?: readonly ReportCheck[];
}

/** Bundles the CLI into `dir/cli.js`; returns its path. */
export async function bundleCli(dir: string): Promise<string> {
  const bundle = path.join(dir, 'cli.js');
  await esbuild.build(bundleOptions(bundle));
  return bundle;
}

/** Runs `verify aws ARGS --json` with these credentials; `env` adds variables (an endpoint, a region). */
export function runVerifyAws(bundle: string, args: readonly string[], credentials: RgwCredentials, env: Record<string, string>): Promise<VerifyRun> {
  const home = path.dirname(bundle);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, 'verify', 'aws', ...args, '--json'], {
      cwd: home,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        AWS_CONFIG_FILE: path.join(home, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => {
      let report: VerifyReport | undefined;
      try {
        report = JSON.parse(stdout) as VerifyReport;
      } catch {
        report = undefined;
      }
      resolve({ status, stdout, stderr, ...(report ? { report, checks: report.checks } : {}) });
    });
  });
}

/** Runs `task` on every item, at most `limit` at a time; the results in the items' order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
