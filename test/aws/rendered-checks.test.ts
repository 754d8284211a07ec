/**
 * The checks judge the template as it is written (issue 8, AWS holes 1-7): every case here
 * synthesized without an error or a warning before, and is refused or warned about now.
 */
import { Annotations, App, CfnCondition, CfnParameter, CfnResource, Fn, Lazy, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { expectingWarnings, newStack, onlyResource, warningsWithId } from './app';
import { SegmentsAccess, SegmentsAccessWarnings, SegmentsBucket, SegmentsImportedBucketAccess } from '../../lib/aws';

/** A plain bucket (named `acme-images`) with SegmentsAccess: the Segments statement is Statement 0. */
function accessStack(bucketProps: s3.BucketProps = {}, accessProps: { keyPrefixes?: string[]; allowedOrigins?: string[] } = {}) {
  const { app, stack } = newStack();
  const bucket = new s3.Bucket(stack, 'Images', { bucketName: 'acme-images', ...bucketProps });
  const access = new SegmentsAccess(stack, 'SegmentsAccess', { bucket, ...accessProps });
  const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
  const cfnPolicy = () => bucket.policy!.node.defaultChild as s3.CfnBucketPolicy;
  return { app, stack, bucket, access, cfnBucket, cfnPolicy };
}

describe('1. escape hatches on the bucket policy and CORS are judged in the rendered template', () => {
  it('accepts the template as built (control)', () => {
    const { app } = accessStack();
    expect(() => app.synth()).not.toThrow();
  });

  it.each([
    ['Principal', '*'],
    ['Action', 's3:*'],
    ['Resource', '*'],
    ['Condition', { Bool: { 'aws:SecureTransport': 'true' } }],
  ])('refuses an override of the Segments statement\'s %s', (field, value) => {
    const { app, cfnPolicy } = accessStack();
    cfnPolicy().addPropertyOverride(`PolicyDocument.Statement.0.${field}`, value);
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\): the bucket policy statement 'segments-s3-access' in the template is not the one SegmentsAccess built/);
  });

  it('refuses a change made through the exposed policyStatement and corsRule', () => {
    const one = accessStack();
    one.access.policyStatement.addActions('s3:PutObject');
    expect(() => one.app.synth()).toThrow(/the bucket policy statement 'segments-s3-access' in the template is not the one SegmentsAccess built/);
    const two = accessStack();
    two.access.corsRule.allowedMethods.push(s3.HttpMethods.PUT);
    expect(() => two.app.synth()).toThrow(/the Segments CORS rule .* is missing from the template or was changed/);
  });

  it('refuses a policy document replaced through the L1', () => {
    const { app, cfnPolicy } = accessStack();
    cfnPolicy().policyDocument = { Statement: [] };
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\): the bucket policy statement 'segments-s3-access' in the template is missing/);
  });

  it('refuses a bucket whose policy resource was removed', () => {
    const { app, bucket } = accessStack();
    expect(bucket.policy!.node.tryRemoveChild('Resource')).toBe(true);
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\) has no AWS::S3::BucketPolicy in the template that grants Segments/);
  });

  it.each([
    ['AllowedMethods', ['GET', 'PUT']],
    ['AllowedHeaders', ['Authorization']],
    ['AllowedOrigins', ['https://evil.example.com']],
    ['ExposedHeaders', ['ETag']],
    ['MaxAge', 12345],
    ['Id', 'renamed'],
  ])('refuses an in-place change of the Segments CORS rule\'s %s', (field, value) => {
    const { app, cfnBucket } = accessStack();
    cfnBucket.addPropertyOverride(`CorsConfiguration.CorsRules.0.${field}`, value);
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\): the Segments CORS rule .* is missing from the template or was changed/);
  });
});

