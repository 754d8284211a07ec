// A customer's CDK app that installed the packed tarball next to aws-cdk-lib and constructs only.
// Run by scripts/check-package.sh: compiled with tsc through the package's exports, then run.
// The consumer has no @types/node: declare the one global used.
declare const console: { log(message: string): void };
declare function require(name: 'fs'): { existsSync(path: string): boolean };
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SegmentsBucket, SegmentsImportedBucketAccess } from 'segments-cloud-constructs/aws';
import { SEGMENTS_AWS_PRINCIPAL_ARN } from 'segments-cloud-constructs';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'ConsumerStack', { env: { region: 'eu-west-1' } });
const data = new SegmentsBucket(stack, 'Data', { bucketName: 'consumer-check-bucket', keyPrefixes: ['images/'] });
new SegmentsImportedBucketAccess(stack, 'Existing', { bucket: s3.Bucket.fromBucketName(stack, 'ExistingBucket', 'consumer-existing-bucket') });
const template = app.synth().getStackByName('ConsumerStack').template;

const policies = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::S3::BucketPolicy');
const statement = policies[0].Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'segments-s3-access');
if (statement?.Principal?.AWS !== SEGMENTS_AWS_PRINCIPAL_ARN || statement.Action !== 's3:GetObject') {
  throw new Error(`unexpected Segments statement: ${JSON.stringify(statement)}`);
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
const staged = `cdk.out/asset.${String(handler.Properties.Code.S3Key).replace(/\.zip$/, '')}`;
if (!require('fs').existsSync(`${staged}/index.js`) || !require('fs').existsSync(`${staged}/__entrypoint__.js`)) {
  throw new Error(`the handler asset ${staged} lacks index.js or the response wrapper`);
}
console.log('AWS-only consumer: synthesized a SegmentsBucket with the Segments statement, and a SegmentsImportedBucketAccess with its built handler');
