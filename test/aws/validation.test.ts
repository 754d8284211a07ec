/**
 * aws-cdk-lib's built-in CloudFormation validation (on by default in 2.27x) on the example app's
 * LabelingDataStack (bin/labeling-data-stack.ts; bin/aws-app.ts itself cannot be imported, it calls
 * app.synth() when loaded), with the example app's feature flags. This is the one test with that
 * validation on: the engine's first run costs several seconds; the others turn it off for speed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { recommendedContext } from './app';
import { LabelingDataStack } from '../../bin/labeling-data-stack';

describe('built-in CloudFormation validation', () => {
  let outdir: string;
  let savedCdkValidation: string | undefined;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-validation-'));
    savedCdkValidation = process.env.CDK_VALIDATION;
    delete process.env.CDK_VALIDATION; // CDK_VALIDATION=false would silently turn it off
  });
  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
    if (savedCdkValidation !== undefined) {
      process.env.CDK_VALIDATION = savedCdkValidation;
    }
  });

  it('passes with no findings on the example stack (uploader role + SegmentsBucket with its monitor), with the example app\'s feature flags', () => {
    const app = new App({
      outdir,
      builtinCloudFormationValidation: true,
      context: {
        ...recommendedContext,
        // report CloudFormation validation findings as errors, and fail on warnings too
        '@aws-cdk/core:validateAgainstDefaultRules': true,
        '@aws-cdk/core:strictCfnValidateErrors': true,
      },
    });
    new LabelingDataStack(app, 'LabelingDataStack', { // with its SegmentsAccessMonitor (monitor: true)
      description: 'Image bucket that Segments.ai reads (segments-cloud-constructs example)',
    });

    expect(() => app.synth()).not.toThrow();

    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports?: unknown[] };
    expect(report.pluginReports).toEqual([]); // a plugin appears here only when it has findings

    // Control: the validation really ran (CDK_VALIDATION=false or a changed default would skip it
    // silently): the same app settings report a deliberately invalid resource.
    const control = new App({ outdir: path.join(outdir, 'control'), builtinCloudFormationValidation: true, context: app.node.getAllContext() });
    new CfnResource(new Stack(control, 'Control'), 'Invalid', { type: 'AWS::S3::Bucket', properties: { VersioningConfiguration: { Status: 'Sometimes' } } });
    expect(() => control.synth()).toThrow(/VersioningConfiguration\.Status.*\(CloudFormation Validate\)/);
  });
});
