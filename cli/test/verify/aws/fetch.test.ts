/**
 * The SDK edge of `verify aws` (fetch.ts) with mocked S3 and KMS clients (aws-sdk-client-mock):
 * every result of every check as the SDK delivers it, access denied and network errors included,
 * what Ceph RGW answers (empty configurations), that STS and Organizations are not called without their clients (org-policies.test.ts has them) and KMS only for SSE-KMS,
 * and that no write is ever sent. The browser's view goes to a local HTTP server on 127.0.0.1.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketRequestPaymentCommand,
  GetObjectAclCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsEdge, failureCause, httpProbe, needsPathStyle, regionOfLocation } from '../../../src/verify/aws/fetch';
import { runVerify } from '../../../src/verify/command';
import { verifyAws } from '../../../src/verify/aws/run';
import { AwsVerifyOptions } from '../../../src/verify/aws';
import { exitCodeOf, CheckOutcome } from '../../../src/verify/report';
import { importsOf } from '../../../../test/helpers/module-graph';
import { BUCKET, SEGMENTS, SEGMENTS_RULE, options, policyOf, segmentsStatement } from './fixtures';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** An error as the SDK throws it for an S3/KMS error response. */
function awsError(name: string, status?: number, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: status === undefined ? {} : { httpStatusCode: status } });
}
const accessDenied = () => awsError('AccessDenied', 403, 'Access Denied');
const connectionRefused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: {} });

/** A bucket as SegmentsBucket sets it up, as the S3 API answers. */
function goodBucket(): void {
  s3.reset();
  kms.reset();
  s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
  s3.on(GetBucketPolicyCommand).resolves({ Policy: policyOf(segmentsStatement()) });
  s3.on(GetBucketCorsCommand).resolves({ CORSRules: [SEGMENTS_RULE] });
  s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } });
  s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
  s3.on(GetBucketRequestPaymentCommand).resolves({ Payer: 'BucketOwner' });
  s3.on(HeadObjectCommand).resolves({ StorageClass: 'STANDARD', ServerSideEncryption: 'AES256' });
  s3.on(GetBucketAclCommand).resolves({ Owner: { ID: 'owner-id' } });
  s3.on(GetObjectAclCommand).resolves({ Owner: { ID: 'owner-id' } });
  s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } });
}

/** Every command name sent in this file, to prove none writes. */
const sent = new Set<string>();
function record(): void {
  for (const call of [...s3.calls(), ...kms.calls()]) {
    sent.add((call.args[0] as object).constructor.name);
  }
}

// The browser's view: a local server that answers like S3 with or without a matching CORS rule.
// 'get-refused': the preflights are answered, the GET refused without CORS headers (what a server
// does with a wrong secret key: the signature fails, the CORS rule is fine).
let mode: 'allow' | 'deny' | 'get-refused' = 'allow';
const requests: { method?: string; url?: string; headers: http.IncomingHttpHeaders }[] = [];
const server = http.createServer((req, res) => {
  requests.push({ method: req.method, url: req.url, headers: req.headers });
  const origin = req.headers.origin as string;
  if (mode === 'allow' || (mode === 'get-refused' && req.method === 'OPTIONS')) {
    const asked = req.method === 'OPTIONS' ? req.headers['access-control-request-headers'] : undefined;
    res.writeHead(200, { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'GET', ...(asked ? { 'Access-Control-Allow-Headers': asked } : {}), 'Vary': 'Origin', 'Content-Type': 'image/jpeg' });
    res.end('jpeg');
  } else {
    res.writeHead(403, { 'Content-Type': 'application/xml' });
    res.end('<Error><Code>AccessForbidden</Code></Error>');
  }
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The regions the presigned URLs were signed for, in order. */
const presignedFor: (string | undefined)[] = [];
function edge(): AwsEdge {
  return {
    s3: new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }),
    kms: (region) => new KMSClient({ region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }),
    presign: async (region, bucket, key) => {
      presignedFor.push(region);
      return `${base}/${bucket}/${key}?X-Amz-Signature=0123abcd`;
    },
    http: httpProbe,
  };
}

