/**
 * scripts/check-licences.mjs on fixture projects written here (a package-lock.json, the packages'
 * package.json files, a file to bundle): it fails on a copyleft (AGPL, GPL, LGPL, SSPL, EUPL) or
 * unknown licence anywhere in a production tree or a bundle, and only there. `.ci/run` runs it on
 * the repository itself.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './helpers/module-graph';

const SCRIPT = path.join(ROOT, 'scripts', 'check-licences.mjs');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'check-licences-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Pkg {
  readonly version?: string;
  readonly license?: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly dev?: boolean;
}

/** Writes a project: its lockfile (location -> entry) and each package's package.json and index.js. */
function project(name: string, packages: Record<string, Pkg>, files: Record<string, string> = {}): string {
  const dir = path.join(work, name);
  const lock = { name, lockfileVersion: 3, requires: true, packages: {} as Record<string, unknown> };
  for (const [location, pkg] of Object.entries(packages)) {
    const pkgName = location === '' ? name : location.split('node_modules/').pop()!;
    lock.packages[location] = { version: pkg.version ?? '1.0.0', ...pkg };
    fs.mkdirSync(path.join(dir, location), { recursive: true });
    fs.writeFileSync(path.join(dir, location, 'package.json'), JSON.stringify({ name: pkgName, version: pkg.version ?? '1.0.0', license: pkg.license }));
    fs.writeFileSync(path.join(dir, location, 'index.js'), `module.exports = ${JSON.stringify(pkgName)};\n`);
  }
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

function check(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [SCRIPT, '--root', dir, ...args], { encoding: 'utf8', timeout: 60_000 });
  const failed = [...result.stderr.matchAll(/^FAIL: (\S+) is .*? at (\S+)/gm)].map((m) => `${m[1]} at ${m[2]}`).sort();
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, failed };
}

const deps = (...names: string[]) => Object.fromEntries(names.map((n) => [n, '*']));

it('fails on a GPL production dependency, naming it', () => {
  const dir = project('one-gpl', { '': { dependencies: deps('readline-gpl') }, 'node_modules/readline-gpl': { license: 'GPL-3.0-only' } });
  const result = check(dir);
  expect(result.status).toBe(1);
  expect(result.failed).toEqual(['readline-gpl@1.0.0 at node_modules/readline-gpl']);
  expect(result.stderr).toContain('FAIL: readline-gpl@1.0.0 is copyleft: GPL-3.0-only');
});

it('passes a tree of permissive licences', () => {
  const dir = project('all-permissive', {
    '': { dependencies: deps('a', 'b') },
    'node_modules/a': { license: 'MIT', dependencies: deps('c') },
    'node_modules/b': { license: '(MIT OR Apache-2.0)' },
    'node_modules/c': { license: 'MPL-2.0' },
  });
  const result = check(dir);
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  expect(result.stdout).toContain('root: production dependencies: 3 packages');
  expect(result.stdout).toContain('licence check: ok');
});

it('judges every licence of the production trees and the bundles, and nothing of the development tree', () => {
  const dir = project('mixed', {
    '': {
      dependencies: deps('ok-mit', 'or-gpl', 'and-gpl', 'lgpl', 'sspl', 'eupl', 'agpl', 'custom', 'none', 'via', 'dep-x'),
      peerDependencies: deps('peer-gpl'),
      devDependencies: deps('dev-gpl', 'bundled-gpl'),
    },
    'node_modules/ok-mit': { license: 'MIT' },
    'node_modules/or-gpl': { license: '(MIT OR GPL-3.0-or-later)' },
    'node_modules/and-gpl': { license: 'MIT AND GPL-2.0-only' },
    'node_modules/lgpl': { license: 'LGPL-2.1+' },
    'node_modules/sspl': { license: 'SSPL-1.0' },
    'node_modules/eupl': { license: 'EUPL-1.2' },
    'node_modules/agpl': { license: 'AGPL-3.0-or-later' },
    'node_modules/custom': { license: 'SEE LICENSE IN LICENSE.txt' },
    'node_modules/none': {},
    // via needs dep-x@2 (GPL), nested under it; the root's dep-x@1 is MIT.
    'node_modules/via': { license: 'MIT', dependencies: deps('dep-x') },
    'node_modules/via/node_modules/dep-x': { version: '2.0.0', license: 'GPL-3.0-only' },
    'node_modules/dep-x': { license: 'MIT' },
    'node_modules/peer-gpl': { license: 'GPL-2.0-or-later' },
    'node_modules/dev-gpl': { license: 'GPL-3.0-only', dev: true },
    // A development dependency that the published file bundles.
    'node_modules/bundled-gpl': { license: 'GPL-2.0-only', dev: true },
    // A workspace, a package of its own.
    'tool': { dependencies: deps('tool-gpl') },
    'node_modules/tool-gpl': { license: 'LGPL-3.0-only' },
  }, { 'entry.js': "module.exports = [require('ok-mit'), require('bundled-gpl')];\n" });
  const result = check(dir, '--bundle', 'entry.js');
  expect(result.status).toBe(1);
  expect(result.failed).toEqual([
    'agpl@1.0.0 at node_modules/agpl',
    'and-gpl@1.0.0 at node_modules/and-gpl',
    'bundled-gpl@1.0.0 at node_modules/bundled-gpl',
    'custom@1.0.0 at node_modules/custom',
    'dep-x@2.0.0 at node_modules/via/node_modules/dep-x',
    'eupl@1.0.0 at node_modules/eupl',
    'lgpl@1.0.0 at node_modules/lgpl',
    'none@1.0.0 at node_modules/none',
    'peer-gpl@1.0.0 at node_modules/peer-gpl',
    'sspl@1.0.0 at node_modules/sspl',
    'tool-gpl@1.0.0 at node_modules/tool-gpl',
  ]);
  expect(result.stderr).toMatch(/FAIL: bundled-gpl@1\.0\.0 is copyleft: GPL-2\.0-only, in entry\.js: bundled/);
  expect(result.stderr).toMatch(/FAIL: dep-x@2\.0\.0 is copyleft: GPL-3\.0-only, in root: production dependencies, at node_modules\/via\/node_modules\/dep-x \(through via > dep-x\)/);
  expect(result.stderr).toMatch(/FAIL: custom@1\.0\.0 is under a licence this check does not know: SEE LICENSE IN LICENSE\.txt/);
  expect(result.stderr).toMatch(/FAIL: tool-gpl@1\.0\.0 is copyleft: LGPL-3\.0-only, in tool: production dependencies/);
});

