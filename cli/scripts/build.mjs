// Builds the published CLI package: cli/dist/cli.js (the `segments-cloud` executable, mode 755; see
// bundle.js for what is bundled and what stays a dependency) and cli/LICENSE, a copy of the
// repository's (both gitignored).
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const { bundleOptions } = require('./bundle.js');
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
rmSync(path.join(cli, 'dist'), { recursive: true, force: true });
const outfile = path.join(cli, 'dist', 'cli.js');
await esbuild.build(bundleOptions(outfile));
chmodSync(outfile, 0o755);
copyFileSync(path.join(cli, '..', 'LICENSE'), path.join(cli, 'LICENSE'));
