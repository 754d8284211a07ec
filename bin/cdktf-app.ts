/**
 * The CDK for Terraform example app (`cdktf.json`): the Google and the Azure example stacks in one
 * app, so `npx cdktf synth` synthesizes both.
 *
 *   CHECKPOINT_DISABLE=1 npx cdktf synth     # cdktf.out/stacks/segments-gcs and .../segments-azure
 *   CHECKPOINT_DISABLE=1 npx cdktf deploy segments-azure
 *
 * Each stack reads its own settings (bin/gcp-app.ts, bin/azure-app.ts) from the environment, then
 * the `context` of cdktf.json, then safe example values.
 */
import { App } from 'cdktf';
import { SegmentsGcsExampleStack, exampleConfig } from './gcp-app';
import { SegmentsAzureExampleStack, azureExampleConfig } from './azure-app';

const app = new App();
const context = (key: string): unknown => app.node.tryGetContext(key);
new SegmentsGcsExampleStack(app, 'segments-gcs', exampleConfig(process.env, context));
new SegmentsAzureExampleStack(app, 'segments-azure', azureExampleConfig(process.env, context));
app.synth();
