/**
 * aws.org-policies: the resource control policies over the bucket's account, read through STS and
 * Organizations (mocked with aws-sdk-client-mock: every read, every failure) and judged with the
 * evaluator for Segments' GET. The data perimeter example is AWS's ("Resource control policy
 * examples": Deny s3:* unless aws:PrincipalOrgID is the organization's, with
 * aws:PrincipalIsAWSService exempted).
 */
import { DescribePolicyCommand, ListParentsCommand, ListPoliciesForTargetCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsEdge, fetchOrgPolicies } from '../../../src/verify/aws/fetch';
import { OrgPolicies } from '../../../src/verify/aws/facts';
import { checkOrgPolicies } from '../../../src/verify/aws/org-policies';
import { BUCKET, denied, facts, ok, options, results } from './fixtures';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const NOW = new Date('2026-12-07T12:00:00Z');
const ACCOUNT = '111122223333';
const FULL_ACCESS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
/** AWS's data perimeter RCP example, as written in its docs. */
const PERIMETER = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Sid: 'EnforceOrgIdentities', Effect: 'Deny', Principal: '*', Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:AssumeRole'], Resource: '*',
    Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abcd1234' }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
  }],
});
const EXEMPTED = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ ...JSON.parse(PERIMETER).Statement[0], Condition: { ...JSON.parse(PERIMETER).Statement[0].Condition, StringNotEquals: { 'aws:PrincipalAccount': '931508227573' } } }],
});

function org(...perimeter: { id: string; name: string; content: string }[]): OrgPolicies {
  const full = { id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', content: FULL_ACCESS };
  return { account: ACCOUNT, levels: [{ id: 'r-ab12', policies: [full, ...perimeter] }, { id: ACCOUNT, policies: [full] }] };
}
const check = (orgPolicies: OrgPolicies, opts = options()) => checkOrgPolicies(facts({ orgPolicies: ok(orgPolicies) }), opts, NOW);

describe('aws.org-policies: the RCPs judged', () => {
  it('warns on the data perimeter RCP (Segments\' organization, if any, is unknown), naming the policy, the statement and the aws:PrincipalAccount exemption', () => {
    const outcomes = check(org({ id: 'p-perim1', name: 'DataPerimeter', content: PERIMETER }));
    expect(results(outcomes)).toEqual(['aws.org-policies the whole bucket: warn']);
    expect(outcomes[0].detail).toContain('the RCP DataPerimeter (p-perim1), statement EnforceOrgIdentities, denies Segments\' s3:GetObject on \'x\' when StringNotEqualsIfExists aws:PrincipalOrgID ["o-abcd1234"] holds');
    expect(outcomes[0].fix).toContain('"aws:PrincipalAccount": "931508227573"');
    expect(outcomes[0].fix).toContain('aws organizations update-policy --policy-id p-perim1');
  });

  it('passes the same RCP with Segments\' account exempted, and RCPFullAWSAccess alone', () => {
    expect(results(check(org({ id: 'p-perim1', name: 'DataPerimeter', content: EXEMPTED })))).toEqual(['aws.org-policies the whole bucket: pass']);
    expect(results(check(org()))).toEqual(['aws.org-policies the whole bucket: pass']);
  });

  it('warns (never passes) on an RCP Deny on the labeler\'s address, and judges each --prefix and --key', () => {
    const ip = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Office', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/private/*`,
      Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] });
    const outcomes = check(org({ id: 'p-ip', name: 'OfficeOnly', content: ip }), options({ prefixes: ['images/', 'private/'], keys: ['images/a.jpg'] }));
    expect(results(outcomes)).toEqual(['aws.org-policies prefix images/: pass', 'aws.org-policies prefix private/: warn', 'aws.org-policies key images/a.jpg: pass']);
    expect(outcomes[1].detail).toContain('NotIpAddress aws:SourceIp ["10.0.0.0/8"]');
  });

  it('fails when a level has no RCP that allows (RCPFullAWSAccess detached)', () => {
    const outcomes = check({ account: ACCOUNT, levels: [{ id: 'r-ab12', policies: [] }] });
    expect(results(outcomes)).toEqual(['aws.org-policies the whole bucket: fail']);
    expect(outcomes[0].fix).toContain('RCPFullAWSAccess');
  });

  it('passes an account in no organization', () => {
    expect(results(check({ account: ACCOUNT, levels: [] }))).toEqual(['aws.org-policies: pass']);
  });

  it('is not-checked naming the four permissions when a read is denied, and when nothing was read', () => {
    const outcomes = checkOrgPolicies(facts({ orgPolicies: denied('ListPoliciesForTarget', 'organizations:ListPoliciesForTarget', 'r-ab12') }), options(), NOW);
    expect(results(outcomes)).toEqual(['aws.org-policies: not-checked']);
    expect(outcomes[0].detail).toContain('sts:GetCallerIdentity, organizations:ListParents, organizations:ListPoliciesForTarget, organizations:DescribePolicy');
    expect(outcomes[0].couldNotRun).toBeUndefined();
    expect(results(checkOrgPolicies(facts(), options(), NOW))).toEqual(['aws.org-policies: not-checked']);
    expect(checkOrgPolicies(facts({ endpoint: 'http://127.0.0.1:7480' }), options(), NOW)[0].detail).toContain('AWS_ENDPOINT_URL_S3');
  });
});

