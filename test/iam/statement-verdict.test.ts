/**
 * One statement's verdict, element by element (lib/iam/statement.ts): a statement ruled out by one
 * element stays ruled out whatever an unknown condition says, and an undetermined statement names
 * exactly the elements, keys and conditions it depends on. Each case was a surviving Stryker mutant.
 */
import { evaluateIamStatement, parseIamPolicy, type IamPolicyKind, type IamRequestContext, type IamStatement } from '../../lib';
import { allowsEverything, CUSTOMER, OBJECT, policy, SEGMENTS, segmentsGet } from './helpers';

const ALLOW_SEGMENTS = { Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*' };
/** A condition on the labeler's address, which verify cannot know. */
const OFFICE = { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } };
const UNKNOWN_IP: IamRequestContext = { unknown: ['aws:SourceIp'] };

/** The verdict of the one statement of `p` for Segments' GET of OBJECT. */
function verdict(statement: Record<string, unknown>, context: IamRequestContext = UNKNOWN_IP, kind: IamPolicyKind = 'resource') {
  const parsed = parseIamPolicy(policy(statement), kind);
  return evaluateIamStatement(parsed.statements[0] as IamStatement, parsed, { principal: SEGMENTS, action: 's3:GetObject', resource: OBJECT, resourceAccount: CUSTOMER, context });
}

describe('a statement ruled out by one element does not apply, whatever an unknown condition', () => {
  it('another principal: a Deny on someone else leaves Segments allowed', () => {
    const denyOther = { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::444455556666:user/other' }, Action: 's3:*', Resource: '*', Condition: OFFICE };
    expect(segmentsGet(policy(ALLOW_SEGMENTS, denyOther), UNKNOWN_IP).decision).toBe('allowed');
    expect(verdict(denyOther).applies).toBe(false);
  });
  it('NotPrincipal listing Segments\' user and its account: the Deny leaves Segments out', () => {
    // "AWS JSON policy elements: NotPrincipal": a principal listed with its account is excluded.
    const denyAllBut = { Effect: 'Deny', NotPrincipal: { AWS: [SEGMENTS, 'arn:aws:iam::931508227573:root'] }, Action: 's3:*', Resource: '*', Condition: OFFICE };
    expect(segmentsGet(policy(ALLOW_SEGMENTS, denyAllBut), UNKNOWN_IP).decision).toBe('allowed');
    expect(verdict(denyAllBut).applies).toBe(false);
  });
  it('another action or another resource in an identity policy (no Principal, no Resource)', () => {
    const denyPut = { Effect: 'Deny', Action: 's3:PutObject', Condition: OFFICE };
    const denyOtherBucket = { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-bucket/*', Condition: OFFICE };
    for (const deny of [denyPut, denyOtherBucket]) {
      const identityPolicies = [...allowsEverything(), { name: 'guard', policy: policy(deny) }];
      expect(segmentsGet(policy(ALLOW_SEGMENTS), UNKNOWN_IP, { identityPolicies }).decision).toBe('allowed');
      expect(verdict(deny, UNKNOWN_IP, 'identity').applies).toBe(false);
    }
  });
  it('a condition that fails after an unknown one: no unknown condition or key is reported', () => {
    const v = verdict({ ...ALLOW_SEGMENTS, Condition: { StringLike: { 'aws:Referer': 'https://app.segments.ai/*' }, Bool: { 'aws:SecureTransport': 'true' } } },
      { unknown: ['aws:Referer'], values: { 'aws:SecureTransport': 'false' } });
    expect([v.applies, v.unknownKeys, v.unknownConditions, v.unknownElements]).toEqual([false, [], [], []]);
  });
});

describe('an undetermined statement names what it depends on', () => {
  it('NotAction and NotResource written as intrinsics are named as such', () => {
    expect(verdict({ Effect: 'Deny', Principal: '*', NotAction: { Ref: 'Actions' }, Resource: '*' }, {}).unknownElements).toEqual(['NotAction']);
    expect(verdict({ Effect: 'Deny', Principal: '*', Action: 's3:*', NotResource: { Ref: 'Exempt' } }, {}).unknownElements).toEqual(['NotResource']);
  });
  it('a Principal matched through a known account entry beside an intrinsic', () => {
    const byAccount = { ...ALLOW_SEGMENTS, Principal: { AWS: [{ 'Fn::GetAtt': ['Role', 'Arn'] }, '931508227573'] } };
    // It applies (the account entry matches), so it is certain and names nothing.
    expect([verdict(byAccount, {}).applies, verdict(byAccount, {}).unknownElements]).toEqual([true, []]);
    // Undetermined by a condition, it names the Principal too: whether it names Segments' user
    // itself (not only its account) is unknown, and decides within one account.
    const v = verdict({ ...byAccount, Condition: OFFICE });
    expect([v.applies, v.unknownElements, v.unknownKeys]).toEqual(['unknown', ['Principal'], ['aws:SourceIp']]);
  });
  it('a NotPrincipal that certainly leaves Segments in is not named', () => {
    const v = verdict({ Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 's3:*', Resource: '*', Condition: OFFICE });
    expect([v.applies, v.unknownElements]).toEqual(['unknown', []]);
  });
  it('a key two conditions depend on is named once', () => {
    const v = verdict({ ...ALLOW_SEGMENTS, Condition: { StringLike: { 'aws:Referer': 'https://*' }, StringNotLike: { 'aws:Referer': 'https://evil.example/*' } } }, { unknown: ['aws:Referer'] });
    expect(v.unknownKeys).toEqual(['aws:Referer']);
    expect(v.unknownConditions.map((c) => c.operator)).toEqual(['StringLike', 'StringNotLike']);
  });
  it('a condition whose value is an intrinsic: its values as JSON text, and the reason', () => {
    const context = { values: { 'aws:SourceIp': '198.51.100.7' } };
    expect(verdict({ ...ALLOW_SEGMENTS, Condition: { NotIpAddress: { 'aws:SourceIp': { Ref: 'OfficeCidr' } } } }, context).unknownConditions)
      .toEqual([{ operator: 'NotIpAddress', key: 'aws:SourceIp', values: ['{"Ref":"OfficeCidr"}'], reason: 'non-literal value' }]);
    expect(verdict({ ...ALLOW_SEGMENTS, Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', { Ref: 'OfficeCidr' }] } } }, context).unknownConditions)
      .toEqual([{ operator: 'NotIpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8', '{"Ref":"OfficeCidr"}'], reason: 'non-literal value' }]);
  });
  it('a condition block whose keys are an intrinsic names the block as its key', () => {
    const keys = { 'Fn::If': ['Strict', { 'aws:SourceIp': '10.0.0.0/8' }, {}] };
    const v = verdict({ ...ALLOW_SEGMENTS, Condition: { NotIpAddress: keys } }, { values: { 'aws:SourceIp': '198.51.100.7' } });
    expect(v.unknownConditions.map((c) => [c.operator, c.key, c.reason])).toEqual([['NotIpAddress', JSON.stringify(keys), 'non-literal value']]);
  });
});
