/**
 * A refusal of the CDK for Terraform constructs reads as one sentence, like the AWS side's: the
 * construct's path and every problem, with no stack frames. `cdktf synth` prints the app's whole
 * error output, so frames here would be a ten-line trace into this library under the sentence
 * (scripts/check-package.sh runs `cdktf synth` on a refused app and checks what it prints).
 */
import { TerraformStack, Testing } from 'cdktf';
import { SegmentsAzureAccess, SegmentsAzureStorageAccount } from '../lib/azure';
import { SegmentsGcsAccess, SegmentsGcsBucket } from '../lib/gcp';

const constructs: Record<string, (stack: TerraformStack) => void> = {
  SegmentsGcsBucket: (stack) => new SegmentsGcsBucket(stack, 'Data', { name: 'Bad_Name', location: 'EU' }),
  SegmentsGcsAccess: (stack) => new SegmentsGcsAccess(stack, 'Data', { bucketName: 'Bad_Name' } as never),
  SegmentsAzureStorageAccount: (stack) => new SegmentsAzureStorageAccount(stack, 'Data', { name: 'Bad_Name', resourceGroupName: 'rg', location: 'westeurope' } as never),
  SegmentsAzureAccess: (stack) => new SegmentsAzureAccess(stack, 'Data', { storageAccountId: 'not-an-id' } as never),
};

describe.each(Object.entries(constructs))('%s refuses with the sentence alone', (name, build) => {
  let error: Error;
  beforeAll(() => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    try {
      build(stack);
    } catch (e) {
      error = e as Error;
    }
  });

  it('throws the construct path and its problems', () => {
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(new RegExp(`^stack/Data: ${name} refused its input:\\n {2}- `));
  });

  it('carries no stack frame, so Node prints the sentence and nothing under it', () => {
    expect(error.stack).toBe(`Error: ${error.message}`);
    expect(error.stack).not.toMatch(/\n\s+at /);
  });
});
