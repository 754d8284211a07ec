/**
 * aws.public-access-block, as a pure function of what was read. AWS's Block Public Access doc
 * ("The meaning of public"): a bucket policy is public unless each Allow for everyone is tied to
 * fixed values (a principal, an account, a VPC endpoint, a narrow aws:SourceIp range...); with
 * RestrictPublicBuckets on the bucket or its account and a public policy, S3 lets in only AWS
 * services and the owner's account, so Segments' cross-account GET is refused, its own statement
 * included.
 */
import { checkPublicAccessBlock, publicStatements } from '../../../src/verify/aws/public-access-block';
import { PublicAccessBlock, Read } from '../../../src/verify/aws/facts';
import { BUCKET, denied, facts, ok, policyOf, results, segmentsStatement } from './fixtures';

const ALL_ON: PublicAccessBlock = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const ALL_OFF: PublicAccessBlock = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
const publicRead = { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };
const withPublic = policyOf(segmentsStatement(), publicRead);

function judge(policy: Read<string | undefined>, bucket: Read<PublicAccessBlock | undefined>, account?: Read<PublicAccessBlock | undefined>) {
  return checkPublicAccessBlock(facts({ policy, publicAccessBlock: bucket, ...(account ? { accountPublicAccessBlock: account } : {}) }));
}

describe('which statements make a bucket policy public (AWS: "The meaning of public")', () => {
  it.each<[string, boolean, Record<string, unknown>]>([
    ['Principal "*"', true, publicRead],
    ['Principal {"AWS": "*"}', true, { ...publicRead, Principal: { AWS: '*' } }],
    ['"*" in a principal list', true, { ...publicRead, Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] } }],
    ['NotPrincipal', true, { ...publicRead, Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } }],
    ['Segments\' own statement (a fixed principal)', false, segmentsStatement()],
    ['a Deny for "*"', false, { ...publicRead, Effect: 'Deny' }],
    ['"*" with a fixed aws:PrincipalAccount', false, { ...publicRead, Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } } }],
    ['"*" with a fixed aws:SourceVpce', false, { ...publicRead, Condition: { StringEquals: { 'aws:sourcevpce': 'vpce-1a2b3c4d' } } }],
    ['"*" with a narrow aws:SourceIp', false, { ...publicRead, Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }],
    ['"*" with aws:SourceIp 0.0.0.0/0', true, { ...publicRead, Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }],
    ['"*" with a wildcard aws:PrincipalArn', true, { ...publicRead, Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } } }],
    ['"*" with a negated condition', true, { ...publicRead, Condition: { StringNotEquals: { 'aws:PrincipalAccount': '111122223333' } } }],
    ['"*" with ...IfExists (a request without the key passes)', true, { ...publicRead, Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': '111122223333' } } }],
    ['"*" with ForAllValues: (true when the key is missing)', true, { ...publicRead, Condition: { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-abc' } } }],
    ['"*" with NotIpAddress', true, { ...publicRead, Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }],
    ['"*" with a fixed aws:SourceArn among other keys', false, { ...publicRead, Condition: { Bool: { 'aws:SecureTransport': 'true' }, ArnEquals: { 'aws:SourceArn': 'arn:aws:cloudfront::111122223333:distribution/E1' } } }],
    ['"*" with a condition on a key not on the list', true, { ...publicRead, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
  ])('%s: public %s', (_, isPublic, statement) => {
    expect(publicStatements(JSON.parse(policyOf(statement)))).toEqual(isPublic ? [typeof statement.Sid === 'string' ? statement.Sid : '#1'] : []);
  });
});

describe('aws.public-access-block', () => {
  it('fails with RestrictPublicBuckets on the bucket and a public statement, though Segments has its own statement', () => {
    const outcomes = judge(ok(withPublic), ok(ALL_ON));
    expect(results(outcomes)).toEqual(['aws.public-access-block: fail']);
    expect(outcomes[0].detail).toContain('RestrictPublicBuckets is on for the bucket and the bucket policy is public (statement PublicRead allows "*")');
    expect(outcomes[0].fix).toMatch(/^Make statement PublicRead non-public/);
  });
  it('fails with RestrictPublicBuckets on the account only', () => {
    expect(results(judge(ok(withPublic), ok(ALL_OFF), ok({ RestrictPublicBuckets: true })))).toEqual(['aws.public-access-block: fail']);
    expect(judge(ok(withPublic), ok(undefined), ok({ RestrictPublicBuckets: true }))[0].detail).toContain('on for the bucket\'s account');
  });
  it('passes a non-public policy whatever Block Public Access says, even unread (it cannot refuse Segments then)', () => {
    expect(results(judge(ok(policyOf(segmentsStatement())), ok(ALL_ON)))).toEqual(['aws.public-access-block: pass']);
    expect(results(judge(ok(undefined), ok(ALL_ON)))).toEqual(['aws.public-access-block: pass']);
    expect(results(judge(ok(policyOf(segmentsStatement())), denied('GetPublicAccessBlock', 's3:GetBucketPublicAccessBlock')))).toEqual(['aws.public-access-block: pass']);
  });
  it('passes a public policy with RestrictPublicBuckets off on the bucket and the account', () => {
    expect(results(judge(ok(withPublic), ok(ALL_OFF), ok(undefined)))).toEqual(['aws.public-access-block: pass']);
  });
  it('warns on a public policy when only the account\'s setting is unknown, naming how to read it', () => {
    const outcomes = judge(ok(withPublic), ok({ ...ALL_ON, RestrictPublicBuckets: false }));
    expect(results(outcomes)).toEqual(['aws.public-access-block: warn']);
    expect(outcomes[0].fix).toContain('aws s3control get-public-access-block');
  });
  it('is not-checked (exit 3), naming s3:GetBucketPublicAccessBlock, when the bucket\'s setting is unreadable and the policy public', () => {
    const [outcome] = judge(ok(withPublic), denied('GetPublicAccessBlock', 's3:GetBucketPublicAccessBlock'));
    expect(outcome).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('Allow s3:GetBucketPublicAccessBlock on arn:aws:s3:::acme-images') });
  });
  it('is not-checked when RestrictPublicBuckets is on and the policy cannot be read', () => {
    expect(judge(denied('GetBucketPolicy', 's3:GetBucketPolicy'), ok(ALL_ON))[0]).toMatchObject({ result: 'not-checked', couldNotRun: true });
  });
  it('says nothing of its own when the bucket does not exist (aws.bucket fails)', () => {
    expect(checkPublicAccessBlock(facts({ location: ok({ exists: false }) }))[0]).toMatchObject({ result: 'not-checked' });
  });
});
