/**
 * The EFFECT of the policies SegmentsBucket and SegmentsAccess write: the synthesized bucket and
 * key policies, resolved for a concrete bucket, are run through an IAM evaluator
 * (test/helpers/policy-evaluation.ts explains how callers are modelled: every caller's own IAM
 * side allows the request, so what is decided here is what OUR resource policies permit; one
 * block models Segments' own IAM policy literally, to show both sides must allow cross-account).
 *
 * The last describe block is a control: the same refusals against a deliberately widened copy
 * of each policy come out Allowed, so none of the refusals above passes vacuously.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { recommendedContext } from './app';
import { SegmentsAccess, SegmentsBucket, type SegmentsBucketProps } from '../../lib/aws';
import {
  ANONYMOUS,
  OVER_TLS,
  SEGMENTS_OWN_IAM_POLICY,
  SEGMENTS_PRINCIPAL,
  evaluate,
  isAllowed,
  objectArn,
  resolvePolicies,
  type PolicyStatementJson,
  type ResolvedPolicies,
} from '../helpers/policy-evaluation';

const DEPLOYMENT = { bucketName: 'acme-segments-data', region: 'eu-west-1', account: '123456789012' };
const S3_VIA_REGION = { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' };
const OTHER_ACCOUNT_USER = 'arn:aws:iam::111122223333:user/someone';
const PARTNER_ROLE = 'arn:aws:iam::444455556666:role/partner-uploader';

/** Synthesizes once, on first use: the control tests reuse the templates of the tests above. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** The template of a stack built by `build` with the example app's feature flags, resolved for DEPLOYMENT (CloudFormation validation off: speed). */
function policiesOf(build: (stack: Stack) => void): ResolvedPolicies {
  const app = new App({ context: recommendedContext, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Customer');
  build(stack);
  return resolvePolicies(Template.fromStack(stack).toJSON(), DEPLOYMENT);
}

function segmentsBucketPolicies(props: SegmentsBucketProps): ResolvedPolicies {
  return policiesOf((stack) => new SegmentsBucket(stack, 'LabelingData', props));
}

const defaultBucket = once(() => segmentsBucketPolicies({}));
const imagesOnly = once(() => segmentsBucketPolicies({ keyPrefixes: ['images/'] }));
const withKmsKey = once(() => policiesOf((stack) =>
  new SegmentsBucket(stack, 'LabelingData', { encryptionKey: new kms.Key(stack, 'DataKey') })));

/** An existing bucket that already lets a partner read and write, then SegmentsAccess composed onto it. */
const composedOntoExistingBucket = once(() => policiesOf((stack) => {
  const bucket = new s3.Bucket(stack, 'ExistingImages', { enforceSSL: true });
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'partner-read-write',
    principals: [new iam.ArnPrincipal(PARTNER_ROLE)],
    actions: ['s3:GetObject', 's3:PutObject'],
    resources: [bucket.arnForObjects('*')],
  }));
  new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
}));

/** S3 actions other than s3:GetObject, each on the resource it applies to. */
const OTHER_S3_ACTIONS: [string, 'object' | 'bucket'][] = [
  ['s3:PutObject', 'object'],
  ['s3:DeleteObject', 'object'],
  ['s3:ListBucket', 'bucket'],
  ['s3:GetBucketPolicy', 'bucket'],
  ['s3:PutBucketPolicy', 'bucket'],
  ['s3:GetObjectAcl', 'object'],
  ['s3:GetObjectVersion', 'object'],
  ['s3:GetObjectTagging', 'object'],
  ['s3:GetBucketLocation', 'bucket'],
  ['s3:PutBucketCors', 'bucket'],
];

/** KMS actions Segments must not have on the key, even when S3 calls on its behalf. */
const OTHER_KMS_ACTIONS = [
  'kms:Encrypt',
  'kms:ScheduleKeyDeletion',
  'kms:PutKeyPolicy',
  'kms:CreateGrant',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
];

/** Keys outside the prefix `images/`. */
const KEYS_OUTSIDE_IMAGES = ['other/a.jpg', 'imagesX/a.jpg', 'images-old/a.jpg', 'images', 'a.jpg'];

/** Other callers than Segments' user: another account's user, another user and the root of Segments' account. */
const OTHER_CALLERS = [OTHER_ACCOUNT_USER, 'arn:aws:iam::931508227573:user/other', 'arn:aws:iam::931508227573:root'];

