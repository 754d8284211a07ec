// Which npm packages an esbuild bundle holds, and their licence texts: cli/scripts/build.mjs and
// scripts/build.mjs (the constructs package, through scripts/third-party-notices.mjs) write each
// package's THIRD-PARTY-NOTICES from them, scripts/check-licences.mjs judges their licences, and
// reads a THIRD-PARTY-NOTICES back (parseNotices) to judge what a tarball ships.
//
// esbuild's metafile lists every input file of a build; a file under node_modules belongs to the
// package in the folder right under the last node_modules of its path.
const fs = require('node:fs');
const path = require('node:path');

/** A package's own licence and notice files: LICENSE, LICENCE, COPYING, NOTICE, with any extension. */
const LICENCE_FILE = /^(licen[cs]e|copying|notice)([-._].*)?$/i;

/**
 * The packages whose files are inputs of a build (or of several builds: each package once), sorted
 * by name and version.
 * @param metafile esbuild's metafile (`metafile: true`), or an array of them.
 * @param workingDir the builds' absWorkingDir (the metafile's paths are relative to it).
 * @returns [{ name, version, license, dir, inputs }] with `inputs` the package's bundled files, and
 *   `license` the package.json's `license` (or the `type`s of a legacy `licenses` array, joined by ` OR `).
 */
