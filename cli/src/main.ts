/**
 * The `segments-cloud` executable (the package's `bin`). cli/scripts/build.mjs bundles this file
 * with the constructs package's root entry into cli/dist/cli.js, behind a `#!/usr/bin/env node` line.
 */
import { readFileSync } from 'node:fs';
import { decodeUtf8Strictly } from './json-input';
import { runCli } from './run';

void runCli(process.argv.slice(2), {
  readText: (file) => decodeUtf8Strictly(readFileSync(file === '-' ? 0 : file), file),
  style: { color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined, width: process.stdout.columns },
}).then((result) => {
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
});