it('refuses an unknown argument with exit 2', () => {
  const result = spawnSync(process.execPath, [SCRIPT, '--roots', work], { encoding: 'utf8' });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('unknown argument --roots');
});

describe('--notices: what a THIRD-PARTY-NOTICES file lists (scripts/check-package.sh runs it on each tarball\'s)', () => {
  /** A notices file as cli/scripts/bundled-packages.js writes it: its header, the list, one licence text. */
  function notices(name: string, lines: string[], count = lines.length): string {
    const file = path.join(work, name);
    fs.writeFileSync(file, [
      'THIRD-PARTY NOTICES for some-product',
      '',
      `some-product bundles the code of the following ${count} npm ${count === 1 ? 'package' : 'packages'} (written by the build,`,
      'from the bundler\'s list of input files). Each is listed with the licence its package.json names;',
      'the licence texts follow, each once, with the packages it covers.',
      '',
      ...lines,
      '',
      '='.repeat(100),
      '',
      // A licence text's own lines look like nothing the check reads.
      'a@1.0.0',
      '',
      '- GPL-3.0-only is not a package line here: @x/y@1: GPL-3.0-only',
      '',
    ].join('\n'));
    return file;
  }
  const judge = (...files: string[]) => {
    const result = spawnSync(process.execPath, [SCRIPT, ...files.flatMap((file) => ['--notices', file])], { encoding: 'utf8', timeout: 60_000 });
    const failed = [...result.stderr.matchAll(/^FAIL: (\S+) is /gm)].map((m) => m[1]).sort();
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, failed };
  };

  it('passes a list of permissive licences, the Public Suffix List\'s MPL-2.0 included', () => {
    const file = notices('permissive', [
      '- @smithy/core@3.41.1: Apache-2.0',
      '- tldts@7.6.0: MIT. It carries the Public Suffix List (https://publicsuffix.org/list/), Mozilla Public License 2.0 ' +
      '(https://mozilla.org/MPL/2.0/), in public-suffix-list.js (and in a Lambda handler that checks origins); the list\'s source form is at ' +
      'https://publicsuffix.org/list/public_suffix_list.dat.',
      '- b@2.0.0: (MIT OR GPL-3.0-only)',
    ]);
    const result = judge(file);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain(`listed in ${file}: 3 packages (Apache-2.0 1, (MIT) AND MPL-2.0 1, (MIT OR GPL-3.0-only) 1)`);
  });

  it('fails on a copyleft, unknown or missing licence in the list, naming each, across files', () => {
    const one = notices('copyleft', ['- @scope/gpl@1.0.0: GPL-2.0-only', '- ok@1.0.0: ISC', '- custom@1.0.0: SEE LICENSE IN LICENSE.txt']);
    const two = notices('unnamed', ['- none@1.0.0: no licence named']);
    const result = judge(one, two);
    expect(result.status).toBe(1);
    expect(result.failed).toEqual(['@scope/gpl@1.0.0', 'custom@1.0.0', 'none@1.0.0']);
    expect(result.stderr).toContain(`FAIL: @scope/gpl@1.0.0 is copyleft: GPL-2.0-only, in listed in ${one}, at ${one}`);
    expect(result.stderr).toContain('FAIL: none@1.0.0 is under a licence this check does not know: no licence named');
  });

  it('fails on a file cut short or not a notices file at all, and on --notices with --root', () => {
    const short = judge(notices('short', ['- ok@1.0.0: MIT'], 2));
    expect({ status: short.status, stderr: short.stderr }).toEqual({ status: 1, stderr: expect.stringContaining('says it lists 2 packages, but lists 1') });
    const other = path.join(work, 'not-notices');
    fs.writeFileSync(other, '- gpl@1.0.0: GPL-3.0-only\n');
    expect(judge(other)).toMatchObject({ status: 1, stderr: expect.stringContaining('not a THIRD-PARTY-NOTICES file') });
    const both = spawnSync(process.execPath, [SCRIPT, '--root', work, '--notices', other], { encoding: 'utf8' });
    expect(both.status).toBe(2);
  });
});
