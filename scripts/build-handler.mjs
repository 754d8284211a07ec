// Builds the Lambda handler of SegmentsImportedBucketAccess into one CommonJS file, index.js, in the
// directory the construct looks for (lib/aws/segments-imported-bucket-access/index.ts, handlerDirectory):
//  - from a clone (cdk.json's app runs it before bin/aws-app.ts, in about 0.1 s and silently; jest's
//    global setup runs it too; no `prepare` script, which npm 11 would flag in every consumer): the gitignored
//    lib/aws/segments-imported-bucket-access/handler/dist/;
//  - in the package (scripts/build.mjs): dist/lib/aws/segments-imported-bucket-access/handler/.
// The AWS SDK v3 is left out: the Lambda Node.js runtime provides it. Nothing of aws-cdk-lib may end
// up in the bundle (test/aws/segments-imported-bucket-access-handler.test.ts checks).
// Usage: node scripts/build-handler.mjs [out-dir]
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HANDLER_SOURCE = path.join(root, 'lib/aws/segments-imported-bucket-access/handler/index.ts');
export const SOURCE_LAYOUT_OUT_DIR = path.join(root, 'lib/aws/segments-imported-bucket-access/handler/dist');

/** Writes `<outDir>/index.js`. */
export async function buildHandler(outDir = SOURCE_LAYOUT_OUT_DIR) {
  await esbuild.build({
    entryPoints: [HANDLER_SOURCE],
    absWorkingDir: root, // the paths in the bundle's comments, hence its hash, do not depend on the caller's directory
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    external: ['@aws-sdk/*'],
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildHandler(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
}
