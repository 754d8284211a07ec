import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack, onlyResource, arnWithSuffix, expectingWarnings, warningsWithId } from './app';
import { SegmentsAccess, SegmentsAccessWarnings } from '../../lib/aws';
import { SEGMENTS_AWS_PRINCIPAL_ARN } from '../../lib/segments';

/** A stack holding the customer's bucket as it was before Segments: its own statement and CORS rule. */
function existingBucketStack(bucketProps: s3.BucketProps = {}) {
  const { app, stack } = newStack();
  const bucket = new s3.Bucket(stack, 'CustomerImages', {
    cors: [{ allowedMethods: [s3.HttpMethods.PUT], allowedOrigins: ['https://upload.example.com'], allowedHeaders: ['*'] }],
    ...bucketProps,
  });
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'analytics-read',
    principals: [new iam.ArnPrincipal('arn:aws:iam::111122223333:role/analytics')],
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects('reports/*')],
  }));
  return { app, stack, bucket };
}

describe('composed into an existing bucket, it adds and keeps', () => {
  it('matches the reviewed template', () => {
    const { stack, bucket } = existingBucketStack();
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket, keyPrefixes: ['images/'] });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  it('keeps the bucket logical ID the customer already had', () => {
    const before = existingBucketStack();
    const idBefore = onlyResource(Template.fromStack(before.stack), 'AWS::S3::Bucket').logicalId;
    const after = existingBucketStack();
    new SegmentsAccess(after.stack, 'SegmentsAccess', { bucket: after.bucket });
    expect(onlyResource(Template.fromStack(after.stack), 'AWS::S3::Bucket').logicalId).toBe(idBefore);
  });

  it('keeps the existing policy statement and appends the Segments one', () => {
    const { stack, bucket } = existingBucketStack();
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    const template = Template.fromStack(stack);
    const bucketId = onlyResource(template, 'AWS::S3::Bucket').logicalId;
    const statements: any[] = onlyResource(template, 'AWS::S3::BucketPolicy').resource.Properties.PolicyDocument.Statement;
    expect(statements.map((s) => s.Sid)).toEqual(['analytics-read', 'segments-s3-access']);
    expect(statements[1]).toEqual({
      Sid: 'segments-s3-access', Effect: 'Allow', Principal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN },
      Action: 's3:GetObject', Resource: arnWithSuffix(bucketId, '/*'),
    });
  });

  it('keeps the existing CORS rule and appends the Segments one', () => {
    const { stack, bucket } = existingBucketStack();
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket, allowedOrigins: ['https://app.segments.ai'] });
    const rules = onlyResource(Template.fromStack(stack), 'AWS::S3::Bucket').resource.Properties.CorsConfiguration.CorsRules;
    expect(rules).toEqual([
      { AllowedHeaders: ['*'], AllowedMethods: ['PUT'], AllowedOrigins: ['https://upload.example.com'] },
      { Id: 'segments-cors', AllowedHeaders: ['*'], AllowedMethods: ['GET'], AllowedOrigins: ['https://app.segments.ai'], ExposedHeaders: [] },
    ]);
  });

  it('exposes what it added', () => {
    const { stack, bucket } = existingBucketStack();
    const access = new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    expect(access.policyStatement.toStatementJson()).toMatchObject({ Sid: 'segments-s3-access', Action: 's3:GetObject' });
    expect(access.corsRule.allowedMethods).toEqual(['GET']);
    expect(access.corsRule.id).toBe('segments-cors');
    expect(access.keyPolicyStatement).toBeUndefined();
  });
});

