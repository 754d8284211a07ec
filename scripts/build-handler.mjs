// Builds the Lambda handlers into one CommonJS file each, index.js, in the directory the construct
// looks for (lib/aws/private/built-handler.ts):
//  - SegmentsImportedBucketAccess's (lib/aws/segments-imported-bucket-access/handler/index.ts);
//  - SegmentsAccessMonitor's (lib/aws/segments-access-monitor/handler/index.ts), which runs the
//    checks of `segments-cloud verify aws` from the CLI's source (cli/src/verify/aws/): a build-time
//    edge only, the constructs' entries never import cli/ (test/architecture.test.ts). The CLI's
//    `segments-cloud-constructs` import resolves to lib/index.ts here, as in cli/scripts/bundle.js.
// Written:
//  - from a clone (cdk.json's app runs it before bin/aws-app.ts, in well under a second and silently; jest's
//    global setup runs it too; no `prepare` script, which npm 11 would flag in every consumer): the gitignored
//    lib/aws/<construct folder>/handler/dist/;
//  - in the package (scripts/build.mjs): dist/lib/aws/<construct folder>/handler/.
// The AWS SDK v3 clients are left out: the Lambda Node.js runtime provides them. The monitor bundles
// everything else, @aws-sdk/s3-request-presigner included (with the @smithy packages it needs, about
// 400 KB): Lambda publishes no list of the SDK packages its runtime holds beyond the clients (the
// version mapping was removed from its docs, aws/aws-sdk-js-v3#6159), a helper package such as
// @smithy/node-http-handler was found missing from it (aws/aws-sdk-js-v3#6169), and AWS calls the
// bundled SDK a convenience for simple functions.
// Nothing of aws-cdk-lib may end up in a bundle (test/aws/*handler*.test.ts check).
// Usage: node scripts/build-handler.mjs [imported-bucket-access-out-dir [monitor-out-dir]]
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HANDLER_SOURCE = path.join(root, 'lib/aws/segments-imported-bucket-access/handler/index.ts');
export const SOURCE_LAYOUT_OUT_DIR = path.join(root, 'lib/aws/segments-imported-bucket-access/handler/dist');
export const MONITOR_HANDLER_SOURCE = path.join(root, 'lib/aws/segments-access-monitor/handler/index.ts');
export const MONITOR_SOURCE_LAYOUT_OUT_DIR = path.join(root, 'lib/aws/segments-access-monitor/handler/dist');
/** What the monitor's bundle leaves to the Lambda runtime (the SDK clients). */
export const MONITOR_EXTERNALS = ['@aws-sdk/client-*'];

const common = {
  absWorkingDir: root, // the paths in the bundle's comments, hence its hash, do not depend on the caller's directory
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  legalComments: 'none',
  logLevel: 'warning',
};

/** The esbuild options that write SegmentsImportedBucketAccess's `<outDir>/index.js` (the licence check builds with them too). */
export function handlerOptions(outDir = SOURCE_LAYOUT_OUT_DIR) {
  return { ...common, entryPoints: [HANDLER_SOURCE], outfile: path.join(outDir, 'index.js'), external: ['@aws-sdk/*'] };
}

/** The esbuild options that write SegmentsAccessMonitor's `<outDir>/index.js`. */
export function monitorHandlerOptions(outDir = MONITOR_SOURCE_LAYOUT_OUT_DIR) {
  return {
    ...common,
    entryPoints: [MONITOR_HANDLER_SOURCE],
    outfile: path.join(outDir, 'index.js'),
    external: MONITOR_EXTERNALS,
    alias: { 'segments-cloud-constructs': path.join(root, 'lib', 'index.ts') },
  };
}

/** Writes SegmentsImportedBucketAccess's `<outDir>/index.js`; returns esbuild's metafile (what it bundled). */
export async function buildHandler(outDir = SOURCE_LAYOUT_OUT_DIR) {
  return (await esbuild.build({ ...handlerOptions(outDir), metafile: true })).metafile;
}

/** Writes SegmentsAccessMonitor's `<outDir>/index.js`; returns esbuild's metafile. */
export async function buildMonitorHandler(outDir = MONITOR_SOURCE_LAYOUT_OUT_DIR) {
  return (await esbuild.build({ ...monitorHandlerOptions(outDir), metafile: true })).metafile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildHandler(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  await buildMonitorHandler(process.argv[3] ? path.resolve(process.argv[3]) : undefined);
}
