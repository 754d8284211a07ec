/**
 * The example stack for a bucket that already exists outside any stack (made by hand, by Terraform):
 * SegmentsImportedBucketAccess merges Segments' statement and CORS rule into what the bucket has.
 * bin/aws-app.ts runs it; test/aws/example-app.test.ts snapshots it.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { SegmentsImportedBucketAccess } from '../lib/aws';

/** Props of {@link ExistingBucketStack}. */
export interface ExistingBucketStackProps extends StackProps {
  /** @default 'acme-existing-images' */
  readonly existingBucketName?: string;
  /** @default - the whole bucket */
  readonly keyPrefixes?: string[];
  /** @default ['https://segments.ai'] */
  readonly allowedOrigins?: string[];
}

/** The customer's stack that grants Segments read access to a bucket it does not manage. */
export class ExistingBucketStack extends Stack {
  constructor(scope: Construct, id: string, props: ExistingBucketStackProps = {}) {
    super(scope, id, props);

    const images = s3.Bucket.fromBucketName(this, 'ExistingImages', props.existingBucketName ?? 'acme-existing-images');
    new SegmentsImportedBucketAccess(this, 'SegmentsAccess', {
      bucket: images,
      keyPrefixes: props.keyPrefixes,
      allowedOrigins: props.allowedOrigins,
    });
  }
}
