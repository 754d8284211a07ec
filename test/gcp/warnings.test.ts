import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { SegmentsGcsBucket, SegmentsGcsBucketProps, SegmentsGcsWarnings, acknowledgeGcsWarning } from '../../lib/gcp';
import { newStack, warningsUnder } from './synth';

const NO_ACCESS: SegmentsGcsBucketProps = { name: 'acme-segments-data', location: 'EU' };

describe('a Google warning can be acknowledged by its ID', () => {
  it('warns when nothing is acknowledged', () => {
    const stack = newStack();
    new SegmentsGcsBucket(stack, 'Data', NO_ACCESS);
    Testing.synth(stack);
    expect(warningsUnder(stack)).toEqual([expect.stringMatching(/^\[segments-cloud-constructs:gcs-no-service-account\] /)]);
  });

  it('silences it for the constructs under a stack acknowledged before they are created', () => {
    const stack = newStack();
    acknowledgeGcsWarning(stack, SegmentsGcsWarnings.NO_SERVICE_ACCOUNT);
    new SegmentsGcsBucket(stack, 'Data', NO_ACCESS);
    Testing.synth(stack);
    expect(warningsUnder(stack)).toEqual([]);
  });

  it('silences it for one construct acknowledged after it is created, and only that warning', () => {
    const stack = newStack();
    const acknowledged = new SegmentsGcsBucket(stack, 'Data', { ...NO_ACCESS, forceDestroy: true });
    const other = new SegmentsGcsBucket(stack, 'Other', { ...NO_ACCESS, name: 'acme-segments-other' });
    acknowledgeGcsWarning(acknowledged, SegmentsGcsWarnings.NO_SERVICE_ACCOUNT);
    Testing.synth(stack);
    expect(warningsUnder(acknowledged)).toEqual([expect.stringMatching(/^\[segments-cloud-constructs:gcs-force-destroy\] /)]);
    expect(warningsUnder(other)).toEqual([expect.stringMatching(/^\[segments-cloud-constructs:gcs-no-service-account\] /)]);
  });

  it('warns once however often the stack is synthesized', () => {
    const stack = newStack();
    new SegmentsGcsBucket(stack, 'Data', NO_ACCESS);
    Testing.synth(stack);
    Testing.synth(stack);
    expect(warningsUnder(stack)).toHaveLength(1);
  });

  it('refuses an ID it does not know, such as the bare short id, listing the known ones', () => {
    expect(() => acknowledgeGcsWarning(newStack(), 'gcs-no-service-account'))
      .toThrow(/'gcs-no-service-account' is not a warning ID .*'segments-cloud-constructs:gcs-no-service-account'/);
  });

  it('keeps an acknowledged warning out of the manifest cdktf synth prints from', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-gcs-warnings-'));
    try {
      const app = new App({ outdir, skipValidation: true });
      const loud = new TerraformStack(app, 'loud');
      new SegmentsGcsBucket(loud, 'Data', NO_ACCESS);
      const quiet = new TerraformStack(app, 'quiet');
      new SegmentsGcsBucket(quiet, 'Data', NO_ACCESS);
      acknowledgeGcsWarning(quiet, SegmentsGcsWarnings.NO_SERVICE_ACCOUNT);
      app.synth();
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
      const messages = (stack: string) => manifest.stacks[stack].annotations.map((a: { message: string }) => a.message);
      expect(messages('loud')).toEqual([expect.stringMatching(/^\[segments-cloud-constructs:gcs-no-service-account\] /)]);
      expect(messages('quiet')).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
