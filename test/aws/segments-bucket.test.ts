import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, App, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack, onlyResource, resourcesOfType, arnWithSuffix, warningsWithId, expectingWarnings } from './app';
import { SegmentsBucket, SegmentsBucketWarnings, segmentsBucketProps } from '../../lib/aws';
import { SEGMENTS_AWS_PRINCIPAL_ARN } from '../../lib/segments';

function synth(props: ConstructorParameters<typeof SegmentsBucket>[2] = {}) {
  const { stack } = newStack();
  const construct = new SegmentsBucket(stack, 'Data', props);
  const template = Template.fromStack(stack);
  const bucket = onlyResource(template, 'AWS::S3::Bucket');
  const policy = onlyResource(template, 'AWS::S3::BucketPolicy');
  return { stack, construct, template, bucket, policy, statements: policy.resource.Properties.PolicyDocument.Statement as any[] };
}

describe('the synthesized templates are reviewed artifacts', () => {
  it('default', () => {
    expect(synth().template.toJSON()).toMatchSnapshot();
  });
  it('with key prefixes', () => {
    expect(synth({ bucketName: 'acme-labeling-data', keyPrefixes: ['images/', 'videos/'] }).template.toJSON()).toMatchSnapshot();
  });
  it('with a customer managed KMS key', () => {
    const { stack } = newStack();
    const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
    new SegmentsBucket(stack, 'Data', { encryptionKey: key });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});

describe('Segments gets exactly the statement of its doc', () => {
  it('allows only s3:GetObject on the objects, for the Segments user', () => {
    const { bucket, statements } = synth();
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([{
      Sid: 'segments-s3-access',
      Effect: 'Allow',
      Principal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN },
      Action: 's3:GetObject',
      Resource: arnWithSuffix(bucket.logicalId, '/*'),
    }]);
  });

  it('scopes the statement to each key prefix', () => {
    const { bucket, statements } = synth({ keyPrefixes: ['images/', 'videos/'] });
    const segments = statements.find((s) => s.Sid === 'segments-s3-access');
    expect(segments.Resource).toEqual([
      arnWithSuffix(bucket.logicalId, '/images/*'),
      arnWithSuffix(bucket.logicalId, '/videos/*'),
    ]);
  });

  it('grants nothing on the bucket itself (no ListBucket, no GetBucket*)', () => {
    const { statements } = synth();
    const allowedActions = statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat());
    expect(allowedActions).toEqual(['s3:GetObject']);
  });
});

describe('the CORS rule is GET only, from the given origins', () => {
  it("uses the vendor rule by default, for the apex and Segments' subdomains, with the ID segments-cors", () => {
    const { bucket } = synth();
    expect(bucket.resource.Properties.CorsConfiguration).toEqual({
      CorsRules: [{
        Id: 'segments-cors', AllowedHeaders: ['*'], AllowedMethods: ['GET'],
        AllowedOrigins: ['https://segments.ai', 'https://*.segments.ai'], ExposedHeaders: [],
      }],
    });
  });
  it('takes the origins given', () => {
    const { bucket } = synth({ allowedOrigins: ['https://segments.ai', 'https://app.segments.ai'] });
    expect(bucket.resource.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins).toEqual(['https://segments.ai', 'https://app.segments.ai']);
  });
});