describe('2. a separate bucket policy anywhere in the app is refused', () => {
  const document = { Version: '2012-10-17', Statement: [] };
  /** An s3.BucketPolicy needs a statement to synthesize. */
  const addStatement = (policy: s3.BucketPolicy) => policy.document.addStatements(new iam.PolicyStatement({
    effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:DeleteBucket'], resources: [policy.bucket.bucketArn],
  }));

  it('in another stack, by reference', () => {
    const { app, bucket } = accessStack();
    new s3.CfnBucketPolicy(new Stack(app, 'Other'), 'Separate', { bucket: bucket.bucketName, policyDocument: document });
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\) also has the bucket policy Other\/Separate/);
  });

  it('in a nested stack', () => {
    const { app, stack, bucket } = accessStack();
    addStatement(new s3.BucketPolicy(new NestedStack(stack, 'Nested'), 'Separate', { bucket }));
    expect(() => app.synth()).toThrow(/also has the bucket policy TestStack\/Nested\/Separate\/Resource/);
  });

  it('naming the bucket by its literal name', () => {
    const { app, stack } = accessStack();
    new s3.CfnBucketPolicy(stack, 'Separate', { bucket: 'acme-images', policyDocument: document });
    // In the bucket's own stack, the rendered template's check finds it (the app-wide check judges the other stacks).
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\) has a second AWS::S3::BucketPolicy in the template, Separate \(TestStack\/Separate\)/);
  });

  it('through Bucket.fromBucketName in another stack', () => {
    const { app } = accessStack();
    const other = new Stack(app, 'Other');
    addStatement(new s3.BucketPolicy(other, 'Separate', { bucket: s3.Bucket.fromBucketName(other, 'Imported', 'acme-images') }));
    expect(() => app.synth()).toThrow(/also has the bucket policy Other\/Separate\/Resource/);
  });

  it('but not a policy of another bucket (control)', () => {
    const { app } = accessStack();
    const other = new Stack(app, 'Other');
    addStatement(new s3.BucketPolicy(other, 'Separate', { bucket: s3.Bucket.fromBucketName(other, 'Imported', 'acme-other') }));
    addStatement(new s3.BucketPolicy(other, 'OfAnotherBucket', { bucket: new s3.Bucket(other, 'Another') }));
    expect(() => app.synth()).not.toThrow();
  });
});

describe('3. lock-outs: every Deny that can match Segments\' GET warns, naming the statement, the keys and the exemption', () => {
  function denyWarnings(statement: Partial<iam.PolicyStatementProps>) {
    const { stack, bucket } = accessStack();
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'guard', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('*')], ...statement,
    }));
    return warningsWithId(stack, SegmentsAccessWarnings.LOCKOUT_DENY);
  }

  it.each([
    ['aws:PrincipalOrgID', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }],
    ['aws:PrincipalAccount', { StringNotEquals: { 'aws:PrincipalAccount': '111122223333' } }],
    ['aws:PrincipalTag/team', { StringNotEquals: { 'aws:PrincipalTag/team': 'data' } }],
    ['aws:PrincipalArn', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } }],
    ['aws:SourceIp', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }],
    ['aws:SourceVpce', { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }],
    ['aws:SourceVpc', { StringNotEquals: { 'aws:SourceVpc': 'vpc-111bbb22' } }],
    ['s3:signatureAge', { NumericGreaterThan: { 's3:signatureAge': 600000 } }],
  ])('warns on a Deny conditioned on %s', (key, conditions) => {
    const warnings = denyWarnings({ conditions });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`statement guard denies on ${key}`);
    expect(warnings[0]).toContain('"aws:PrincipalArn": "arn:aws:iam::931508227573:user/segmentsai-prod-user"');
  });

  it('warns on a Deny with no condition at all', () => {
    expect(denyWarnings({})[0]).toContain('statement guard denies with no condition');
  });

  it.each([
    ['NotPrincipal', { principals: undefined, notPrincipals: [new iam.AccountRootPrincipal()] }],
    ['NotAction', { actions: undefined, notActions: ['s3:PutObject'] }],
    ['NotResource', { resources: undefined, notResources: ['arn:aws:s3:::acme-images/private/*'] }],
  ])('warns on a Deny with %s', (element, statement) => {
    expect(denyWarnings(statement as Partial<iam.PolicyStatementProps>)[0]).toContain(`statement guard uses ${element}`);
  });

  it.each([
    ['aws:SecureTransport false', { conditions: { Bool: { 'aws:SecureTransport': 'false' } } }],
    ['s3:TlsVersion below 1.2', { conditions: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }],
    ['Segments exempted by aws:PrincipalArn', { conditions: {
      StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
      ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::931508227573:user/segmentsai-prod-user' },
    } }],
    ['another principal only', { principals: [new iam.ArnPrincipal('arn:aws:iam::111122223333:role/intern')] }],
    ['another action only', { actions: ['s3:PutObject'] }],
  ])('stays quiet on a Deny with %s', (_name, statement) => {
    expect(denyWarnings(statement as Partial<iam.PolicyStatementProps>)).toEqual([]);
  });
});