async function verify(opts: Partial<AwsVerifyOptions> = {}, offline = true): Promise<{ checks: readonly CheckOutcome[]; code: number; of(id: string): string[] }> {
  const report = await verifyAws(options(opts), { offline }, edge());
  record();
  const checks = report.checks;
  return { checks, code: exitCodeOf(checks), of: (id) => checks.filter((c) => c.id === id).map((c) => c.result) };
}

beforeEach(() => {
  goodBucket();
  mode = 'allow';
  requests.length = 0;
  presignedFor.length = 0;
});

describe('a bucket as SegmentsBucket sets it up', () => {
  it('passes every check but org-policies (never checkable) and preflight (--offline), exit 0', async () => {
    const { checks, code } = await verify({ keys: ['images/a.jpg'] });
    expect(checks.map((c) => `${c.id}: ${c.result}`)).toEqual([
      'aws.bucket: pass', 'aws.policy: pass', 'aws.policy: pass', 'aws.public-access-block: pass', 'aws.cors: pass', 'aws.cors: pass', 'aws.encryption: pass', 'aws.ownership: pass',
      'aws.requester-pays: pass', 'aws.object: pass', 'aws.preflight: not-checked', 'aws.org-policies: not-checked',
    ]);
    expect(code).toBe(0);
  });

  it('calls neither STS (no client exists here for it) nor KMS, when nothing uses SSE-KMS', async () => {
    await verify({ keys: ['images/a.jpg'] });
    expect(kms.calls()).toHaveLength(0);
  });
});

describe('aws.bucket through the SDK', () => {
  it('fails when HeadBucket answers 404, and reads nothing else', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('NotFound', 404));
    const { of, code } = await verify({ keys: ['a.jpg'] });
    expect(of('aws.bucket')).toEqual(['fail']);
    expect(of('aws.policy')).toEqual(['not-checked']);
    expect(code).toBe(1);
    expect(s3.commandCalls(GetBucketPolicyCommand)).toHaveLength(0);
  });
  it('asks GetBucketLocation when HeadBucket names no region (S3-compatible servers), "" meaning us-east-1', async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: undefined });
    const { checks } = await verify();
    expect(checks[0].detail).toContain('is in us-east-1');
    expect(regionOfLocation('EU')).toBe('eu-west-1');
    expect(regionOfLocation('ap-south-1')).toBe('ap-south-1');
  });
  it('passes through GetBucketLocation when HeadBucket (s3:ListBucket) is denied', async () => {
    s3.on(HeadBucketCommand).rejects(accessDenied());
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'eu-central-1' });
    const { checks, of } = await verify();
    expect(of('aws.bucket')).toEqual(['pass']);
    expect(checks[0].detail).toContain('eu-central-1');
  });
  it('is not-checked naming s3:ListBucket when both are denied, and the other reads still run', async () => {
    s3.on(HeadBucketCommand).rejects(accessDenied());
    s3.on(GetBucketLocationCommand).rejects(accessDenied());
    const { checks, of, code } = await verify();
    expect(checks[0]).toMatchObject({ result: 'not-checked', fix: expect.stringContaining('Allow s3:ListBucket on arn:aws:s3:::acme-images') });
    expect(of('aws.policy')).toEqual(['pass']);
    expect(code).toBe(3);
  });
  it('without credentials: exit 3, aws.bucket says what to set, nothing else is read', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('CredentialsProviderError', undefined, 'Could not load credentials from any providers'));
    const { checks, code } = await verify({ keys: ['a.jpg'] });
    expect(code).toBe(3);
    expect(checks[0]).toMatchObject({ id: 'aws.bucket', result: 'not-checked', fix: expect.stringMatching(/^Give AWS credentials the SDK finds: AWS_PROFILE/) });
    expect(checks.filter((c) => c.id !== 'aws.org-policies').every((c) => c.result === 'not-checked' && c.couldNotRun)).toBe(true);
    expect(s3.calls().map((c) => (c.args[0] as object).constructor.name)).toEqual(['HeadBucketCommand', 'GetBucketLocationCommand']);
  });
  it('with the network down: exit 3, said once with what to check', async () => {
    s3.on(HeadBucketCommand).rejects(connectionRefused());
    s3.on(GetBucketLocationCommand).rejects(connectionRefused());
    const { checks, code } = await verify();
    expect(code).toBe(3);
    expect(checks[0].fix).toMatch(/^Check the network connection and the endpoint/);
    expect(checks[1].detail).toBe('Not checked: the network is down or the endpoint unreachable (see aws.bucket).');
  });
});

