/**
 * Three-valued evaluation: a condition on an unknown key, or a value that is not a JSON literal (a
 * CloudFormation intrinsic), is unknown; a decision is certain only when no way the unknowns fall
 * could change it, and otherwise names what it depends on.
 */
import { evaluateIamPolicy, evaluateIamRequest, evaluateIamStatement, parseIamPolicy, type IamStatement } from '../../lib';
import { CUSTOMER, OBJECT, policy, SEGMENTS, segmentsGet } from './helpers';

const ALLOW_SEGMENTS = { Sid: 'segments-s3-access', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*' };
const OFFICE_ONLY = { Sid: 'OfficeOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } };

describe('a condition on an unknown key', () => {
  it('leaves the decision undetermined, naming the statement, its key and the values that decide it', () => {
    const result = segmentsGet(policy(ALLOW_SEGMENTS, OFFICE_ONLY), { unknown: ['aws:SourceIp'] });
    expect(result.decision).toBe('undetermined');
    expect(result.possibleDecisions).toEqual(['allowed', 'explicit deny']);
    expect(result.unknownKeys).toEqual(['aws:SourceIp']);
    expect(result.allowedBy.map((s) => `${s.policy}/${s.name}`)).toEqual(['resource policy/segments-s3-access', 'own/#1']);
    expect(result.deniedBy).toEqual([]);
    expect(result.undetermined).toEqual([{
      name: 'OfficeOnly', policy: 'resource policy', effect: 'Deny', conditionKeys: ['aws:SourceIp'], applies: 'unknown',
      unknownKeys: ['aws:SourceIp'], unknownElements: [],
      unknownConditions: [{ operator: 'NotIpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8'], reason: 'unknown key' }],
    }]);
  });
  it('is decided when the key is known, either way', () => {
    expect(segmentsGet(policy(ALLOW_SEGMENTS, OFFICE_ONLY), { values: { 'aws:SourceIp': '10.1.2.3' } }).decision).toBe('allowed');
    const denied = segmentsGet(policy(ALLOW_SEGMENTS, OFFICE_ONLY), { values: { 'aws:SourceIp': '198.51.100.7' } });
    expect(denied.decision).toBe('explicit deny');
    expect(denied.deniedBy).toEqual([{ name: 'OfficeOnly', policy: 'resource policy', effect: 'Deny', conditionKeys: ['aws:SourceIp'] }]);
    expect(denied.unknownKeys).toEqual([]);
  });
  it('does not matter when another element already rules the statement out', () => {
    const elsewhere = { ...OFFICE_ONLY, Resource: 'arn:aws:s3:::other-bucket/*' };
    expect(segmentsGet(policy(ALLOW_SEGMENTS, elsewhere), { unknown: ['aws:SourceIp'] }).decision).toBe('allowed');
    const otherCondition = { ...OFFICE_ONLY, Condition: { ...OFFICE_ONLY.Condition, Bool: { 'aws:SecureTransport': 'false' } } };
    expect(segmentsGet(policy(ALLOW_SEGMENTS, otherCondition), { unknown: ['aws:SourceIp'], values: { 'aws:SecureTransport': 'true' } }).decision).toBe('allowed');
  });
  it('on an Allow, makes allowed one possibility among implicit deny', () => {
    const refererOnly = { ...ALLOW_SEGMENTS, Condition: { StringLike: { 'aws:Referer': 'https://app.segments.ai/*' } } };
    const result = segmentsGet(policy(refererOnly), { unknown: ['aws:Referer'] });
    expect(result.possibleDecisions).toEqual(['allowed', 'implicit deny']);
    expect(result.unknownKeys).toEqual(['aws:Referer']);
  });
  it('keys may be named unknown by prefix, or every unlisted key may be', () => {
    const tagged = { ...ALLOW_SEGMENTS, Condition: { StringEquals: { 's3:ExistingObjectTag/share': 'segments' } } };
    expect(segmentsGet(policy(tagged), { unknown: ['s3:ExistingObjectTag/*'] }).decision).toBe('undetermined');
    expect(segmentsGet(policy(tagged), { unlisted: 'unknown' }).decision).toBe('undetermined');
    expect(segmentsGet(policy(tagged), {}).decision).toBe('implicit deny');
    expect(segmentsGet(policy(tagged), { values: { 's3:existingobjecttag/SHARE': 'segments' }, unlisted: 'unknown' }).decision).toBe('allowed');
  });
  it('a policy variable on an unknown key makes its element unknown', () => {
    const mine = { ...ALLOW_SEGMENTS, Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/team}/*' };
    const result = segmentsGet(policy(mine), { unknown: ['aws:PrincipalTag/team'] });
    expect(result.decision).toBe('undetermined');
    expect(result.unknownKeys).toEqual(['aws:PrincipalTag/team']);
    const inCondition = { ...ALLOW_SEGMENTS, Condition: { StringEquals: { 'aws:Referer': '${aws:PrincipalTag/team}' } } };
    expect(segmentsGet(policy(inCondition), { unknown: ['aws:PrincipalTag/team'], values: { 'aws:Referer': 'x' } }).unknownKeys).toEqual(['aws:PrincipalTag/team']);
  });
  it('an unknown resource account is undetermined only when same- and cross-account evaluation differ', () => {
    const request = { principal: SEGMENTS, action: 's3:GetObject', resource: OBJECT };
    const byAccount = policy({ Effect: 'Allow', Principal: { AWS: '931508227573' }, Action: 's3:GetObject', Resource: '*' });
    const own = [{ name: 'own', policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }];
    const noGrant = evaluateIamRequest({ request, identityPolicies: own });
    expect(noGrant.sameAccount).toBe('unknown');
    expect(noGrant.decision).toBe('undetermined');
    expect(noGrant.unknownKeys).toEqual(['aws:ResourceAccount']);
    expect(evaluateIamRequest({ request, identityPolicies: own, resourcePolicy: byAccount }).decision).toBe('allowed');
    expect(evaluateIamRequest({ request, identityPolicies: [], resourcePolicy: byAccount }).decision).toBe('implicit deny');
    expect(evaluateIamRequest({ request: { ...request, resourceAccount: '931508227573' }, identityPolicies: own }).decision).toBe('allowed');
  });
});

describe('values that are not JSON literals (CloudFormation intrinsics at synth time)', () => {
  const ifDeny = { 'Fn::If': ['Strict', 'Deny', 'Allow'] };
  it('an Effect written as Fn::If may allow or deny', () => {
    const result = segmentsGet(policy(ALLOW_SEGMENTS, { Effect: ifDeny, Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
      { values: { 'aws:SourceIp': '198.51.100.7' } });
    expect(result.decision).toBe('undetermined');
    expect(result.possibleDecisions).toEqual(['allowed', 'explicit deny']);
    expect(result.undetermined.map((s) => [s.name, s.effect, s.applies, s.unknownElements])).toEqual([['#2', 'unknown', true, ['Effect']]]);
  });
  it('an Fn::If Effect on a statement that does not apply changes nothing', () => {
    expect(segmentsGet(policy(ALLOW_SEGMENTS, { Effect: ifDeny, Principal: '*', Action: 's3:PutObject', Resource: '*' })).decision).toBe('allowed');
  });
  it('Principal, Action, Resource and Condition values may be intrinsics', () => {
    const cases: Record<string, unknown>[] = [
      { ...OFFICE_ONLY, Condition: undefined, Principal: { AWS: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
      { ...OFFICE_ONLY, Condition: undefined, Action: { Ref: 'Action' } },
      { ...OFFICE_ONLY, Condition: undefined, Resource: { 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'Bucket' }, '/*']] } },
      { ...OFFICE_ONLY, Condition: { NotIpAddress: { 'aws:SourceIp': { Ref: 'OfficeCidr' } } } },
      { ...OFFICE_ONLY, Condition: { 'Fn::If': ['Strict', { Bool: { 'aws:SecureTransport': 'false' } }, {}] } },
      { ...OFFICE_ONLY, Condition: { NotIpAddress: { 'Fn::If': ['Strict', { 'aws:SourceIp': '10.0.0.0/8' }, {}] } } },
    ];
    const elements = cases.map((statement) => {
      const result = segmentsGet(policy(ALLOW_SEGMENTS, statement), { values: { 'aws:SourceIp': '198.51.100.7' } });
      expect(result.decision).toBe('undetermined');
      return result.undetermined[0].unknownElements;
    });
    expect(elements).toEqual([['Principal'], ['Action'], ['Resource'], ['Condition.NotIpAddress.aws:SourceIp'], ['Condition'], ['Condition.NotIpAddress']]);
  });
  it('a known entry beside an intrinsic still decides when it matches', () => {
    const deny = { ...OFFICE_ONLY, Condition: undefined, Resource: [{ Ref: 'Other' }, 'arn:aws:s3:::amzn-s3-demo-bucket/*'] };
    expect(segmentsGet(policy(ALLOW_SEGMENTS, deny)).decision).toBe('explicit deny');
    const ip = { ...OFFICE_ONLY, Condition: { IpAddress: { 'aws:SourceIp': [{ Ref: 'Cidr' }, '198.51.100.0/24'] } } };
    expect(segmentsGet(policy(ALLOW_SEGMENTS, ip), { values: { 'aws:SourceIp': '198.51.100.7' } }).decision).toBe('explicit deny');
  });
  it('a whole statement or policy written as an intrinsic is unknown', () => {
    const result = segmentsGet(policy(ALLOW_SEGMENTS, { 'Fn::If': ['Strict', OFFICE_ONLY, { Ref: 'AWS::NoValue' }] }));
    expect(result.decision).toBe('undetermined');
    expect(result.undetermined.map((s) => [s.name, s.unknownElements])).toEqual([['#2', ['Statement']]]);
    expect(segmentsGet({ 'Fn::If': ['C', policy(ALLOW_SEGMENTS), policy()] }).decision).toBe('undetermined');
  });
});

describe('evaluateIamPolicy and evaluateIamStatement', () => {
  const request = { principal: SEGMENTS, action: 's3:GetObject', resource: OBJECT, resourceAccount: CUSTOMER, context: { unknown: ['aws:SourceIp'] } };
  it('judge one policy: what allows, what denies, what might', () => {
    const verdict = evaluateIamPolicy(policy(ALLOW_SEGMENTS, OFFICE_ONLY), request, { name: 'bucket policy' });
    expect([verdict.name, verdict.allows, verdict.denies]).toEqual(['bucket policy', true, 'unknown']);
    expect(verdict.allowedBy.map((s) => s.name)).toEqual(['segments-s3-access']);
    expect(verdict.undetermined.map((s) => s.name)).toEqual(['OfficeOnly']);
  });
  it('judge one statement of a parsed policy', () => {
    const parsed = parseIamPolicy(policy(ALLOW_SEGMENTS, OFFICE_ONLY));
    const [allow, deny] = parsed.statements as IamStatement[];
    expect(evaluateIamStatement(allow, parsed, request).applies).toBe(true);
    expect(evaluateIamStatement(deny, parsed, request).applies).toBe('unknown');
    expect(evaluateIamStatement(deny, parsed, { ...request, context: { values: { 'aws:SourceIp': '10.0.0.1' } } }).applies).toBe(false);
    expect(evaluateIamPolicy(parsed, request).denies).toBe('unknown');
  });
  it('reads a policy given as JSON text', () => {
    expect(evaluateIamPolicy(JSON.stringify(policy(ALLOW_SEGMENTS)), request).allows).toBe(true);
  });
});