describe('the bucket has secure defaults', () => {
  it('blocks all public access, without help from feature flags', () => {
    // No cdk.json context: the flag @aws-cdk/aws-s3:publicAccessBlockedByDefault fills in every
    // setting a BlockPublicAccess leaves out, which would hide a default weakened to BLOCK_ACLS.
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'NoFlags');
    new SegmentsBucket(stack, 'Data');
    expect(app.node.tryGetContext('@aws-cdk/aws-s3:publicAccessBlockedByDefault')).toBeUndefined();
    expect(onlyResource(Template.fromStack(stack), 'AWS::S3::Bucket').resource.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
  });
  it('turns ACLs off (BucketOwnerEnforced)', () => {
    expect(synth().bucket.resource.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });
  it('encrypts with SSE-S3 by default', () => {
    expect(synth().bucket.resource.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });
  it('is versioned by default, and not when asked', () => {
    expect(synth().bucket.resource.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(synth({ versioned: false }).bucket.resource.Properties.VersioningConfiguration).toBeUndefined();
  });
  it('denies plain HTTP and TLS below 1.2 to everyone', () => {
    const denies = synth().statements.filter((s) => s.Effect === 'Deny');
    expect(denies.map((s) => s.Condition)).toEqual([
      { Bool: { 'aws:SecureTransport': 'false' } },
      { NumericLessThan: { 's3:TlsVersion': 1.2 } },
    ]);
    expect(denies.every((s) => s.Principal.AWS === '*' && s.Action === 's3:*')).toBe(true);
  });
  it('retains the bucket on delete and on replacement', () => {
    const { bucket } = synth();
    expect(bucket.resource.DeletionPolicy).toBe('Retain');
    expect(bucket.resource.UpdateReplacePolicy).toBe('Retain');
  });
  it('never empties the bucket (no auto-delete custom resource)', () => {
    const { template } = expectingWarnings(() => synth({ removalPolicy: RemovalPolicy.DESTROY }));
    expect(resourcesOfType(template, 'Custom::S3AutoDeleteObjects')).toEqual({});
    expect(resourcesOfType(template, 'AWS::Lambda::Function')).toEqual({});
  });
  it('keeps the defaults in a pure function that needs no stack', () => {
    const props = segmentsBucketProps({});
    expect(props).toMatchObject({
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
    });
  });
});

describe('a customer managed KMS key is shared with Segments for decryption only', () => {
  it('uses SSE-KMS with the key and a bucket key', () => {
    const { stack } = newStack();
    const key = new kms.Key(stack, 'DataKey');
    new SegmentsBucket(stack, 'Data', { encryptionKey: key });
    const template = Template.fromStack(stack);
    const keyId = onlyResource(template, 'AWS::KMS::Key').logicalId;
    expect(onlyResource(template, 'AWS::S3::Bucket').resource.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      }],
    });
  });
  it('adds one key policy statement: kms:Decrypt, through S3 in the stack region', () => {
    const { stack } = newStack({ env: { region: 'eu-west-1', account: '111122223333' } });
    const key = new kms.Key(stack, 'DataKey');
    new SegmentsBucket(stack, 'Data', { encryptionKey: key });
    const statements: any[] = onlyResource(Template.fromStack(stack), 'AWS::KMS::Key').resource.Properties.KeyPolicy.Statement;
    const forSegments = statements.filter((s) => JSON.stringify(s.Principal).includes('931508227573'));
    expect(forSegments).toEqual([{
      Sid: 'segments-kms-decrypt',
      Effect: 'Allow',
      Principal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    }]);
  });
});

