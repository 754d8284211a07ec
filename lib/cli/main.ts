/**
 * The `segments-cloud-constructs` executable (the package's `bin`). The build bundles this file
 * with the root modules it uses into dist/cli.js, behind a `#!/usr/bin/env node` line.
 */
import { readFileSync } from 'node:fs';
import { runCli } from './run';

const result = runCli(process.argv.slice(2), {
  readText: (file) => readFileSync(file === '-' ? 0 : file, 'utf8'),
});
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
