// How the `segments-cloud` executable is bundled, shared by cli/scripts/build.mjs and the tests
// (which bundle the same way into a temp dir). One esbuild build writes CommonJS files side by side:
//  - cli.js, the executable: the commands, `verify`'s flags and help, and the constructs package's
//    ROOT ENTRY (`segments-cloud-constructs`: the vendor facts, the input checks, the merge and
//    inspection functions), bundled from source: that package is not on the registry, and the CLI
//    must run from its tarball alone (`npx -p ./segments-cloud-cli-*.tgz`). No SDK is in it, so the
//    JSON commands (aws-policy, aws-cors, gcs-cors) and every `--help` parse only this file;
//  - one chunk per cloud, verify-aws.js, verify-gcs.js and verify-azure.js: `verify <cloud>`'s run
//    (cli/src/verify/<cloud>/run.ts) with that cloud's SDK clients bundled in. Each cloud's index.ts
//    requires its ./run at run time only (a `require` inside `run`, not an import), and that require
//    becomes `require("./verify-<cloud>.js")`: a chunk is read only by its own `verify <cloud>`;
//  - public-suffix-list.js, the Public Suffix List (tldts's data, about 150 KB), required on the
//    first wildcard origin checked, as the constructs package ships it.
// Every package is bundled: the published package has no runtime dependency, apart from PENDING_EXTERNALS.
// A chunk is self-contained: the few modules it shares with cli.js (report.ts, parts of the root
// entry) are copied into it. Nothing crosses between them but plain data (the report), so no
// `instanceof` or module state depends on which copy made it.
const { builtinModules } = require('node:module');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/** The clouds of `verify`, each bundled with its SDKs into its own chunk. */
const CLOUDS = ['aws', 'gcs', 'azure'];

/** The Public Suffix List's data, as lib/checks/public-suffixes.ts requires it. */
const PUBLIC_SUFFIX_LIST = 'tldts/dist/cjs/src/data/trie.js';

/** Packages left outside the bundle: none (the policy evaluator is the constructs' own lib/iam/). Kept as a list so a build that must leave one out says so here, and the tests see it. */
const PENDING_EXTERNALS = [];

/**
 * Optional packages that bundled code requires inside a try/catch and does without: esbuild leaves
 * such a require as it is when the package is not installed. `encoding`: node-fetch (under
 * google-auth-library) converts non-UTF-8 bodies with it when present.
 */
const OPTIONAL_MISSING = ['encoding'];

/** The name of each output besides the executable, by the source it is built from. */
function chunkEntries() {
  const entries = {};
  for (const cloud of CLOUDS) entries[`verify-${cloud}`] = path.join(ROOT, 'cli', 'src', 'verify', cloud, 'run.ts');
  entries['public-suffix-list'] = require.resolve(PUBLIC_SUFFIX_LIST, { paths: [ROOT] });
  return entries;
}

/** Turns the lazy requires of a chunk's source into requires of the chunk, next to the requirer. */
function chunkRequires() {
  const runOf = new Map(CLOUDS.map((cloud) => [path.join(ROOT, 'cli', 'src', 'verify', cloud, 'index.ts'), `./verify-${cloud}.js`]));
  return {
    name: 'segments-cloud-chunks',
    setup(build) {
      build.onResolve({ filter: /^\.\/run$/ }, (args) => (runOf.has(args.importer) ? { path: runOf.get(args.importer), external: true } : undefined));
      build.onResolve({ filter: /^tldts\/dist\/cjs\/src\/data\/trie\.js$/ }, (args) =>
        args.kind === 'entry-point' ? undefined : { path: './public-suffix-list.js', external: true });
    },
  };
}

/**
 * The esbuild options that write the executable to `outfile` (a `.js` file) and its chunks next to it.
 * `metafile: true` is set: build.mjs reads it for THIRD-PARTY-NOTICES, the tests for what each file holds.
 */
function bundleOptions(outfile) {
  const main = path.basename(outfile, '.js');
  return {
    entryPoints: { [main]: path.join(ROOT, 'cli', 'src', 'main.ts'), ...chunkEntries() },
    outdir: path.dirname(outfile),
    absWorkingDir: ROOT, // the metafile's paths are relative to the repository, wherever the build runs
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // A package's ES module build before its CommonJS one (esbuild's default on node is the reverse):
    // only ES modules are tree-shaken, and the AWS clients' CommonJS builds hold every command of
    // S3 and KMS (verify-aws.js: 1.19 MB with them, 0.84 MB without; about 100 ms less to load).
    mainFields: ['module', 'main'],
    // Whitespace and syntax only: identifiers keep their names, so a stack trace stays readable.
    minifyWhitespace: true,
    minifySyntax: true,
    // `import()` becomes `require()`: the SDK's HTTP handler loads `node:http` with `await import(...)` before its
    // first plain-http request, which started Node's ES module loader and, through its facade of `node:http`, Node's
    // fetch (undici): 70 M instructions of `verify aws`'s start against an http endpoint (bench/RESULTS.md).
    // Every module the bundle imports is Node's own or inside it, so require is the same module.
    supported: { 'dynamic-import': false },
    // The licences go to THIRD-PARTY-NOTICES, whole, instead of comment fragments in the code.
    legalComments: 'none',
    alias: { 'segments-cloud-constructs': path.join(ROOT, 'lib', 'index.ts') },
    external: PENDING_EXTERNALS,
    plugins: [chunkRequires()],
    // Every output gets it (esbuild's banner is per file); in a chunk, which is required, never run, Node skips it.
    banner: { js: '#!/usr/bin/env node' },
    metafile: true,
    logLevel: 'warning',
  };
}

/** Whether a required module is Node's own (`node:fs`, `fs`, `fs/promises`). */
function isBuiltin(specifier) {
  return specifier.startsWith('node:') || builtinModules.includes(specifier) || builtinModules.includes(specifier.split('/')[0]);
}

/**
 * The packages the bundle's files require but do not hold (from esbuild's metafile): anything but
 * Node's own modules, the chunks themselves, PENDING_EXTERNALS and OPTIONAL_MISSING. Must be none.
 */
function unbundledPackages(metafile) {
  const required = new Set(Object.values(metafile.outputs).flatMap((output) => output.imports)
    .filter((i) => i.external && !i.path.startsWith('./'))
    .map((i) => i.path));
  return [...required].filter((p) => !isBuiltin(p) && !PENDING_EXTERNALS.includes(p) && !OPTIONAL_MISSING.includes(p)).sort();
}

module.exports = { bundleOptions, CLOUDS, OPTIONAL_MISSING, PENDING_EXTERNALS, PUBLIC_SUFFIX_LIST, isBuiltin, unbundledPackages };
