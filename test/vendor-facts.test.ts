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
  it('builds the S3 CORS rule of the doc, with its ID', () => {
    expect(facts.segmentsS3CorsRule()).toEqual({
      id: 'segments-cors', allowedHeaders: ['*'], allowedMethods: ['GET'],
      allowedOrigins: ['https://segments.ai', 'https://*.segments.ai'], exposedHeaders: [],
    });
  });
  it('builds the GCS CORS rule of the doc', () => {
    expect(facts.segmentsGcsCorsRule()).toEqual({
      origin: ['https://segments.ai', 'https://app.segments.ai'], method: ['GET'], responseHeader: ['*'], maxAgeSeconds: 3600,
    });
    expect(facts.segmentsGcsCorsRule(['https://example.com']).origin).toEqual(['https://example.com']);
  });
  it('returns fresh copies, so a caller cannot change the defaults', () => {
    const rule = facts.segmentsS3CorsRule();
    rule.allowedOrigins.push('https://evil.example');
    expect(facts.segmentsS3CorsRule().allowedOrigins).toEqual(['https://segments.ai', 'https://*.segments.ai']);
  });
});

/*
 * The current public doc (segments-ai/docs, how-to-integrate/import-data/cloud-integration.md, last
 * changed 2026-07-07), verbatim, and the copied doc (shared/vendor/segments-cloud-integration.md).
 * Every default is pinned against them, so a change in either direction is a reviewed one.
 */
const CURRENT_DOC = {
  principal: 'arn:aws:iam::931508227573:user/segmentsai-prod-user',
  sid: 'segments-s3-access',
  s3Actions: ['s3:GetObject'],
  s3Cors: { AllowedHeaders: ['*'], AllowedMethods: ['GET'], AllowedOrigins: ['https://*.segments.ai'], ExposeHeaders: [] },
  gcsPermissions: ['storage.objects.get'],
  gcsCors: { origin: ['https://*.segments.ai'], method: ['GET'], responseHeader: ['*'] },
  webAppHost: 'https://app.segments.ai',
};
const COPIED_DOC = {
  s3Origins: ['https://segments.ai'],
  gcsCors: { origin: ['https://segments.ai'], method: ['GET'], responseHeader: [], maxAgeSeconds: 3600 },
};

describe("every default agrees with the current doc, or says which doc it keeps", () => {
  it('grants the principal, Sid and actions of the current doc', () => {
    expect(facts.SEGMENTS_AWS_PRINCIPAL_ARN).toBe(CURRENT_DOC.principal);
    expect(facts.SEGMENTS_S3_POLICY_SID).toBe(CURRENT_DOC.sid);
    expect(facts.SEGMENTS_S3_ACTIONS).toEqual(CURRENT_DOC.s3Actions);
    expect(facts.SEGMENTS_GCS_PERMISSIONS).toEqual(CURRENT_DOC.gcsPermissions);
  });
  it("S3: the current doc's rule, plus the copied doc's apex origin, which the wildcard does not match", () => {
    const rule = facts.segmentsS3CorsRule();
    expect(rule.allowedHeaders).toEqual(CURRENT_DOC.s3Cors.AllowedHeaders);
    expect(rule.allowedMethods).toEqual(CURRENT_DOC.s3Cors.AllowedMethods);
    expect(rule.exposedHeaders).toEqual(CURRENT_DOC.s3Cors.ExposeHeaders);
    expect(facts.SEGMENTS_DEFAULT_ORIGINS).toEqual([...COPIED_DOC.s3Origins, ...CURRENT_DOC.s3Cors.AllowedOrigins]);
    expect(rule.allowedOrigins).toEqual(facts.SEGMENTS_DEFAULT_ORIGINS);
    expect(rule.id).toBe(facts.SEGMENTS_S3_CORS_RULE_ID);
    expect(facts.SEGMENTS_S3_CORS_RULE_ID).toBe('segments-cors');
  });
  it("Google: the current doc's method and response headers, the copied doc's max age, and hosts instead of the wildcard", () => {
    const rule = facts.segmentsGcsCorsRule();
    expect(rule.method).toEqual(CURRENT_DOC.gcsCors.method);
    expect(rule.responseHeader).toEqual(CURRENT_DOC.gcsCors.responseHeader);
    expect(rule.maxAgeSeconds).toBe(COPIED_DOC.gcsCors.maxAgeSeconds);
    expect(facts.SEGMENTS_GCS_DEFAULT_ORIGINS).toEqual([...COPIED_DOC.gcsCors.origin, CURRENT_DOC.webAppHost]);
    expect(rule.origin).toEqual(facts.SEGMENTS_GCS_DEFAULT_ORIGINS);
  });
  it('passes its own origin checks', () => {
    expect(facts.httpsOriginProblems('o', facts.SEGMENTS_DEFAULT_ORIGINS, facts.OriginWildcard.LEADING_SUBDOMAIN)).toEqual([]);
    expect(facts.httpsOriginProblems('o', facts.SEGMENTS_GCS_DEFAULT_ORIGINS, facts.OriginWildcard.NONE)).toEqual([]);
    // The current doc's GCS origin is the one value deliberately not adopted: see SEGMENTS_GCS_DEFAULT_ORIGINS.
    expect(facts.httpsOriginProblems('o', CURRENT_DOC.gcsCors.origin, facts.OriginWildcard.NONE)).toHaveLength(1);
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