describe('4. encryption is judged in the rendered template', () => {
  const kmsOverride = (keyId?: string): s3.CfnBucket.BucketEncryptionProperty => ({
    serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyId } }],
  });

  it('refuses a later override to SSE-KMS without a key (aws/s3)', () => {
    const { app, cfnBucket } = accessStack();
    cfnBucket.bucketEncryption = kmsOverride();
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\) is encrypted with the AWS managed key aws\/s3 \(SSE-KMS without a key\)/);
  });

  it.each(['alias/aws/s3', 'arn:aws:kms:eu-west-1:111122223333:alias/aws/s3'])('refuses KMSMasterKeyID %s', (keyId) => {
    const { app, cfnBucket } = accessStack();
    cfnBucket.bucketEncryption = kmsOverride(keyId);
    expect(() => app.synth()).toThrow(/is encrypted with the AWS managed key aws\/s3 \(KMSMasterKeyID/);
  });

  it('warns when the key is given by ID, not an IKey of the app', () => {
    const { stack, cfnBucket } = accessStack();
    cfnBucket.bucketEncryption = kmsOverride('arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.IMPORTED_KMS_KEY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/KMS key given by ID .*kms:Decrypt/);
  });

  it('does not warn for a key of the app (control)', () => {
    const { stack } = accessStack({ encryptionKey: undefined });
    const bucket = new s3.Bucket(stack, 'WithKey', { encryptionKey: new kms.Key(stack, 'Key') });
    new SegmentsAccess(stack, 'WithKeyAccess', { bucket });
    expect(warningsWithId(stack, 'segments-cloud-constructs:')).toEqual([]);
  });

  it('takes kms:ViaService\'s region from the bucket\'s stack, not the SegmentsAccess stack', () => {
    const { app } = newStack();
    const dataStack = new Stack(app, 'Data', { env: { account: '123456789012', region: 'eu-west-1' } });
    const accessStackUs = new Stack(app, 'Access', { env: { account: '123456789012', region: 'us-east-1' } });
    const bucket = new s3.Bucket(dataStack, 'Bucket', { encryptionKey: new kms.Key(dataStack, 'Key') });
    new SegmentsAccess(accessStackUs, 'SegmentsAccess', { bucket });
    // The Access stack is left empty, which the empty-stack warning reports.
    const statements: any[] = onlyResource(expectingWarnings(() => Template.fromStack(dataStack)), 'AWS::KMS::Key').resource.Properties.KeyPolicy.Statement;
    expect(statements.find((s) => s.Sid === 'segments-kms-decrypt').Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
  });
});

describe('5. tokens never crash and never pass silently', () => {
  it('checks a Lazy prefix that resolves at synth like a literal', () => {
    const { app } = accessStack({}, { keyPrefixes: [Lazy.string({ produce: () => '' })] });
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\): keyPrefixes\[0\] is an empty string.*\(a token resolved at synth\)/);
  });

  it('checks a Lazy origin that resolves at synth like a literal', () => {
    const { app } = accessStack({}, { allowedOrigins: [Lazy.string({ produce: () => 'http://segments.ai' })] });
    expect(() => app.synth()).toThrow(/allowedOrigins\[0\] \('http:\/\/segments\.ai'\) must use https/);
  });

  it('warns, with a stable ID, on deploy-time prefixes and origins, and does not refuse them', () => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Images');
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket, keyPrefixes: ['images/', prefix], allowedOrigins: [Fn.importValue('SegmentsOrigin')] });
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.DEPLOY_TIME_TOKEN);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/keyPrefixes\[1\], allowedOrigins\[0\] is only known at deploy time.*would grant Segments the whole bucket/);
  });

  it.each([
    ['CfnParameter.valueAsList', (stack: Stack) => new CfnParameter(stack, 'Prefixes', { type: 'CommaDelimitedList' }).valueAsList],
    ['Fn.split', () => Fn.split(',', Fn.importValue('Prefixes'))],
    ['Lazy.list', () => Lazy.list({ produce: () => ['images/'] })],
  ])('refuses keyPrefixes given as a list token (%s) with a sentence, not a crash', (_how, list) => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Images');
    expect(() => new SegmentsAccess(stack, 'SegmentsAccess', { bucket, keyPrefixes: list(stack) }))
      .toThrow(/keyPrefixes is a list token \(CfnParameter\.valueAsList, Fn\.split or Lazy\.list\)/);
  });
});