describe('outputs and URLs are virtual-hosted style', () => {
  it('outputs the bucket name and the URL prefix', () => {
    const { template, bucket } = synth();
    const outputs = template.toJSON().Outputs;
    const values = Object.values(outputs).map((o: any) => o.Value);
    expect(values).toContainEqual({ Ref: bucket.logicalId });
    expect(values).toContainEqual({ 'Fn::Join': ['', ['https://', { Ref: bucket.logicalId }, '.s3.', { Ref: 'AWS::Region' }, '.amazonaws.com/']] });
  });
  it('adds exactly the two outputs by default', () => {
    const { template } = synth();
    expect(Object.keys(template.toJSON().Outputs)).toHaveLength(2);
  });
  it('adds no output with outputs: false, so 101 buckets fit in one stack', () => {
    // CloudFormation allows 200 outputs a stack: two per bucket would refuse the 101st bucket.
    const { stack } = newStack({ env: { region: 'eu-west-1' } });
    const buckets = Array.from({ length: 101 }, (_, i) => new SegmentsBucket(stack, `Data${i}`, { bucketName: `acme-data-${i}`, outputs: false }));
    expect(Template.fromStack(stack).toJSON().Outputs ?? {}).toEqual({});
    expect(buckets[100].urlPrefix).toBe('https://acme-data-100.s3.eu-west-1.amazonaws.com/');
  });
  it('builds object URLs with each path segment percent-encoded', () => {
    const { stack } = newStack({ env: { region: 'eu-west-1' } });
    const data = new SegmentsBucket(stack, 'Data', { bucketName: 'acme-data' });
    expect(data.urlPrefix).toBe('https://acme-data.s3.eu-west-1.amazonaws.com/');
    expect(data.urlForKey('images/cat #1/ä b.jpg')).toBe('https://acme-data.s3.eu-west-1.amazonaws.com/images/cat%20%231/%C3%A4%20b.jpg');
  });
  it('refuses a URL for a key outside keyPrefixes', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data', { keyPrefixes: ['images/'] });
    expect(() => data.urlForKey('other/a.jpg')).toThrow(/urlForKey\(key\) \('other\/a.jpg'\) is outside keyPrefixes/);
    expect(data.urlForKey('images/a.jpg')).toMatch(/images\/a\.jpg$/);
  });
  it('keeps stable logical IDs for the bucket and its policy', () => {
    const { bucket, policy } = synth();
    expect(bucket.logicalId).toBe('DataBucketE6B0FAA8');
    expect(policy.logicalId).toBe('DataBucketPolicyE215AACA');
  });
});

describe('bad input fails at synth with the prop named', () => {
  const refusals: [string, ConstructorParameters<typeof SegmentsBucket>[2], RegExp][] = [
    ['a dotted bucket name', { bucketName: 'acme.data' }, /bucketName \('acme\.data'\) contains a dot/],
    ['an invalid bucket name', { bucketName: 'Acme_Data' }, /bucketName \('Acme_Data'\) may only contain/],
    ['a too short bucket name', { bucketName: 'ab' }, /bucketName \('ab'\) is 2 characters long/],
    ['an http origin', { allowedOrigins: ['http://segments.ai'] }, /allowedOrigins\[0\] \('http:\/\/segments\.ai'\) must use https/],
    ['an origin with a trailing slash', { allowedOrigins: ['https://segments.ai/'] }, /allowedOrigins\[0\] .* has a trailing slash/],
    ['an origin with two wildcards', { allowedOrigins: ['https://*.*.segments.ai'] }, /allowedOrigins\[0\] .* '\*' that is not the whole first label/],
    ['a wildcard that also matches evilsegments.ai', { allowedOrigins: ['https://*segments.ai'] }, /allowedOrigins\[0\] .* 'https:\/\/evilsegments\.ai'/],
    ['the default port', { allowedOrigins: ['https://segments.ai:443'] }, /allowedOrigins\[0\] .* default port 443/],
    ['an empty origin list', { allowedOrigins: [] }, /allowedOrigins is empty, .* omit it to allow the default 'https:\/\/segments\.ai', 'https:\/\/\*\.segments\.ai'/],
    ['an empty prefix', { keyPrefixes: [''] }, /keyPrefixes\[0\] is an empty string/],
    ['a prefix starting with /', { keyPrefixes: ['/images/'] }, /keyPrefixes\[0\] \('\/images\/'\) starts with '\/'/],
    ['a prefix with a wildcard', { keyPrefixes: ['images/*'] }, /keyPrefixes\[0\] \('images\/\*'\) contains '\*' or '\?'/],
    ['a prefix with a question mark', { keyPrefixes: ['img?/'] }, /keyPrefixes\[0\] \('img\?\/'\) contains '\*' or '\?'/],
    ['an empty prefix list', { keyPrefixes: [] }, /keyPrefixes is empty/],
    ['SNAPSHOT removal', { removalPolicy: RemovalPolicy.SNAPSHOT }, /removalPolicy SNAPSHOT does not apply/],
    ['a log prefix without a log bucket', { serverAccessLogsPrefix: 'logs/' }, /serverAccessLogsPrefix is set without serverAccessLogsBucket/],
  ];
  it.each(refusals)('refuses %s', (_name, props, message) => {
    const { stack } = newStack();
    expect(() => new SegmentsBucket(stack, 'Data', props)).toThrow(message);
  });
  it('reports every problem at once', () => {
    const { stack } = newStack();
    expect(() => new SegmentsBucket(stack, 'Data', { bucketName: 'a.b', keyPrefixes: ['/x'], allowedOrigins: ['http://x'] }))
      .toThrow(/bucketName[\s\S]*allowedOrigins\[0\][\s\S]*keyPrefixes\[0\]/);
  });
  it('accepts a single wildcard origin and a port', () => {
    const { stack } = newStack();
    expect(() => new SegmentsBucket(stack, 'Data', { allowedOrigins: ['https://*.segments.ai', 'https://dev.example.com:8443'] })).not.toThrow();
  });
});