function bundledPackages(metafile, workingDir) {
  const byDir = new Map();
  const inputs = [metafile].flat().flatMap((one) => Object.keys(one.inputs));
  for (const input of new Set(inputs)) {
    const file = path.resolve(workingDir, input);
    if (!file.split(path.sep).includes('node_modules')) continue; // our own source
    const dir = packageDirOf(file);
    const entry = byDir.get(dir) ?? { ...packageFacts(dir), dir, inputs: [] };
    entry.inputs.push(file);
    byDir.set(dir, entry);
  }
  return [...byDir.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/**
 * The folder of the package a file belongs to: the folder right under the last node_modules of its
 * path (two folders for a scoped name). A package's inner package.json files (dist-es/package.json
 * with only "type", or @azure/arm-storage's dist/commonjs/package.json, which repeats the name and
 * the version without the licence) are never taken for the package.
 */
function packageDirOf(file) {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) throw new Error(`${file} is in no npm package (no node_modules folder above it)`);
  const depth = parts[at + 1].startsWith('@') ? 3 : 2;
  const dir = parts.slice(0, at + depth).join(path.sep);
  if (!fs.existsSync(path.join(dir, 'package.json'))) throw new Error(`${file} is in no npm package (no package.json in ${dir})`);
  return dir;
}

/** name, version, licence, author of the package in `dir`. */
function packageFacts(dir) {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return { name: json.name, version: json.version, license: licenceOf(json), author: authorOf(json) };
}

/** The SPDX expression of a package.json, or undefined when it says none. */
function licenceOf(json) {
  if (typeof json.license === 'string' && json.license.trim() !== '') return json.license.trim();
  if (json.license && typeof json.license.type === 'string') return json.license.type;
  if (Array.isArray(json.licenses) && json.licenses.length > 0) {
    const types = json.licenses.map((l) => (typeof l === 'string' ? l : l?.type)).filter((t) => typeof t === 'string');
    if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return undefined;
}

function authorOf(json) {
  const author = json.author;
  if (typeof author === 'string') return author;
  if (author && typeof author.name === 'string') return author.name;
  return undefined;
}

/** The package's own licence and notice files, as [{ file, text }], sorted by file name. */
function licenceFiles(dir) {
  return fs.readdirSync(dir)
    .filter((name) => LICENCE_FILE.test(name) && fs.statSync(path.join(dir, name)).isFile())
    .sort()
    .map((name) => ({ file: name, text: fs.readFileSync(path.join(dir, name), 'utf8').replace(/\r\n/g, '\n').trim() }));
}

/** The MIT licence's text, for a package that says MIT but ships no licence file. */
function mitText(holder) {
  return `Copyright (c) ${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;
}

/**
 * The licence text that goes into THIRD-PARTY-NOTICES for one package: its own files, or when it
 * ships none, the text of the licence its package.json names (MIT with its author; Apache-2.0 with
 * `apacheText`, the repository's own LICENSE). Throws for a package with neither: the build must
 * not ship code whose licence it cannot reproduce.
 */
function noticeText(pkg, apacheText) {
  const files = licenceFiles(pkg.dir);
  if (files.length > 0) return files.map((f) => (files.length === 1 ? f.text : `(${f.file})\n${f.text}`)).join('\n\n');
  if (pkg.license === 'MIT') {
    return `(no licence file in the package; its package.json says MIT)\n\n${mitText(pkg.author ?? `the authors of ${pkg.name}`)}`;
  }
  if (pkg.license === 'Apache-2.0') return `(no licence file in the package; its package.json says Apache-2.0)\n\n${apacheText.trim()}`;
  throw new Error(`${pkg.name}@${pkg.version} (${pkg.dir}) ships no licence file and its package.json says ${pkg.license ?? 'no licence'}: ` +
    'add its licence text to cli/scripts/bundled-packages.js or leave the package out of the bundle');
}

/** The licence of data a bundled package carries besides its code (judged by scripts/check-licences.mjs too). */
const EMBEDDED_LICENCES = { tldts: 'MPL-2.0' };

/** What a bundled package carries besides its own licence: data under another licence. */
const EMBEDDED = {
  tldts: 'It carries the Public Suffix List (https://publicsuffix.org/list/), Mozilla Public License 2.0 ' +
    '(https://mozilla.org/MPL/2.0/), in public-suffix-list.js (and in a Lambda handler that checks origins); ' +
    'the list\'s source form is at https://publicsuffix.org/list/public_suffix_list.dat.',
};

/**
 * THIRD-PARTY-NOTICES: every bundled package, name, version and licence, then each distinct licence
 * text once, with the packages it covers (about a hundred packages share a few texts).
 */
function thirdPartyNotices(packages, { product, apacheText }) {
  const groups = new Map();
  for (const pkg of packages) {
    const text = noticeText(pkg, apacheText);
    const group = groups.get(text) ?? [];
    group.push(pkg);
    groups.set(text, group);
  }
  const id = (pkg) => `${pkg.name}@${pkg.version}`;
  const lines = [
    `THIRD-PARTY NOTICES for ${product}`,
    '',
    `${product} bundles the code of the following ${packages.length} npm ${packages.length === 1 ? 'package' : 'packages'} (written by the build,`,
    'from the bundler\'s list of input files). Each is listed with the licence its package.json names;',
    'the licence texts follow, each once, with the packages it covers.',
    '',
    ...packages.map((pkg) => `- ${id(pkg)}: ${pkg.license ?? 'no licence named'}${EMBEDDED[pkg.name] ? `. ${EMBEDDED[pkg.name]}` : ''}`),
  ];
  for (const [text, group] of groups) {
    lines.push('', '='.repeat(100), '', group.map(id).join(', '), '', text);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The packages a THIRD-PARTY-NOTICES file (as thirdPartyNotices writes it) lists: [{ name, version, license }],
 * `license` undefined where it names none. Throws when the text is not such a file, or its list does
 * not hold as many packages as its header says (a file cut short).
 */
function parseNotices(text) {
  const header = /^THIRD-PARTY NOTICES for \S+\n\n\S+ bundles the code of the following (\d+) npm packages? /.exec(text);
  if (header === null) throw new Error('not a THIRD-PARTY-NOTICES file as cli/scripts/bundled-packages.js writes it (its first lines differ)');
  const end = text.indexOf(`\n${'='.repeat(100)}\n`); // the licence texts follow the list
  const list = end < 0 ? text : text.slice(0, end);
  const packages = [...list.matchAll(/^- ((?:@[^/\s]+\/)?[^@\s]+)@(\S+): (.*)$/gm)].map(([, name, version, rest]) => {
    const license = EMBEDDED[name] && rest.endsWith(`. ${EMBEDDED[name]}`) ? rest.slice(0, -EMBEDDED[name].length - 2) : rest;
    return { name, version, license: license === 'no licence named' ? undefined : license };
  });
  if (packages.length !== Number(header[1])) {
    throw new Error(`the THIRD-PARTY-NOTICES file says it lists ${header[1]} packages, but lists ${packages.length}`);
  }
  return packages;
}

module.exports = { bundledPackages, licenceFiles, noticeText, parseNotices, thirdPartyNotices, EMBEDDED, EMBEDDED_LICENCES };
