#!/usr/bin/env node
/**
 * Example AWS CDK app with two stacks:
 *  - LabelingDataStack: a customer's data stack that already has a role uploading images, plus a
 *    SegmentsBucket that Segments.ai can read;
 *  - ExistingBucketStack: Segments.ai's read access to a bucket that exists outside any stack
 *    (SegmentsImportedBucketAccess on Bucket.fromBucketName).
 *
 *   npx cdk synth                                   # both stacks, env-agnostic, no AWS account needed
 *   npx cdk synth LabelingDataStack                 # one stack, printed
 *   npx cdk synth -c bucketName=acme-segments-data -c keyPrefixes=images/,videos/
 *   npx cdk synth ExistingBucketStack -c existingBucketName=acme-images
 *   npx cdk deploy LabelingDataStack                # with AWS credentials
 *
 * Context: bucketName, existingBucketName, keyPrefixes and allowedOrigins (comma-separated lists).
 * allowedOrigins defaults to https://segments.ai,https://*.segments.ai (SEGMENTS_DEFAULT_ORIGINS).
 * CDK_VALIDATION=true turns on aws-cdk-lib's built-in CloudFormation validation (off here for speed).
 */
import { App } from 'aws-cdk-lib';
import { ExistingBucketStack } from './existing-bucket-stack';
import { LabelingDataStack } from './labeling-data-stack';

/** A comma-separated context value as a list, or undefined when it is not set. */
function listContext(app: App, key: string): string[] | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') {
    return undefined;
  }
  return Array.isArray(value) ? value.map(String) : String(value).split(',').map((item) => item.trim());
}

// aws-cdk-lib's built-in CloudFormation validation adds 3-6 s to every synth of this small app;
// test/aws/validation.test.ts runs it on this stack. Turn it on here with CDK_VALIDATION=true.
const app = new App({ builtinCloudFormationValidation: process.env.CDK_VALIDATION === 'true' });
new LabelingDataStack(app, 'LabelingDataStack', {
  bucketName: app.node.tryGetContext('bucketName'),
  keyPrefixes: listContext(app, 'keyPrefixes'),
  allowedOrigins: listContext(app, 'allowedOrigins'),
  description: 'Image bucket that Segments.ai reads (segments-cloud-constructs example)',
});
new ExistingBucketStack(app, 'ExistingBucketStack', {
  existingBucketName: app.node.tryGetContext('existingBucketName'),
  keyPrefixes: listContext(app, 'keyPrefixes'),
  allowedOrigins: listContext(app, 'allowedOrigins'),
  description: 'Segments.ai read access to an existing bucket outside any stack (segments-cloud-constructs example)',
});
app.synth();
