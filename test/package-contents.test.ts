import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');

/** sha256 of the Apache License 2.0 text as Debian's base-files ships it (/usr/share/common-licenses/Apache-2.0). */
const APACHE_2_0_SHA256 = 'cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30';

describe('the package ships the license its package.json names', () => {
  it('holds the Apache-2.0 text verbatim in LICENSE', () => {
    expect(require('../package.json').license).toBe('Apache-2.0');
    const text = fs.readFileSync(path.join(root, 'LICENSE'));
    expect(createHash('sha256').update(text).digest('hex')).toBe(APACHE_2_0_SHA256);
  });

  it('puts LICENSE in the tarball', () => {
    expect(require('../package.json').files).toContain('LICENSE');
    // --ignore-scripts: the file list is what counts here, not the build that prepack runs.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], {
      cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
    })) as Array<{ files: Array<{ path: string }> }>;
    expect(packed[0].files.map((file) => file.path)).toContain('LICENSE');
  });
});

/**
 * The package bundles other packages' code into three files: the Public Suffix List (tldts's data) and the two
 * Lambda handlers (the monitor's holds @aws-sdk/s3-request-presigner and the @smithy code it needs). Apache-2.0 and
 * MIT require their licence text to travel with that code: THIRD-PARTY-NOTICES, written by the build
 * (scripts/third-party-notices.mjs; scripts/check-package.sh checks the packed tarball's).
 */
describe('the package ships the licence texts of the code it bundles (THIRD-PARTY-NOTICES)', () => {
  let notices: string;
  let listed: Array<{ name: string; version: string; license: string }>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'constructs-notices-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    const file = path.join(dir, 'THIRD-PARTY-NOTICES');
    execFileSync(process.execPath, [path.join(root, 'scripts', 'third-party-notices.mjs'), file], { cwd: root, stdio: 'ignore' });
    notices = fs.readFileSync(file, 'utf8');
    listed = [...notices.split(`\n${'='.repeat(100)}\n`)[0].matchAll(/^- ((?:@[^/\s]+\/)?[^@\s]+)@(\S+): (.*?)(?:\. It carries .*)?$/gm)]
      .map(([, name, version, license]) => ({ name, version, license }));
  });

  it('is in the tarball', () => {
    expect(require('../package.json').files).toContain('THIRD-PARTY-NOTICES');
  });

  /** Each package whose code a handler holds (esbuild's comment before each module names its path), by name: its folder. */
  function packagesInHandlers(): Map<string, string> {
    const found = new Map<string, string>();
    // jest's global setup built both handlers (scripts/build-handler.mjs), with the options the package's build uses.
    for (const handler of ['segments-imported-bucket-access', 'segments-access-monitor']) {
      const code = fs.readFileSync(path.join(root, 'lib', 'aws', handler, 'handler', 'dist', 'index.js'), 'utf8');
      for (const [, folder, name] of code.matchAll(/^\/\/ ((?:\S*\/)?node_modules\/((?:@[^/\s]+\/)?[^/\s]+))\//gm)) found.set(name, path.join(root, folder));
    }
    return found;
  }

  it('lists every package whose code the handlers bundle, and the Public Suffix List\'s', () => {
    const inHandlers = packagesInHandlers();
    expect([...inHandlers.keys()]).toEqual(expect.arrayContaining(['@aws-sdk/s3-request-presigner', '@smithy/core', 'tldts']));
    expect(listed.map((pkg) => pkg.name).sort()).toEqual([...new Set([...inHandlers.keys(), 'tldts'])].sort());
  });

  it('gives each package\'s version and licence as its package.json says, and its licence file\'s text', () => {
    const inHandlers = packagesInHandlers();
    for (const pkg of listed) {
      const folder = inHandlers.get(pkg.name)!;
      const json = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
      expect({ name: pkg.name, version: pkg.version, license: pkg.license }).toEqual({ name: json.name, version: json.version, license: json.license });
      const licence = fs.readdirSync(folder).find((file) => /^licen[cs]e/i.test(file));
      expect({ name: pkg.name, hasLicenceFile: licence !== undefined }).toEqual({ name: pkg.name, hasLicenceFile: true });
      expect(notices).toContain(fs.readFileSync(path.join(folder, licence!), 'utf8').replace(/\r\n/g, '\n').trim());
    }
    expect(listed.find((pkg) => pkg.name === '@smithy/core')?.license).toBe('Apache-2.0');
    expect(notices).toMatch(/^- tldts@\S+: MIT\. It carries the Public Suffix List \(https:\/\/publicsuffix\.org\/list\/\), Mozilla Public License 2\.0/m);
  });
});
