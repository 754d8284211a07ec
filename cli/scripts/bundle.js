// How the `segments-cloud` executable is bundled, shared by cli/scripts/build.mjs and the tests
// (which bundle the same way into a temp dir). esbuild writes one CommonJS file:
//  - the constructs package's ROOT ENTRY (`segments-cloud-constructs`: the vendor facts, the input
//    checks, the merge and inspection functions) is bundled from source: that package is not on the
//    registry, and the CLI must run from its tarball alone (`npx -p ./segments-cloud-cli-<v>.tgz`);
//  - the AWS, Google and Azure SDK clients stay external: they are the package's
//    `dependencies`, and `verify` loads them lazily, so the JSON commands start without them.
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/** The esbuild options that write the executable to `outfile`. */
function bundleOptions(outfile) {
  return {
    entryPoints: [path.join(ROOT, 'cli', 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    alias: { 'segments-cloud-constructs': path.join(ROOT, 'lib', 'index.ts') },
    external: ['@aws-sdk/*', '@google-cloud/*', 'google-auth-library', '@azure/*'],
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  };
}

module.exports = { bundleOptions };
