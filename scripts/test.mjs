#!/usr/bin/env node
// `npm test`: the type-check (tsc --noEmit) beside jest --ci, not before it. jest runs one worker per
// core but one, so on a 2-core machine tsc (about 40 s of one core) uses the core jest leaves free
// instead of adding its time. tsc's output is held and printed after jest's, so the two do not mix.
// Arguments go to jest (`npm test -- test/iam`). Exits non-zero when either fails.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tscBin = require.resolve('typescript/bin/tsc');
const jestBin = require.resolve('jest/bin/jest');

function run(args, capture) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (capture) {
      child.stdout.on('data', (chunk) => { output += chunk; });
      child.stderr.on('data', (chunk) => { output += chunk; });
    }
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const typecheck = run([tscBin, '--noEmit', '-p', 'tsconfig.json'], true);
const jest = await run([jestBin, '--ci', ...process.argv.slice(2)], false);
const tsc = await typecheck;
process.stdout.write(tsc.output);
console.log(tsc.code === 0 ? 'typecheck (tsc --noEmit): ok' : `FAIL: typecheck (tsc --noEmit) exited ${tsc.code}`);
if (jest.code !== 0) console.log(`FAIL: jest --ci exited ${jest.code}`);
process.exit(tsc.code !== 0 || jest.code !== 0 ? 1 : 0);
