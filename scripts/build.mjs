// Builds the published package into dist/lib:
//  - tsc writes the type declarations (one .d.ts per source file, as the source is laid out);
//  - esbuild writes one CommonJS file per entry point ('.', './aws', './gcp', './azure'), with every
//    package (aws-cdk-lib, constructs, cdktf, the Google, azurerm and azuread providers, whose deep
//    paths stay deep paths) left external. One file per subpath loads about 10 ms faster than a
//    dozen small ones (see README, Performance);
//  - scripts/build-handler.mjs writes the Lambda handler of SegmentsImportedBucketAccess, which
//    ships as a built file next to the bundle of './aws' (where the construct looks for it).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { buildHandler } from './build-handler.mjs';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
await esbuild.build({
  entryPoints: { index: 'lib/index.ts', 'aws/index': 'lib/aws/index.ts', 'gcp/index': 'lib/gcp/index.ts', 'azure/index': 'lib/azure/index.ts' },
  outdir: 'dist/lib',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
await buildHandler('dist/lib/aws/segments-imported-bucket-access/handler');