describe('each read: found, not there, denied, network down', () => {
  it.each<[string, string, () => void, string[], RegExp | null]>([
    ['aws.policy', 'no policy (NoSuchBucketPolicy)', () => s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 404)), ['fail'], null],
    ['aws.policy', 'access denied', () => s3.on(GetBucketPolicyCommand).rejects(accessDenied()), ['not-checked'], /^Allow s3:GetBucketPolicy on arn:aws:s3:::acme-images /],
    ['aws.policy', 'network down', () => s3.on(GetBucketPolicyCommand).rejects(connectionRefused()), ['not-checked'], /^Check the network/],
    ['aws.policy', 'a Deny that can match', () => s3.on(GetBucketPolicyCommand).resolves({ Policy: policyOf(segmentsStatement(), {
      Sid: 'BlockList', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } },
    }) }), ['warn', 'warn'], null],
    ['aws.cors', 'no configuration (NoSuchCORSConfiguration)', () => s3.on(GetBucketCorsCommand).rejects(awsError('NoSuchCORSConfiguration', 404)), ['fail'], null],
    ['aws.cors', 'an earlier rule answering with every header', () => s3.on(GetBucketCorsCommand).resolves({
      CORSRules: [{ ID: 'all', AllowedMethods: ['GET'], AllowedOrigins: ['*'], AllowedHeaders: ['*'] }, SEGMENTS_RULE] }), ['warn', 'warn'], null],
    ['aws.cors', 'access denied', () => s3.on(GetBucketCorsCommand).rejects(accessDenied()), ['not-checked'], /^Allow s3:GetBucketCORS /],
    ['aws.encryption', 'none set (ServerSideEncryptionConfigurationNotFoundError)', () => s3.on(GetBucketEncryptionCommand).rejects(awsError('ServerSideEncryptionConfigurationNotFoundError', 404)), ['pass'], null],
    ['aws.encryption', 'an empty configuration (Ceph RGW)', () => s3.on(GetBucketEncryptionCommand).resolves({}), ['pass'], null],
    ['aws.encryption', 'SSE-KMS with aws/s3', () => s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }), ['fail'], null],
    ['aws.encryption', 'access denied', () => s3.on(GetBucketEncryptionCommand).rejects(accessDenied()), ['not-checked'], /^Allow s3:GetEncryptionConfiguration /],
    ['aws.ownership', 'none set (OwnershipControlsNotFoundError)', () => s3.on(GetBucketOwnershipControlsCommand).rejects(awsError('OwnershipControlsNotFoundError', 404)), ['warn', 'pass'], null],
    ['aws.ownership', 'an empty configuration (Ceph RGW)', () => s3.on(GetBucketOwnershipControlsCommand).resolves({}), ['warn', 'pass'], null],
    ['aws.ownership', 'access denied', () => s3.on(GetBucketOwnershipControlsCommand).rejects(accessDenied()), ['not-checked'], /^Allow s3:GetBucketOwnershipControls /],
    ['aws.requester-pays', 'Requester', () => s3.on(GetBucketRequestPaymentCommand).resolves({ Payer: 'Requester' }), ['fail'], null],
    ['aws.requester-pays', 'access denied', () => s3.on(GetBucketRequestPaymentCommand).rejects(accessDenied()), ['not-checked'], /^Allow s3:GetBucketRequestPayment /],
    ['aws.object', 'no object (404)', () => s3.on(HeadObjectCommand).rejects(awsError('NotFound', 404)), ['fail'], null],
    ['aws.object', 'SSE-C (400)', () => s3.on(HeadObjectCommand).rejects(awsError('BadRequest', 400)), ['fail'], null],
    ['aws.object', 'in GLACIER, not restored', () => s3.on(HeadObjectCommand).resolves({ StorageClass: 'GLACIER' }), ['fail'], null],
    ['aws.object', 'access denied', () => s3.on(HeadObjectCommand).rejects(accessDenied()), ['not-checked'], /^Allow s3:GetObject on arn:aws:s3:::acme-images\/images\/a\.jpg /],
    ['aws.object', 'network down', () => s3.on(HeadObjectCommand).rejects(connectionRefused()), ['not-checked'], /^Check the network/],
  ])('%s: %s', async (id, _, setup, expected, fix) => {
    setup();
    const { checks, of, code } = await verify({ keys: ['images/a.jpg'] });
    expect(of(id)).toEqual(expected);
    const first = checks.find((c) => c.id === id)!;
    if (fix) {
      expect(first.fix).toMatch(fix);
    }
    if (expected.includes('fail')) {
      expect(first.fix).toEqual(expect.any(String));
    }
    expect(code).toBe(expected.includes('fail') ? 1 : expected.includes('not-checked') ? 3 : 0);
  });
});

