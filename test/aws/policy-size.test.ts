/**
 * The bound SegmentsAccess puts on a bucket policy's deployed size (lib/aws/private/policy-size.ts),
 * against S3's 20 KB (20,480 bytes, a literal here). Sizes are UTF-8 bytes of compact JSON, as S3
 * counts them: a two-byte character counts twice (issue 18, mutants E02/E04 and P09).
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack } from './app';
import { SegmentsAccess } from '../../lib/aws';
import { policySizeBound } from '../../lib/aws/private/policy-size';

const bytesOf = (document: unknown) => Buffer.byteLength(JSON.stringify(document), 'utf8');

/** A literal policy of exactly `bytes` bytes, padded with two-byte characters in a key and a value. */
function literalPolicy(bytes: number): object {
  const document = (pad: string) => ({ Version: '2012-10-17', Statement: [{ Sid: 'Pad', Effect: 'Allow', Principal: '*', Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::acme/*', Condition: { StringEquals: { 'aws:UserAgent-ü': pad } } }] });
  const room = bytes - bytesOf(document(''));
  const padded = document('é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2));
  expect(bytesOf(padded)).toBe(bytes);
  return padded;
}

describe('the size bound of a policy without intrinsics is its exact size in bytes', () => {
  it.each([300, 20480, 20481, 30000])('%i bytes (two-byte characters included)', (bytes) => {
    expect(policySizeBound(literalPolicy(bytes), {})).toEqual({ bytes, unknownValues: 0 });
  });
});

describe('intrinsics count at their longest, in bytes', () => {
  const resources = {
    Images: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'acme-images' } },
    Unnamed: { Type: 'AWS::S3::Bucket', Properties: {} },
  };
  /** The bound of a one-value document `{"v": <value>}` beyond its fixed `{"v":""}`. */
  const valueBytes = (value: unknown, extra: Record<string, unknown> = {}) => {
    // Large enough to skip the quick bound, which counts every intrinsic as 2048 bytes.
    const pad = 'x'.repeat(21000);
    return policySizeBound({ p: pad, v: value, ...extra }, resources).bytes - bytesOf({ p: pad, v: '' });
  };

  it('a pseudo parameter: its longest value (AWS::Region, 20)', () => {
    expect(valueBytes({ Ref: 'AWS::Region' })).toBe(20);
  });
  it('a bucket ARN: arn:<partition, up to 10>:s3:::<name>, the literal name or 63', () => {
    expect(valueBytes({ 'Fn::GetAtt': ['Images', 'Arn'] })).toBe('arn:aws-us-gov:s3:::acme-images'.length);
    expect(valueBytes({ 'Fn::GetAtt': ['Unnamed', 'Arn'] })).toBe('arn:aws-us-gov:s3:::'.length + 63);
  });
  it('an Fn::Join: its parts and separators, the separator in bytes', () => {
    expect(valueBytes({ 'Fn::Join': ['', ['a', { Ref: 'AWS::Region' }]] })).toBe(21);
    // 'aéb' once deployed: 4 bytes, though 3 characters.
    expect(valueBytes({ 'Fn::Join': ['é', ['a', 'b']] })).toBe(4);
  });
  it('a value nothing is known about counts as empty, and is counted', () => {
    expect(policySizeBound({ p: 'x'.repeat(21000), v: { Ref: 'SomeParameter' } }, resources))
      .toEqual({ bytes: bytesOf({ p: 'x'.repeat(21000), v: '' }), unknownValues: 1 });
  });
});

describe('the quick bound (every intrinsic at 2048 bytes) decides only up to 20,480 bytes', () => {
  /** A document with one unknown Ref, whose quick bound is exactly `bytes`. */
  function withQuickBound(bytes: number) {
    const document = (pad: string) => ({ p: pad, v: { Ref: 'SomeParameter' } });
    const room = bytes - (bytesOf(document('')) + 2048);
    return document('x'.repeat(room));
  }
  it('at 20,480 it is the answer: within the limit whatever the value', () => {
    expect(policySizeBound(withQuickBound(20480), {})).toEqual({ bytes: 20480, unknownValues: 0 });
  });
  it('at 20,481 the precise bound takes over, naming the unknown value', () => {
    const document = withQuickBound(20481);
    expect(policySizeBound(document, {})).toEqual({ bytes: 20481 - 2048 - bytesOf({ Ref: 'SomeParameter' }) + 2, unknownValues: 1 });
  });
});

describe('SegmentsAccess refuses a bucket policy over 20,480 bytes once deployed, to the byte', () => {
  /** A bucket with SegmentsAccess and one more statement padded with `pad`; its template (throws if refused). */
  function synthWithPad(pad: string) {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Images', { bucketName: 'acme-images' });
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'Pad', principals: [new iam.AccountRootPrincipal()], actions: ['s3:PutObject'], resources: [bucket.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:UserAgent': pad } },
    }));
    return Template.fromStack(stack).toJSON();
  }
  function boundOf(template: any): number {
    const policy = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::S3::BucketPolicy') as any;
    return policySizeBound(policy.Properties.PolicyDocument, template.Resources).bytes;
  }
  // Measured past the quick bound (which counts each intrinsic as 2048 bytes), where the bound is the
  // precise one and grows byte for byte with the padding.
  const base = 'x'.repeat(12000);
  const padFor = (bytes: number) => {
    const room = bytes - boundOf(synthWithPad(base));
    return base + 'é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2);
  };

  it('accepts exactly 20,480 bytes and refuses 20,481', () => {
    expect(boundOf(synthWithPad(padFor(20480)))).toBe(20480);
    expect(() => synthWithPad(padFor(20481))).toThrow(/the bucket policy would be up to 20481 bytes once deployed, over S3's 20 KB limit \(20480 bytes\)/);
  });
});