describe('6. inputs', () => {
  it('refuses urlForKey with a . or .. segment, which URL parsing would remove', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data', { bucketName: 'acme-data', keyPrefixes: ['images/'] });
    expect(() => data.urlForKey('images/../secret.jpg')).toThrow(/urlForKey\(key\) \('images\/\.\.\/secret\.jpg'\) has a '\.' or '\.\.' segment/);
    expect(() => data.urlForKey('images/./a.jpg')).toThrow(/has a '\.' or '\.\.' segment/);
    expect(data.urlForKey('images/.hidden/a..jpg')).toBe(`${data.urlPrefix}images/.hidden/a..jpg`);
  });

  it('warns when SegmentsAccess is given a bucket whose name has a dot', () => {
    const { stack } = accessStack({ bucketName: 'acme.images' });
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.DOTTED_BUCKET_NAME);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/'acme\.images' has a dot: the virtual-hosted HTTPS URLs/);
  });
});

describe('7. messages that tell the truth', () => {
  it('the earlier-CORS-rule warning gives advice that can be followed', () => {
    const { stack } = accessStack({ cors: [{ allowedMethods: [s3.HttpMethods.GET], allowedOrigins: ['https://segments.ai'] }] });
    const warnings = warningsWithId(stack, SegmentsAccessWarnings.EARLIER_CORS_RULE);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toMatch(/add SegmentsAccess before it/);
    expect(warnings[0]).toMatch(/add that rule with bucket\.addCorsRule\(\) after SegmentsAccess/);
  });

  it('the earlier-CORS-rule advice works: a rule added after SegmentsAccess does not warn', () => {
    const { stack, bucket } = accessStack();
    bucket.addCorsRule({ allowedMethods: [s3.HttpMethods.GET], allowedOrigins: ['https://segments.ai'] });
    expect(warningsWithId(stack, SegmentsAccessWarnings.EARLIER_CORS_RULE)).toEqual([]);
  });

  it('bounds the policy size from the template once tokens resolve: 41 statements with long role ARNs are refused', () => {
    const { stack, bucket } = accessStack();
    for (let i = 0; i < 41; i++) {
      const role = new iam.Role(stack, `Role${i}`, {
        assumedBy: new iam.AccountRootPrincipal(),
        roleName: `labeling-pipeline-stage-${String(i).padStart(2, '0')}-worker-role-with-a-long-name`.slice(0, 64),
        path: `/${'organisation-department-team-project/'.repeat(9)}`,
      });
      bucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: `pipeline-${i}`, principals: [new iam.ArnPrincipal(role.roleArn)], actions: ['s3:GetObject', 's3:PutObject'],
        resources: [bucket.arnForObjects(`pipelines/stage-${i}/*`)],
      }));
    }
    expect(() => Template.fromStack(stack)).toThrow(/bucket \('TestStack\/Images'\): the bucket policy would be up to 2\d{4} bytes once deployed, over S3's 20 KB limit/);
  });
});

// Found in a review of issue 8's checks: each case synthesized before with no error, or with a warning that was wrong or lost.