describe('objects owned by another account (ACLs on)', () => {
  it('reads the owners only with ACLs on, and fails a key another account owns', async () => {
    await verify({ keys: ['a.jpg'] });
    expect(s3.commandCalls(GetObjectAclCommand)).toHaveLength(0);
    goodBucket();
    s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } });
    s3.on(GetBucketAclCommand).resolves({ Owner: { ID: 'owner-id' } });
    s3.on(GetObjectAclCommand, { Key: 'theirs.jpg' }).resolves({ Owner: { ID: 'uploader-id' } });
    s3.on(GetObjectAclCommand, { Key: 'mine.jpg' }).resolves({ Owner: { ID: 'owner-id' } });
    const { checks } = await verify({ keys: ['mine.jpg', 'theirs.jpg'] });
    expect(checks.filter((c) => c.id === 'aws.ownership').map((c) => `${c.target ?? ''}: ${c.result}`)).toEqual([': warn', 'mine.jpg: pass', 'theirs.jpg: fail']);
  });
  it('is not-checked naming s3:GetObjectAcl when the object ACL is denied', async () => {
    s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } });
    s3.on(GetBucketAclCommand).resolves({ Owner: { ID: 'owner-id' } });
    s3.on(GetObjectAclCommand).rejects(accessDenied());
    const { checks } = await verify({ keys: ['a.jpg'] });
    expect(checks.find((c) => c.id === 'aws.ownership' && c.target === 'a.jpg')).toMatchObject({ result: 'not-checked', fix: expect.stringContaining('s3:GetObjectAcl') });
  });
});

