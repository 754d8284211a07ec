// Builds the published CLI package (see bundle.js for what goes into which file):
//  - cli/dist/cli.js, the `segments-cloud` executable (mode 755), and its chunks verify-aws.js,
//    verify-gcs.js, verify-azure.js and public-suffix-list.js;
//  - cli/THIRD-PARTY-NOTICES: every bundled package with its licence text, from esbuild's list of
//    inputs (Apache-2.0 and MIT require the text to travel with the code);
//  - cli/LICENSE, a copy of the repository's.
// All gitignored. The build fails when the bundle requires a package it does not hold (anything
// but Node's own modules and bundle.js's PENDING_EXTERNALS): the package has no runtime dependency.
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const { bundleOptions, unbundledPackages } = require('./bundle.js');
const { bundledPackages, thirdPartyNotices } = require('./bundled-packages.js');
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.join(cli, '..');
rmSync(path.join(cli, 'dist'), { recursive: true, force: true });
const outfile = path.join(cli, 'dist', 'cli.js');
const options = bundleOptions(outfile);
const { metafile } = await esbuild.build(options);

const unexpected = unbundledPackages(metafile);
if (unexpected.length > 0) {
  throw new Error(`the CLI's bundle requires ${unexpected.join(', ')}, which it does not hold: bundle it (cli/scripts/bundle.js)`);
}

chmodSync(outfile, 0o755);
const licence = path.join(root, 'LICENSE');
copyFileSync(licence, path.join(cli, 'LICENSE'));
const packages = bundledPackages(metafile, options.absWorkingDir);
writeFileSync(path.join(cli, 'THIRD-PARTY-NOTICES'),
  thirdPartyNotices(packages, { product: 'segments-cloud-cli', apacheText: readFileSync(licence, 'utf8') }));