describe('fetchOrgPolicies: the reads, mocked', () => {
  const s3 = mockClient(S3Client);
  const sts = mockClient(STSClient);
  const orgs = mockClient(OrganizationsClient);
  const awsError = (name: string, status?: number) => Object.assign(new Error(name), { name, $fault: 'client', $metadata: status === undefined ? {} : { httpStatusCode: status } });
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
  const edge = (): AwsEdge => ({
    s3: new S3Client({ region: 'eu-west-1', credentials }),
    kms: (region) => new KMSClient({ region, credentials }),
    presign: async () => 'http://127.0.0.1:9/',
    http: async () => ({ status: 0, headers: {} }),
  });
  const read = () => fetchOrgPolicies(edge(), BUCKET, new STSClient({ region: 'us-east-1', credentials }), new OrganizationsClient({ region: 'us-east-1', credentials }));

  beforeEach(() => {
    s3.reset();
    sts.reset();
    orgs.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
    s3.on(HeadBucketCommand).resolves({});
    orgs.on(ListParentsCommand, { ChildId: ACCOUNT }).resolves({ Parents: [{ Id: 'ou-ab12-11111111', Type: 'ORGANIZATIONAL_UNIT' }] });
    orgs.on(ListParentsCommand, { ChildId: 'ou-ab12-11111111' }).resolves({ Parents: [{ Id: 'r-ab12', Type: 'ROOT' }] });
    orgs.on(ListPoliciesForTargetCommand).resolves({ Policies: [{ Id: 'p-RCPFullAWSAccess', Name: 'RCPFullAWSAccess' }] });
    orgs.on(ListPoliciesForTargetCommand, { TargetId: 'r-ab12' }).resolvesOnce({ Policies: [{ Id: 'p-RCPFullAWSAccess', Name: 'RCPFullAWSAccess' }], NextToken: 't1' })
      .resolves({ Policies: [{ Id: 'p-perim1', Name: 'DataPerimeter' }] });
    orgs.on(DescribePolicyCommand, { PolicyId: 'p-RCPFullAWSAccess' }).resolves({ Policy: { Content: FULL_ACCESS } });
    orgs.on(DescribePolicyCommand, { PolicyId: 'p-perim1' }).resolves({ Policy: { Content: PERIMETER } });
  });

  it('reads the account, checks it owns the bucket, walks up to the root and reads each level\'s RCPs (paginated, each described once)', async () => {
    const result = await read();
    expect(result.ok && result.value).toEqual({
      account: ACCOUNT,
      levels: [
        { id: 'r-ab12', policies: [{ id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', content: FULL_ACCESS }, { id: 'p-perim1', name: 'DataPerimeter', content: PERIMETER }] },
        { id: 'ou-ab12-11111111', policies: [{ id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', content: FULL_ACCESS }] },
        { id: ACCOUNT, policies: [{ id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', content: FULL_ACCESS }] },
      ],
    });
    expect(s3.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({ Bucket: BUCKET, ExpectedBucketOwner: ACCOUNT });
    expect(orgs.commandCalls(ListPoliciesForTargetCommand).every((call) => call.args[0].input.Filter === 'RESOURCE_CONTROL_POLICY')).toBe(true);
    expect(orgs.commandCalls(DescribePolicyCommand)).toHaveLength(2);
    // And the check warns on what was read (the perimeter depends on Segments' organization, unknown).
    expect(results(checkOrgPolicies(facts({ orgPolicies: result }), options(), NOW))).toEqual(['aws.org-policies the whole bucket: warn']);
  });

  it('an account in no organization: no levels', async () => {
    orgs.on(ListParentsCommand).rejects(awsError('AWSOrganizationsNotInUseException', 400));
    const result = await read();
    expect(result.ok && result.value).toEqual({ account: ACCOUNT, levels: [] });
  });

  it.each([
    ['GetCallerIdentity', 'sts:GetCallerIdentity', () => sts.on(GetCallerIdentityCommand).rejects(awsError('AccessDenied', 403))],
    ['ListParents', 'organizations:ListParents', () => orgs.on(ListParentsCommand).rejects(awsError('AccessDeniedException', 400))],
    ['ListPoliciesForTarget', 'organizations:ListPoliciesForTarget', () => orgs.on(ListPoliciesForTargetCommand).rejects(awsError('AccessDeniedException', 400))],
    ['DescribePolicy', 'organizations:DescribePolicy', () => orgs.on(DescribePolicyCommand).rejects(awsError('AccessDeniedException', 400))],
  ])('a refused %s is the failure, naming %s', async (operation, permission, refuse) => {
    refuse();
    const result = await read();
    expect(result.ok).toBe(false);
    expect(!result.ok && [result.failure.operation, result.failure.permission, result.failure.cause]).toEqual([operation, permission, 'access-denied']);
    expect(results(checkOrgPolicies(facts({ orgPolicies: result }), options(), NOW))).toEqual(['aws.org-policies: not-checked']);
  });

  it('a bucket in another account than the credentials\': not read, saying so', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('Forbidden', 403));
    const result = await read();
    expect(!result.ok && result.failure.message).toMatch(/^the bucket is not in account 111122223333, the account of these credentials/);
    expect(orgs.calls()).toHaveLength(0);
  });
});
