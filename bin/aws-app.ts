#!/usr/bin/env node
/**
 * Example AWS CDK app: a customer's data stack that already has a role uploading images, plus a
 * SegmentsBucket that Segments.ai can read.
 *
 *   npx cdk synth                                   # env-agnostic, no AWS account needed
 *   npx cdk synth -c bucketName=acme-segments-data -c keyPrefixes=images/,videos/
 *   npx cdk deploy                                  # with AWS credentials
 *
 * Context: bucketName, keyPrefixes and allowedOrigins (comma-separated lists).
 */
import { App } from 'aws-cdk-lib';
import { LabelingDataStack } from './labeling-data-stack';

/** A comma-separated context value as a list, or undefined when it is not set. */
function listContext(app: App, key: string): string[] | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') {
    return undefined;
  }
  return Array.isArray(value) ? value.map(String) : String(value).split(',').map((item) => item.trim());
}

const app = new App();
new LabelingDataStack(app, 'LabelingDataStack', {
  bucketName: app.node.tryGetContext('bucketName'),
  keyPrefixes: listContext(app, 'keyPrefixes'),
  allowedOrigins: listContext(app, 'allowedOrigins'),
  description: 'Image bucket that Segments.ai reads (segments-cloud-constructs example)',
});
app.synth();
