#!/usr/bin/env node
// No copyleft in anything we publish (GUIDE, issue 21): fails on an AGPL, GPL, LGPL, SSPL or EUPL
// licence, or one it cannot tell, in
//  - the production dependency tree of both packages, from package-lock.json: each package's
//    `dependencies`, `optionalDependencies` and `peerDependencies` (what a consumer installs to use
//    it: aws-cdk-lib, cdktf and the providers for the constructs), and theirs, resolved as npm lays
//    out node_modules; devDependencies are not followed (a copyleft test oracle is fine there);
//  - the packages bundled into what both tarballs ship, from esbuild's list of inputs of the same
//    builds: segments-cloud-cli's executable and chunks (cli/scripts/bundle.js), and the constructs
//    package's Public Suffix List (dist/lib/public-suffix-list.js, from tldts) and Lambda handlers
//    (scripts/build-handler.mjs, which leaves only the AWS SDK out: the Lambda runtime provides it),
//    the builds of scripts/third-party-notices.mjs, whose packages the constructs' THIRD-PARTY-NOTICES lists;
//  - with --notices, a shipped THIRD-PARTY-NOTICES file (each tarball's, in scripts/check-package.sh).
// A licence is an SPDX expression: `A OR B` is fine when either is, `A AND B` when both are.
//
// Usage: node scripts/check-licences.mjs
//        node scripts/check-licences.mjs --root DIR [--bundle ENTRY]...   (another project: its
//          lockfile's packages and workspaces, and a bundle of each ENTRY; the tests use fixtures)
//        node scripts/check-licences.mjs --notices FILE...   (every package a THIRD-PARTY-NOTICES file
//          lists, with the licence it names there: scripts/check-package.sh judges what each tarball ships)
// Exit status: 0 nothing copyleft or unknown, 1 otherwise (each offender named with its path), 2 usage.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const REPO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { bundledPackages, parseNotices, EMBEDDED_LICENCES } = require(path.join(REPO, 'cli/scripts/bundled-packages.js'));

/** Licences that let us publish, bundle and depend (permissive, or MPL-2.0's file-level copyleft). */
const ALLOWED = new Set([
  '0BSD', 'Apache-2.0', 'BlueOak-1.0.0', 'BSD-2-Clause', 'BSD-3-Clause', 'CC-BY-3.0', 'CC-BY-4.0', 'CC0-1.0', 'ISC', 'MIT',
  'MIT-0', 'MPL-2.0', 'Python-2.0', 'Unlicense', 'Zlib',
]);
/**
 * Packages whose licence is no SPDX identifier, read by a person and found permissive, by exact
 * version (a new version is read again): name@version -> why.
 */
const REVIEWED = {
  // cdktf > json-stable-stringify > jsonify: Douglas Crockford's JSON parser and stringifier; its
  // package.json says "Public Domain" and its README's licence section "public domain".
  'jsonify@0.0.1': 'public domain',
};
/** The copyleft families the GUIDE names: AGPL, GPL, LGPL, SSPL, EUPL (any version, -only, -or-later, +). */
const COPYLEFT = /^(AGPL|GPL|LGPL|SSPL|EUPL)-/i;

/**
 * The verdict on an SPDX expression: 'allowed', 'copyleft' or 'unknown' (no licence, a custom one,
 * `SEE LICENSE IN`, `UNLICENSED`, an identifier not in ALLOWED, or an expression that does not parse).
 */
