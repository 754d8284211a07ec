/**
 * Object ACLs in aws.policy (issue 21: an object ACL granting READ to Segments, with no bucket
 * policy, was a false fail). AWS's rules, pinned with literals:
 * - With ACLs on (Object Ownership not BucketOwnerEnforced), S3 lets a cross-account GET through on
 *   the resource side when the bucket policy OR the object ACL allows it; an explicit Deny of the
 *   policy still wins ("How Amazon S3 authorizes a request for an object operation",
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html).
 * - READ and FULL_CONTROL let the grantee GET the object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions).
 * - A grant to AllUsers or AuthenticatedUsers is a public ACL, ignored when IgnorePublicAcls is on
 *   for the bucket or the account (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
 * - Segments' canonical user ID is the vendor's (a2c85e73..., its doc).
 */
import { GetBucketAclCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetObjectAclCommand, HeadBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { AclGrant, AwsBucketFacts, ObjectFacts } from '../../../src/verify/aws/facts';
import { fetchAwsBucketFacts } from '../../../src/verify/aws/fetch';
import { ignorePublicAcls, judgeObjectAcl } from '../../../src/verify/aws/object-acl';
import { checkPolicy } from '../../../src/verify/aws/policy';
import { BUCKET, denied, facts, ok, options, policyOf, results, segmentsStatement } from './fixtures';

const NOW = new Date('2026-12-07T12:00:00Z');
const SEGMENTS_CANONICAL = 'a2c85e730d80dcb51a2c0e1a8f852cf6dc8d6e04d9e00f49239c324de3c1e3e1';
const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const OTHER = 'be32b20ce6dd7b3a4bb1c7c4b4d4a8b3ef6a1f6e3b0a9c8d7e6f5a4b3c2d1e0f';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const user = (id: string, permission = 'READ'): AclGrant => ({ permission, type: 'CanonicalUser', id });
const group = (uri: string, permission = 'READ'): AclGrant => ({ permission, type: 'Group', uri });
const ownerGrant = user(OWNER, 'FULL_CONTROL');
const noBlock = { publicAccessBlock: ok(undefined), accountPublicAccessBlock: ok(undefined) };

describe('judgeObjectAcl', () => {
  it.each<[string, AclGrant]>([
    ['READ to Segments\' canonical ID', user(SEGMENTS_CANONICAL)],
    ['FULL_CONTROL to Segments\' canonical ID', user(SEGMENTS_CANONICAL, 'FULL_CONTROL')],
    ['READ to AllUsers, IgnorePublicAcls off on both', group(ALL_USERS)],
    ['FULL_CONTROL to AuthenticatedUsers, IgnorePublicAcls off on both', group(AUTHENTICATED, 'FULL_CONTROL')],
  ])('allows: %s', (_name, grant) => {
    expect(judgeObjectAcl([ownerGrant, grant], noBlock, false, [OWNER]).kind).toBe('allows');
  });

  it.each<[string, AclGrant[]]>([
    ['only the owner\'s FULL_CONTROL', [ownerGrant]],
    ['WRITE, READ_ACP, WRITE_ACP to Segments (none reads the object)', [user(SEGMENTS_CANONICAL, 'WRITE'), user(SEGMENTS_CANONICAL, 'READ_ACP'), user(SEGMENTS_CANONICAL, 'WRITE_ACP')]],
    ['READ to the LogDelivery group', [group('http://acs.amazonaws.com/groups/s3/LogDelivery')]],
  ])('none: %s', (_name, grants) => {
    expect(judgeObjectAcl(grants, noBlock, false, [OWNER])).toEqual({ kind: 'none' });
  });

  it('the owners\' own grants never count, whatever their ID', () => {
    expect(judgeObjectAcl([user(OTHER, 'FULL_CONTROL')], noBlock, true, [OTHER])).toEqual({ kind: 'none' });
    expect(judgeObjectAcl([user(OTHER, 'FULL_CONTROL')], noBlock, true, []).kind).toBe('maybe');
  });

  it('at AWS, READ to another canonical ID is not Segments\' account (one canonical ID per account): none, named', () => {
    expect(judgeObjectAcl([ownerGrant, user(OTHER)], noBlock, false, [OWNER])).toEqual({
      kind: 'none', note: `it grants READ to canonical user ID ${OTHER}, which is not Segments' (${SEGMENTS_CANONICAL})`,
    });
  });

  it('at another server, READ to a canonical ID is unknown: maybe, naming the grantee and Segments\' account', () => {
    expect(judgeObjectAcl([ownerGrant, user('931508227573$segmentsai-prod-user')], noBlock, true, [OWNER])).toEqual({
      kind: 'maybe', grant: 'READ to canonical user ID 931508227573$segmentsai-prod-user',
      why: 'if this is Segments\' account (931508227573) on this server, Segments reads it',
    });
  });

  it('an email grantee is unknown: maybe', () => {
    expect(judgeObjectAcl([{ permission: 'READ', type: 'AmazonCustomerByEmail', email: 'ops@example.com' }], noBlock, false))
      .toMatchObject({ kind: 'maybe', grant: 'READ to the account of ops@example.com' });
  });

  it.each<[string, Pick<AwsBucketFacts, 'publicAccessBlock' | 'accountPublicAccessBlock'>]>([
    ['the bucket', { publicAccessBlock: ok({ IgnorePublicAcls: true }), accountPublicAccessBlock: ok(undefined) }],
    ['the account', { publicAccessBlock: ok(undefined), accountPublicAccessBlock: ok({ IgnorePublicAcls: true }) }],
    ['the account (bucket unreadable)', { publicAccessBlock: denied('GetPublicAccessBlock', 's3:GetBucketPublicAccessBlock'), accountPublicAccessBlock: ok({ IgnorePublicAcls: true }) }],
  ])('a public grant is ignored with IgnorePublicAcls on %s', (_name, block) => {
    for (const uri of [ALL_USERS, AUTHENTICATED]) {
      const judgment = judgeObjectAcl([group(uri)], block, false);
      expect(judgment).toMatchObject({ kind: 'none', note: expect.stringContaining('IgnorePublicAcls is on') });
    }
    expect(ignorePublicAcls(block)).toBe(true);
  });

  it('a public grant with the account\'s setting not read is unknown, naming s3:GetAccountPublicAccessBlock', () => {
    const block = { publicAccessBlock: ok({ IgnorePublicAcls: false }) };
    expect(ignorePublicAcls(block)).toBeUndefined();
    const judgment = judgeObjectAcl([group(ALL_USERS)], block, false);
    expect(judgment).toMatchObject({ kind: 'maybe', grant: 'READ to the AllUsers group' });
    expect(judgment.kind === 'maybe' && judgment.why).toContain('the account\'s (s3:GetAccountPublicAccessBlock)');
    expect(judgment.kind === 'maybe' && judgment.why).not.toContain('s3:GetBucketPublicAccessBlock');
  });

  it('IgnorePublicAcls off on both is false; one unknown and the other off is unknown', () => {
    expect(ignorePublicAcls({ publicAccessBlock: ok({ IgnorePublicAcls: false, RestrictPublicBuckets: true }), accountPublicAccessBlock: ok(undefined) })).toBe(false);
    expect(ignorePublicAcls({ publicAccessBlock: denied('GetPublicAccessBlock', 's3:GetBucketPublicAccessBlock'), accountPublicAccessBlock: ok(undefined) })).toBeUndefined();
  });
});

describe('aws.policy with object ACLs', () => {
  const withAcl = (grants: ObjectFacts['grants'], overrides: Partial<AwsBucketFacts> = {}): AwsBucketFacts => facts({
    ownership: ok(undefined), policy: ok(undefined), ...noBlock,
    objects: [{ key: 'images/a.jpg', head: ok({}), owner: ok(OWNER), grants }], bucketOwner: ok(OWNER), ...overrides,
  });
  const check = (f: AwsBucketFacts) => checkPolicy(f, options({ keys: ['images/a.jpg'] }), NOW);

  it('no policy, the key\'s ACL grants Segments READ: the key passes; the whole bucket warns that an ACL cannot cover a prefix', async () => {
    const outcomes = await check(withAcl(ok([ownerGrant, user(SEGMENTS_CANONICAL)])));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: warn', 'aws.policy key images/a.jpg: pass']);
    expect(outcomes[1].detail).toMatch(new RegExp(`^The object's ACL grants READ to Segments' canonical user ID ${SEGMENTS_CANONICAL}, which lets Segments s3:GetObject on arn:aws:s3:::${BUCKET}/images/a.jpg`));
    expect(outcomes[1].detail).toContain('The bucket policy statement is the documented way');
    expect(outcomes[0].detail).toContain('ACLs are per object and cannot cover a prefix');
  });

  it('at another server, a grant to a user verify cannot tell is a warning naming it, never a pass', async () => {
    const outcomes = await check(withAcl(ok([ownerGrant, user('931508227573$segmentsai-prod-user')]), { endpoint: 'http://127.0.0.1:7480' }));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: warn', 'aws.policy key images/a.jpg: warn']);
    expect(outcomes[1].detail).toContain('The object\'s ACL grants READ to canonical user ID 931508227573$segmentsai-prod-user: if this is Segments\' account (931508227573) on this server, Segments reads it');
    expect(outcomes[1].detail).toContain('The bucket policy statement is the documented way');
  });

  it('a certain Deny of the policy wins over the ACL\'s grant', async () => {
    const deny = { Sid: 'NoGets', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };
    const outcomes = await check(withAcl(ok([user(SEGMENTS_CANONICAL)]), { policy: ok(policyOf(deny)) }));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: fail', 'aws.policy key images/a.jpg: fail']);
  });

  it('a Deny that depends on an unknown, with the ACL\'s grant: a warning naming the Deny', async () => {
    const deny = { Sid: 'Office', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } };
    const outcomes = await check(withAcl(ok([user(SEGMENTS_CANONICAL)]), { policy: ok(policyOf(deny)) }));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: warn', 'aws.policy key images/a.jpg: warn']);
    expect(outcomes[1].detail).toContain('statement Office denies it when NotIpAddress aws:SourceIp ["203.0.113.0/24"] holds');
  });

  it('a policy that allows stays a pass, the ACL aside', async () => {
    const outcomes = await check(withAcl(ok([ownerGrant]), { policy: ok(policyOf(segmentsStatement())) }));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: pass', 'aws.policy key images/a.jpg: pass']);
  });

  it('an unreadable ACL keeps the fail and names s3:GetObjectAcl', async () => {
    const failure = denied('GetObjectAcl', 's3:GetObjectAcl', `arn:aws:s3:::${BUCKET}/images/a.jpg`);
    const outcomes = await check(withAcl(failure, { policy: ok(policyOf(segmentsStatement(`arn:aws:s3:::${BUCKET}/masks/*`))) }));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: fail', 'aws.policy key images/a.jpg: fail']);
    expect(outcomes[1].detail).toContain(`Its ACL could not be read (GetObjectAcl failed: AccessDenied: HTTP 403: Access Denied), so whether it grants Segments READ is unknown: allow s3:GetObjectAcl on arn:aws:s3:::${BUCKET}/images/a.jpg`);
    expect(outcomes[0].detail).toContain('Object ACLs are per object and cannot cover a prefix');
  });

  it('no policy and an unreadable ACL: the plain no-policy fail', async () => {
    const outcomes = await check(withAcl(denied('GetObjectAcl', 's3:GetObjectAcl')));
    expect(results(outcomes)).toEqual(['aws.policy: fail']);
    expect(outcomes[0].detail).toBe('The bucket has no policy, so nothing lets Segments s3:GetObject its objects.');
  });

  it('a grant to another account at AWS: the fail says the ACL does not count and why', async () => {
    const outcomes = await check(withAcl(ok([ownerGrant, user(OTHER)]), { policy: ok(policyOf(segmentsStatement(`arn:aws:s3:::${BUCKET}/masks/*`))) }));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: fail', 'aws.policy key images/a.jpg: fail']);
    expect(outcomes[1].detail).toContain(`Its ACL does not let Segments read it either: it grants READ to canonical user ID ${OTHER}, which is not Segments'`);
  });

  it('ACLs off (BucketOwnerEnforced): S3 ignores ACLs, so a grant to Segments does not count', async () => {
    const outcomes = await check(withAcl(ok([user(SEGMENTS_CANONICAL)]), { ownership: ok('BucketOwnerEnforced') }));
    expect(results(outcomes)).toEqual(['aws.policy: fail']);
  });

  it('Object Ownership unread: the ACL is not counted (ACLs may be off)', async () => {
    const outcomes = await check(withAcl(ok([user(SEGMENTS_CANONICAL)]), { ownership: denied('GetBucketOwnershipControls', 's3:GetBucketOwnershipControls') }));
    expect(results(outcomes)).toEqual(['aws.policy: fail']);
  });
});

