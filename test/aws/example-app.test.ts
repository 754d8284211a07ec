import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { recommendedContext, withoutAssetHashes } from './app';
import { ExistingBucketStack } from '../../bin/existing-bucket-stack';
import { LabelingDataStack } from '../../bin/labeling-data-stack';

function exampleTemplate(props: ConstructorParameters<typeof LabelingDataStack>[2] = {}) {
  const app = new App({ context: recommendedContext, builtinCloudFormationValidation: false });
  return Template.fromStack(new LabelingDataStack(app, 'LabelingDataStack', props));
}

describe('the example app is a reviewed template', () => {
  it('as `npx cdk synth` prints it with no context', () => {
    expect(withoutAssetHashes(exampleTemplate().toJSON())).toMatchSnapshot();
  });
  it('with a bucket name and key prefixes from context', () => {
    expect(withoutAssetHashes(exampleTemplate({ bucketName: 'acme-labeling-data', keyPrefixes: ['images/'] }).toJSON())).toMatchSnapshot();
  });
  it('watches its bucket with a SegmentsAccessMonitor: the alarm on FailingChecks for that bucket', () => {
    const template = exampleTemplate();
    const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Segments/Access', MetricName: 'FailingChecks', Dimensions: [{ Name: 'Bucket', Value: { Ref: bucketId } }],
    });
  });
  it('lets the uploader put objects and Segments only read them', () => {
    const template = exampleTemplate();
    const bucketPolicy = Object.values(template.findResources('AWS::S3::BucketPolicy'))[0];
    const allows = bucketPolicy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(allows.map((s: any) => [s.Principal.AWS, s.Action])).toEqual([
      ['arn:aws:iam::931508227573:user/segmentsai-prod-user', 's3:GetObject'],
    ]);
    const uploaderPolicy = Object.values(template.findResources('AWS::IAM::Policy'))[0];
    expect(uploaderPolicy.Properties.PolicyDocument.Statement[0].Action).toContain('s3:PutObject');
  });
});

describe('the example app\'s second stack, for a bucket outside any stack, is a reviewed template', () => {
  const app = new App({ context: recommendedContext, builtinCloudFormationValidation: false });
  const template = Template.fromStack(new ExistingBucketStack(app, 'ExistingBucketStack'));

  it('as `npx cdk synth` writes it with no context', () => {
    expect(withoutAssetHashes(template.toJSON())).toMatchSnapshot();
  });

  it('grants Segments through one custom resource on the existing bucket, and defines no bucket or bucket policy', () => {
    expect(Object.keys(template.findResources('Custom::SegmentsImportedBucketAccess'))).toHaveLength(1);
    template.hasResourceProperties('Custom::SegmentsImportedBucketAccess', { BucketName: 'acme-existing-images' });
    expect(template.findResources('AWS::S3::Bucket')).toEqual({});
    expect(template.findResources('AWS::S3::BucketPolicy')).toEqual({});
  });

  it('is part of bin/aws-app.ts', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', '..', 'bin', 'aws-app.ts'), 'utf8')).toMatch(/new ExistingBucketStack\(app, 'ExistingBucketStack'/);
  });
});
