/**
 * The published CLI's files, as cli/scripts/bundle.js builds them: the executable holds no package
 * (the JSON commands and every --help run from it alone), each cloud's SDKs are in that cloud's
 * chunk only and read only by its `verify <cloud>`, nothing is required that the bundle does not
 * hold, and THIRD-PARTY-NOTICES carries every bundled package's licence text.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { ROOT } from '../../test/helpers/module-graph';

/* eslint-disable @typescript-eslint/no-require-imports */
const { bundleOptions, unbundledPackages, PENDING_EXTERNALS } = require('../scripts/bundle.js') as {
  bundleOptions(outfile: string): esbuild.BuildOptions & { absWorkingDir: string };
  unbundledPackages(metafile: esbuild.Metafile): string[];
  PENDING_EXTERNALS: string[];
};
interface BundledPackage { name: string; version: string; license?: string; dir: string; author?: string }
const { bundledPackages, noticeText, thirdPartyNotices } = require('../scripts/bundled-packages.js') as {
  bundledPackages(metafile: esbuild.Metafile, workingDir: string): BundledPackage[];
  noticeText(pkg: BundledPackage, apacheText: string): string;
  thirdPartyNotices(packages: BundledPackage[], options: { product: string; apacheText: string }): string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-cli-bundle-'));
const dist = path.join(work, 'dist');
let metafile: esbuild.Metafile;
let workingDir: string;

beforeAll(async () => {
  const options = bundleOptions(path.join(dist, 'cli.js'));
  workingDir = options.absWorkingDir;
  metafile = (await esbuild.build(options)).metafile!;
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The packages (by name) whose files went into one output file. */
function packagesIn(file: string): string[] {
  const output = Object.entries(metafile.outputs).find(([name]) => path.resolve(workingDir, name) === path.join(dist, file));
  if (!output) throw new Error(`no output ${file}: ${Object.keys(metafile.outputs).join(', ')}`);
  const names = Object.keys(output[1].inputs)
    .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input)?.[1])
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}

/** Runs `node <dir>/cli.js args` with no credentials and nothing installed around it. */
function run(dir: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(dir, 'cli.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'), ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A folder with only these of the build's files. */
function folderWith(name: string, files: string[]): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  for (const file of files) fs.copyFileSync(path.join(dist, file), path.join(dir, file));
  return dir;
}

describe('the files of the bundle', () => {
  it('are the executable and one chunk per cloud and the Public Suffix List', () => {
    expect(fs.readdirSync(dist).sort()).toEqual(['cli.js', 'public-suffix-list.js', 'verify-aws.js', 'verify-azure.js', 'verify-gcs.js']);
  });

  it('put no package into the executable: its code is ours and the constructs\' root entry', () => {
    expect(packagesIn('cli.js')).toEqual([]);
  });

  it('put each cloud\'s SDKs into its chunk and no other', () => {
    const aws = packagesIn('verify-aws.js');
    const gcs = packagesIn('verify-gcs.js');
    const azure = packagesIn('verify-azure.js');
    expect(aws).toEqual(expect.arrayContaining(['@aws-sdk/client-s3', '@aws-sdk/client-kms', '@aws-sdk/s3-request-presigner']));
    expect(gcs).toEqual(expect.arrayContaining(['@google-cloud/storage', 'google-auth-library']));
    expect(azure).toEqual(expect.arrayContaining(['@azure/identity', '@azure/storage-blob', '@azure/arm-storage', '@azure/arm-authorization']));
    expect(aws.filter((p) => /^@azure\/|^@google-cloud\/|^google-auth-library$/.test(p))).toEqual([]);
    expect(gcs.filter((p) => /^@azure\/|^@aws-sdk\//.test(p))).toEqual([]);
    expect(azure.filter((p) => /^@google-cloud\/|^@aws-sdk\/|^google-auth-library$/.test(p))).toEqual([]);
    expect(packagesIn('public-suffix-list.js')).toEqual(['tldts']);
  });

  it('give no chunk its own copy of errors.ts: a CliError made there would not be `instanceof` the executable\'s', () => {
    const chunks = Object.entries(metafile.outputs).filter(([name]) => /verify-\w+\.js$/.test(name));
    expect(chunks).toHaveLength(3);
    for (const [name, output] of chunks) {
      expect({ name, errors: Object.keys(output.inputs).filter((input) => input.endsWith('cli/src/errors.ts')) }).toEqual({ name, errors: [] });
    }
  });

  it('require no package they do not hold (the policy evaluator is lib/iam/, bundled)', () => {
    expect(unbundledPackages(metafile)).toEqual([]);
    expect(PENDING_EXTERNALS).toEqual([]);
  });
});

describe('what each command reads', () => {
  it('runs the JSON commands and every --help from the executable alone', () => {
    const dir = folderWith('alone', ['cli.js']);
    for (const args of [['aws-cors'], ['gcs-cors'], ['aws-policy', '--bucket', 'my-images'], ['--help'], ['verify', '--help'],
      ['verify', 'aws', '--help'], ['verify', 'gcs', '--help'], ['verify', 'azure', '--help']]) {
      const result = run(dir, args);
      expect({ args, status: result.status, stderr: result.stderr }).toEqual({ args, status: 0, stderr: '' });
    }
    // Wildcard origins read the Public Suffix List, which is not there.
    expect(run(dir, ['aws-cors', '--origin', 'https://*.example.com']).stderr).toMatch(/public-suffix-list\.js/);
  });

  it('reads verify-aws.js for verify aws, and not the other clouds\' chunks', () => {
    const missing = run(folderWith('no-chunks', ['cli.js']), ['verify', 'aws', '--bucket', 'my-images', '--offline']);
    expect(missing.stdout + missing.stderr).toMatch(/Cannot find module '\.\/verify-aws\.js'/);
    const dir = folderWith('aws-only', ['cli.js', 'verify-aws.js', 'public-suffix-list.js']);
    const result = run(dir, ['verify', 'aws', '--bucket', 'my-images', '--offline', '--json']);
    expect(result.status).toBe(3); // no credentials: the checks could not run
    expect(JSON.parse(result.stdout).checks.map((c: { id: string }) => c.id)).toContain('aws.bucket');
  });

  it.each(['gcs', 'azure'])('reads its own chunk (verify-<cloud>.js) for verify %s', (cloud) => {
    const args = cloud === 'gcs' ? ['--bucket', 'my-images', '--service-account', 'x@p.iam.gserviceaccount.com'] : ['--account', 'myimages'];
    const missing = run(folderWith(`no-${cloud}`, ['cli.js', 'verify-aws.js']), ['verify', cloud, ...args, '--offline']);
    expect(missing.stdout + missing.stderr).toMatch(new RegExp(`Cannot find module '\\./verify-${cloud}\\.js'`));
  });
});

describe('THIRD-PARTY-NOTICES', () => {
  const apacheText = fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');

  it('names every bundled package with its version and licence, and carries its licence file', () => {
    const packages = bundledPackages(metafile, workingDir);
    const notices = thirdPartyNotices(packages, { product: 'segments-cloud-cli', apacheText });
    const s3 = packages.find((p) => p.name === '@aws-sdk/client-s3')!;
    expect(s3.license).toBe('Apache-2.0');
    expect(notices).toContain(`- @aws-sdk/client-s3@${s3.version}: Apache-2.0\n`);
    const tldts = packages.find((p) => p.name === 'tldts')!;
    expect(notices).toMatch(new RegExp(`- tldts@${tldts.version}: MIT\\. It carries the Public Suffix List .*Mozilla Public License 2\\.0`));
    expect(notices).toContain(fs.readFileSync(path.join(tldts.dir, 'LICENSE'), 'utf8').trim());
    for (const pkg of packages) expect(notices).toContain(`- ${pkg.name}@${pkg.version}: `);
    // The packages the CLI depended on before it bundled them, each in it.
    for (const name of ['@aws-sdk/client-kms', '@google-cloud/storage', 'google-auth-library', '@azure/identity', '@azure/storage-blob']) {
      expect(packages.map((p) => p.name)).toContain(name);
    }
  });

  describe('a package without a licence file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-notice-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('gets the MIT text with its author when its package.json says MIT', () => {
      expect(noticeText({ name: 'tiny', version: '1.0.0', license: 'MIT', author: 'Ada Lovelace', dir }, apacheText))
        .toMatch(/^\(no licence file in the package; its package\.json says MIT\)\n\nCopyright \(c\) Ada Lovelace\n\nPermission is hereby granted/);
    });

    it('gets the Apache-2.0 text when its package.json says Apache-2.0', () => {
      expect(noticeText({ name: 'tiny', version: '1.0.0', license: 'Apache-2.0', dir }, apacheText)).toContain('Apache License\n');
    });

    it('fails the build under any other licence', () => {
      expect(() => noticeText({ name: 'tiny', version: '1.0.0', license: 'BSD-3-Clause', dir }, apacheText))
        .toThrow(/tiny@1\.0\.0 .* ships no licence file and its package\.json says BSD-3-Clause/);
    });
  });
});
