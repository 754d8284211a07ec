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
  it('refuses a statement without a Sid, or with an empty one (it could not be found again)', () => {
    expect(() => mergeStatementBySid(undefined, { Effect: 'Allow' })).toThrow(/needs a Sid/);
    expect(() => mergeStatementBySid({ Statement: [other] }, { Sid: '', Effect: 'Allow' })).toThrow(/needs a Sid/);
  });
  it('sees a hand-written equivalent statement as the same', () => {
    expect(sameStatement(ours, { ...ours, Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme/*'] })).toBe(true);
    // lists in another order, and keys in another order, grant the same
    const two = segmentsBucketPolicyStatement('acme', ['images/', 'videos/']);
    expect(sameStatement(two, { Resource: ['arn:aws:s3:::acme/videos/*', 'arn:aws:s3:::acme/images/*'], ...two, Action: 's3:GetObject' })).toBe(true);
    expect(sameStatement(two, { ...two, Resource: [...(two.Resource as string[])].reverse() })).toBe(true);
    expect(sameStatement(two, { ...two, Resource: ['arn:aws:s3:::acme/images/*'] })).toBe(false);
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
  it('refuses a rule without an ID, or with an empty one', () => {
    expect(() => mergeCorsRuleById([app], { ...ours, ID: undefined })).toThrow(/needs an ID/);
    expect(() => mergeCorsRuleById([app], { ...ours, ID: '' })).toThrow(/needs an ID/);
  });
  it('compares every field', () => {
    expect(sameCorsRuleJson(ours, { ...ours })).toBe(true);
    expect(sameCorsRuleJson(ours, { ...ours, ID: 'other' })).toBe(false);
    // lists as sets: S3 matches origins, methods and headers as sets, and a server may sort them
    const two = segmentsS3CorsRuleJson(['https://segments.ai', 'https://*.segments.ai']);
    expect(sameCorsRuleJson(two, { ...two, AllowedOrigins: ['https://*.segments.ai', 'https://segments.ai'] })).toBe(true);
    expect(sameCorsRuleJson(two, { ...two, AllowedOrigins: ['https://segments.ai'] })).toBe(false);
    expect(sameCorsRuleJson(two, { ...two, AllowedHeaders: undefined })).toBe(false);
    expect(sameCorsRuleJson({ ...two, ExposeHeaders: undefined }, { ...two, ExposeHeaders: [] })).toBe(true);
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
  it('refuses a policy without statements, and the get-bucket-policy wrapper with the command that unwraps it', () => {
    const wrapped = JSON.stringify({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [other] }) });
    expect(() => parseBucketPolicy(wrapped)).toThrow(/\{"Policy": "\.\.\."\} wrapper.*--query Policy --output text/);
    expect(() => parseBucketPolicy('{}')).toThrow(/no "Statement" list/);
    expect(() => parseBucketPolicy('{"Version": "2012-10-17"}')).toThrow(/no "Statement" list/);
    expect(() => parseBucketPolicy('{"Version": "2012-10-17", "Statement": []}')).toThrow(/no "Statement" list/);
    expect(() => parseBucketPolicy('{"Statement": "x"}')).toThrow(/no "Statement" list/);
    expect(() => parseBucketPolicy('{"Statement": ["x"]}')).toThrow(/holds something other than statement objects/);
    expect(() => parseBucketPolicy('{"Statement": [[{"Effect": "Allow"}]]}')).toThrow(/holds something other than statement objects/);
    expect(() => parseBucketPolicy('{"Statement": [null]}')).toThrow(/holds something other than statement objects/);
    expect(() => parseBucketPolicy(JSON.stringify({ Statement: [other], Policy: 1 }))).toThrow(/field "Policy", which a bucket policy does not have/);
    expect(() => parseBucketPolicy(JSON.stringify({ CORSRules: [] }))).toThrow(/field "CORSRules"/);
  });
  it('keeps a policy with Version, Id and a single statement object', () => {
    expect(parseBucketPolicy(JSON.stringify({ Version: '2012-10-17', Id: 'p', Statement: other })))
      .toEqual({ Version: '2012-10-17', Id: 'p', Statement: [other] });
  });
  it('ignores a leading byte order mark, as a Windows editor saves it', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [other] });
    expect(parseBucketPolicy(`\uFEFF${text}`)).toEqual(parseBucketPolicy(text));
    const cors = JSON.stringify({ CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] });
    expect(parseS3CorsConfiguration(`\uFEFF${cors}`)).toEqual(parseS3CorsConfiguration(cors));
  });
  it('refuses a Cloud Storage CORS list, naming it', () => {
    const gcs = JSON.stringify([{ origin: ['https://segments.ai'], method: ['GET'], responseHeader: ['*'], maxAgeSeconds: 3600 }]);
    expect(() => parseS3CorsConfiguration(gcs)).toThrow(/rule 1 has Cloud Storage's fields .*gcloud CORS file.*get-bucket-cors/);
  });
  it.each([
    ['no AllowedMethods', { AllowedOrigins: ['*'] }, /rule 2 needs AllowedMethods as a list of strings, which S3 requires/],
    ['no AllowedOrigins', { AllowedMethods: ['GET'] }, /rule 2 needs AllowedOrigins as a list of strings, which S3 requires/],
    ['a string for a list', { AllowedMethods: 'GET', AllowedOrigins: ['*'] }, /rule 2 needs AllowedMethods as a list/],
    ['a number in a list', { AllowedMethods: ['GET'], AllowedOrigins: ['*'], AllowedHeaders: [1] }, /rule 2 needs AllowedHeaders as a list of strings\.$/],
    ['CloudFormation casing', { AllowedMethods: ['GET'], AllowedOrigins: ['*'], ExposedHeaders: [] }, /rule 2 has "ExposedHeaders", which an S3 CORS rule does not have/],
    ['a numeric ID', { ID: 1, AllowedMethods: ['GET'], AllowedOrigins: ['*'] }, /rule 2 has an ID that is not a string/],
    ['a fractional MaxAgeSeconds', { AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAgeSeconds: 1.5 }, /rule 2 has a MaxAgeSeconds/],
  ])('refuses a rule with %s', (_, rule, message) => {
    const good = { ID: 'a', AllowedHeaders: ['*'], AllowedMethods: ['GET'], AllowedOrigins: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 60 };
    expect(parseS3CorsConfiguration(JSON.stringify([good])).CORSRules).toEqual([good]);
    expect(() => parseS3CorsConfiguration(JSON.stringify([good, rule]))).toThrow(message);
    expect(() => parseS3CorsConfiguration(JSON.stringify({ CORSRules: [good, rule] }))).toThrow(message);
  });
  it('refuses a rule that is not an object', () => {
    for (const rules of [['x'], [[{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }]], [null], [1]]) {
      expect(() => parseS3CorsConfiguration(JSON.stringify({ CORSRules: rules }))).toThrow(/not \{"CORSRules": \[\.\.\.\]\} with a list of rule objects/);
    }
  });
  it('refuses a top-level field other than CORSRules', () => {
    expect(() => parseS3CorsConfiguration(JSON.stringify({ CORSRules: [], Rules: [] }))).toThrow(/CORSRules/);
  });
  it('names a bucket policy given instead, by its fields', () => {
    expect(() => parseS3CorsConfiguration(JSON.stringify({ Version: '2012-10-17', Statement: [] }))).toThrow('This looks like a bucket policy (it has "Version", "Statement")');
    expect(() => parseS3CorsConfiguration(JSON.stringify({ Policy: '{}' }))).toThrow('This looks like a bucket policy (it has "Policy")');
    expect(() => parseS3CorsConfiguration(JSON.stringify({ CORSRules: [], Id: 'x' }))).toThrow('looks like a bucket policy');
  });
  it('reads a CORS configuration, with or without the CORSRules wrapper', () => {
    expect(parseS3CorsConfiguration(JSON.stringify({ CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] })).CORSRules).toHaveLength(1);
    expect(parseS3CorsConfiguration('[]').CORSRules).toEqual([]);
    expect(() => parseS3CorsConfiguration('{"Rules": 1}')).toThrow(/CORSRules/);
  });
});
