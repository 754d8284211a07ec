// What segments-cloud-constructs bundles of other packages' code, and its THIRD-PARTY-NOTICES (Apache-2.0
// and MIT require their licence text to travel with the code). One list, constructsBundles(), for
//  - scripts/build.mjs, which builds each of them and writes THIRD-PARTY-NOTICES from the builds' metafiles;
//  - scripts/check-licences.mjs, which judges every package they bundle.
// What is bundled (every entry point of the package leaves every package external: a consumer installs
// aws-cdk-lib, constructs, cdktf and the providers itself):
//  - dist/lib/public-suffix-list.js: the Public Suffix List (Mozilla Public License 2.0) as tldts (MIT) packs it;
//  - the Lambda handlers (scripts/build-handler.mjs): SegmentsImportedBucketAccess's (the same list, inside it)
//    and SegmentsAccessMonitor's (verify aws's checks, with @aws-sdk/s3-request-presigner and the
//    @aws-sdk/@smithy modules it needs; the SDK clients are the Lambda runtime's).
// The file's text is cli/scripts/bundled-packages.js's, as for the CLI's own THIRD-PARTY-NOTICES.
//
// Usage: node scripts/third-party-notices.mjs [outfile]   (builds in memory and writes only the notices,
//        to THIRD-PARTY-NOTICES by default; the tests and a reader use it)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { handlerOptions, monitorHandlerOptions } from './build-handler.mjs';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { bundledPackages, thirdPartyNotices } = require('../cli/scripts/bundled-packages.js');

/** The file, at the package's root (package.json `files`). */
export const NOTICES_FILE = 'THIRD-PARTY-NOTICES';
/** The Public Suffix List's data, as lib/checks/public-suffixes.ts requires it, and where the package ships it. */
export const PUBLIC_SUFFIX_LIST = 'tldts/dist/cjs/src/data/trie.js';
export const PUBLIC_SUFFIX_LIST_OUT = 'dist/lib/public-suffix-list.js';

/**
 * The builds that bundle other packages' code, as [{ what, options }] (esbuild options; paths under
 * `distLib`, the package's dist/lib). The Public Suffix List ships once, as its own file, which each
 * entry point requires on the first wildcard origin it checks: bundled into each entry it would be
 * parsed at every load (about 148 KB, +10-20 ms).
 */
export function constructsBundles(distLib = 'dist/lib') {
  return [
    {
      what: 'the Public Suffix List (dist/lib/public-suffix-list.js)',
      options: {
        absWorkingDir: root,
        entryPoints: [require.resolve(PUBLIC_SUFFIX_LIST, { paths: [root] })],
        outfile: path.join(distLib, path.basename(PUBLIC_SUFFIX_LIST_OUT)),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node22',
        minify: true,
        banner: { js: '/*! The Public Suffix List (https://publicsuffix.org/list/, Mozilla Public License 2.0), as tldts ' +
          `${require(require.resolve('tldts/package.json', { paths: [root] })).version} (https://github.com/remusao/tldts, MIT License) packs it. */` },
        logLevel: 'warning',
      },
    },
    { what: 'SegmentsImportedBucketAccess\'s Lambda handler', options: handlerOptions(path.join(distLib, 'aws/segments-imported-bucket-access/handler')) },
    { what: 'SegmentsAccessMonitor\'s Lambda handler', options: monitorHandlerOptions(path.join(distLib, 'aws/segments-access-monitor/handler')) },
  ];
}

/** The packages the builds' metafiles hold, each once (absWorkingDir: the repository). */
export function constructsPackages(metafiles) {
  return bundledPackages(metafiles, root);
}

/** THIRD-PARTY-NOTICES's text for the builds' metafiles. */
export function constructsNotices(metafiles) {
  return thirdPartyNotices(constructsPackages(metafiles), {
    product: 'segments-cloud-constructs',
    apacheText: readFileSync(path.join(root, 'LICENSE'), 'utf8'),
  });
}

/** The metafiles of every build, built in memory (nothing written). */
export async function constructsMetafiles() {
  return Promise.all(constructsBundles().map(async ({ options }) =>
    (await esbuild.build({ ...options, write: false, metafile: true, logLevel: 'silent' })).metafile));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outfile = path.resolve(process.argv[2] ?? path.join(root, NOTICES_FILE));
  const metafiles = await constructsMetafiles();
  writeFileSync(outfile, constructsNotices(metafiles));
  console.log(`${path.relative(process.cwd(), outfile) || outfile}: ${constructsPackages(metafiles).length} packages`);
}