describe('an aws-cdk-lib without the template renderer is refused, not a warning that skips every template check', () => {
  it('refuses at synth, naming the aws-cdk-lib version and the fix (a Lazy prefix that resolves to \'\' would otherwise grant the whole bucket)', () => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Images');
    const renderer = Object.getOwnPropertyDescriptor(Stack.prototype, '_toCloudFormation');
    expect(renderer).toBeDefined();
    delete (Stack.prototype as unknown as Record<string, unknown>)._toCloudFormation;
    try {
      expect(() => new SegmentsAccess(stack, 'SegmentsAccess', { bucket, keyPrefixes: [Lazy.string({ produce: () => '' })] })).toThrow(new RegExp(
        `bucket \\('TestStack/Images'\\): the stack TestStack cannot be checked: aws-cdk-lib ${require('aws-cdk-lib/package.json').version.replace(/\./g, '\\.')} ` +
        'has no Stack\\._toCloudFormation.*Use an aws-cdk-lib version this library was tested with .*or upgrade segments-cloud-constructs'));
    } finally {
      Object.defineProperty(Stack.prototype, '_toCloudFormation', renderer!);
    }
    expect(typeof (stack as unknown as Record<string, unknown>)._toCloudFormation).toBe('function');
  });
});

describe('fail closed: a stack written without its template check having run is refused (issue 18, item 10-11)', () => {
  type Synthesize = (this: Stack, ...args: unknown[]) => void;
  /**
   * Simulates an aws-cdk-lib that keeps Stack._toCloudFormation but writes the template without
   * calling the stack's own (here: the class's renderer, called directly), so the wrapped renderer
   * of the checks never runs.
   */
  function withRendererBypassed<T>(build: () => T): T {
    const proto = Stack.prototype as unknown as { _synthesizeTemplate: Synthesize; _toCloudFormation: () => unknown };
    const synthesizeTemplate = proto._synthesizeTemplate;
    const spy = jest.spyOn(proto, '_synthesizeTemplate').mockImplementation(function bypass(this: Stack, ...args: unknown[]) {
      const own = Object.getOwnPropertyDescriptor(this, '_toCloudFormation');
      Object.defineProperty(this, '_toCloudFormation', { configurable: true, writable: true, value: proto._toCloudFormation });
      try {
        return synthesizeTemplate.apply(this, args);
      } finally {
        if (own) {
          Object.defineProperty(this, '_toCloudFormation', own);
        }
      }
    });
    try {
      return build();
    } finally {
      spy.mockRestore();
    }
  }

  it('the simulation writes the template as aws-cdk-lib does (control: a stack without Segments constructs)', () => {
    const { app, stack } = newStack();
    new s3.Bucket(stack, 'Images');
    const assembly = withRendererBypassed(() => app.synth());
    expect(Object.keys(assembly.getStackByName('TestStack').template.Resources)).toHaveLength(1);
  });

  it('refuses the stack, naming it and the fix, where the escape hatch would otherwise pass unseen', () => {
    const { app, cfnPolicy } = accessStack();
    cfnPolicy().addPropertyOverride('PolicyDocument.Statement.0.Action', 's3:*');
    expect(() => withRendererBypassed(() => app.synth())).toThrow(new RegExp(
      'SegmentsAccess refused its input:\n  - the stack TestStack was written without segments-cloud-constructs\' check of its template: ' +
      'aws-cdk-lib \\d+\\.\\d+\\.\\d+ did not render it through Stack\\._toCloudFormation.*Use an aws-cdk-lib version this library was tested with'));
  });

  it('refuses a SegmentsBucket\'s stack and an imported-bucket grant\'s stack the same way', () => {
    const bucketApp = newStack();
    new SegmentsBucket(bucketApp.stack, 'Data', { bucketName: 'acme-data' });
    expect(() => withRendererBypassed(() => bucketApp.app.synth())).toThrow(/the stack TestStack was written without segments-cloud-constructs' check/);
    const imported = newStack();
    new SegmentsImportedBucketAccess(imported.stack, 'Grant', { bucket: s3.Bucket.fromBucketName(imported.stack, 'B', 'acme-existing') });
    expect(() => withRendererBypassed(() => imported.app.synth())).toThrow(
      /SegmentsImportedBucketAccess refused its input:\n  - the stack TestStack was written without segments-cloud-constructs' check/);
  });

  it('passes when the renderer ran: a second synth, and a nested stack (control)', () => {
    const { app, stack } = accessStack();
    expect(() => app.synth()).not.toThrow();
    expect(() => app.synth({ force: true })).not.toThrow();
    const nested = new NestedStack(stack, 'Nested');
    new SegmentsAccess(nested, 'NestedAccess', { bucket: new s3.Bucket(nested, 'NestedImages') });
    expect(() => forcedSynth(app)).not.toThrow();
  });
});

/** A forced synth of the whole app. */
const forcedSynth = (app: App) => app.synth({ force: true });

describe('a problem in a stack with several SegmentsAccess', () => {
  it('is thrown under the SegmentsAccess whose bucket failed, not the first one of the stack', () => {
    const { app, stack } = accessStack();
    const second = new s3.Bucket(stack, 'Second');
    new SegmentsAccess(stack, 'SecondAccess', { bucket: second });
    (second.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride('PolicyDocument.Statement.0.Action', 's3:*');
    let thrown: unknown;
    try {
      app.synth();
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).toMatch(/bucket \('TestStack\/Second'\): the bucket policy statement 'segments-s3-access'/);
    expect((thrown as { constructPath?: string }).constructPath).toBe('TestStack/SecondAccess');
  });
});

const kmsKeyOverride = (keyId: string): s3.CfnBucket.BucketEncryptionProperty => ({
  serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyId } }],
});

