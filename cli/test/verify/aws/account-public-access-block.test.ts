/**
 * The account's Block Public Access (issue 21): S3 Control GetPublicAccessBlock
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html:
 * `GET /v20180820/configuration/publicAccessBlock`, header `x-amz-account-id`, host
 * `<account>.s3-control.<region>.amazonaws.com`, SigV4 service `s3`; error
 * `NoSuchPublicAccessBlockConfiguration` when none is set), for the bucket's account
 * (sts:GetCallerIdentity, checked with HeadBucket ExpectedBucketOwner), read once with the RCPs'
 * identity call. The signed request goes to a local HTTP server on 127.0.0.1; the SDK clients are
 * mocked (aws-sdk-client-mock).
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient, ListParentsCommand } from '@aws-sdk/client-organizations';
import { GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetPublicAccessBlockCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsEdge, fetchAwsBucketFacts, getAccountPublicAccessBlock, s3ControlEndpoint } from '../../../src/verify/aws/fetch';
import { PublicAccessBlock } from '../../../src/verify/aws/facts';
import { checkPublicAccessBlock } from '../../../src/verify/aws/public-access-block';
import { BUCKET, options, policyOf, segmentsStatement } from './fixtures';

const ACCOUNT = '111122223333';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe('getAccountPublicAccessBlock: the signed S3 Control request', () => {
  let server: http.Server;
  let base: string;
  const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders }[] = [];
  let answer: { status: number; body: string } = { status: 200, body: '' };

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      seen.push({ method: request.method, url: request.url, headers: request.headers });
      response.writeHead(answer.status, { 'content-type': 'application/xml' });
      response.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => { seen.length = 0; });

  const get = () => getAccountPublicAccessBlock(ACCOUNT, 'eu-west-1', async () => credentials, base);

  it('sends GET /v20180820/configuration/publicAccessBlock with x-amz-account-id, signed SigV4 for s3 in the region, and reads the four settings', async () => {
    answer = { status: 200, body: '<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">' +
      '<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>' };
    expect(await get()).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('GET');
    expect(seen[0].url).toBe('/v20180820/configuration/publicAccessBlock');
    expect(seen[0].headers['x-amz-account-id']).toBe(ACCOUNT);
    expect(seen[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=[^,]*x-amz-account-id[^,]*, Signature=[0-9a-f]{64}$/);
    expect(seen[0].headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('throws NoSuchPublicAccessBlockConfiguration (404) and AccessDenied (403) as the SDK names them', async () => {
    answer = { status: 404, body: '<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Code>NoSuchPublicAccessBlockConfiguration</Code><Message>The public access block configuration was not found</Message></Error></ErrorResponse>' };
    await expect(get()).rejects.toMatchObject({ name: 'NoSuchPublicAccessBlockConfiguration', message: 'The public access block configuration was not found', $metadata: { httpStatusCode: 404 } });
    answer = { status: 403, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' };
    await expect(get()).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    answer = { status: 500, body: '' };
    await expect(get()).rejects.toMatchObject({ name: 'HTTP500', $metadata: { httpStatusCode: 500 } });
  });

  it('the endpoint: the account\'s host in the region, .cn in China', () => {
    expect(s3ControlEndpoint(ACCOUNT, 'eu-west-1')).toBe('https://111122223333.s3-control.eu-west-1.amazonaws.com');
    expect(s3ControlEndpoint(ACCOUNT, 'cn-north-1')).toBe('https://111122223333.s3-control.cn-north-1.amazonaws.com.cn');
  });
});

describe('fetch: the account\'s Block Public Access, for the bucket\'s account', () => {
  const s3 = mockClient(S3Client);
  const sts = mockClient(STSClient);
  const orgs = mockClient(OrganizationsClient);
  const asked: [string, string][] = [];
  let account: () => Promise<PublicAccessBlock | undefined>;
  const edge = (withOrganizations = true): AwsEdge => ({
    s3: new S3Client({ region: 'eu-west-1', credentials }),
    kms: (region) => new KMSClient({ region, credentials }),
    presign: async () => 'http://127.0.0.1:9/',
    http: async () => ({ status: 0, headers: {} }),
    sts: new STSClient({ region: 'us-east-1', credentials }),
    ...(withOrganizations ? { organizations: new OrganizationsClient({ region: 'us-east-1', credentials }) } : {}),
    accountPublicAccessBlock: async (id, region) => { asked.push([id, region]); return account(); },
  });
  const sdkError = (name: string, status: number) => Object.assign(new Error(name), { name, $fault: 'client', $metadata: { httpStatusCode: status } });

  beforeEach(() => {
    s3.reset(); sts.reset(); orgs.reset();
    asked.length = 0;
    delete process.env.AWS_ENDPOINT_URL_S3;
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyOf(segmentsStatement(), { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/public/*` }) });
    s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } });
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    orgs.on(ListParentsCommand).rejects(sdkError('AWSOrganizationsNotInUseException', 400));
    account = async () => ({ RestrictPublicBuckets: true, IgnorePublicAcls: true });
  });

  it('reads it for the caller\'s account in the bucket\'s region, calling STS once for it and the RCPs; RestrictPublicBuckets on the account fails a public policy', async () => {
    const facts = await fetchAwsBucketFacts(options(), true, edge());
    expect(asked).toEqual([[ACCOUNT, 'eu-west-1']]);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
    expect(s3.commandCalls(HeadBucketCommand).filter((call) => call.args[0].input.ExpectedBucketOwner === ACCOUNT)).toHaveLength(1);
    expect(facts.accountPublicAccessBlock).toEqual({ ok: true, value: { RestrictPublicBuckets: true, IgnorePublicAcls: true } });
    expect(facts.orgPolicies).toEqual({ ok: true, value: { account: ACCOUNT, levels: [] } });
    const [outcome] = checkPublicAccessBlock(facts);
    expect(outcome.result).toBe('fail');
    expect(outcome.detail).toContain('on for the bucket\'s account');
  });

  it('none set (NoSuchPublicAccessBlockConfiguration) is a value: with the bucket\'s off too, a public policy passes', async () => {
    account = async () => { throw sdkError('NoSuchPublicAccessBlockConfiguration', 404); };
    const facts = await fetchAwsBucketFacts(options(), true, edge(false));
    expect(facts.accountPublicAccessBlock).toEqual({ ok: true, value: undefined });
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
    expect(checkPublicAccessBlock(facts).map((o) => o.result)).toEqual(['pass']);
  });

  it('refused: a failure naming s3:GetAccountPublicAccessBlock, and the check keeps its warning', async () => {
    account = async () => { throw sdkError('AccessDenied', 403); };
    const facts = await fetchAwsBucketFacts(options(), true, edge());
    expect(facts.accountPublicAccessBlock).toMatchObject({ ok: false, failure: { permission: 's3:GetAccountPublicAccessBlock', cause: 'access-denied' } });
    const [outcome] = checkPublicAccessBlock(facts);
    expect(outcome.result).toBe('warn');
    expect(outcome.detail).toContain('could not be read (AccessDenied');
    expect(outcome.fix).toContain('s3:GetAccountPublicAccessBlock');
  });

  it('a bucket in another account than the credentials\': not read, said why', async () => {
    s3.on(HeadBucketCommand, { Bucket: BUCKET, ExpectedBucketOwner: ACCOUNT }).rejects(sdkError('Forbidden', 403));
    const facts = await fetchAwsBucketFacts(options(), true, edge());
    expect(asked).toEqual([]);
    expect(facts.accountPublicAccessBlock).toMatchObject({ ok: false, failure: { cause: 'other', message: expect.stringContaining('whose Block Public Access would be read') } });
    expect(facts.orgPolicies).toMatchObject({ ok: false, failure: { message: expect.stringContaining('whose RCPs would be read') } });
    expect(checkPublicAccessBlock(facts)[0].result).toBe('warn');
  });

  it('STS refused: the failure names sts:GetCallerIdentity', async () => {
    sts.on(GetCallerIdentityCommand).rejects(sdkError('AccessDenied', 403));
    const facts = await fetchAwsBucketFacts(options(), true, edge());
    expect(facts.accountPublicAccessBlock).toMatchObject({ ok: false, failure: { permission: 'sts:GetCallerIdentity' } });
  });

  it('not read through AWS_ENDPOINT_URL_S3 (an S3-compatible server has no S3 Control), nor without the edge\'s reader', async () => {
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:7480';
    try {
      const facts = await fetchAwsBucketFacts(options(), true, edge());
      expect(facts.accountPublicAccessBlock).toBeUndefined();
      expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_S3;
    }
    const { accountPublicAccessBlock: _reader, organizations: _orgs, ...without } = edge();
    expect((await fetchAwsBucketFacts(options(), true, without)).accountPublicAccessBlock).toBeUndefined();
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });
});
