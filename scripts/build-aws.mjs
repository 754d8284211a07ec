// Builds the JavaScript of `segments-cloud-constructs/aws` as three CommonJS files in one folder, so
// that an app loads the code of what it uses (README, Performance; test/aws/load-cost.test.ts):
//
//  - index.js, the entry: everything lib/aws/index.ts exports but the constructs below, whose
//    exports are getters that require their file on first read (as aws-cdk-lib's own index does
//    for its submodules). Node's ES module loader reads every named export of a CommonJS file when
//    an ES module imports it, so an ES module app loads the lazy files too (as it loads every
//    submodule of aws-cdk-lib); a CommonJS app (the CDK's default) loads what it reads;
//  - imported-bucket-access.js (SegmentsImportedBucketAccess and its handler's asset logic) and
//    access-monitor.js (SegmentsAccessMonitor), each loaded on first use.
//
// One copy of every module: a module the entry holds (the private symbols, the once-per-app checks'
// WeakMaps, the classes `instanceof` compares) is not bundled again into a lazy file; the lazy file
// takes it from the entry, through a registry the entry keeps under a non-enumerable symbol key.
// A module two lazy files use and the entry does not goes into that registry too (loaded on first
// read). Each lazy file's own modules are its alone; `buildAws` checks that no input is in two files.
//
// lib/aws/index.ts stays the source of the declarations (tsc writes index.d.ts from it, unchanged for
// users) and of what jest and tsx load from a clone.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** The constructs loaded on first use: the module lib/aws/index.ts re-exports, and its file next to index.js. */
export const LAZY_AWS = [
  { entry: 'lib/aws/segments-imported-bucket-access/index.ts', file: 'imported-bucket-access.js' },
  { entry: 'lib/aws/segments-access-monitor/index.ts', file: 'access-monitor.js' },
];
/** The key of the registry of shared modules on index.js's exports (a lazy file reads it; not enumerable). */
export const SHARED_KEY = 'segments-cloud-constructs/aws:shared-modules';
const INDEX = 'lib/aws/index.ts';

const inputKey = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');

/** lib/aws/index.ts without its `export * from` lines of the lazy constructs. */
function eagerIndexSource() {
  let source = readFileSync(INDEX, 'utf8');
  for (const { entry } of LAZY_AWS) {
    const line = `export * from './${path.relative(path.dirname(INDEX), path.dirname(entry)).split(path.sep).join('/')}';\n`;
    if (!source.includes(line)) {
      throw new Error(`${INDEX} has no line ${line.trim()}: update LAZY_AWS in scripts/build-aws.mjs`);
    }
    source = source.replace(line, '');
  }
  return source;
}

/** Imports of a lazy construct's module from anywhere else become a require of its file (at the place of the require). */
function lazyConstructs(ownEntry) {
  return {
    name: 'lazy-aws-constructs',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind === 'entry-point' || args.namespace !== 'file') {
          return undefined;
        }
        const target = path.resolve(args.resolveDir, args.path);
        const lazy = LAZY_AWS.find(({ entry }) => entry !== ownEntry && [entry, entry.replace(/\.ts$/, ''), path.dirname(entry)].some((form) => path.resolve(form) === target));
        return lazy === undefined ? undefined : { path: `./${lazy.file}`, external: true };
      });
    },
  };
}

/** In a lazy file: a module of the registry becomes a read of index.js's registry. */
function sharedModules(shared) {
  return {
    name: 'shared-aws-modules',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind === 'entry-point' || args.namespace !== 'file' || args.pluginData === 'shared-aws-modules') {
          return undefined;
        }
        const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'shared-aws-modules' });
        if (resolved.errors.length > 0 || resolved.external || !shared.includes(inputKey(resolved.path))) {
          return undefined;
        }
        return { path: inputKey(resolved.path), namespace: 'shared-aws-module' };
      });
      build.onResolve({ filter: /^\.\/index\.js$/, namespace: 'shared-aws-module' }, () => ({ path: './index.js', external: true }));
      build.onLoad({ filter: /.*/, namespace: 'shared-aws-module' }, (args) => ({
        contents: `module.exports = require('./index.js')[Symbol.for(${JSON.stringify(SHARED_KEY)})][${JSON.stringify(args.path)}];\n`,
        loader: 'js',
      }));
    },
  };
}

/** The eager part of index.js, as a module the generated entry requires. */
function eagerIndex() {
  return {
    name: 'eager-aws-index',
    setup(build) {
      build.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) => (LAZY_AWS.some(({ file }) => args.path === `./${file}`) ? { path: args.path, external: true } : undefined));
      build.onResolve({ filter: /^eager-aws-index$/ }, () => ({ path: path.resolve(INDEX), namespace: 'eager-aws-index' }));
      build.onLoad({ filter: /.*/, namespace: 'eager-aws-index' }, () => ({ contents: eagerIndexSource(), loader: 'ts', resolveDir: path.resolve(path.dirname(INDEX)) }));
    },
  };
}