describe('KMS: read only for SSE-KMS, and judged by the key policy', () => {
  const kmsDefault = () => s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } }] },
  });
  const keyPolicy = (statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const root = { Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
  const segments = { Sid: 'segments-kms-decrypt', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } };

  it('passes a customer key whose policy allows Segments, from DescribeKey and GetKeyPolicy in the key\'s region', async () => {
    kmsDefault();
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyManager: 'CUSTOMER', KeyState: 'Enabled' } });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: keyPolicy([root, segments]) });
    const { of } = await verify();
    expect(of('aws.encryption')).toEqual(['pass']);
    expect(kms.commandCalls(GetKeyPolicyCommand)[0].args[0].input).toEqual({ KeyId: KEY_ARN, PolicyName: 'default' });
  });
  it('fails a customer key whose policy does not name Segments', async () => {
    kmsDefault();
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyManager: 'CUSTOMER', KeyState: 'Enabled' } });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: keyPolicy([root]) });
    expect((await verify()).of('aws.encryption')).toEqual(['fail']);
  });
  it('fails an AWS managed key without reading its policy', async () => {
    kmsDefault();
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyManager: 'AWS', KeyState: 'Enabled' } });
    expect((await verify()).of('aws.encryption')).toEqual(['fail']);
    expect(kms.commandCalls(GetKeyPolicyCommand)).toHaveLength(0);
  });
  it.each<[string, () => void, string]>([
    ['GetKeyPolicy denied', () => {
      kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyManager: 'CUSTOMER', KeyState: 'Enabled' } });
      kms.on(GetKeyPolicyCommand).rejects(awsError('AccessDeniedException', 400, 'not authorized'));
    }, 'kms:GetKeyPolicy'],
    ['DescribeKey denied', () => kms.on(DescribeKeyCommand).rejects(awsError('AccessDeniedException', 400, 'not authorized')), 'kms:DescribeKey'],
    ['KMS unreachable (an S3-compatible server has none)', () => kms.on(DescribeKeyCommand).rejects(connectionRefused()), 'Check the network'],
  ])('is not-checked when %s, never a pass', async (_, setup, named) => {
    kmsDefault();
    setup();
    const { checks, code } = await verify();
    expect(checks.find((c) => c.id === 'aws.encryption')).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining(named) });
    expect(code).toBe(3);
  });
  it('judges an object under another key by that key, and reads the default key once', async () => {
    kmsDefault();
    const other = KEY_ARN.replace('1234abcd', '99999999');
    kms.on(DescribeKeyCommand, { KeyId: KEY_ARN }).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyManager: 'CUSTOMER', KeyState: 'Enabled' } });
    kms.on(DescribeKeyCommand, { KeyId: other }).resolves({ KeyMetadata: { KeyId: 'o', Arn: other, KeyManager: 'CUSTOMER', KeyState: 'Enabled' } });
    kms.on(GetKeyPolicyCommand, { KeyId: KEY_ARN }).resolves({ Policy: keyPolicy([root, segments]) });
    kms.on(GetKeyPolicyCommand, { KeyId: other }).resolves({ Policy: keyPolicy([root]) });
    s3.on(HeadObjectCommand, { Key: 'same.jpg' }).resolves({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN });
    s3.on(HeadObjectCommand, { Key: 'other.jpg' }).resolves({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: other });
    const { checks } = await verify({ keys: ['same.jpg', 'other.jpg'] });
    expect(checks.filter((c) => c.id === 'aws.object').map((c) => `${c.target}: ${c.result}`)).toEqual(['same.jpg: pass', 'other.jpg: fail']);
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId)).toEqual([KEY_ARN, other]);
  });
});

describe('aws.preflight against a local HTTP server', () => {
  it('sends the browser\'s two preflights (no headers, then Range) and a presigned GET with each origin, and passes when all return the origin', async () => {
    const { checks } = await verify({ keys: ['images/a.jpg'], origins: ['https://app.segments.ai'] }, false);
    expect(checks.find((c) => c.id === 'aws.preflight')).toMatchObject({ result: 'pass', target: 'https://app.segments.ai' });
    expect(requests.map((r) => [r.method, r.url, r.headers.origin, r.headers['access-control-request-method'], r.headers['access-control-request-headers']])).toEqual([
      ['OPTIONS', `/${BUCKET}/images/a.jpg?X-Amz-Signature=0123abcd`, 'https://app.segments.ai', 'GET', undefined],
      ['OPTIONS', `/${BUCKET}/images/a.jpg?X-Amz-Signature=0123abcd`, 'https://app.segments.ai', 'GET', 'range'],
      ['GET', `/${BUCKET}/images/a.jpg?X-Amz-Signature=0123abcd`, 'https://app.segments.ai', undefined, undefined],
    ]);
    expect(checks.find((c) => c.id === 'aws.preflight')!.detail).not.toContain('X-Amz-Signature');
  });
  it('fails when the server answers 403 without CORS headers, showing the status', async () => {
    mode = 'deny';
    const { checks, code } = await verify({ keys: ['images/a.jpg'], origins: ['https://app.segments.ai'] }, false);
    expect(checks.find((c) => c.id === 'aws.preflight')).toMatchObject({ result: 'fail', detail: expect.stringContaining('answered 403 with no CORS header') });
    expect(code).toBe(1);
  });
  it('without --key, sends only the preflight, to the bucket root at AWS_ENDPOINT_URL_S3', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_S3;
    process.env.AWS_ENDPOINT_URL_S3 = base;
    try {
      const { checks } = await verify({ origins: ['https://app.segments.ai'] }, false);
      expect(checks.find((c) => c.id === 'aws.preflight')?.result).toBe('pass');
      expect(requests.map((r) => [r.method, r.url, r.headers['access-control-request-headers']])).toEqual([['OPTIONS', `/${BUCKET}/`, undefined], ['OPTIONS', `/${BUCKET}/`, 'range']]);
    } finally {
      if (saved === undefined) {
        delete process.env.AWS_ENDPOINT_URL_S3;
      } else {
        process.env.AWS_ENDPOINT_URL_S3 = saved;
      }
    }
  });
  it('is not-checked (exit 3) when the endpoint refuses the connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const e = { ...edge(), presign: async () => `http://127.0.0.1:${port}/${BUCKET}/a.jpg?X-Amz-Signature=x` };
    const report = await verifyAws(options({ keys: ['a.jpg'], origins: ['https://app.segments.ai'] }), { offline: false }, e);
    expect(report.checks.find((c) => c.id === 'aws.preflight')).toMatchObject({ result: 'not-checked', couldNotRun: true });
    expect(exitCodeOf(report.checks)).toBe(3);
  });
});