export function licenceVerdict(expression) {
  if (typeof expression !== 'string' || expression.trim() === '') return 'unknown';
  const tokens = expression.replace(/[()]/g, ' $& ').trim().split(/\s+/);
  let at = 0;
  const rank = { allowed: 0, unknown: 1, copyleft: 2 };
  const worse = (a, b) => (rank[a] >= rank[b] ? a : b);
  const better = (a, b) => (rank[a] <= rank[b] ? a : b);
  const factor = () => {
    const token = tokens[at++];
    if (token === '(') {
      const inner = or();
      if (tokens[at++] !== ')') throw new Error('unbalanced');
      return inner;
    }
    if (token === undefined || /^(AND|OR|WITH|\))$/i.test(token)) throw new Error(`unexpected ${token}`);
    if (/^WITH$/i.test(tokens[at] ?? '')) at += 2; // an exception (e.g. Classpath-exception-2.0) keeps the family's verdict
    const id = token.replace(/\+$/, '');
    if (COPYLEFT.test(id)) return 'copyleft';
    return ALLOWED.has(id) ? 'allowed' : 'unknown';
  };
  const and = () => {
    let verdict = factor();
    while (/^AND$/i.test(tokens[at] ?? '')) { at++; verdict = worse(verdict, factor()); }
    return verdict;
  };
  const or = () => {
    let verdict = and();
    while (/^OR$/i.test(tokens[at] ?? '')) { at++; verdict = better(verdict, and()); }
    return verdict;
  };
  try {
    const verdict = or();
    return at === tokens.length ? verdict : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The production dependency tree of the package at `location` ('' for the root, 'cli' for a
 * workspace) in a lockfile (v2/v3): [{ name, version, license, location, via }], `via` the chain
 * of names from the package. A dependency npm could not place is reported with license undefined.
 */
export function productionTree(lock, location) {
  const packages = lock.packages;
  const found = new Map();
  const queue = [{ location, via: [] }];
  while (queue.length > 0) {
    const { location: at, via } = queue.shift();
    const entry = packages[at];
    const wanted = { ...entry.peerDependencies, ...entry.optionalDependencies, ...entry.dependencies };
    for (const name of Object.keys(wanted)) {
      const optional = (entry.optionalDependencies && name in entry.optionalDependencies) || entry.peerDependenciesMeta?.[name]?.optional;
      const resolved = resolve(packages, at, name);
      if (resolved === undefined) {
        if (!optional) found.set(`${at}>${name}`, { name, version: '(not in the lockfile)', license: undefined, location: '(missing)', via: [...via, name] });
        continue;
      }
      const target = packages[resolved].link ? packages[resolved].resolved : resolved;
      if (found.has(target) || target === location) continue;
      const pkg = packages[target];
      found.set(target, { name, version: pkg.version, license: pkg.license, location: target, via: [...via, name] });
      queue.push({ location: target, via: [...via, name] });
    }
  }
  return [...found.values()];
}

/** Where npm finds `name` for the package at `from`: its own node_modules, then each parent's. */
function resolve(packages, from, name) {
  for (let dir = from; ; ) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return undefined;
    // node_modules/a/node_modules/b -> node_modules/a; node_modules/a, or a workspace (cli) -> the root
    const index = dir.lastIndexOf('node_modules/');
    dir = index > 0 ? dir.slice(0, index - 1) : '';
  }
}

/** The packages an esbuild build bundles, from its options (write: false). */
async function bundleOf(options) {
  const { metafile } = await esbuild.build({ ...options, write: false, metafile: true, logLevel: 'silent' });
  return bundledPackages(metafile, options.absWorkingDir ?? process.cwd()).map((pkg) => ({
    ...pkg,
    // Data under its own licence inside a package (the Public Suffix List in tldts) is judged too.
    license: EMBEDDED_LICENCES[pkg.name] ? `(${pkg.license}) AND ${EMBEDDED_LICENCES[pkg.name]}` : pkg.license,
    location: path.relative(options.absWorkingDir ?? process.cwd(), pkg.dir),
    via: [],
  }));
}

/** What this repository publishes: [{ source, packages }]. */
async function repositorySources() {
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8'));
  const { bundleOptions } = require(path.join(REPO, 'cli/scripts/bundle.js'));
  // The builds scripts/build.mjs runs, with the same options (the ones whose packages its THIRD-PARTY-NOTICES lists).
  const { constructsBundles } = await import(path.join(REPO, 'scripts/third-party-notices.mjs'));
  const constructs = [];
  for (const { what, options } of constructsBundles()) {
    constructs.push({ source: `segments-cloud-constructs: bundled in ${what}`, packages: await bundleOf(options) });
  }
  return [
    { source: 'segments-cloud-constructs: production dependencies (and peers)', packages: productionTree(lock, '') },
    { source: 'segments-cloud-cli: production dependencies', packages: productionTree(lock, 'cli') },
    { source: 'segments-cloud-cli: bundled (cli/scripts/bundle.js)', packages: await bundleOf(bundleOptions(path.join(REPO, 'cli', 'dist', 'cli.js'))) },
    ...constructs,
  ];
}