describe('it warns where it cannot be sure', () => {
  it('warns that a token bucket name cannot be checked for dots', () => {
    const { stack } = newStack();
    new SegmentsBucket(stack, 'Data', { bucketName: Token.asString({ Ref: 'NameParam' }) });
    expect(warningsWithId(stack, SegmentsBucketWarnings.UNRESOLVED_BUCKET_NAME)).toHaveLength(1);
  });
  it('warns on removalPolicy DESTROY', () => {
    const { stack } = expectingWarnings(() => synth({ removalPolicy: RemovalPolicy.DESTROY }));
    expect(warningsWithId(stack, SegmentsBucketWarnings.REMOVAL_POLICY_DESTROY)).toHaveLength(1);
  });
  it('is silenced by acknowledgeWarning with the bare ID, not with the CLI\'s Annotation:: form', () => {
    const acknowledged = (id: string) => {
      const { stack } = newStack();
      new SegmentsBucket(stack, 'Data', { removalPolicy: RemovalPolicy.DESTROY });
      Annotations.of(stack).acknowledgeWarning(id);
      return warningsWithId(stack, SegmentsBucketWarnings.REMOVAL_POLICY_DESTROY);
    };
    expect(acknowledged(SegmentsBucketWarnings.REMOVAL_POLICY_DESTROY)).toEqual([]);
    expect(acknowledged(`Annotation::${SegmentsBucketWarnings.REMOVAL_POLICY_DESTROY}`)).toHaveLength(1);
  });
  it('keeps an acknowledged warning out of the cloud assembly', () => {
    // Without the recommended flag that moves warnings to the validation report, they go to the assembly.
    const messages = (acknowledge: boolean) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-ack-'));
      try {
        const app = new App({ outdir, builtinCloudFormationValidation: false });
        const stack = new Stack(app, 'TestStack');
        new SegmentsBucket(stack, 'Data', { removalPolicy: RemovalPolicy.DESTROY });
        if (acknowledge) {
          Annotations.of(stack).acknowledgeWarning(SegmentsBucketWarnings.REMOVAL_POLICY_DESTROY);
        }
        return app.synth().getStackByName('TestStack').messages
          .filter((m) => String(m.entry.data).includes(SegmentsBucketWarnings.REMOVAL_POLICY_DESTROY));
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    };
    expect(messages(false)).toHaveLength(1);
    expect(messages(true)).toEqual([]);
  });
  it('does not warn on the defaults', () => {
    const { stack } = synth({ bucketName: 'acme-data' });
    expect(warningsWithId(stack as Stack, 'segments-cloud-constructs:')).toEqual([]);
  });
});

describe('server access logging is offered', () => {
  it('logs to the given bucket', () => {
    const { stack } = newStack();
    const logs = new s3.Bucket(stack, 'Logs', { enforceSSL: true });
    new SegmentsBucket(stack, 'Data', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'segments/' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: stack.getLogicalId(logs.node.defaultChild as s3.CfnBucket) }, LogFilePrefix: 'segments/' },
    });
  });
});