describe('it refuses what CDK would silently get wrong', () => {
  it.each([
    ['fromBucketName', (stack: any) => s3.Bucket.fromBucketName(stack, 'Imported', 'acme-images')],
    ['fromBucketArn', (stack: any) => s3.Bucket.fromBucketArn(stack, 'Imported', 'arn:aws:s3:::acme-images')],
    ['fromBucketAttributes', (stack: any) => s3.Bucket.fromBucketAttributes(stack, 'Imported', { bucketName: 'acme-images' })],
  ])('refuses a bucket imported with %s, pointing to SegmentsImportedBucketAccess', (_how, importBucket) => {
    const { stack } = newStack();
    expect(() => new SegmentsAccess(stack, 'SegmentsAccess', { bucket: importBucket(stack) }))
      .toThrow(/bucket \('TestStack\/Imported'\) is not an s3.Bucket defined in this app[\s\S]*For an existing bucket that no stack manages, use SegmentsImportedBucketAccess instead[\s\S]*cdk import/);
  });

  it('refuses a bucket encrypted with the AWS managed aws/s3 key', () => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Kms', { encryption: s3.BucketEncryption.KMS_MANAGED });
    expect(() => new SegmentsAccess(stack, 'SegmentsAccess', { bucket }))
      .toThrow(/bucket \('TestStack\/Kms'\) is encrypted with the AWS managed key aws\/s3 \(BucketEncryption\.KMS_MANAGED\)/);
  });

  it.each(['cn-north-1', 'us-gov-west-1'])('refuses a bucket in %s, another partition than Segments\'', (region) => {
    const { stack } = newStack({ env: { region } });
    const bucket = new s3.Bucket(stack, 'Bucket');
    expect(() => new SegmentsAccess(stack, 'SegmentsAccess', { bucket }))
      .toThrow(new RegExp(`bucket \\('TestStack/Bucket'\\) is in region ${region}, outside the standard aws partition`));
  });

  it('accepts a bucket in a standard region', () => {
    const { stack } = newStack({ env: { region: 'eu-central-1' } });
    expect(() => new SegmentsAccess(stack, 'SegmentsAccess', { bucket: new s3.Bucket(stack, 'Bucket') })).not.toThrow();
  });

  it('refuses bad origins and prefixes, naming the prop', () => {
    const { stack, bucket } = existingBucketStack();
    expect(() => new SegmentsAccess(stack, 'SegmentsAccess', { bucket, allowedOrigins: ['segments.ai'], keyPrefixes: ['a*'] }))
      .toThrow(/allowedOrigins\[0\] \('segments\.ai'\) must start with 'https:\/\/'[\s\S]*keyPrefixes\[0\] \('a\*'\) contains/);
  });

  it.each([
    ['s3.BucketPolicy', (stack: any, bucket: s3.Bucket) => new s3.BucketPolicy(stack, 'Separate', { bucket }).document.addStatements(
      new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:DeleteObject'], resources: [bucket.arnForObjects('*')] }))],
    ['CfnBucketPolicy', (stack: any, bucket: s3.Bucket) => new s3.CfnBucketPolicy(stack, 'Separate', {
      bucket: bucket.bucketName, policyDocument: { Version: '2012-10-17', Statement: [] },
    })],
  ])('refuses a bucket that also has a separate %s, which would overwrite or be overwritten', (_kind, addPolicy) => {
    const { app, stack, bucket } = existingBucketStack();
    addPolicy(stack, bucket);
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    // In the bucket's own stack the rendered template's check finds it; the app-wide check judges the other stacks.
    expect(() => app.synth()).toThrow(/has a second AWS::S3::BucketPolicy in the template, Separate(?:[0-9A-F]{8})? \(TestStack\/Separate(?:\/Resource)?\)[\s\S]*bucket\.addToResourcePolicy\(\)/);
  });

  it('refuses when an escape hatch replaced the CORS rules and dropped the Segments one', () => {
    const { app, stack, bucket } = existingBucketStack();
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('CorsConfiguration', {
      CorsRules: [{ AllowedMethods: ['PUT'], AllowedOrigins: ['https://upload.example.com'] }],
    });
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/CustomerImages'\): the Segments CORS rule .* is missing from the template or was changed/);
  });

  it('refuses when an escape hatch dropped the ID of the Segments rule, which tools that update it in place look for', () => {
    const { app, stack, bucket } = existingBucketStack();
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('CorsConfiguration.CorsRules.1.Id');
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/CustomerImages'\): the Segments CORS rule .* is missing from the template or was changed/);
  });

  it("refuses another CORS rule carrying the Segments rule's ID", () => {
    const { app, stack } = newStack();
    const bucket = new s3.Bucket(stack, 'CustomerImages', {
      cors: [{ id: 'segments-cors', allowedMethods: [s3.HttpMethods.PUT], allowedOrigins: ['https://upload.example.com'] }],
    });
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/CustomerImages'\): CORS rule #1 has the ID 'segments-cors', which names the Segments CORS rule[\s\S]*give that rule another ID/);
  });

  it('refuses a second SegmentsAccess on the same bucket (duplicate Sid)', () => {
    const { app, stack, bucket } = existingBucketStack();
    new SegmentsAccess(stack, 'One', { bucket, keyPrefixes: ['a/'] });
    new SegmentsAccess(stack, 'Two', { bucket, keyPrefixes: ['b/'] });
    expect(() => app.synth()).toThrow(/more than one SegmentsAccess: use one, listing every prefix in keyPrefixes/);
  });

  it('refuses a bucket policy over S3\'s 20 KB limit', () => {
    const { app, stack, bucket } = existingBucketStack();
    const prefixes = Array.from({ length: 200 }, (_, i) => `customer-${String(i).padStart(4, '0')}/images/`);
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket, keyPrefixes: prefixes });
    expect(() => app.synth()).toThrow(/over S3's 20 KB limit \(20480 bytes\): use fewer keyPrefixes/);
  });

  it('accepts a policy just under the limit', () => {
    const { app, stack, bucket } = existingBucketStack();
    const prefixes = Array.from({ length: 40 }, (_, i) => `customer-${String(i).padStart(4, '0')}/images/`);
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket, keyPrefixes: prefixes });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('a customer managed key gets a Decrypt statement, or a warning when it cannot', () => {
  it('adds the statement to a key defined in the app', () => {
    const { stack } = newStack();
    const key = new kms.Key(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    const access = new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    expect(access.keyPolicyStatement?.toStatementJson()).toMatchObject({ Sid: 'segments-kms-decrypt', Action: 'kms:Decrypt' });
    const keyStatements: any[] = onlyResource(Template.fromStack(stack), 'AWS::KMS::Key').resource.Properties.KeyPolicy.Statement;
    expect(keyStatements.map((s) => s.Sid)).toContain('segments-kms-decrypt');
  });

  it('warns, with a stable ID, when the key is imported', () => {
    const { stack } = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.IMPORTED_KMS_KEY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/kms:Decrypt/);
  });
});

describe('it warns about Deny statements that lock Segments out', () => {
  it.each([
    ['aws:SourceIp', 'NotIpAddress', '203.0.113.0/24'],
    ['aws:SourceVpce', 'StringNotEquals', 'vpce-1a2b3c4d'],
    ['aws:SourceVpc', 'StringNotEquals', 'vpc-1a2b3c4d'],
    // Segments' URLs live 24 hours: a signature older than 10 minutes is refused.
    ['s3:signatureAge', 'NumericGreaterThan', '600000'],
  ])('warns on a Deny conditioned on %s', (key, operator, value) => {
    const { stack, bucket } = existingBucketStack();
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'office-only', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:*'],
      resources: [bucket.arnForObjects('*')], conditions: { [operator]: { [key]: value } },
    }));
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.LOCKOUT_DENY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`office-only denies on ${key}`);
  });

  it('does not warn on the TLS-only Deny of enforceSSL', () => {
    const { stack, bucket } = existingBucketStack({ enforceSSL: true });
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    expect(warningsWithId(stack, 'segments-cloud-constructs:')).toEqual([]);
  });
});

