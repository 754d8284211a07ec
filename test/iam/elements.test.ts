/**
 * Each element's decision points, one case per way it could be flipped (wildcards, address and date
 * parsing, operator names, parse errors naming the element, the decision table).
 */
import { evaluateIamRequest, IamPolicyError, matchesIamWildcard, parseIamPolicy } from '../../lib';
import { allowsEverything, conditionAllows, CUSTOMER, OBJECT, policy, SEGMENTS, segmentsGet } from './helpers';

describe('matchesIamWildcard', () => {
  it.each([
    ['*', '', true], ['*', 'anything/at:all', true], ['a*', 'a', true], ['a*c', 'abbbc', true], ['a*c', 'abbbd', false],
    ['a?c', 'abc', true], ['a?c', 'ac', false], ['a?c', 'abbc', false], ['*.jpg', 'masks/x.png', false], ['*.jpg', 'photos/a.jpg', true],
    ['a*b*c', 'aXbYbZc', true], ['a*b*c', 'aXbYc', true], ['a*b*c', 'acb', false], ['abc', 'ab', false], ['ab', 'abc', false],
    ['**', 'x', true], ['a*', 'b', false], ['', '', true], ['', 'x', false],
  ])('%s vs %s: %s', (pattern, value, expected) => {
    expect(matchesIamWildcard(pattern, value)).toBe(expected);
  });
  it('is case-sensitive unless asked', () => {
    expect(matchesIamWildcard('s3:get*', 's3:GetObject')).toBe(false);
    expect(matchesIamWildcard('s3:get*', 's3:GetObject', true)).toBe(true);
  });
});

