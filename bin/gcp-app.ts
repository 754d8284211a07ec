/**
 * Example CDK for Terraform app: a Cloud Storage bucket that Segments.ai can read.
 *
 *   CHECKPOINT_DISABLE=1 npx cdktf synth     # via bin/cdktf-app.ts: cdktf.out/stacks/segments-gcs/cdk.tf.json
 *   npx tsx bin/gcp-app.ts                   # this stack alone
 *
 * Configured through environment variables, falling back to the `context` of cdktf.json, then to
 * example values that are safe to synthesize (no access is granted without a service account):
 *
 * | variable                 | context key            | default                                            |
 * |--------------------------|------------------------|----------------------------------------------------|
 * | SEGMENTS_GCS_BUCKET      | segmentsGcsBucket      | example-segments-data                              |
 * | SEGMENTS_GCS_LOCATION    | segmentsGcsLocation    | EU                                                 |
 * | GOOGLE_PROJECT           | googleProject          | my-gcp-project                                     |
 * | SEGMENTS_SERVICE_ACCOUNT | segmentsServiceAccount | none: bucket and CORS only, warning                |
 * | SEGMENTS_ALLOWED_ORIGINS | segmentsAllowedOrigins | https://segments.ai,https://app.segments.ai        |
 *
 * SEGMENTS_ALLOWED_ORIGINS is a comma-separated list; its default is SEGMENTS_GCS_DEFAULT_ORIGINS,
 * concrete hosts because Cloud Storage documents no subdomain wildcard.
 */
import { Construct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { SegmentsGcsBucket } from '../lib/gcp';
import { type ExampleSetting, exampleList, readExampleSetting } from './example-settings';

/** What the example stack needs to know. */
export interface ExampleConfig {
  /** The bucket's name. */
  readonly bucketName: string;
  /** The bucket's location. */
  readonly location: string;
  /** The Google Cloud project of the provider, the bucket and the role. */
  readonly project: string;
  /** Segments' service account; undefined to declare the bucket only. */
  readonly segmentsServiceAccount?: string;
  /** The CORS origins; undefined for SEGMENTS_GCS_DEFAULT_ORIGINS. */
  readonly allowedOrigins?: string[];
}

/** The environment variables and context keys the app reads, with their defaults. */
export const EXAMPLE_SETTINGS = {
  bucketName: { env: 'SEGMENTS_GCS_BUCKET', context: 'segmentsGcsBucket', default: 'example-segments-data' },
  location: { env: 'SEGMENTS_GCS_LOCATION', context: 'segmentsGcsLocation', default: 'EU' },
  project: { env: 'GOOGLE_PROJECT', context: 'googleProject', default: 'my-gcp-project' },
  segmentsServiceAccount: { env: 'SEGMENTS_SERVICE_ACCOUNT', context: 'segmentsServiceAccount', default: undefined },
  allowedOrigins: { env: 'SEGMENTS_ALLOWED_ORIGINS', context: 'segmentsAllowedOrigins', default: undefined },
} as const;

/** Reads the example's settings: environment first, then context, then the defaults. */
export function exampleConfig(
  env: NodeJS.ProcessEnv,
  context: (key: string) => unknown = () => undefined,
): ExampleConfig {
  const read = (setting: ExampleSetting): string | undefined => readExampleSetting(env, context, setting);
  const s = EXAMPLE_SETTINGS;
  const origins = read(s.allowedOrigins);
  return {
    bucketName: read(s.bucketName) ?? s.bucketName.default,
    location: read(s.location) ?? s.location.default,
    project: read(s.project) ?? s.project.default,
    segmentsServiceAccount: read(s.segmentsServiceAccount),
    allowedOrigins: origins === undefined ? undefined : exampleList(origins),
  };
}

/** A stack with the Google provider and one bucket Segments can read. */
export class SegmentsGcsExampleStack extends TerraformStack {
  /** The bucket. */
  public readonly data: SegmentsGcsBucket;

  constructor(scope: Construct, id: string, config: ExampleConfig) {
    super(scope, id);
    new GoogleProvider(this, 'Google', { project: config.project });
    this.data = new SegmentsGcsBucket(this, 'Data', {
      name: config.bucketName,
      location: config.location,
      project: config.project,
      segmentsServiceAccount: config.segmentsServiceAccount,
      allowedOrigins: config.allowedOrigins,
      labels: { purpose: 'segments-ai-labeling' },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new SegmentsGcsExampleStack(app, 'segments-gcs', exampleConfig(process.env, (key) => app.node.tryGetContext(key)));
  app.synth();
}