/** The local inputs (with what each imports) and export names of one file's bundle, from an ES module build that writes nothing. */
async function analyse(options) {
  const result = await esbuild.build({ ...options, format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  const [output] = Object.values(result.metafile.outputs);
  const local = Object.entries(result.metafile.inputs).filter(([key]) => key.startsWith('lib/'));
  const imports = Object.fromEntries(local.map(([key, input]) => [key, input.imports.filter((edge) => !edge.external).map((edge) => edge.path)]));
  return { inputs: local.map(([key]) => key), imports, exports: output.exports };
}

/**
 * Writes `<outdir>/index.js` and the lazy files. `base` holds the options every entry shares
 * (platform, target, ...); `plugins(outfile)` the plugins that keep packages external. Returns each
 * file's local inputs (the test reads them to prove no module is bundled twice).
 */
export async function buildAws(outdir, base, plugins) {
  const index = path.join(outdir, 'index.js');
  const common = (outfile) => ({ ...base, bundle: true, platform: 'node', outfile });
  const eager = await analyse({ ...common(index), stdin: { contents: "export * from 'eager-aws-index';", resolveDir: process.cwd(), sourcefile: 'aws-index.js' },
    plugins: [eagerIndex(), lazyConstructs(undefined), ...plugins(index)] });
  const lazies = await Promise.all(LAZY_AWS.map(async (lazy) => ({
    ...lazy, ...(await analyse({ ...common(path.join(outdir, lazy.file)), entryPoints: [lazy.entry], plugins: [lazyConstructs(lazy.entry), ...plugins(path.join(outdir, lazy.file))] })),
  })));
  // A lazy file's own modules are those neither the entry nor another lazy file uses; what its own modules import
  // besides those is shared: read from the entry's registry (and bundled there, with all it imports, once).
  const own = (lazy) => lazy.inputs.filter((input) => !eager.inputs.includes(input) && !lazies.some((other) => other !== lazy && other.inputs.includes(input)));
  const shared = [...new Set(lazies.flatMap((lazy) => own(lazy).flatMap((input) => lazy.imports[input].filter((target) => !own(lazy).includes(target)))))].sort();
  const names = [...eager.exports.map((name) => ({ name, from: 'eager' })), ...lazies.flatMap((lazy) => lazy.exports.map((name) => ({ name, from: lazy.file })))];
  const twice = names.filter(({ name }, i) => names.findIndex((other) => other.name === name) !== i);
  if (twice.length > 0) {
    throw new Error(`/aws would export ${twice.map(({ name }) => name).join(', ')} twice`);
  }
  // Every export is a getter of the form `return <identifier>.<name>`, the one Node's ES module loader (cjs-module-lexer) takes
  // as a named export: it drops a name whose getter has any other body (`return require(...).name`), even if listed elsewhere.
  // So the getters of a lazy file's exports read an object whose own getters require the file.
  const holder = (from) => (from === 'eager' ? 'eager' : `lazy_${LAZY_AWS.findIndex(({ file }) => file === from)}`);
  const getter = ({ name, from }) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: function () { return ${holder(from)}.${name}; } });`;
  const entry = [
    "'use strict';",
    "Object.defineProperty(exports, '__esModule', { value: true });",
    "var eager = require('eager-aws-index');",
    'function lazyFile(load, names) {',
    '  var holder = {};',
    '  names.forEach(function (name) { Object.defineProperty(holder, name, { get: function () { return load()[name]; } }); });',
    '  return holder;',
    '}',
    ...LAZY_AWS.map(({ file }, i) => `var lazy_${i} = lazyFile(function () { return require(${JSON.stringify(`./${file}`)}); }, ${JSON.stringify(lazies[i].exports)});`),
    ...names.map(getter),
    'var shared = {};',
    ...shared.map((key) => `Object.defineProperty(shared, ${JSON.stringify(key)}, { get: function () { return require(${JSON.stringify(`./${key}`)}); } });`),
    `Object.defineProperty(exports, Symbol.for(${JSON.stringify(SHARED_KEY)}), { value: shared });`,
  ].join('\n');
  const built = {};
  const core = await esbuild.build({ ...common(index), format: 'cjs', metafile: true, stdin: { contents: entry, resolveDir: process.cwd(), sourcefile: 'aws-index.js', loader: 'js' },
    // Node's ES module loader finds a CommonJS file's export names by this pattern (cjs-module-lexer), as it does in esbuild's own output.
    footer: { js: `0 && (module.exports = { ${names.map(({ name }) => name).join(', ')} });` },
    plugins: [eagerIndex(), lazyConstructs(undefined), ...plugins(index)] });
  built['index.js'] = Object.keys(core.metafile.inputs).filter((key) => key.startsWith('lib/'));
  for (const lazy of lazies) {
    const outfile = path.join(outdir, lazy.file);
    const result = await esbuild.build({ ...common(outfile), format: 'cjs', metafile: true, entryPoints: [lazy.entry],
      plugins: [lazyConstructs(lazy.entry), sharedModules(shared), ...plugins(outfile)] });
    built[lazy.file] = Object.keys(result.metafile.inputs).filter((key) => key.startsWith('lib/'));
  }
  const files = Object.keys(built);
  const inTwo = files.flatMap((file) => built[file].filter((input) => files.some((other) => other < file && built[other].includes(input))));
  if (inTwo.length > 0) {
    throw new Error(`/aws would bundle ${[...new Set(inTwo)].join(', ')} in more than one file: one copy of each module`);
  }
  return built;
}