describe('the AWS managed key aws/s3 given as an IKey is refused, not warned about', () => {
  it.each([
    ['kms.Alias.fromAliasName', (stack: Stack) => kms.Alias.fromAliasName(stack, 'S3Key', 'alias/aws/s3'), /encryptionKey is the alias 'alias\/aws\/s3'/],
    ['kms.Key.fromKeyArn', (stack: Stack) => kms.Key.fromKeyArn(stack, 'S3Key', 'arn:aws:kms:eu-west-1:111122223333:alias/aws/s3'),
      /encryptionKey has the ARN 'arn:aws:kms:eu-west-1:111122223333:alias\/aws\/s3'/],
  ])('through %s', (_how, key, detail) => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Images', { encryption: s3.BucketEncryption.KMS, encryptionKey: key(stack) });
    expect(() => new SegmentsAccess(stack, 'SegmentsAccess', { bucket }))
      .toThrow(new RegExp(`bucket \\('TestStack/Images'\\) is encrypted with the AWS managed key aws/s3 \\(${detail.source}`));
  });

  it('in the rendered KMSMasterKeyID, an Fn::Join ending in :alias/aws/s3', () => {
    const { app, stack, cfnBucket } = accessStack();
    cfnBucket.bucketEncryption = kmsKeyOverride(stack.formatArn({ service: 'kms', resource: 'alias', resourceName: 'aws/s3' }));
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\) is encrypted with the AWS managed key aws\/s3 \(KMSMasterKeyID \{"Fn::Join".*:alias\/aws\/s3"\]\]\}\)/);
  });

  it('but a customer alias stays a warning (control)', () => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Images', { encryption: s3.BucketEncryption.KMS, encryptionKey: kms.Alias.fromAliasName(stack, 'Key', 'alias/acme/aws/s3') });
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    expect(warningsWithId(stack, SegmentsAccessWarnings.IMPORTED_KMS_KEY)).toHaveLength(1);
  });
});