const resourceFor = (policies: ResolvedPolicies, on: 'object' | 'bucket') =>
  on === 'bucket' ? policies.bucketArn : objectArn(policies, 'some/key.jpg');

const isSslDeny = (statement: PolicyStatementJson) =>
  statement.Effect === 'Deny' && statement.Condition?.Bool?.['aws:SecureTransport'] === 'false';
const isTlsVersionDeny = (statement: PolicyStatementJson) =>
  statement.Effect === 'Deny' && statement.Condition?.NumericLessThan?.['s3:TlsVersion'] !== undefined;

describe('Segments can read objects and nothing else', () => {
  let policies: ResolvedPolicies;
  beforeAll(() => { policies = defaultBucket(); });

  it('Segments may s3:GetObject on an object over TLS', async () => {
    const decision = await evaluate({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: OVER_TLS });
    expect(decision.result).toBe('Allowed');
    expect(decision.allowedBy.map((statement) => statement.Sid)).toEqual(['segments-s3-access']);
  });

  it.each(OTHER_S3_ACTIONS)('Segments may not %s (on the %s)', async (action, on) => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action, resource: resourceFor(policies, on), policies, context: OVER_TLS })).toBe(false);
  });
});

describe('with keyPrefixes, Segments reads only under the prefixes', () => {
  let policies: ResolvedPolicies;
  beforeAll(() => { policies = imagesOnly(); });

  it('Segments may s3:GetObject images/a.jpg', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'images/a.jpg'), policies, context: OVER_TLS })).toBe(true);
  });

  it.each(KEYS_OUTSIDE_IMAGES)('Segments may not s3:GetObject %s', async (key) => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, key), policies, context: OVER_TLS })).toBe(false);
  });
});

describe('plain HTTP is refused', () => {
  let policies: ResolvedPolicies;
  beforeAll(() => { policies = defaultBucket(); });

  it('Segments\' s3:GetObject without TLS is explicitly denied by the enforceSSL statement', async () => {
    const decision = await evaluate({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: { 'aws:SecureTransport': 'false' } });
    expect(decision.result).toBe('ExplicitlyDenied');
    expect(decision.deniedBy.some(isSslDeny)).toBe(true);
  });

  it('Segments\' s3:GetObject over TLS 1.1 is explicitly denied by the minimum TLS version statement', async () => {
    const decision = await evaluate({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.1' } });
    expect(decision.result).toBe('ExplicitlyDenied');
    expect(decision.deniedBy.some(isTlsVersionDeny)).toBe(true);
  });

  it('Segments\' s3:GetObject over TLS 1.2 is allowed', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' } })).toBe(true);
  });
});

describe('nobody else gets anything', () => {
  let policies: ResolvedPolicies;
  beforeAll(() => { policies = defaultBucket(); });

  it('an anonymous caller may not s3:GetObject', async () => {
    expect(await isAllowed({ principal: ANONYMOUS, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: OVER_TLS })).toBe(false);
  });

  it.each(OTHER_CALLERS)('%s may not s3:GetObject', async (principal) => {
    expect(await isAllowed({ principal, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: OVER_TLS })).toBe(false);
  });
});

describe('with a KMS key, Segments may only decrypt, and only through S3 in the bucket\'s region', () => {
  let policies: ResolvedPolicies;
  beforeAll(() => { policies = withKmsKey(); });
  const keyArn = () => policies.keyArn!;

  it('the bucket is encrypted with the key of the template', () => {
    expect(policies.keyArn).toBe('arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  });

  it('Segments may s3:GetObject over TLS', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: OVER_TLS })).toBe(true);
  });

  it('Segments may kms:Decrypt when kms:ViaService is s3.eu-west-1.amazonaws.com', async () => {
    const decision = await evaluate({ principal: SEGMENTS_PRINCIPAL, action: 'kms:Decrypt', resource: keyArn(), policies, context: S3_VIA_REGION });
    expect(decision.result).toBe('Allowed');
    expect(decision.allowedBy.map((statement) => statement.Sid)).toEqual(['segments-kms-decrypt']);
  });

  it('Segments may not kms:Decrypt directly (no kms:ViaService)', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 'kms:Decrypt', resource: keyArn(), policies, context: {} })).toBe(false);
  });

  it('Segments may not kms:Decrypt through another service', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 'kms:Decrypt', resource: keyArn(), policies, context: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } })).toBe(false);
  });

  it('Segments may not kms:Decrypt through S3 in another region', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 'kms:Decrypt', resource: keyArn(), policies, context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })).toBe(false);
  });

  it.each(OTHER_KMS_ACTIONS)('Segments may not %s, even through S3', async (action) => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action, resource: keyArn(), policies, context: S3_VIA_REGION })).toBe(false);
  });

  it.each([OTHER_ACCOUNT_USER, 'arn:aws:iam::931508227573:user/other'])('%s may not kms:Decrypt through S3', async (principal) => {
    expect(await isAllowed({ principal, action: 'kms:Decrypt', resource: keyArn(), policies, context: S3_VIA_REGION })).toBe(false);
  });
});

