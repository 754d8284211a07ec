import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SegmentsAccess, SegmentsAccessWarnings } from '../../lib/aws';
import { warningsWithId } from './app';

/**
 * Issue 18 item 15: SegmentsAccess adds its resources to the bucket's stack. Created in another
 * stack, it leaves that stack with no resources, which CloudFormation refuses to deploy.
 */
describe('SegmentsAccess in another stack than its bucket', () => {
  function build(other: (stack: Stack) => void = () => undefined) {
    const app = new App();
    const bucketStack = new Stack(app, 'Data');
    const accessStack = new Stack(app, 'Grants');
    const bucket = new s3.Bucket(bucketStack, 'Images');
    new SegmentsAccess(accessStack, 'Segments', { bucket });
    other(accessStack);
    return { bucketStack, accessStack };
  }

  it('warns, with a stable ID, when that leaves its own stack empty', () => {
    const { accessStack } = build();
    expect(SegmentsAccessWarnings.EMPTY_STACK).toBe('segments-cloud-constructs:empty-stack');
    const warnings = warningsWithId(accessStack, 'segments-cloud-constructs:empty-stack');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^this construct is in stack 'Grants' but its bucket \('Data\/Images'\) is in stack 'Data'.* leaves 'Grants' with no resources, which CloudFormation refuses to deploy: create the construct in the bucket's stack/);
  });

  it('stays quiet when its own stack holds another resource', () => {
    const { accessStack } = build((stack) => new sns.Topic(stack, 'Topic'));
    expect(warningsWithId(accessStack, 'segments-cloud-constructs:empty-stack')).toEqual([]);
  });

  it('stays quiet in the bucket\'s own stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Data');
    new SegmentsAccess(stack, 'Segments', { bucket: new s3.Bucket(stack, 'Images') });
    expect(warningsWithId(stack, 'segments-cloud-constructs:empty-stack')).toEqual([]);
  });
});