describe('fetch: GetObjectAcl\'s grants', () => {
  const s3 = mockClient(S3Client);
  const edge = () => ({
    s3: new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }),
    kms: () => { throw new Error('no KMS here'); },
    presign: async () => 'http://127.0.0.1:9/x',
    http: async () => ({ status: 200, headers: {} }),
  });
  beforeEach(() => {
    s3.reset();
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
    s3.on(GetBucketPolicyCommand).rejects(Object.assign(new Error('none'), { name: 'NoSuchBucketPolicy', $metadata: { httpStatusCode: 404 } }));
    s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } });
    s3.on(GetBucketAclCommand).resolves({ Owner: { ID: OWNER } });
    s3.on(GetObjectAclCommand).resolves({
      Owner: { ID: OWNER },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: OWNER }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'CanonicalUser', ID: SEGMENTS_CANONICAL }, Permission: 'READ' },
        { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' },
        { Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'ops@example.com' }, Permission: 'READ' },
      ],
    });
  });

  it('reads the grants with the owner, in one GetObjectAcl', async () => {
    s3.on(HeadObjectCommand).resolves({});
    const read = await fetchAwsBucketFacts(options({ keys: ['images/a.jpg'] }), true, edge());
    expect(read.objects[0].owner).toEqual(ok(OWNER));
    expect(read.objects[0].grants).toEqual(ok([
      { permission: 'FULL_CONTROL', type: 'CanonicalUser', id: OWNER },
      { permission: 'READ', type: 'CanonicalUser', id: SEGMENTS_CANONICAL },
      { permission: 'READ', type: 'Group', uri: ALL_USERS },
      { permission: 'READ', type: 'AmazonCustomerByEmail', email: 'ops@example.com' },
    ]));
    expect(s3.commandCalls(GetObjectAclCommand)).toHaveLength(1);
  });

  it('reads the ACL of an object HeadObject was refused on (an ACL that does not grant its owner READ), not of a missing one', async () => {
    s3.on(HeadObjectCommand, { Key: 'refused.jpg' }).rejects(Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } }));
    s3.on(HeadObjectCommand, { Key: 'missing.jpg' }).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
    const read = await fetchAwsBucketFacts(options({ keys: ['refused.jpg', 'missing.jpg'] }), true, edge());
    expect(read.objects[0].grants?.ok).toBe(true);
    expect(read.objects[1].grants).toBeUndefined();
    expect(s3.commandCalls(GetObjectAclCommand).map((call) => call.args[0].input.Key)).toEqual(['refused.jpg']);
  });

  it('a refused GetObjectAcl is the failure of both the owner and the grants, naming s3:GetObjectAcl', async () => {
    s3.on(HeadObjectCommand).resolves({});
    s3.on(GetObjectAclCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const read = await fetchAwsBucketFacts(options({ keys: ['images/a.jpg'] }), true, edge());
    expect(read.objects[0].grants).toMatchObject({ ok: false, failure: { operation: 'GetObjectAcl', permission: 's3:GetObjectAcl', cause: 'access-denied' } });
    expect(read.objects[0].owner).toEqual(read.objects[0].grants);
  });
});
