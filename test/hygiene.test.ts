import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Testing } from 'cdktf';
import { RUN_TMPDIR_VARIABLE } from './helpers/global-setup';
import { STRAY_OUTPUT_GUARD, takeStrayOutput } from './helpers/stray-output';

describe('the tests leave nothing behind', () => {
  const runDir = process.env[RUN_TMPDIR_VARIABLE];

  it('run with a temp dir of their own, which global teardown removes', () => {
    expect(runDir).toMatch(/segments-cloud-constructs-tests-/);
    expect(os.tmpdir()).toBe(runDir);
  });

  it("write aws-cdk-lib's cdk.out* dirs there", () => {
    const app = new App({ builtinCloudFormationValidation: false });
    new Stack(app, 'Empty');
    const outdir = app.synth().directory;
    expect(path.relative(runDir!, outdir)).toMatch(/^cdk\.out[^/]+$/);
  });

  it("write cdktf's outdirs there", () => {
    expect(path.relative(runDir!, Testing.app().outdir)).toMatch(/^cdktf\.outdir\.[^/]+$/);
  });
});

describe('the test log holds no stray output', () => {
  it('guards every console method', () => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      expect((console[method] as unknown as Record<symbol, unknown>)[STRAY_OUTPUT_GUARD]).toBe(true);
    }
  });

  it('records what a test prints, so the test fails unless it expected it', () => {
    console.error('an expected message');
    expect(takeStrayOutput()).toEqual(['console.error: an expected message']);
  });
});
