// Builds the published package into dist/lib:
//  - tsc writes the type declarations (one .d.ts per source file, as the source is laid out);
//  - esbuild writes one CommonJS file per entry point ('.', './aws', './gcp', './azure'; './aws' has two
//    more, its constructs that load on first use: scripts/build-aws.mjs), with every
//    package (aws-cdk-lib, constructs, cdktf, the Google, azurerm and azuread providers, whose deep
//    paths stay deep paths) left external. One file per subpath loads about 10 ms faster than a
//    dozen small ones (see README, Performance);
//  - esbuild writes the Public Suffix List's data (from tldts, a development dependency) once, to
//    dist/lib/public-suffix-list.js, so the package keeps zero runtime dependencies;
//  - scripts/build-handler.mjs writes the Lambda handlers of SegmentsImportedBucketAccess and
//    SegmentsAccessMonitor, which ship as built files next to the bundle of './aws' (where the
//    constructs look for them); the monitor's bundles the CLI's verify aws checks, so the package
//    still has no runtime dependency.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { buildAws } from './build-aws.mjs';
import { buildHandler, buildMonitorHandler } from './build-handler.mjs';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

/**
 * The Public Suffix List's data (tldts's trie, a development dependency) ships once, as
 * dist/lib/public-suffix-list.js, which each entry point requires on the first wildcard origin it
 * checks: bundled into each entry it would be parsed at every load (about 148 KB, +10-20 ms).
 * Every other package stays external.
 */
const PUBLIC_SUFFIX_LIST = 'tldts/dist/cjs/src/data/trie.js';
const PUBLIC_SUFFIX_LIST_OUT = 'dist/lib/public-suffix-list.js';
function externalPackages(outfile) {
  const relative = path.relative(path.dirname(outfile), PUBLIC_SUFFIX_LIST_OUT).split(path.sep).join('/');
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => ({
        path: args.path === PUBLIC_SUFFIX_LIST ? (relative.startsWith('.') ? relative : `./${relative}`) : args.path,
        external: true,
      }));
    },
  };
}
await esbuild.build({
  entryPoints: [require.resolve(PUBLIC_SUFFIX_LIST)],
  outfile: PUBLIC_SUFFIX_LIST_OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  minify: true,
  banner: { js: '/*! The Public Suffix List (https://publicsuffix.org/list/, Mozilla Public License 2.0), as tldts ' +
    `${require('tldts/package.json').version} (https://github.com/remusao/tldts, MIT License) packs it. */` },
  logLevel: 'warning',
});
const ENTRIES = { index: 'lib/index.ts', 'aws/index': 'lib/aws/index.ts', 'gcp/index': 'lib/gcp/index.ts', 'azure/index': 'lib/azure/index.ts' };
for (const [name, entry] of Object.entries(ENTRIES)) {
  const outfile = `dist/lib/${name}.js`;
  if (name === 'aws/index') {
    // '/aws' is index.js plus a file per construct an app may not use, loaded on first use (scripts/build-aws.mjs).
    await buildAws(path.dirname(outfile), { target: 'node22', logLevel: 'warning' }, (file) => [externalPackages(file)]);
    continue;
  }
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    plugins: [externalPackages(outfile)],
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    logLevel: 'warning',
  });
}
await buildHandler('dist/lib/aws/segments-imported-bucket-access/handler');
await buildMonitorHandler('dist/lib/aws/segments-access-monitor/handler');
// Every entry point ships its JavaScript and its declarations: a build that lost either (as one
// that skipped tsc once did, hidden by the stale files of an earlier build) fails here, not in a consumer.
const { existsSync } = await import('node:fs');
const missing = Object.keys(ENTRIES).flatMap((name) => [`dist/lib/${name}.js`, `dist/lib/${name}.d.ts`]).filter((file) => !existsSync(file));
if (missing.length > 0) {
  throw new Error(`the build is missing ${missing.join(', ')}`);
}
