/**
 * Issue 18, items 1 and 5: SegmentsImportedBucketAccess checks its token inputs as SegmentsAccess
 * does, in the template as it is written, and refuses a bucket that this app already manages.
 */
import { App, CfnParameter, CfnResource, Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack, warningsWithId } from './app';
import { SegmentsAccess, SegmentsBucket, SegmentsImportedBucketAccess, SegmentsImportedBucketAccessWarnings } from '../../lib/aws';

function imported(props: { keyPrefixes?: string[]; allowedOrigins?: string[] }) {
  const { app, stack } = newStack();
  const access = new SegmentsImportedBucketAccess(stack, 'Grant', { bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images'), ...props });
  return { app, stack, access };
}

describe('token inputs of SegmentsImportedBucketAccess are checked like SegmentsAccess\'s', () => {
  it.each([
    ['a Lazy prefix \'\' (the whole bucket)', { keyPrefixes: [Lazy.string({ produce: () => '' })] }, /keyPrefixes\[0\] is an empty string/],
    ['a Lazy prefix \'*\' (acme/**)', { keyPrefixes: [Lazy.string({ produce: () => '*' })] }, /keyPrefixes\[0\] \('\*'\) contains '\*' or '\?'/],
    ['a Lazy origin \'*\'', { allowedOrigins: [Lazy.string({ produce: () => '*' })] }, /allowedOrigins\[0\] \('\*'\) allows every website/],
  ])('refuses at synth %s, resolved in the template', (_name, props, message) => {
    const { app } = imported(props);
    expect(() => app.synth()).toThrow(new RegExp(`SegmentsImportedBucketAccess refused its input:[\\s\\S]*${message.source}.*\\(in the template: a token resolved at synth, or an escape hatch\\)`));
  });

  it('refuses KeyPrefixes [] or [\'\'] put into the template with an escape hatch', () => {
    for (const prefixes of [[], ['']]) {
      const { app, access } = imported({ keyPrefixes: ['images/'] });
      (access.resource.node.defaultChild as CfnResource).addPropertyOverride('KeyPrefixes', prefixes);
      expect(() => app.synth()).toThrow(/SegmentsImportedBucketAccess refused its input:\n {2}- keyPrefixes( is empty|\[0\] is an empty string)/);
    }
  });

  it('warns, with the stable ID deploy-time-token, on a CfnParameter prefix and an imported origin, and does not refuse them', () => {
    const { stack } = newStack();
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    new SegmentsImportedBucketAccess(stack, 'Grant', {
      bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images'), keyPrefixes: ['images/', prefix], allowedOrigins: [Fn.importValue('Origin')],
    });
    const warnings = warningsWithId(stack, SegmentsImportedBucketAccessWarnings.DEPLOY_TIME_TOKEN);
    expect(SegmentsImportedBucketAccessWarnings.DEPLOY_TIME_TOKEN).toBe('segments-cloud-constructs:deploy-time-token');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^keyPrefixes\[1\], allowedOrigins\[0\] is only known at deploy time .*The handler refuses, before writing anything/);
  });

  it('stays quiet on literal and Lazy values that pass (control)', () => {
    const { stack } = newStack();
    new SegmentsImportedBucketAccess(stack, 'Grant', {
      bucket: s3.Bucket.fromBucketName(stack, 'Images', 'acme-images'), keyPrefixes: ['images/', Lazy.string({ produce: () => 'videos/' })],
    });
    expect(warningsWithId(stack, 'segments-cloud-constructs:')).toEqual([]);
  });
});

describe('a bucket that this app manages is refused as an imported bucket (one manager per bucket)', () => {
  const refusal = /SegmentsImportedBucketAccess Other\/Grant: its bucket \('Other\/Imported'\) is the bucket TestStack\/Data\/Bucket\/Resource.*which this app defines and grants to Segments with SegmentsAccess/;

  function managed(kind: 'access' | 'bucket') {
    const { app, stack } = newStack();
    const bucket = kind === 'bucket'
      ? new SegmentsBucket(stack, 'Data', { bucketName: 'acme-data' }).bucket
      : new s3.Bucket(stack, 'Data', { bucketName: 'acme-data' });
    if (kind === 'access') {
      new SegmentsAccess(stack, 'Access', { bucket });
    }
    return { app, stack, bucket, other: new Stack(app, 'Other') };
  }

  it.each(['access', 'bucket'] as const)('by the literal name (fromBucketName with the same literal), managed by Segments%s', (kind) => {
    const { app, other } = managed(kind);
    new SegmentsImportedBucketAccess(other, 'Grant', { bucket: s3.Bucket.fromBucketName(other, 'Imported', 'acme-data') });
    const path = kind === 'bucket' ? 'TestStack/Data/Bucket/Resource' : 'TestStack/Data/Resource';
    expect(() => app.synth()).toThrow(new RegExp(refusal.source.replace('TestStack\\/Data\\/Bucket\\/Resource', path.replace(/\//g, '\\/'))));
  });

  it('by bucketName (a reference to the bucket, across stacks)', () => {
    const { app, bucket, other } = managed('bucket');
    new SegmentsImportedBucketAccess(other, 'Grant', { bucket: s3.Bucket.fromBucketName(other, 'Imported', bucket.bucketName) });
    expect(() => app.synth()).toThrow(refusal);
  });

  it('by its ARN (fromBucketArn), and a bucket of the app without SegmentsAccess', () => {
    const { app, stack } = newStack();
    const plain = new s3.Bucket(stack, 'Plain');
    new SegmentsImportedBucketAccess(stack, 'Grant', { bucket: s3.Bucket.fromBucketArn(stack, 'Imported', plain.bucketArn) });
    expect(() => app.synth()).toThrow(/SegmentsImportedBucketAccess TestStack\/Grant: its bucket \('TestStack\/Imported'\) is the bucket TestStack\/Plain\/Resource, which this app defines: its stack owns/);
  });

  it('by the construct itself (before: refused at construction)', () => {
    const { stack, bucket } = managed('access');
    expect(() => new SegmentsImportedBucketAccess(stack, 'Grant', { bucket })).toThrow(/is defined in this app/);
  });

  it('but not another bucket, nor a token name of a parameter (control)', () => {
    const { app, other } = managed('bucket');
    new SegmentsImportedBucketAccess(other, 'Grant', { bucket: s3.Bucket.fromBucketName(other, 'Imported', 'acme-other') });
    const name = new CfnParameter(other, 'Name').valueAsString;
    new SegmentsImportedBucketAccess(other, 'ByParameter', { bucket: s3.Bucket.fromBucketName(other, 'NamedByParameter', name) });
    expect(() => app.synth()).not.toThrow();
  });

  it('in whichever order the constructs are created', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const first = new Stack(app, 'First');
    new SegmentsImportedBucketAccess(first, 'Grant', { bucket: s3.Bucket.fromBucketName(first, 'Imported', 'acme-late') });
    new SegmentsBucket(new Stack(app, 'Second'), 'Data', { bucketName: 'acme-late' });
    expect(() => app.synth()).toThrow(/SegmentsImportedBucketAccess First\/Grant: its bucket \('First\/Imported'\) is the bucket Second\/Data\/Bucket\/Resource \('acme-late'\)/);
  });
});
