/**
 * The example customer stack: an image-uploader role that already existed, and the bucket
 * Segments.ai reads, watched by a SegmentsAccessMonitor (`monitor: true`). bin/aws-app.ts runs it;
 * test/aws/example-app.test.ts snapshots it.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { SegmentsBucket } from '../lib/aws';

/** Props of {@link LabelingDataStack}. */
export interface LabelingDataStackProps extends StackProps {
  /** @default - a generated name */
  readonly bucketName?: string;
  /** @default - the whole bucket */
  readonly keyPrefixes?: string[];
  /** @default ['https://segments.ai', 'https://*.segments.ai'] (SegmentsBucket's default) */
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
      // Runs the checks of `segments-cloud verify aws` every 6 hours and after each change to the
      // bucket's configuration, and alarms when Segments cannot read (docs/aws.md, "Watch Segments' access").
      monitor: true,
    });
    data.bucket.grantPut(uploader);
  }
}
