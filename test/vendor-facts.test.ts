import * as facts from '../lib';

describe('the vendor facts match Segments\' Cloud integrations doc', () => {
  it('names the Segments principal in account 931508227573', () => {
    expect(facts.SEGMENTS_AWS_PRINCIPAL_ARN).toBe('arn:aws:iam::931508227573:user/segmentsai-prod-user');
    expect(facts.SEGMENTS_AWS_CANONICAL_USER_ID).toBe('a2c85e730d80dcb51a2c0e1a8f852cf6dc8d6e04d9e00f49239c324de3c1e3e1');
    expect(facts.SEGMENTS_S3_POLICY_SID).toBe('segments-s3-access');
  });
  it('grants only object reads', () => {
    expect(facts.SEGMENTS_S3_ACTIONS).toEqual(['s3:GetObject']);
    expect(facts.SEGMENTS_KMS_ACTIONS).toEqual(['kms:Decrypt']);
    expect(facts.SEGMENTS_GCS_PERMISSIONS).toEqual(['storage.objects.get']);
  });
  it('builds the S3 CORS rule of the doc', () => {
    expect(facts.segmentsS3CorsRule()).toEqual({
      allowedHeaders: ['*'], allowedMethods: ['GET'], allowedOrigins: ['https://segments.ai'], exposedHeaders: [],
    });
  });
  it('builds the GCS CORS rule of the doc', () => {
    expect(facts.segmentsGcsCorsRule(['https://app.segments.ai'])).toEqual({
      origin: ['https://app.segments.ai'], method: ['GET'], responseHeader: [], maxAgeSeconds: 3600,
    });
  });
  it('returns fresh copies, so a caller cannot change the defaults', () => {
    const rule = facts.segmentsS3CorsRule();
    rule.allowedOrigins.push('https://evil.example');
    expect(facts.segmentsS3CorsRule().allowedOrigins).toEqual(['https://segments.ai']);
  });
});

describe('image URLs are virtual-hosted style with encoded keys', () => {
  it('builds the prefix', () => {
    expect(facts.s3UrlPrefix('acme', 'us-east-2')).toBe('https://acme.s3.us-east-2.amazonaws.com/');
  });
  it('percent-encodes each segment and keeps the slashes', () => {
    expect(facts.encodeS3Key('a b/c+d/é?.png')).toBe('a%20b/c%2Bd/%C3%A9%3F.png');
    expect(facts.s3ObjectUrl('acme', 'eu-west-1', 'x/y.jpg')).toBe('https://acme.s3.eu-west-1.amazonaws.com/x/y.jpg');
  });
  it('builds gs:// URLs', () => {
    expect(facts.gsUrl('acme')).toBe('gs://acme');
  });
});
