/**
 * One pass of checks per construct: SegmentsBucket checks keyPrefixes and allowedOrigins once and
 * hands them to its SegmentsAccess as checked, and every refusal names the construct the user wrote.
 *
 * Each check module is replaced by counting wrappers around the real functions (the checks still
 * run, so refusals are unchanged), and a walk of SegmentsBucket's props counts the calls.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { newStack } from './app';
import { SegmentsAccess, SegmentsBucket } from '../../lib/aws';
import { httpsOriginProblems } from '../../lib/checks/origins';
import { keyPrefixProblems } from '../../lib/checks/key-prefixes';
import { s3BucketNameProblems } from '../../lib/checks/s3-names';

jest.mock('../../lib/checks/origins', () => {
  const actual = jest.requireActual('../../lib/checks/origins');
  return { ...actual, httpsOriginProblems: jest.fn(actual.httpsOriginProblems) };
});
jest.mock('../../lib/checks/key-prefixes', () => {
  const actual = jest.requireActual('../../lib/checks/key-prefixes');
  return { ...actual, keyPrefixProblems: jest.fn(actual.keyPrefixProblems) };
});
jest.mock('../../lib/checks/s3-names', () => {
  const actual = jest.requireActual('../../lib/checks/s3-names');
  return { ...actual, s3BucketNameProblems: jest.fn(actual.s3BucketNameProblems) };
});

const checks = {
  httpsOriginProblems: httpsOriginProblems as jest.Mock,
  keyPrefixProblems: keyPrefixProblems as jest.Mock,
  s3BucketNameProblems: s3BucketNameProblems as jest.Mock,
};

/** How often each check ran on each prop, such as `{ 'keyPrefixProblems(keyPrefixes)': 1 }`. */
function calls(): Record<string, number> {
  const counted: Record<string, number> = {};
  for (const [name, mock] of Object.entries(checks)) {
    for (const [prop] of mock.mock.calls) {
      counted[`${name}(${prop})`] = (counted[`${name}(${prop})`] ?? 0) + 1;
    }
  }
  return counted;
}

beforeEach(() => Object.values(checks).forEach((mock) => mock.mockClear()));

describe('a walk of SegmentsBucket\'s props passes through each check once', () => {
  it('construction and synth check bucketName, keyPrefixes and allowedOrigins once each', () => {
    const { stack } = newStack();
    new SegmentsBucket(stack, 'Data', {
      bucketName: 'acme-labeling-data',
      keyPrefixes: ['images/', 'videos/'],
      allowedOrigins: ['https://segments.ai', 'https://*.segments.ai'],
    });
    Template.fromStack(stack);
    expect(calls()).toEqual({
      'httpsOriginProblems(allowedOrigins)': 1,
      'keyPrefixProblems(keyPrefixes)': 1,
      's3BucketNameProblems(bucketName)': 1,
    });
  });

  it('without keyPrefixes and allowedOrigins, runs neither check (the defaults need none)', () => {
    const { stack } = newStack();
    new SegmentsBucket(stack, 'Data');
    Template.fromStack(stack);
    expect(calls()).toEqual({});
  });

  it('a SegmentsAccess the user writes still checks its input itself, once', () => {
    const { stack } = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    new SegmentsAccess(stack, 'Access', { bucket, keyPrefixes: ['images/'], allowedOrigins: ['https://segments.ai'] });
    Template.fromStack(stack);
    expect(calls()).toEqual({ 'httpsOriginProblems(allowedOrigins)': 1, 'keyPrefixProblems(keyPrefixes)': 1 });
  });
});

describe('every refusal names the construct the user wrote', () => {
  it('SegmentsBucket: a bad prefix is refused once, by SegmentsBucket', () => {
    const { stack } = newStack();
    let message = '';
    try {
      new SegmentsBucket(stack, 'Data', { keyPrefixes: ['a*'] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^SegmentsBucket refused its input:/);
    expect(message.match(/keyPrefixes\[0\] \('a\*'\)/g)).toHaveLength(1);
  });

  it('SegmentsBucket in another partition: the refusal of its SegmentsAccess names SegmentsBucket', () => {
    const { stack } = newStack({ env: { region: 'cn-north-1' } });
    expect(() => new SegmentsBucket(stack, 'Data'))
      .toThrow(/^SegmentsBucket refused its input:\n {2}- bucket \('TestStack\/Data\/Bucket'\) is in region cn-north-1/);
  });

  it('SegmentsBucket with an escape hatch on its policy: the synth refusal names SegmentsBucket', () => {
    const { stack } = newStack();
    const data = new SegmentsBucket(stack, 'Data');
    (data.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride('PolicyDocument.Statement', []);
    expect(() => Template.fromStack(stack)).toThrow(/^SegmentsBucket refused its input:[\s\S]*'segments-s3-access' in the template is missing/);
  });

  it('SegmentsAccess the user writes: its refusals name SegmentsAccess', () => {
    const { stack } = newStack({ env: { region: 'cn-north-1' } });
    expect(() => new SegmentsAccess(stack, 'Access', { bucket: new s3.Bucket(stack, 'Bucket') }))
      .toThrow(/^SegmentsAccess refused its input:/);
    const other = newStack();
    const bucket = new s3.Bucket(other.stack, 'Bucket');
    const access = new SegmentsAccess(other.stack, 'Access', { bucket });
    expect(access.node.path).toBe('TestStack/Access');
    (bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride('PolicyDocument.Statement', []);
    expect(() => Template.fromStack(other.stack)).toThrow(/^SegmentsAccess refused its input:/);
  });
});