describe('SegmentsAccess composed onto an existing bucket keeps what was there', () => {
  let policies: ResolvedPolicies;
  beforeAll(() => { policies = composedOntoExistingBucket(); });

  it.each(['s3:GetObject', 's3:PutObject'])('the partner\'s existing statement still lets it %s', async (action) => {
    expect(await isAllowed({ principal: PARTNER_ROLE, action, resource: objectArn(policies, 'uploads/a.jpg'), policies, context: OVER_TLS })).toBe(true);
  });

  it('Segments may s3:GetObject', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'uploads/a.jpg'), policies, context: OVER_TLS })).toBe(true);
  });

  it.each(OTHER_S3_ACTIONS)('Segments may not %s (on the %s)', async (action, on) => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action, resource: resourceFor(policies, on), policies, context: OVER_TLS })).toBe(false);
  });

  it('the partner may not act beyond its statement (s3:DeleteObject)', async () => {
    expect(await isAllowed({ principal: PARTNER_ROLE, action: 's3:DeleteObject', resource: objectArn(policies, 'uploads/a.jpg'), policies, context: OVER_TLS })).toBe(false);
  });
});

describe('cross-account, both sides must allow: our policies and Segments\' own IAM policy', () => {
  let policies: ResolvedPolicies;
  beforeAll(() => { policies = withKmsKey(); });

  it('with Segments\' own policy allowing s3:GetObject and kms:Decrypt on *, Segments may read an object', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: OVER_TLS, callerPolicies: [SEGMENTS_OWN_IAM_POLICY] })).toBe(true);
  });

  it('with Segments\' own policy allowing s3:GetObject and kms:Decrypt on *, Segments may decrypt through S3', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 'kms:Decrypt', resource: policies.keyArn!, policies, context: S3_VIA_REGION, callerPolicies: [SEGMENTS_OWN_IAM_POLICY] })).toBe(true);
  });

  it('without an own IAM policy, our bucket policy alone does not let Segments read', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: OVER_TLS, callerPolicies: [] })).toBe(false);
  });

  it('without an own IAM policy, our key policy alone does not let Segments decrypt', async () => {
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 'kms:Decrypt', resource: policies.keyArn!, policies, context: S3_VIA_REGION, callerPolicies: [] })).toBe(false);
  });
});

/**
 * Control: every refusal above is made by our policy, not by the evaluator or the caller model.
 * The same requests against a copy of the resolved policy with one statement widened are Allowed.
 */
