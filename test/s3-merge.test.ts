import {
  SEGMENTS_AWS_PRINCIPAL_ARN,
  mergeCorsRuleById,
  mergeStatementBySid,
  parseBucketPolicy,
  parseS3CorsConfiguration,
  removeCorsRuleById,
  removeStatementBySid,
  sameCorsRuleJson,
  sameStatement,
  segmentsBucketPolicyStatement,
  segmentsS3CorsRuleJson,
} from '../lib';

const other = { Sid: 'Uploader', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/up' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme/*' };
const deny = { Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::acme', 'arn:aws:s3:::acme/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };

describe('the Segments bucket policy statement as JSON', () => {
  it('is the vendor doc\'s statement for the whole bucket', () => {
    expect(segmentsBucketPolicyStatement('acme')).toEqual({
      Sid: 'segments-s3-access', Effect: 'Allow', Principal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN },
      Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme/*',
    });
  });
  it('lists one resource per prefix', () => {
    expect(segmentsBucketPolicyStatement('acme', ['images/', 'videos/']).Resource)
      .toEqual(['arn:aws:s3:::acme/images/*', 'arn:aws:s3:::acme/videos/*']);
  });
});

describe('merging by Sid keeps every other statement in order', () => {
  const ours = segmentsBucketPolicyStatement('acme');
  it('creates a policy when there is none', () => {
    expect(mergeStatementBySid(undefined, ours)).toEqual({ Version: '2012-10-17', Statement: [ours] });
  });
  it('appends after the existing statements', () => {
    const policy = { Version: '2012-10-17', Id: 'keep-me', Statement: [other, deny] };
    expect(mergeStatementBySid(policy, ours)).toEqual({ Version: '2012-10-17', Id: 'keep-me', Statement: [other, deny, ours] });
  });
  it('replaces ours in place and drops duplicates of it', () => {
    const old = { ...ours, Resource: 'arn:aws:s3:::acme/old/*' };
    const policy = { Statement: [old, other, old, deny] };
    expect(mergeStatementBySid(policy, ours).Statement).toEqual([ours, other, deny]);
  });
  it('is idempotent', () => {
    const once = mergeStatementBySid({ Statement: [other, deny] }, ours);
    expect(JSON.stringify(mergeStatementBySid(once, ours))).toBe(JSON.stringify(once));
  });
  it('removes only ours, and nothing is left as undefined', () => {
    const policy = { Version: '2012-10-17', Statement: [other, deny] };
    expect(removeStatementBySid(mergeStatementBySid(policy, ours), 'segments-s3-access')).toEqual(policy);
    expect(removeStatementBySid(mergeStatementBySid(undefined, ours), 'segments-s3-access')).toBeUndefined();
  });
  it('refuses a statement without a Sid', () => {
    expect(() => mergeStatementBySid(undefined, { Effect: 'Allow' })).toThrow(/needs a Sid/);
  });
  it('sees a hand-written equivalent statement as the same', () => {
    expect(sameStatement(ours, { ...ours, Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme/*'] })).toBe(true);
    expect(sameStatement(ours, { ...ours, Action: ['s3:GetObject', 's3:ListBucket'] })).toBe(false);
  });
});

describe('merging CORS rules by ID keeps every other rule in place', () => {
  const ours = segmentsS3CorsRuleJson();
  const app = { ID: 'app', AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://app.example.com'] };
  it('has Segments\' ID and S3 API casing', () => {
    expect(ours).toMatchObject({ ID: 'segments-cors', AllowedMethods: ['GET'], AllowedHeaders: ['*'], ExposeHeaders: [] });
  });
  it('appends, replaces in place, and removes only ours', () => {
    expect(mergeCorsRuleById([app], ours)).toEqual([app, ours]);
    const old = { ...ours, AllowedOrigins: ['https://old.example.com'] };
    expect(mergeCorsRuleById([old, app], ours)).toEqual([ours, app]);
    expect(removeCorsRuleById([ours, app], 'segments-cors')).toEqual([app]);
  });
  it('compares every field', () => {
    expect(sameCorsRuleJson(ours, { ...ours })).toBe(true);
    expect(sameCorsRuleJson(ours, { ...ours, MaxAgeSeconds: 60 })).toBe(false);
    expect(sameCorsRuleJson(ours, { ...ours, AllowedMethods: ['GET', 'HEAD'] })).toBe(false);
  });
});

describe('parsing what the AWS CLI prints', () => {
  it('reads a policy and refuses what is not one', () => {
    expect(parseBucketPolicy(JSON.stringify({ Statement: [other] })).Statement).toEqual([other]);
    expect(() => parseBucketPolicy('{')).toThrow(/not valid JSON/);
    expect(() => parseBucketPolicy('[]')).toThrow(/not a JSON object/);
  });
  it('reads a CORS configuration, with or without the CORSRules wrapper', () => {
    expect(parseS3CorsConfiguration(JSON.stringify({ CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] })).CORSRules).toHaveLength(1);
    expect(parseS3CorsConfiguration('[]').CORSRules).toEqual([]);
    expect(() => parseS3CorsConfiguration('{"Rules": 1}')).toThrow(/CORSRules/);
  });
});
