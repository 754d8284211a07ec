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
//    still has no runtime dependency;
//  - THIRD-PARTY-NOTICES (gitignored, in the tarball): every package those three bundle, with its licence text,
//    from esbuild's metafiles (scripts/third-party-notices.mjs lists the three builds).
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { buildAws } from './build-aws.mjs';
import { constructsBundles, constructsNotices, NOTICES_FILE, PUBLIC_SUFFIX_LIST, PUBLIC_SUFFIX_LIST_OUT } from './third-party-notices.mjs';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
rmSync(NOTICES_FILE, { force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

/**
 * Every package stays external, but the Public Suffix List's data (tldts's trie, a development
 * dependency), which becomes a require of dist/lib/public-suffix-list.js (scripts/third-party-notices.mjs).
 */
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
// The Public Suffix List and the two Lambda handlers, then the licence texts of what they bundle.
const metafiles = [];
for (const { options } of constructsBundles('dist/lib')) {
  metafiles.push((await esbuild.build({ ...options, metafile: true })).metafile);
}
writeFileSync(NOTICES_FILE, constructsNotices(metafiles));
// Every entry point ships its JavaScript and its declarations, the package its notices: a build that lost either (as one
// that skipped tsc once did, hidden by the stale files of an earlier build) fails here, not in a consumer.
const { existsSync } = await import('node:fs');
const missing = [...Object.keys(ENTRIES).flatMap((name) => [`dist/lib/${name}.js`, `dist/lib/${name}.d.ts`]), NOTICES_FILE].filter((file) => !existsSync(file));
if (missing.length > 0) {
  throw new Error(`the build is missing ${missing.join(', ')}`);
}