describe('how an SDK error is classified', () => {
  it.each<[string, string, () => unknown]>([
    ['AccessDenied', 'access-denied', accessDenied],
    ['a 403 of any name', 'access-denied', () => awsError('Forbidden', 403)],
    ['KMS AccessDeniedException', 'access-denied', () => awsError('AccessDeniedException', 400)],
    ['CredentialsProviderError', 'no-credentials', () => awsError('CredentialsProviderError')],
    ['ECONNREFUSED', 'network', connectionRefused],
    ['ENOTFOUND', 'network', () => Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })],
    ['TimeoutError', 'network', () => awsError('TimeoutError')],
    ['a 500', 'other', () => awsError('InternalError', 500)],
    ['a bodiless 403 (a HEAD: the SDK names it Unknown)', 'access-denied', () => awsError('Unknown', 403, 'UnknownError')],
    ['InvalidAccessKeyId (403)', 'rejected-credentials', () => awsError('InvalidAccessKeyId', 403)],
    ['SignatureDoesNotMatch (403)', 'rejected-credentials', () => awsError('SignatureDoesNotMatch', 403)],
    ['ExpiredToken (400)', 'rejected-credentials', () => awsError('ExpiredToken', 400)],
    ['KMS UnrecognizedClientException', 'rejected-credentials', () => awsError('UnrecognizedClientException', 400)],
    ['the SDK\'s "Invalid URL" (a dotted bucket at an IP endpoint)', 'invalid-endpoint', () => Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL', input: 'http://a.b.127.0.0.1:1/' })],
  ])('%s is %s', (_, cause, error) => {
    expect(failureCause(error())).toBe(cause);
  });
});