/** What a THIRD-PARTY-NOTICES file (a tarball's, as the builds write it) lists: each package with the licence it names there. */
function noticesSource(file) {
  const packages = parseNotices(readFileSync(file, 'utf8')).map((pkg) => ({
    ...pkg,
    license: EMBEDDED_LICENCES[pkg.name] && pkg.license !== undefined ? `(${pkg.license}) AND ${EMBEDDED_LICENCES[pkg.name]}` : pkg.license,
    location: file,
    via: [],
  }));
  return { source: `listed in ${file}`, packages };
}

/** Another project (a test fixture): its lockfile's root and workspaces, and a bundle of each entry. */
async function projectSources(root, entries) {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const locations = Object.keys(lock.packages).filter((location) => location === '' || !location.includes('node_modules/'));
  const sources = locations.map((location) => ({ source: `${location || 'root'}: production dependencies`, packages: productionTree(lock, location) }));
  for (const entry of entries) {
    sources.push({ source: `${entry}: bundled`, packages: await bundleOf({ entryPoints: [path.resolve(root, entry)], bundle: true, platform: 'node', absWorkingDir: root }) });
  }
  return sources;
}

const USAGE = 'Usage: node scripts/check-licences.mjs [--root DIR [--bundle ENTRY]...] | --notices FILE...\n';

async function main(argv) {
  let root;
  const entries = [];
  const notices = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root' && argv[i + 1]) root = path.resolve(argv[++i]);
    else if (argv[i] === '--bundle' && argv[i + 1]) entries.push(argv[++i]);
    else if (argv[i] === '--notices' && argv[i + 1]) notices.push(argv[++i]);
    else {
      process.stderr.write(`check-licences: unknown argument ${argv[i]}\n${USAGE}`);
      return 2;
    }
  }
  if (entries.length > 0 && root === undefined) {
    process.stderr.write('check-licences: --bundle needs --root\n');
    return 2;
  }
  if (notices.length > 0 && (root !== undefined || entries.length > 0)) {
    process.stderr.write(`check-licences: --notices goes alone\n${USAGE}`);
    return 2;
  }
  let sources;
  try {
    sources = notices.length > 0 ? notices.map(noticesSource) : root === undefined ? await repositorySources() : await projectSources(root, entries);
  } catch (error) {
    if (notices.length === 0) throw error;
    process.stderr.write(`FAIL: ${error.message}\n`); // a notices file that cannot be read or parsed
    return 1;
  }
  const problems = [];
  for (const { source, packages } of sources) {
    const counts = {};
    for (const pkg of packages) {
      const verdict = REVIEWED[`${pkg.name}@${pkg.version}`] !== undefined ? 'allowed' : licenceVerdict(pkg.license);
      counts[pkg.license ?? '(none)'] = (counts[pkg.license ?? '(none)'] ?? 0) + 1;
      if (verdict !== 'allowed') problems.push({ source, pkg, verdict });
    }
    const summary = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([licence, n]) => `${licence} ${n}`).join(', ');
    console.log(`${source}: ${packages.length} packages${packages.length > 0 ? ` (${summary})` : ''}`);
  }
  if (problems.length === 0) {
    console.log('licence check: ok (no AGPL, GPL, LGPL, SSPL, EUPL or unknown licence)');
    return 0;
  }
  for (const { source, pkg, verdict } of problems) {
    const chain = pkg.via.length > 1 ? ` (through ${pkg.via.join(' > ')})` : '';
    console.error(`FAIL: ${pkg.name}@${pkg.version} is ${verdict === 'copyleft' ? 'copyleft' : 'under a licence this check does not know'}: ` +
      `${pkg.license ?? 'no licence named'}, in ${source}, at ${pkg.location}${chain}`);
  }
  console.error('Nothing we publish may depend on or bundle copyleft code (AGPL, GPL, LGPL, SSPL, EUPL); an unknown licence ' +
    'must be read and, if permissive, added to ALLOWED in scripts/check-licences.mjs.');
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