describe('control: the refusals above fail when the policy is widened', () => {
  const widen = (policies: ResolvedPolicies, document: 'bucketPolicy' | 'keyPolicy', sid: string,
    change: (statement: PolicyStatementJson) => PolicyStatementJson): ResolvedPolicies => {
    const original = policies[document]!;
    expect(original.Statement.filter((statement) => statement.Sid === sid)).toHaveLength(1);
    return {
      ...policies,
      [document]: { ...original, Statement: original.Statement.map((statement) => statement.Sid === sid ? change(statement) : statement) },
    };
  };
  const allS3OnBucket = (policies: ResolvedPolicies) => (statement: PolicyStatementJson) =>
    ({ ...statement, Action: 's3:*', Resource: [policies.bucketArn, `${policies.bucketArn}/*`] });

  it.each(OTHER_S3_ACTIONS)('with s3:* granted, Segments could %s', async (action, on) => {
    const plain = defaultBucket();
    const policies = widen(plain, 'bucketPolicy', 'segments-s3-access', allS3OnBucket(plain));
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action, resource: resourceFor(policies, on), policies, context: OVER_TLS })).toBe(true);
  });

  it.each(OTHER_S3_ACTIONS)('composed: with s3:* granted, Segments could %s', async (action, on) => {
    const plain = composedOntoExistingBucket();
    const policies = widen(plain, 'bucketPolicy', 'segments-s3-access', allS3OnBucket(plain));
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action, resource: resourceFor(policies, on), policies, context: OVER_TLS })).toBe(true);
  });

  it.each(KEYS_OUTSIDE_IMAGES)('with the prefix widened to the whole bucket, Segments could read %s', async (key) => {
    const plain = imagesOnly();
    const policies = widen(plain, 'bucketPolicy', 'segments-s3-access', (statement) => ({ ...statement, Resource: `${plain.bucketArn}/*` }));
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, key), policies, context: OVER_TLS })).toBe(true);
  });

  it('with the prefix missing its slash (images*), Segments could read imagesX/a.jpg', async () => {
    const plain = imagesOnly();
    const policies = widen(plain, 'bucketPolicy', 'segments-s3-access', (statement) => ({ ...statement, Resource: `${plain.bucketArn}/images*` }));
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'imagesX/a.jpg'), policies, context: OVER_TLS })).toBe(true);
  });

  it.each([
    ['without TLS', { 'aws:SecureTransport': 'false' }],
    ['over TLS 1.1', { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.1' }],
  ])('without the Deny statements, Segments could read %s', async (_, context) => {
    const plain = defaultBucket();
    const policies = { ...plain, bucketPolicy: { ...plain.bucketPolicy!, Statement: plain.bucketPolicy!.Statement.filter((statement) => statement.Effect !== 'Deny') } };
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context })).toBe(true);
  });

  it.each([['an anonymous caller', ANONYMOUS] as const, ...OTHER_CALLERS.map((caller) => [caller, caller] as const)])(
    'with Principal "*", %s could s3:GetObject', async (_, principal) => {
      const plain = defaultBucket();
      const policies = widen(plain, 'bucketPolicy', 'segments-s3-access', (statement) => ({ ...statement, Principal: '*' }));
      expect(await isAllowed({ principal, action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: OVER_TLS })).toBe(true);
    });

  it('with Segments\' whole account as principal, another user there could s3:GetObject', async () => {
    const plain = defaultBucket();
    const policies = widen(plain, 'bucketPolicy', 'segments-s3-access', (statement) => ({ ...statement, Principal: { AWS: 'arn:aws:iam::931508227573:root' } }));
    expect(await isAllowed({ principal: 'arn:aws:iam::931508227573:user/other', action: 's3:GetObject', resource: objectArn(policies, 'some/key.jpg'), policies, context: OVER_TLS })).toBe(true);
  });

  it.each(OTHER_CALLERS.filter((caller) => !caller.endsWith(':root')))('with Principal "*" on the key statement, %s could kms:Decrypt through S3', async (principal) => {
    const plain = withKmsKey();
    const policies = widen(plain, 'keyPolicy', 'segments-kms-decrypt', (statement) => ({ ...statement, Principal: '*' }));
    expect(await isAllowed({ principal, action: 'kms:Decrypt', resource: policies.keyArn!, policies, context: S3_VIA_REGION })).toBe(true);
  });

  it('with s3:* granted to the partner, it could s3:DeleteObject', async () => {
    const plain = composedOntoExistingBucket();
    const policies = widen(plain, 'bucketPolicy', 'partner-read-write', (statement) => ({ ...statement, Action: 's3:*' }));
    expect(await isAllowed({ principal: PARTNER_ROLE, action: 's3:DeleteObject', resource: objectArn(policies, 'uploads/a.jpg'), policies, context: OVER_TLS })).toBe(true);
  });

  it.each([
    ['directly', {}],
    ['through another service', { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' }],
    ['through S3 in another region', { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }],
  ])('without the kms:ViaService condition, Segments could kms:Decrypt %s', async (_, context) => {
    const plain = withKmsKey();
    const policies = widen(plain, 'keyPolicy', 'segments-kms-decrypt', ({ Condition: _dropped, ...statement }) => statement);
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action: 'kms:Decrypt', resource: policies.keyArn!, policies, context })).toBe(true);
  });

  it.each(OTHER_KMS_ACTIONS)('with kms:* granted, Segments could %s', async (action) => {
    const plain = withKmsKey();
    const policies = widen(plain, 'keyPolicy', 'segments-kms-decrypt', (statement) => ({ ...statement, Action: 'kms:*' }));
    expect(await isAllowed({ principal: SEGMENTS_PRINCIPAL, action, resource: policies.keyArn!, policies, context: S3_VIA_REGION })).toBe(true);
  });
});
