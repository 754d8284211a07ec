// A customer's CDK app that installed the packed tarball next to aws-cdk-lib and constructs only.
// Run by scripts/check-package.sh and each row of scripts/check-matrix.sh: compiled with tsc through
// the package's exports (as CommonJS or as an ES module), then run. It synthesizes every AWS
// construct, then shows that the checks fire: an escape hatch on the rendered template and a
// misspelled prop are refused.
// The consumer has no @types/node: declare the globals used (process.getBuiltinModule works in both module systems).
declare const console: { log(message: string): void };
declare const process: { getBuiltinModule(name: 'fs'): { existsSync(path: string): boolean } };
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SegmentsAccess, SegmentsBucket, SegmentsImportedBucketAccess } from 'segments-cloud-constructs/aws';
import { SEGMENTS_AWS_PRINCIPAL_ARN } from 'segments-cloud-constructs';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'ConsumerStack', { env: { region: 'eu-west-1' } });
const data = new SegmentsBucket(stack, 'Data', { bucketName: 'consumer-check-bucket', keyPrefixes: ['images/'] });
const own = new s3.Bucket(stack, 'Own', { bucketName: 'consumer-own-bucket' });
new SegmentsAccess(stack, 'OwnAccess', { bucket: own, keyPrefixes: ['videos/'] });
new SegmentsImportedBucketAccess(stack, 'Existing', { bucket: s3.Bucket.fromBucketName(stack, 'ExistingBucket', 'consumer-existing-bucket') });
const template = app.synth().getStackByName('ConsumerStack').template;

const policies = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::S3::BucketPolicy');
const statements = policies.map((policy) => policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'segments-s3-access'));
if (statements.length !== 2 || statements.some((s) => s?.Principal?.AWS !== SEGMENTS_AWS_PRINCIPAL_ARN || s.Action !== 's3:GetObject')) {
  throw new Error(`unexpected Segments statements: ${JSON.stringify(statements)}`);
}
if (data.urlForKey('images/a b.jpg') !== 'https://consumer-check-bucket.s3.eu-west-1.amazonaws.com/images/a%20b.jpg') {
  throw new Error(`unexpected URL: ${data.urlForKey('images/a b.jpg')}`);
}

// The imported-bucket grant: one custom resource, and its handler staged from the built file in the package.
const custom = Object.values<any>(template.Resources).filter((r) => r.Type === 'Custom::SegmentsImportedBucketAccess');
if (custom.length !== 1 || custom[0].Properties.BucketName !== 'consumer-existing-bucket') {
  throw new Error(`unexpected custom resources: ${JSON.stringify(custom)}`);
}
const handler = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
if (handler.Properties.Runtime !== 'nodejs24.x') {
  throw new Error(`unexpected handler runtime: ${JSON.stringify(handler.Properties.Runtime)}`);
}
const staged = `cdk.out/asset.${String(handler.Properties.Code.S3Key).replace(/\.zip$/, '')}`;
const fs = process.getBuiltinModule('fs');
if (!fs.existsSync(`${staged}/index.js`) || !fs.existsSync(`${staged}/__entrypoint__.js`)) {
  throw new Error(`the handler asset ${staged} lacks index.js or the response wrapper`);
}

/** The error a build throws, as text ('' when it does not throw). */
function refusal(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return String(error);
  }
  return '';
}
// The rendered-template check fired: an escape hatch widening the Segments statement is refused at synth.
const hatch = refusal(() => {
  const hatchApp = new App({ outdir: 'cdk.out.hatch' });
  const hatchStack = new Stack(hatchApp, 'Hatch');
  const bucket = new s3.Bucket(hatchStack, 'Images');
  new SegmentsAccess(hatchStack, 'Access', { bucket });
  (bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride('PolicyDocument.Statement.0.Action', 's3:*');
  hatchApp.synth();
});
if (!hatch.includes("the bucket policy statement 'segments-s3-access' in the template is not the one SegmentsAccess built")) {
  throw new Error(`the escape hatch was not refused: ${JSON.stringify(hatch)}`);
}
// The input check fired: a misspelled prop (which TypeScript would refuse; JSON gives it to JavaScript users) is refused.
const typo = refusal(() => new SegmentsBucket(new Stack(new App({ outdir: 'cdk.out.typo' }), 'Typo'), 'Data', JSON.parse('{"keyprefixes": ["images/"]}')));
if (!typo.includes("unknown prop 'keyprefixes': did you mean 'keyPrefixes'?")) {
  throw new Error(`the misspelled prop was not refused: ${JSON.stringify(typo)}`);
}
console.log('AWS consumer: synthesized SegmentsBucket, SegmentsAccess and SegmentsImportedBucketAccess (built handler on nodejs24.x); ' +
  'refused an escape hatch on the Segments statement and a misspelled prop');