describe('verify aws never writes', () => {
  it('sent only reads in every test of this file (Head*, Get*, DescribeKey)', () => {
    record();
    expect(sent.size).toBeGreaterThan(10);
    for (const name of sent) {
      expect(name).toMatch(/^(Head|Get)[A-Za-z]+Command$|^DescribeKeyCommand$/);
    }
  });
  it('imports only read commands at its SDK edge', () => {
    const file = path.join(__dirname, '..', '..', '..', 'src', 'verify', 'aws', 'fetch.ts');
    const text = fs.readFileSync(file, 'utf8');
    const commands = [...text.matchAll(/\b([A-Z][A-Za-z]+Command)\b/g)].map((m) => m[1]);
    expect(new Set(commands)).toEqual(new Set([
      'DescribeKeyCommand', 'GetKeyPolicyCommand', 'GetBucketAclCommand', 'GetBucketCorsCommand', 'GetBucketEncryptionCommand',
      'GetBucketLocationCommand', 'GetBucketOwnershipControlsCommand', 'GetBucketPolicyCommand', 'GetBucketRequestPaymentCommand',
      'GetObjectAclCommand', 'GetObjectCommand', 'GetPublicAccessBlockCommand', 'HeadBucketCommand', 'HeadObjectCommand',
      'GetObjectTaggingCommand', 'GetCallerIdentityCommand', 'ListParentsCommand', 'ListPoliciesForTargetCommand', 'DescribePolicyCommand',
    ]));
    // GetObjectCommand is only presigned (the browser's GET), never sent by the client.
    expect(text).toMatch(/getSignedUrl\(client, new GetObjectCommand/);
    expect(importsOf(file).filter((s) => s.startsWith('@aws-sdk/'))).toEqual(['@aws-sdk/client-kms', '@aws-sdk/client-organizations', '@aws-sdk/client-sts',
      '@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner']);
  });
});

describe('refused credentials: one cause, exit 3, said once', () => {
  const refusedAt = (code: string, status: number) => {
    // A HEAD answer has no body: the SDK sees only the status. GetBucketLocation's body names the code.
    s3.on(HeadBucketCommand).rejects(awsError('Unknown', status, 'UnknownError'));
    s3.on(GetBucketLocationCommand).rejects(awsError(code, status, `${code}: refused`));
  };
  it.each<[string, number, RegExp]>([
    ['SignatureDoesNotMatch', 403, /^The secret access key does not match the access key ID: set AWS_PROFILE/],
    ['InvalidAccessKeyId', 403, /^The access key ID is not known to the service/],
    ['ExpiredToken', 400, /^The session credentials have expired: get new ones/],
  ])('%s: aws.bucket says what to set, every other check points to it, nothing else is read or sent', async (code, status, fix) => {
    refusedAt(code, status);
    mode = 'get-refused';
    const { checks, code: exit } = await verify({ keys: ['images/a.jpg'] }, false);
    expect(exit).toBe(3);
    expect(checks[0]).toMatchObject({ id: 'aws.bucket', result: 'not-checked', fix: expect.stringMatching(fix) });
    const others = checks.filter((c) => c.id !== 'aws.bucket' && c.id !== 'aws.org-policies');
    expect(others.map((c) => [c.result, c.detail, c.fix])).toEqual(others.map(() => ['not-checked', 'Not checked: the credentials were refused (see aws.bucket).', undefined]));
    expect(checks.filter((c) => c.result === 'fail')).toEqual([]);
    expect(requests).toEqual([]);
    expect(s3.calls()).toHaveLength(2);
  });
  it('refused on a later read: a 400 HeadObject is the refusal, not SSE-C, and the fix is said under the first check only', async () => {
    s3.on(GetBucketPolicyCommand).rejects(awsError('ExpiredToken', 400, 'The provided token has expired.'));
    s3.on(GetBucketCorsCommand).rejects(awsError('ExpiredToken', 400, 'The provided token has expired.'));
    s3.on(HeadObjectCommand).rejects(awsError('Unknown', 400, 'UnknownError'));
    const { checks, code } = await verify({ keys: ['images/a.jpg'] }, false);
    expect(code).toBe(3);
    expect(checks.find((c) => c.id === 'aws.object')).toMatchObject({ result: 'not-checked', detail: expect.not.stringContaining('SSE-C') });
    const withFix = checks.filter((c) => c.fix?.startsWith('The session credentials have expired'));
    expect(withFix.map((c) => c.id)).toEqual(['aws.policy']);
    expect(checks.find((c) => c.id === 'aws.cors')?.detail).toBe('Not checked: the credentials were refused (see aws.policy).');
    expect(checks.filter((c) => c.id === 'aws.preflight').map((c) => [c.target, c.result, c.detail]))
      .toEqual(['https://app.segments.ai', 'https://segments.ai'].map((origin) => [origin, 'not-checked', 'Not checked: the credentials were refused (see aws.policy).']));
    expect(requests).toEqual([]);
  });
  it('no credentials at all: the others point to aws.bucket in a word, with no fix of their own', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('CredentialsProviderError', undefined, 'Could not load credentials from any providers'));
    const { checks } = await verify();
    expect(checks.filter((c) => c.fix !== undefined).map((c) => c.id)).toEqual(['aws.bucket']);
    expect(checks[1].detail).toBe('Not checked: no AWS credentials (see aws.bucket).');
  });
});

