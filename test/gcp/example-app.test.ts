import { Testing } from 'cdktf';
import { EXAMPLE_SETTINGS, SegmentsGcsExampleStack, exampleConfig } from '../../bin/gcp-app';
import { onlyResource, resourceTypes, schemaProblems, warningsUnder } from './synth';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';

function exampleStack(env: NodeJS.ProcessEnv = {}) {
  return new SegmentsGcsExampleStack(Testing.app(), 'segments-gcs', exampleConfig(env));
}

describe('the example app (bin/gcp-app.ts)', () => {
  it('with the safe defaults matches the snapshot', () => {
    expect(Testing.synth(exampleStack())).toMatchSnapshot();
  });

  it('with a service account matches the snapshot', () => {
    expect(Testing.synth(exampleStack({ SEGMENTS_SERVICE_ACCOUNT: SA }))).toMatchSnapshot();
  });

  it('uses only attributes the provider bindings define', () => {
    expect(schemaProblems(JSON.parse(Testing.synth(exampleStack({ SEGMENTS_SERVICE_ACCOUNT: SA }))))).toEqual([]);
  });

  it('configures the Google provider with the project, and pins it in required_providers', () => {
    const json = JSON.parse(Testing.synth(exampleStack({ GOOGLE_PROJECT: 'acme-data-prod' })));
    expect(json.provider.google).toEqual([{ project: 'acme-data-prod' }]);
    expect(json.terraform.required_providers.google).toEqual({ source: 'google', version: expect.stringMatching(/^6\.\d+\.\d+$/) });
  });

  it('grants nothing by default, and says so', () => {
    const stack = exampleStack();
    const json = JSON.parse(Testing.synth(stack));
    expect(resourceTypes(json)).toEqual(['google_storage_bucket']);
    expect(warningsUnder(stack)).toEqual([expect.stringMatching(/^\[segments-cloud-constructs:gcs-no-service-account\]/)]);
  });

  it('reads every setting from the environment', () => {
    const json = JSON.parse(Testing.synth(exampleStack({
      SEGMENTS_GCS_BUCKET: 'acme-labeling',
      SEGMENTS_GCS_LOCATION: 'europe-west1',
      GOOGLE_PROJECT: 'acme-data-prod',
      SEGMENTS_SERVICE_ACCOUNT: SA,
      SEGMENTS_ALLOWED_ORIGINS: 'https://app.segments.ai, https://beta.segments.ai',
    })));
    const bucket = onlyResource(json, 'google_storage_bucket');
    expect(bucket.name).toBe('acme-labeling');
    expect(bucket.location).toBe('europe-west1');
    expect(bucket.project).toBe('acme-data-prod');
    expect((bucket.cors as { origin: string[] }[])[0].origin).toEqual(['https://app.segments.ai', 'https://beta.segments.ai']);
    expect(onlyResource(json, 'google_storage_bucket_iam_member').member).toBe(`serviceAccount:${SA}`);
  });
});

describe('exampleConfig', () => {
  it('falls back to safe example values', () => {
    expect(exampleConfig({})).toEqual({
      bucketName: 'example-segments-data',
      location: 'EU',
      project: 'my-gcp-project',
      segmentsServiceAccount: undefined,
      allowedOrigins: undefined,
    });
  });

  it('prefers the environment to the context, and the context to the defaults', () => {
    const context: Record<string, string> = { segmentsGcsBucket: 'from-context', segmentsGcsLocation: 'US' };
    const config = exampleConfig({ SEGMENTS_GCS_BUCKET: 'from-env' }, (key) => context[key]);
    expect(config.bucketName).toBe('from-env');
    expect(config.location).toBe('US');
    expect(config.project).toBe(EXAMPLE_SETTINGS.project.default);
  });

  it('treats an empty variable as unset', () => {
    expect(exampleConfig({ SEGMENTS_SERVICE_ACCOUNT: '' }).segmentsServiceAccount).toBeUndefined();
  });
});