describe('a second bucket policy on the bucket in the rendered template, and a condition on its own, are refused', () => {
  const statement = new iam.PolicyStatement({ principals: [new iam.AccountRootPrincipal()], actions: ['s3:PutObject'], resources: ['*'] });
  const ownPolicy = /besides its own ImagesPolicy[0-9A-F]{8} \(TestStack\/Images\/Policy\/Resource\)/;

  it('another bucket\'s policy pointed at it with addPropertyOverride(\'Bucket\')', () => {
    const { app, stack, cfnBucket } = accessStack();
    const other = new s3.Bucket(stack, 'Other');
    other.addToResourcePolicy(statement);
    (other.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride('Bucket', { Ref: stack.getLogicalId(cfnBucket) });
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\) has a second AWS::S3::BucketPolicy in the template, OtherPolicy[0-9A-F]{8} \(TestStack\/Other\/Policy\/Resource\)/);
    expect(() => app.synth({ force: true })).toThrow(ownPolicy);
  });

  it.each([
    ['a Ref', (cfnBucket: s3.CfnBucket) => ({ Ref: Stack.of(cfnBucket).getLogicalId(cfnBucket) })],
    ['its literal name', () => 'acme-images'],
  ])('a raw CfnResource of type AWS::S3::BucketPolicy naming it by %s', (_how, target) => {
    const { app, stack, cfnBucket } = accessStack();
    new CfnResource(stack, 'Raw', { type: 'AWS::S3::BucketPolicy', properties: { Bucket: target(cfnBucket), PolicyDocument: { Statement: [] } } });
    expect(() => app.synth()).toThrow(/has a second AWS::S3::BucketPolicy in the template, Raw \(TestStack\/Raw\), besides its own ImagesPolicy/);
  });

  it('a CloudFormation Condition on its own policy, so it may never deploy', () => {
    const { app, stack, cfnPolicy } = accessStack();
    cfnPolicy().cfnOptions.condition = new CfnCondition(stack, 'Never', { expression: Fn.conditionEquals('a', 'b') });
    expect(() => app.synth()).toThrow(/bucket \('TestStack\/Images'\): its bucket policy ImagesPolicy[0-9A-F]{8} \(TestStack\/Images\/Policy\/Resource\) has the CloudFormation Condition "Never"/);
  });

  it('but another bucket\'s own policy is not (control)', () => {
    const { app, stack } = accessStack();
    new s3.Bucket(stack, 'Other').addToResourcePolicy(statement);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('warnings reach the cloud assembly when SegmentsAccess is in a stack written before the bucket\'s', () => {
  /** No feature flags: warnings go to the assembly (manifest.json), as `cdk synth` reads them. */
  function crossStack(acknowledge?: (access: SegmentsAccess) => void) {
    const app = new App({ builtinCloudFormationValidation: false });
    const accessStackFirst = new Stack(app, 'Access');
    const data = new Stack(app, 'Data');
    const bucket = new s3.Bucket(data, 'Images', {
      bucketName: 'acme.images',
      cors: [{ allowedMethods: [s3.HttpMethods.GET], allowedOrigins: ['https://segments.ai'] }],
    });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'guard', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')],
    }));
    const access = new SegmentsAccess(accessStackFirst, 'SegmentsAccess', { bucket });
    acknowledge?.(access);
    const assembly = app.synth();
    return ['Access', 'Data'].flatMap((name) => assembly.getStackByName(name).messages)
      .filter((message) => message.level === 'warning').map((message) => `${message.id}: ${String(message.entry.data)}`);
  }

  it('lock-out, dotted-name and earlier-CORS-rule warnings are in the bucket\'s stack artifact, naming SegmentsAccess', () => {
    const warnings = crossStack();
    for (const id of [SegmentsAccessWarnings.LOCKOUT_DENY, SegmentsAccessWarnings.DOTTED_BUCKET_NAME, SegmentsAccessWarnings.EARLIER_CORS_RULE]) {
      const found = warnings.filter((warning) => warning.includes(id));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^\/Data\/Images: bucket \('Data\/Images'\): .*\(from Access\/SegmentsAccess\)/);
    }
  });

  it('a warning acknowledged on SegmentsAccess stays quiet there too', () => {
    const warnings = crossStack((access) => Annotations.of(access).acknowledgeWarning(SegmentsAccessWarnings.LOCKOUT_DENY, 'reviewed'));
    expect(warnings.filter((warning) => warning.includes(SegmentsAccessWarnings.LOCKOUT_DENY))).toEqual([]);
    expect(warnings.filter((warning) => warning.includes(SegmentsAccessWarnings.DOTTED_BUCKET_NAME))).toHaveLength(1);
  });
});