describe('the bucket\'s region: as S3 names it, never us-east-1 by default', () => {
  const refusedWithRegion = (region?: string) => {
    const error = awsError('Unknown', 403, 'UnknownError');
    s3.on(HeadBucketCommand).rejects(region ? Object.assign(error, { $response: { statusCode: 403, headers: { 'x-amz-bucket-region': region } } }) : error);
    s3.on(GetBucketLocationCommand).rejects(accessDenied());
  };
  it('takes it from x-amz-bucket-region on a refused HeadBucket, for the presigned URL and the KMS key\'s kms:ViaService', async () => {
    refusedWithRegion('eu-central-1');
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/images' } }] } });
    const central = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: central, KeyManager: 'CUSTOMER', KeyState: 'Enabled' } });
    kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] }) });
    const { checks } = await verify({ keys: ['images/a.jpg'], origins: ['https://app.segments.ai'] }, false);
    expect(checks[0].detail).toContain('S3 named the bucket\'s region in its answer: eu-central-1.');
    expect(presignedFor).toEqual(['eu-central-1']);
    expect(checks.find((c) => c.id === 'aws.encryption')?.fix).toContain('"kms:ViaService":"s3.eu-central-1.amazonaws.com"');
  });
  it('with no region anywhere, sends no preflight to a guessed endpoint: not-checked, naming s3:GetBucketLocation', async () => {
    refusedWithRegion();
    const { checks } = await verify({ origins: ['https://app.segments.ai'] }, false);
    expect(requests).toEqual([]);
    expect(checks.find((c) => c.id === 'aws.preflight')).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('Allow s3:GetBucketLocation on arn:aws:s3:::acme-images ') });
  });
});

describe('reads whose absence means a default', () => {
  it('GetBucketRequestPayment without Payer is the bucket owner paying', async () => {
    s3.on(GetBucketRequestPaymentCommand).resolves({});
    expect((await verify()).of('aws.requester-pays')).toEqual(['pass']);
  });
  it('no Block Public Access configuration on the bucket: judged as all off', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyOf(segmentsStatement(), { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/public/*` }) });
    expect((await verify()).of('aws.public-access-block')).toEqual(['warn']);
  });
});

describe('aws.public-access-block through the SDK', () => {
  it('fails a public statement under RestrictPublicBuckets, which aws.policy alone would pass (exit 1)', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyOf(segmentsStatement(), { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/public/*` }) });
    const { of, code } = await verify();
    expect(of('aws.public-access-block')).toEqual(['fail']);
    expect(code).toBe(1);
    expect(s3.commandCalls(GetPublicAccessBlockCommand)[0].args[0].input).toEqual({ Bucket: BUCKET });
  });
});

describe('the browser\'s view: why a probe failed', () => {
  it('an HTTP error that is no S3 answer (a TLS failure) is a network cause: check the endpoint, not a permission', async () => {
    const e = { ...edge(), http: async () => { throw Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }); } };
    const report = await verifyAws(options({ keys: ['a.jpg'], origins: ['https://app.segments.ai'] }), { offline: false }, e);
    expect(report.checks.find((c) => c.id === 'aws.preflight')).toMatchObject({ result: 'not-checked', fix: expect.stringMatching(/^Check the network connection and the endpoint/) });
  });
});

describe('a dotted bucket name at a custom endpoint', () => {
  it('is read with path-style addressing (the SDK would build acme.images.127.0.0.1, no URL); AWS itself needs no change', () => {
    expect(needsPathStyle('acme.images', 'http://127.0.0.1:7480')).toBe(true);
    expect(needsPathStyle('acme-images', 'http://127.0.0.1:7480')).toBe(false);
    expect(needsPathStyle('acme.images', undefined)).toBe(false);
  });
});

describe('segments-cloud verify aws: the exit code of the command', () => {
  const run = (args: string[]) => runVerify('segments-cloud', ['aws', '--bucket', BUCKET, '--offline', ...args], { color: false });
  it('is 0 for a bucket that passes, 1 when a check fails, 3 when one could not run', async () => {
    expect((await run([])).exitCode).toBe(0);
    s3.on(GetBucketRequestPaymentCommand).resolves({ Payer: 'Requester' });
    expect((await run([])).exitCode).toBe(1);
    goodBucket();
    s3.on(GetBucketCorsCommand).rejects(accessDenied());
    const output = await run(['--json']);
    expect(output.exitCode).toBe(3);
    expect(JSON.parse(output.stdout).checks.find((c: { id: string }) => c.id === 'aws.cors').result).toBe('not-checked');
  });
});
