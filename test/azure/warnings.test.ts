import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { SegmentsAzureStorageAccount, SegmentsAzureStorageAccountProps, SegmentsAzureWarnings, acknowledgeAzureWarning } from '../../lib/azure';
import { newStack, warningsUnder } from './synth';

const DESTROYABLE: SegmentsAzureStorageAccountProps = {
  name: 'acmesegmentsdata', resourceGroupName: 'acme-labeling', location: 'westeurope', preventDestroy: false,
};

describe('an Azure warning can be acknowledged by its ID', () => {
  it('warns when nothing is acknowledged', () => {
    const stack = newStack();
    new SegmentsAzureStorageAccount(stack, 'Data', DESTROYABLE);
    Testing.synth(stack);
    expect(warningsUnder(stack)).toEqual([expect.stringMatching(/^\[segments-cloud-constructs:azure-destroy-allowed\] /)]);
  });

  it('silences it for the constructs under a stack acknowledged before they are created', () => {
    const stack = newStack();
    acknowledgeAzureWarning(stack, SegmentsAzureWarnings.DESTROY_ALLOWED);
    new SegmentsAzureStorageAccount(stack, 'Data', DESTROYABLE);
    Testing.synth(stack);
    expect(warningsUnder(stack)).toEqual([]);
  });

  it('silences it for one construct acknowledged after it is created, and only that warning', () => {
    const stack = newStack();
    const acknowledged = new SegmentsAzureStorageAccount(stack, 'Data', { ...DESTROYABLE, sharedAccessKeyEnabled: true });
    const other = new SegmentsAzureStorageAccount(stack, 'Other', { ...DESTROYABLE, name: 'acmesegmentsother' });
    acknowledgeAzureWarning(acknowledged, SegmentsAzureWarnings.DESTROY_ALLOWED);
    Testing.synth(stack);
    expect(warningsUnder(acknowledged)).toEqual([expect.stringMatching(/^\[segments-cloud-constructs:azure-shared-key-enabled\] /)]);
    expect(warningsUnder(other)).toEqual([expect.stringMatching(/^\[segments-cloud-constructs:azure-destroy-allowed\] /)]);
  });

  it('warns once however often the stack is synthesized', () => {
    const stack = newStack();
    new SegmentsAzureStorageAccount(stack, 'Data', DESTROYABLE);
    Testing.synth(stack);
    Testing.synth(stack);
    expect(warningsUnder(stack)).toHaveLength(1);
  });

  it('refuses an ID it does not know, such as the bare short id or a Google one, listing the known ones', () => {
    expect(() => acknowledgeAzureWarning(newStack(), 'azure-destroy-allowed'))
      .toThrow(/'azure-destroy-allowed' is not a warning ID of segments-cloud-constructs\/azure; .*'segments-cloud-constructs:azure-destroy-allowed'/);
    expect(() => acknowledgeAzureWarning(newStack(), 'segments-cloud-constructs:gcs-force-destroy')).toThrow(/is not a warning ID/);
  });

  it('keeps an acknowledged warning out of the manifest cdktf synth prints from', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-azure-warnings-'));
    try {
      const app = new App({ outdir });
      const loud = new TerraformStack(app, 'loud');
      new AzurermProvider(loud, 'Azurerm', { features: [{}] });
      new AzureadProvider(loud, 'Azuread');
      new SegmentsAzureStorageAccount(loud, 'Data', DESTROYABLE);
      const quiet = new TerraformStack(app, 'quiet');
      new AzurermProvider(quiet, 'Azurerm', { features: [{}] });
      new AzureadProvider(quiet, 'Azuread');
      new SegmentsAzureStorageAccount(quiet, 'Data', { ...DESTROYABLE, name: 'acmesegmentsquiet' });
      acknowledgeAzureWarning(quiet, SegmentsAzureWarnings.DESTROY_ALLOWED);
      app.synth();
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
      const messages = (stack: string) => manifest.stacks[stack].annotations.map((a: { message: string }) => a.message);
      expect(messages('loud')).toEqual([expect.stringMatching(/^\[segments-cloud-constructs:azure-destroy-allowed\] /)]);
      expect(messages('quiet')).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