describe('Action and Resource', () => {
  const allowWith = (element: Record<string, unknown>) => segmentsGet(policy({ Effect: 'Allow', Principal: '*', ...element })).decision;
  it('actions are case-insensitive, with * and ?, per service', () => {
    expect(allowWith({ Action: 'S3:GETOBJECT', Resource: '*' })).toBe('allowed');
    expect(allowWith({ Action: 's3:Get?bject', Resource: '*' })).toBe('allowed');
    expect(allowWith({ Action: 's3:Get', Resource: '*' })).toBe('implicit deny');
    expect(allowWith({ Action: 'kms:GetObject', Resource: '*' })).toBe('implicit deny');
    expect(allowWith({ Action: 'GetObject', Resource: '*' })).toBe('implicit deny');
    expect(allowWith({ Action: '*', Resource: '*' })).toBe('allowed');
  });
  it('NotAction and NotResource apply to everything they do not list', () => {
    expect(allowWith({ NotAction: 's3:PutObject', Resource: '*' })).toBe('allowed');
    expect(allowWith({ NotAction: ['s3:PutObject', 's3:Get*'], Resource: '*' })).toBe('implicit deny');
    expect(allowWith({ Action: 's3:GetObject', NotResource: 'arn:aws:s3:::other/*' })).toBe('allowed');
    expect(allowWith({ Action: 's3:GetObject', NotResource: 'arn:aws:s3:::amzn-s3-demo-bucket/*' })).toBe('implicit deny');
  });
  it('resources are case-sensitive and matched component by component', () => {
    expect(allowWith({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::AMZN-s3-demo-bucket/*' })).toBe('implicit deny');
    expect(allowWith({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/photos/?.jpg' })).toBe('allowed');
    expect(allowWith({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*.png' })).toBe('implicit deny');
    expect(allowWith({ Action: 's3:GetObject', Resource: 'arn:*:s3:::amzn-s3-demo-bucket/*' })).toBe('allowed');
    expect(allowWith({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket' })).toBe('implicit deny');
    expect(allowWith({ Action: 's3:GetObject', Resource: 'arn:aws:s3:*' })).toBe('implicit deny');
  });
  it('a statement without Resource covers the resource its policy is attached to', () => {
    expect(allowWith({ Action: 's3:GetObject' })).toBe('allowed');
  });
});

describe('condition operators: the edges', () => {
  it.each([
    ['NumericEquals', '10', '10.0', 'allowed'], ['NumericNotEquals', '10', '10.0', 'implicit deny'], ['NumericLessThan', '10', '10', 'implicit deny'],
    ['NumericLessThan', '10', '9.5', 'allowed'], ['NumericLessThanEquals', '10', '10', 'allowed'], ['NumericGreaterThan', '10', '10', 'implicit deny'],
    ['NumericGreaterThan', '10', '11', 'allowed'], ['NumericGreaterThanEquals', '10', '10', 'allowed'], ['NumericGreaterThanEquals', '10', '9', 'implicit deny'],
    ['NumericNotEquals', '10', 'x', 'implicit deny'], ['NumericEquals', 'x', 'x', 'implicit deny'],
  ])('%s %s with the request at %s: %s', (operator, policyValue, requestValue, expected) => {
    expect(conditionAllows({ [operator]: { 's3:max-keys': policyValue } }, { values: { 's3:max-keys': requestValue } })).toBe(expected);
  });
  it.each([
    ['DateEquals', '2020-01-01T00:00:00Z', '1577836800', 'allowed'], ['DateNotEquals', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', 'implicit deny'],
    ['DateNotEquals', '2020-01-01T00:00:00Z', '2020-01-01T00:00:01Z', 'allowed'], ['DateGreaterThan', '2020-01-01', '2020-01-01T00:00:00Z', 'implicit deny'],
    ['DateGreaterThanEquals', '2020-01-01', '2020-01-01T00:00:00Z', 'allowed'], ['DateLessThanEquals', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', 'allowed'],
    ['DateLessThan', '2020-01-01T00:00:00+01:00', '2019-12-31T23:30:00Z', 'implicit deny'], ['DateLessThan', '2020-01-01T00:00:00Z', 'yesterday', 'implicit deny'],
    ['DateNotEquals', '2020-01-01T00:00:00Z', 'yesterday', 'implicit deny'],
  ])('%s %s with the request at %s: %s', (operator, policyValue, requestValue, expected) => {
    expect(conditionAllows({ [operator]: { 'aws:CurrentTime': policyValue } }, { values: { 'aws:CurrentTime': requestValue } })).toBe(expected);
  });
  it.each([
    ['10.0.0.0/8', '10.255.255.255', 'allowed'], ['10.0.0.0/8', '11.0.0.0', 'implicit deny'], ['10.1.2.3/32', '10.1.2.3', 'allowed'],
    ['10.1.2.3/32', '10.1.2.4', 'implicit deny'], ['10.1.2.0/31', '10.1.2.1', 'allowed'], ['10.1.2.0/31', '10.1.2.2', 'implicit deny'],
    ['2001:db8::/32', '2001:DB8:ffff::1', 'allowed'], ['2001:db8::/32', '2001:db9::1', 'implicit deny'], ['::/0', '2001:db9::1', 'allowed'],
    ['2001:db8::1', '2001:db8:0:0:0:0:0:1', 'allowed'], ['::ffff:10.0.0.0/104', '::ffff:10.9.9.9', 'allowed'], ['10.0.0.0/8', 'not-an-ip', 'implicit deny'],
    ['10.0.0.0/33', '10.0.0.1', 'implicit deny'], ['10.0.0.0/8', '::a00:1', 'implicit deny'], ['0.0.0.0/0', '2001:db8::1', 'implicit deny'], ['::/0', '10.0.0.1', 'implicit deny'], ['10.0.0.256/8', '10.0.0.1', 'implicit deny'], ['2001:db8::/32', '2001:db8::1::1', 'implicit deny'],
  ])('IpAddress %s with the request from %s: %s', (block, address, expected) => {
    expect(conditionAllows({ IpAddress: { 'aws:SourceIp': block } }, { values: { 'aws:SourceIp': address } })).toBe(expected);
  });
  it('NotIpAddress with a value that is not an address fails, as any comparison of the wrong type', () => {
    expect(conditionAllows({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { values: { 'aws:SourceIp': 'garbage' } })).toBe('implicit deny');
    expect(conditionAllows({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { values: { 'aws:SourceIp': '11.0.0.1' } })).toBe('allowed');
  });
  it('Bool compares true and false in any case, and nothing else', () => {
    expect(conditionAllows({ Bool: { 'aws:SecureTransport': 'True' } }, { values: { 'aws:SecureTransport': 'true' } })).toBe('allowed');
    expect(conditionAllows({ Bool: { 'aws:SecureTransport': 'true' } }, { values: { 'aws:SecureTransport': 'yes' } })).toBe('implicit deny');
    expect(conditionAllows({ Bool: { 'aws:SecureTransport': 'yes' } }, { values: { 'aws:SecureTransport': 'true' } })).toBe('implicit deny');
  });
  it('operator names are case-insensitive; IfExists keeps the base operator\'s meaning when the key is present', () => {
    expect(conditionAllows({ stringequals: { 'aws:PrincipalTag/a': 'x' } }, { values: { 'aws:PrincipalTag/a': 'x' } })).toBe('allowed');
    expect(conditionAllows({ NumericLessThanIfExists: { 's3:max-keys': '10' } }, { values: { 's3:max-keys': '11' } })).toBe('implicit deny');
    expect(conditionAllows({ NumericLessThanIfExists: { 's3:max-keys': '10' } }, {})).toBe('allowed');
    expect(conditionAllows({ 'forallvalues:StringEquals': { 'aws:TagKeys': ['a'] } }, { values: { 'aws:TagKeys': ['b'] } })).toBe('implicit deny');
  });
  it('a set operator treats a single value as a list of one', () => {
    expect(conditionAllows({ 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/a': 'x' } }, { values: { 'aws:PrincipalTag/a': 'x' } })).toBe('allowed');
    expect(conditionAllows({ 'ForAllValues:StringEquals': { 'aws:PrincipalTag/a': 'x' } }, { values: { 'aws:PrincipalTag/a': 'y' } })).toBe('implicit deny');
  });
  it('a numeric condition value may be written as a JSON number', () => {
    expect(conditionAllows({ NumericLessThan: { 's3:max-keys': 10 } }, { values: { 's3:max-keys': '9' } })).toBe('allowed');
  });
});

describe('parseIamPolicy names the element at fault', () => {
  const refuse = (p: unknown, kind?: 'resource' | 'identity' | 'resource-control' | 'service-control') => {
    try {
      parseIamPolicy(p, kind);
    } catch (e) {
      expect(e).toBeInstanceOf(IamPolicyError);
      return (e as IamPolicyError).message;
    }
    throw new Error('not refused');
  };
  const ok = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' };
  it.each([
    ['{not json', 'policy: is not JSON'],
    [[], 'policy: must be a JSON object with a Statement'],
    [{ Version: '2012-10-17' }, 'Statement: is missing'],
    [{ Version: '2012-10-18', Statement: [ok] }, 'Version: must be "2012-10-17" or "2008-10-17", not "2012-10-18"'],
    [{ Statement: [ok], Extra: 1 }, 'Extra: is not a policy element (Version, Id, Statement)'],
    [{ Statement: ['x'] }, 'Statement #1: must be an object'],
    [{ Statement: [{ ...ok, Effect: 'allow' }] }, 'Statement #1 Effect: must be "Allow" or "Deny", not "allow"'],
    [{ Statement: [{ ...ok, Effect: undefined }] }, 'Statement #1 Effect: is missing'],
    [{ Statement: [ok, { ...ok, Sid: 'X', NotAction: 's3:*' }] }, 'Statement "X" Action: and NotAction cannot both be in one statement'],
    [{ Statement: [{ ...ok, Action: undefined }] }, 'Statement #1 Action: is missing (or NotAction)'],
    [{ Statement: [{ ...ok, NotResource: '*' }] }, 'Statement #1 Resource: and NotResource cannot both be in one statement'],
    [{ Statement: [{ ...ok, Principal: undefined }] }, 'Statement #1 Principal: is missing (or NotPrincipal)'],
    [{ Statement: [{ ...ok, Principal: 'arn:aws:iam::1:root' }] }, 'Statement #1 Principal: must be "*" or an object of AWS, Service, Federated or CanonicalUser'],
    [{ Statement: [{ ...ok, Principal: { IAM: 'x' } }] }, 'Statement #1 Principal IAM: is not a principal type (AWS, Service, Federated, CanonicalUser)'],
    [{ Statement: [{ ...ok, Action: [] }] }, 'Statement #1 Action: is an empty list'],
    [{ Statement: [{ ...ok, Action: [3] }] }, 'Statement #1 Action: must hold strings, not 3'],
    [{ Statement: [{ ...ok, Condition: { StringEqual: { a: 'b' } } }] }, 'Statement #1 Condition StringEqual: is not a condition operator'],
    [{ Statement: [{ ...ok, Condition: { NullIfExists: { a: 'true' } } }] }, 'Statement #1 Condition NullIfExists: is not a condition operator'],
    [{ Statement: [{ ...ok, Condition: { StringEquals: 'b' } }] }, 'Statement #1 Condition StringEquals: must be an object of condition keys'],
    [{ Statement: [{ ...ok, Condition: { StringEquals: { a: null } } }] }, 'Statement #1 Condition StringEquals a: must be a string, number or boolean, not null'],
    [{ Statement: [{ ...ok, Condition: [] }] }, 'Statement #1 Condition: must be an object of condition operators'],
    [{ Statement: [{ ...ok, Sid: 5 }] }, 'Statement #1 Sid: must be a string'],
    [{ Statement: [{ ...ok, Resources: '*' }] }, 'Statement #1 Resources: is not a statement element'],
  ])('%j: %s', (p, message) => {
    expect(refuse(p)).toContain(message);
  });
  it('refuses Principal in identity and service control policies, NotAction and NotPrincipal in RCPs', () => {
    expect(refuse({ Statement: [ok] }, 'identity')).toBe('Statement #1 Principal: is not allowed in an identity policy');
    expect(refuse({ Statement: [{ ...ok, Principal: undefined, NotPrincipal: '*' }] }, 'service-control')).toBe('Statement #1 NotPrincipal: is not allowed in a service control policy');
    expect(refuse({ Statement: [{ ...ok, Effect: 'Deny', Action: undefined, NotAction: 's3:*' }] }, 'resource-control')).toBe('Statement #1 NotAction: is not supported in a resource control policy');
    expect(parseIamPolicy({ Statement: [{ ...ok, Principal: undefined }] }, 'identity').statements).toHaveLength(1);
  });
  it('names statements by Sid, or by 1-based position when the Sid is missing or empty', () => {
    const parsed = parseIamPolicy({ Statement: [ok, { ...ok, Sid: '' }, { ...ok, Sid: 'Named' }] });
    expect(parsed.statements.map((s) => ('name' in s ? s.name : '?'))).toEqual(['#1', '#2', 'Named']);
  });
  it('evaluateIamRequest throws the same error for a policy that cannot be valid', () => {
    expect(() => segmentsGet({ Statement: [{ ...ok, Effect: 'Permit' }] })).toThrow(IamPolicyError);
  });
});

describe('the decision table', () => {
  const grant = policy({ Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: '*' });
  const levels = (...allow: boolean[]) => allow.map((a, i) => ({ name: `l${i}`, policies: a ? [{ name: 'RCPFullAWSAccess', policy: policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }) }] : [] }));
  it('every RCP level must allow, each one', () => {
    expect(segmentsGet(grant, {}, { resourceControlPolicies: levels(true, true, true) }).decision).toBe('allowed');
    expect(segmentsGet(grant, {}, { resourceControlPolicies: levels(false, true, true) }).decision).toBe('implicit deny');
    expect(segmentsGet(grant, {}, { resourceControlPolicies: levels(true, true, false) }).decision).toBe('implicit deny');
    expect(segmentsGet(grant, {}, { resourceControlPolicies: [] }).decision).toBe('allowed');
  });
  it('SCP levels gate the principal\'s side the same way', () => {
    expect(segmentsGet(grant, {}, { serviceControlPolicies: [{ name: 'root', policies: [] }] }).decision).toBe('implicit deny');
    expect(segmentsGet(grant, {}, { serviceControlPolicies: [{ name: 'root', policies: [{ name: 'FullAWSAccess', policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }] }] }).decision).toBe('allowed');
  });
  it('SCPs and identity policies do not apply to a service principal; the resource policy decides', () => {
    const request = { principal: 'cloudfront.amazonaws.com', action: 's3:GetObject', resource: OBJECT, resourceAccount: CUSTOMER };
    const forService = policy({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: '*' });
    expect(evaluateIamRequest({ request, resourcePolicy: forService, serviceControlPolicies: [{ name: 'root', policies: [] }] }).decision).toBe('allowed');
    expect(evaluateIamRequest({ request, resourcePolicy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalServiceName': 'cloudfront.amazonaws.com' } } }) }).decision).toBe('allowed');
    expect(evaluateIamRequest({ request, identityPolicies: allowsEverything() }).decision).toBe('implicit deny');
  });
  it('a Deny naming the principal\'s account denies the principal', () => {
    expect(segmentsGet(policy(
      { Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Deny', Principal: { AWS: '931508227573' }, Action: 's3:GetObject', Resource: '*' },
    )).decision).toBe('explicit deny');
  });
  it('an identity policy\'s Deny denies across accounts too', () => {
    expect(segmentsGet(grant, {}, { identityPolicies: [...allowsEverything(), { name: 'guard', policy: policy({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*' }) }] }).decision).toBe('explicit deny');
  });
  it('derives aws:PrincipalArn, aws:PrincipalAccount, aws:username and aws:ResourceAccount unless the context gives them', () => {
    const on = (key: string, value: string, context = {}) => conditionAllows({ StringEquals: { [key]: value } }, context);
    expect(on('aws:PrincipalArn', SEGMENTS)).toBe('allowed');
    expect(on('aws:PrincipalAccount', '931508227573')).toBe('allowed');
    expect(on('aws:username', 'segmentsai-prod-user')).toBe('allowed');
    expect(on('aws:ResourceAccount', CUSTOMER)).toBe('allowed');
    expect(on('aws:username', 'segmentsai-prod-user', { missing: ['aws:username'] })).toBe('implicit deny');
    expect(on('aws:username', 'segmentsai-prod-user', { values: { 'aws:username': 'other' } })).toBe('implicit deny');
  });
});
