import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, CfnResource, CustomResourceProviderRuntime, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack, resourcesOfType, warningsWithId, withoutAssetHashes } from './app';
import {
  SEGMENTS_IMPORTED_BUCKET_HANDLER_ACTIONS,
  SEGMENTS_IMPORTED_BUCKET_HANDLER_RUNTIME,
  SegmentsImportedBucketAccess,
  type SegmentsImportedBucketAccessProps,
  SegmentsImportedBucketAccessWarnings,
} from '../../lib/aws';
import { SEGMENTS_DEFAULT_ORIGINS } from '../../lib';
import { findHandlerDirectory, handlerDirectoryCandidates } from '../../lib/aws/segments-imported-bucket-access/handler-directory';
import { grantLogicalIdBase } from '../../lib/aws/segments-imported-bucket-access';
import { Construct } from 'constructs';

const PRINCIPAL = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';
const bucketArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${name}`]] });

function imported(props: Partial<SegmentsImportedBucketAccessProps> = {}, name = 'acme-images'): { stack: Stack; template: Template; access: SegmentsImportedBucketAccess } {
  const { stack } = newStack();
  const access = new SegmentsImportedBucketAccess(stack, 'SegmentsAccess', { bucket: s3.Bucket.fromBucketName(stack, 'Images', name), ...props });
  return { stack, template: Template.fromStack(stack), access };
}

describe('one SegmentsImportedBucketAccess deploys one custom resource, its handler and role, and a log group', () => {
  const { template } = imported();

  it('is a reviewed template', () => {
    expect(withoutAssetHashes(template.toJSON())).toMatchSnapshot();
  });

  it('has exactly these resources', () => {
    const types = Object.values(template.toJSON().Resources).map((resource: any) => resource.Type).sort();
    expect(types).toEqual(['AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::Logs::LogGroup', 'Custom::SegmentsImportedBucketAccess']);
  });

  it('gives the custom resource the bucket, the stack\'s account as expected owner, the vendor origins and the defaults', () => {
    const [resource] = Object.values(resourcesOfType(template, 'Custom::SegmentsImportedBucketAccess'));
    const { ServiceToken, ...properties } = resource.Properties;
    expect(ServiceToken).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Handler/), 'Arn'] });
    expect(properties).toEqual({
      BucketName: 'acme-images',
      ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
      AllowedOrigins: [...SEGMENTS_DEFAULT_ORIGINS],
      AdoptExisting: 'false',
      RemovalPolicy: 'destroy',
      ServiceTimeout: '300',
    });
    expect(resource.DeletionPolicy).toBe('Delete');
  });

  it('lets the role call exactly the seven bucket-configuration actions on that bucket\'s ARN, and write its own log group', () => {
    const [role] = Object.values(resourcesOfType(template, 'AWS::IAM::Role'));
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const [logGroupId] = Object.keys(resourcesOfType(template, 'AWS::Logs::LogGroup'));
    expect(role.Properties.Policies).toHaveLength(1);
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:GetBucketCORS', 's3:PutBucketCORS',
          's3:GetEncryptionConfiguration', 's3:GetBucketOwnershipControls'],
        Resource: bucketArn('acme-images'),
      },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
    ]);
    expect(SEGMENTS_IMPORTED_BUCKET_HANDLER_ACTIONS).toHaveLength(7);
  });

  it('runs the handler on the newest Node.js runtime aws-cdk-lib names, logging to that log group', () => {
    const newest = Object.values(CustomResourceProviderRuntime)
      .filter((runtime) => /^nodejs\d+\.x$/.test(runtime))
      .sort((a, b) => parseInt(a.slice(6), 10) - parseInt(b.slice(6), 10)).pop();
    expect(SEGMENTS_IMPORTED_BUCKET_HANDLER_RUNTIME).toBe(newest);
    const [logGroupId] = Object.keys(resourcesOfType(template, 'AWS::Logs::LogGroup'));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: newest, Handler: '__entrypoint__.handler', Timeout: 120, LoggingConfig: { LogGroup: { Ref: logGroupId } },
    });
  });
});

describe('a handler rendered without a Runtime is refused at synth (issue 18, item 10)', () => {
  // aws-cdk-lib 2.257.0-2.258.x rendered the runtime nodejs24.x as nothing: the function had no Runtime.
  it('refuses the template, naming the function, the aws-cdk-lib versions and the fix', () => {
    const { stack } = newStack();
    const access = new SegmentsImportedBucketAccess(stack, 'SegmentsAccess', { bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images') });
    const handler = access.node.findAll().find((c) => c.node.id === 'Handler' && c instanceof CfnResource) as CfnResource;
    handler.addPropertyDeletionOverride('Runtime');
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(
      'SegmentsImportedBucketAccess refused its input:\\n  - the handler\'s Lambda function SegmentsImportedBucketacmeimages[0-9A-F]{8}Handler ' +
      '\\(TestStack/SegmentsAccess/Grant-acme-images/Handler/Handler\\) has no Runtime in the template \\(null\\): aws-cdk-lib before 2\\.259\\.0'));
  });

  it('refuses an empty Runtime too, and passes the rendered nodejs24.x (control)', () => {
    const build = () => {
      const { stack } = newStack();
      const access = new SegmentsImportedBucketAccess(stack, 'SegmentsAccess', { bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images') });
      return { stack, handler: access.node.findAll().find((c) => c.node.id === 'Handler' && c instanceof CfnResource) as CfnResource };
    };
    expect(() => Template.fromStack(build().stack)).not.toThrow();
    const { stack, handler } = build();
    handler.addPropertyOverride('Runtime', '');
    expect(() => Template.fromStack(stack)).toThrow(/has no Runtime in the template \(""\)/);
  });
});

describe('several buckets', () => {
  it('get one custom resource and one role each, every role limited to its own bucket', () => {
    const { stack } = newStack();
    for (const name of ['acme-images', 'acme-videos']) {
      new SegmentsImportedBucketAccess(stack, `Access-${name}`, { bucket: s3.Bucket.fromBucketName(stack, name, name) });
    }
    const template = Template.fromStack(stack);
    const resources = Object.values(resourcesOfType(template, 'Custom::SegmentsImportedBucketAccess'));
    expect(resources.map((r) => r.Properties.BucketName)).toEqual(['acme-images', 'acme-videos']);
    const roles = Object.values(resourcesOfType(template, 'AWS::IAM::Role'));
    expect(roles.map((role) => role.Properties.Policies[0].PolicyDocument.Statement[0].Resource))
      .toEqual([bucketArn('acme-images'), bucketArn('acme-videos')]);
  });

  it('a renamed literal bucket is a new resource (created with a new role before the old one is deleted with the old role)', () => {
    const ids = (name: string) => Object.keys(imported({}, name).template.toJSON().Resources).sort();
    const before = ids('acme-images');
    const after = ids('acme-images-2');
    expect(after.filter((id) => before.includes(id))).toEqual([]);
  });
});

describe('logical IDs follow the literal bucket name, not the construct path', () => {
  const idsOf = (build: (stack: Stack) => void) => {
    const { stack } = newStack();
    build(stack);
    return Object.keys(Template.fromStack(stack).toJSON().Resources).sort();
  };

  it('moving or renaming the construct keeps every resource (no create-then-delete of the grant)', () => {
    const before = idsOf((stack) => new SegmentsImportedBucketAccess(stack, 'SegmentsAccess', { bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images') }));
    const after = idsOf((stack) => {
      const nested = new Construct(stack, 'Data');
      new SegmentsImportedBucketAccess(nested, 'ImagesGrant', { bucket: s3.Bucket.fromBucketName(nested, 'Bucket', 'acme-images') });
    });
    expect(after).toEqual(before);
    expect(before).toEqual([grantLogicalIdBase('acme-images') + 'Grant', grantLogicalIdBase('acme-images') + 'Handler',
      grantLogicalIdBase('acme-images') + 'HandlerRole', grantLogicalIdBase('acme-images') + 'Logs'].sort());
  });

  it('names that differ only in dashes get different IDs', () => {
    expect(grantLogicalIdBase('acme-images')).not.toBe(grantLogicalIdBase('acmeimages'));
    expect(grantLogicalIdBase('acme-images')).toMatch(/^SegmentsImportedBucketacmeimages[0-9A-F]{8}$/);
  });
});

describe('the handler\'s report shows in the CloudFormation console', () => {
  // Issue 18 items 2 and 8: WiderSegmentsAllows and PreviousBucket (what became of the old bucket after the grant moved, once only in the log).
  it('as six stack outputs by default, WiderSegmentsAllows and PreviousBucket among them', () => {
    const { template } = imported();
    const outputs = template.toJSON().Outputs;
    expect(Object.values(outputs).map((o: any) => o.Value['Fn::GetAtt'][1]).sort())
      .toEqual(['DefaultEncryption', 'LockoutDenies', 'ObjectOwnership', 'PreviousBucket', 'ShadowingCorsRule', 'WiderSegmentsAllows']);
    const [resourceId] = Object.keys(resourcesOfType(template, 'Custom::SegmentsImportedBucketAccess'));
    expect(Object.values(outputs).every((o: any) => o.Value['Fn::GetAtt'][0] === resourceId)).toBe(true);
  });

  it('and none with outputs: false', () => {
    expect(imported({ outputs: false }).template.toJSON().Outputs).toBeUndefined();
  });
});

describe('props', () => {
  it('passes keyPrefixes, allowedOrigins and adoptExisting to the handler', () => {
    const { template } = imported({ keyPrefixes: ['images/', 'videos/'], allowedOrigins: ['https://app.segments.ai'], adoptExisting: true });
    template.hasResourceProperties('Custom::SegmentsImportedBucketAccess', {
      KeyPrefixes: ['images/', 'videos/'], AllowedOrigins: ['https://app.segments.ai'], AdoptExisting: 'true',
    });
  });

  it('RETAIN keeps the resource and tells the handler to leave the grant', () => {
    const { template } = imported({ removalPolicy: RemovalPolicy.RETAIN });
    const [resource] = Object.values(resourcesOfType(template, 'Custom::SegmentsImportedBucketAccess'));
    expect(resource.Properties.RemovalPolicy).toBe('retain');
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });

  it('encryptionKey of this app gets the same kms:Decrypt statement as SegmentsAccess', () => {
    const { stack } = newStack({ env: { region: 'eu-west-1' } });
    const key = new kms.Key(stack, 'Key');
    const access = new SegmentsImportedBucketAccess(stack, 'Access', { bucket: s3.Bucket.fromBucketName(stack, 'B', 'acme-images'), encryptionKey: key });
    const statements = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(key.node.defaultChild as kms.CfnKey)].Properties.KeyPolicy.Statement;
    expect(statements.filter((s: any) => s.Sid === 'segments-kms-decrypt')).toEqual([{
      Sid: 'segments-kms-decrypt', Effect: 'Allow', Principal: { AWS: PRINCIPAL }, Action: 'kms:Decrypt', Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    }]);
    expect(access.keyPolicyStatement).toBeDefined();
  });

  it('an imported encryptionKey gets the imported-key warning', () => {
    const { stack } = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new SegmentsImportedBucketAccess(stack, 'Access', { bucket: s3.Bucket.fromBucketName(stack, 'B', 'acme-images'), encryptionKey: key });
    const warnings = warningsWithId(stack, SegmentsImportedBucketAccessWarnings.IMPORTED_KMS_KEY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/is imported, so its key policy cannot be changed here/);
  });

  it('a bucket name from a token (a parameter) is accepted, and the role names that bucket', () => {
    const { stack } = newStack();
    const name = new CfnParameter(stack, 'DataBucketName').valueAsString;
    new SegmentsImportedBucketAccess(stack, 'Access', { bucket: s3.Bucket.fromBucketName(stack, 'ByToken', name) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::SegmentsImportedBucketAccess', { BucketName: { Ref: 'DataBucketName' } });
    const [role] = Object.values(resourcesOfType(template, 'AWS::IAM::Role'));
    expect(role.Properties.Policies[0].PolicyDocument.Statement[0].Resource)
      .toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'DataBucketName' }]] });
  });
});

describe('it refuses at synth, naming the prop', () => {
  function refusal(props: Partial<SegmentsImportedBucketAccessProps>, name = 'acme-images'): () => void {
    return () => imported(props, name);
  }

  it('a bucket defined in this app, pointing to SegmentsAccess', () => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Mine');
    expect(() => new SegmentsImportedBucketAccess(stack, 'Access', { bucket }))
      .toThrow(/bucket \('TestStack\/Mine'\) is defined in this app[\s\S]*use SegmentsAccess/);
  });

  it('bad key prefixes and origins, all at once', () => {
    expect(refusal({ keyPrefixes: ['/images', 'a*'], allowedOrigins: ['http://segments.ai'] }))
      .toThrow(/allowedOrigins\[0\][\s\S]*must use https[\s\S]*keyPrefixes\[0\][\s\S]*starts with '\/'[\s\S]*keyPrefixes\[1\][\s\S]*'\*'/);
  });

  it('a literal bucket name with a dot', () => {
    expect(refusal({}, 'acme.images')).toThrow(/bucket \('TestStack\/Images'\) name \('acme\.images'\) contains a dot/);
  });

  it('a second grant on the same bucket anywhere in the app, which would remove the first one\'s on delete', () => {
    const { app, stack } = newStack();
    new SegmentsImportedBucketAccess(stack, 'First', { bucket: s3.Bucket.fromBucketName(stack, 'A', 'acme-images') });
    const other = new Stack(app, 'OtherStack');
    expect(() => new SegmentsImportedBucketAccess(other, 'Second', { bucket: s3.Bucket.fromBucketName(other, 'B', 'acme-images'), keyPrefixes: ['x/'] }))
      .toThrow(/bucket \('OtherStack\/B'\) is the bucket acme-images, which TestStack\/First already grants to Segments[\s\S]*one SegmentsImportedBucketAccess per bucket/);
    expect(() => new SegmentsImportedBucketAccess(other, 'Third', { bucket: s3.Bucket.fromBucketName(other, 'C', 'acme-videos') })).not.toThrow();
  });

  it('a removal policy other than DESTROY or RETAIN', () => {
    expect(refusal({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/removalPolicy \('snapshot'\) must be RemovalPolicy\.DESTROY/);
  });
});

describe('the construct finds the built handler', () => {
  const exists = (files: string[]) => (file: string) => files.includes(file);

  it('from source: the gitignored handler/dist next to the construct', () => {
    const dir = '/repo/lib/aws/segments-imported-bucket-access';
    expect(findHandlerDirectory(dir, exists([`${dir}/handler/dist/index.js`]))).toBe(`${dir}/handler/dist`);
  });

  it('from the installed package: next to the bundled dist/lib/aws/index.js', () => {
    const dir = '/app/node_modules/segments-cloud-constructs/dist/lib/aws';
    expect(findHandlerDirectory(dir, exists([`${dir}/segments-imported-bucket-access/handler/index.js`])))
      .toBe(`${dir}/segments-imported-bucket-access/handler`);
  });

  it('and says how to build it when it is missing', () => {
    expect(() => findHandlerDirectory('/nowhere', () => false)).toThrow(/is not built[\s\S]*node scripts\/build-handler\.mjs/);
    expect(handlerDirectoryCandidates('/x')).toHaveLength(2);
  });

  it('where scripts/build.mjs writes it for the package', () => {
    // scripts/build.mjs writes dist/lib/aws/segments-imported-bucket-access/handler; the bundle runs from dist/lib/aws
    const bundled = path.join('dist', 'lib', 'aws');
    expect(handlerDirectoryCandidates(bundled)).toContain(path.join('dist', 'lib', 'aws', 'segments-imported-bucket-access', 'handler'));
  });
});

describe('the handler is built wherever the construct looks for it, and never committed', () => {
  const root = path.join(__dirname, '..', '..');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

  it('a fresh clone builds it on `npx cdk synth` (cdk.json) into the gitignored handler/dist, with no install script', () => {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8'));
    expect(cdkJson.app).toMatch(/^node scripts\/build-handler\.mjs && /);
    // An install script ships in the packed package.json, and npm 11 flags it in every consumer (allowScripts).
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(pkg.scripts[script]).toBeUndefined();
    }
    expect(fs.readFileSync(path.join(root, 'scripts', 'build-handler.mjs'), 'utf8')).toContain("'lib/aws/segments-imported-bucket-access/handler/dist'");
    expect(fs.readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n')).toContain('dist/');
  });

  it('the package build writes it next to the ./aws bundle, and the package ships it', () => {
    // scripts/build.mjs builds every bundle scripts/third-party-notices.mjs lists, at the outfile it names.
    const outfiles = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e',
      "const { constructsBundles } = await import('./scripts/third-party-notices.mjs'); console.log(JSON.stringify(constructsBundles('dist/lib').map((b) => b.options.outfile)));"],
    { cwd: root, encoding: 'utf8' })) as string[];
    expect(outfiles).toContain(path.join('dist/lib/aws/segments-imported-bucket-access/handler', 'index.js'));
    expect(fs.readFileSync(path.join(root, 'scripts', 'build.mjs'), 'utf8')).toContain("constructsBundles('dist/lib')");
    expect(pkg.files).toContain('dist/lib/**/*.js');
    expect(pkg.exports['./aws'].default).toBe('./dist/lib/aws/index.js');
  });
});
