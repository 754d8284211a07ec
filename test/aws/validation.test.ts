/**
 * aws-cdk-lib's built-in CloudFormation validation (on by default in 2.27x) on a stack
 * equivalent to the example app's LabelingDataStack. bin/aws-app.ts cannot be imported: it calls
 * app.synth() when loaded. This is the one test with that validation on; the others turn it off
 * for speed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SegmentsBucket } from '../../lib/aws';

const CDK_JSON = path.join(__dirname, '..', '..', 'cdk.json');

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

  it('passes with no findings on the example stack (uploader role + SegmentsBucket), with the example app\'s feature flags', () => {
    const { context } = JSON.parse(fs.readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> };
    const app = new App({
      outdir,
      builtinCloudFormationValidation: true,
      context: {
        ...context,
        // report CloudFormation validation findings as errors, and fail on warnings too
        '@aws-cdk/core:validateAgainstDefaultRules': true,
        '@aws-cdk/core:strictCfnValidateErrors': true,
      },
    });
    const stack = new Stack(app, 'LabelingDataStack', {
      description: 'Image bucket that Segments.ai reads (segments-cloud-constructs example)',
    });
    const uploader = new iam.Role(stack, 'ImageUploader', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Uploads images for labeling',
    });
    const data = new SegmentsBucket(stack, 'LabelingData', {});
    data.bucket.grantPut(uploader);

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