describe('it warns when ACLs can keep objects out of the bucket policy', () => {
  it.each([s3.ObjectOwnership.OBJECT_WRITER, s3.ObjectOwnership.BUCKET_OWNER_PREFERRED])('warns on Object Ownership %s', (ownership) => {
    const { stack, bucket } = existingBucketStack({ objectOwnership: ownership });
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    expect(warningsWithId(stack, SegmentsAccessWarnings.ACL_OWNERSHIP)).toHaveLength(1);
  });
  it('does not warn with BucketOwnerEnforced', () => {
    const { stack, bucket } = existingBucketStack({ objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED });
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    expect(warningsWithId(stack, SegmentsAccessWarnings.ACL_OWNERSHIP)).toEqual([]);
  });
});

describe('it warns when an earlier CORS rule answers Segments first', () => {
  it('warns when an earlier rule allows GET from the same origin', () => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket', {
      cors: [{ allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD], allowedOrigins: ['https://*.ai'] }],
    });
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    expect(warningsWithId(stack, SegmentsAccessWarnings.EARLIER_CORS_RULE)).toHaveLength(1);
  });
  it("warns when an earlier rule allows GET from the web app's subdomain, which the default wildcard covers", () => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket', {
      cors: [{ allowedMethods: [s3.HttpMethods.GET], allowedOrigins: ['https://app.segments.ai'] }],
    });
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    expect(warningsWithId(stack, SegmentsAccessWarnings.EARLIER_CORS_RULE)).toHaveLength(1);
  });
  it('does not warn when the earlier rule is for other origins', () => {
    const { stack, bucket } = existingBucketStack();
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    expect(warningsWithId(stack, SegmentsAccessWarnings.EARLIER_CORS_RULE)).toEqual([]);
  });
});

describe('in another stack than its bucket, it still grants in the bucket\'s stack (docs/aws.md)', () => {
  it('puts the statement and the CORS rule in the bucket\'s stack and nothing in its own', () => {
    const { app, stack: bucketStack } = newStack();
    const accessStack = new Stack(app, 'AccessStack');
    const bucket = new s3.Bucket(bucketStack, 'Data', { enforceSSL: true });
    new SegmentsAccess(accessStack, 'Access', { bucket });
    // Its own stack is left empty, which the empty-stack warning (issue 18) reports.
    const inBucketStack = expectingWarnings(() => Template.fromStack(bucketStack));
    const statements = onlyResource(inBucketStack, 'AWS::S3::BucketPolicy').resource.Properties.PolicyDocument.Statement as { Sid?: string }[];
    expect(statements.map((s) => s.Sid)).toContain('segments-s3-access');
    expect(onlyResource(inBucketStack, 'AWS::S3::Bucket').resource.Properties.CorsConfiguration.CorsRules).toHaveLength(1);
    expect(warningsWithId(accessStack, 'segments-cloud-constructs:empty-stack')).toHaveLength(1);
    expect(Template.fromStack(accessStack).toJSON().Resources ?? {}).toEqual({});
  });
});
