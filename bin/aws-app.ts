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
import { App, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { SegmentsBucket } from '../lib/aws';

/** Props of {@link LabelingDataStack}. */
export interface LabelingDataStackProps extends StackProps {
  /** @default - a generated name */
  readonly bucketName?: string;
  /** @default - the whole bucket */
  readonly keyPrefixes?: string[];
  /** @default ['https://segments.ai'] */
  readonly allowedOrigins?: string[];
}

/** The customer's stack: an uploader role that already existed, and the bucket Segments reads. */
export class LabelingDataStack extends Stack {
  constructor(scope: Construct, id: string, props: LabelingDataStackProps = {}) {
    super(scope, id, props);

    const uploader = new iam.Role(this, 'ImageUploader', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Uploads images for labeling',
    });

    const data = new SegmentsBucket(this, 'LabelingData', {
      bucketName: props.bucketName,
      keyPrefixes: props.keyPrefixes,
      allowedOrigins: props.allowedOrigins,
    });
    data.bucket.grantPut(uploader);
  }
}

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
