/**
 * The examples of AWS's IAM documentation as literal cases, each citing its page (IAM User Guide,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/<page>.html unless another guide is named).
 * The expected decisions are the documents', never copied from our own output.
 */
import { evaluateIamRequest } from '../../lib';
import { allowsEverything, conditionAllows, CUSTOMER, OBJECT, policy, SEGMENTS, segmentsGet } from './helpers';

const BUCKET_OBJECTS = 'arn:aws:s3:::amzn-s3-demo-bucket/*';
const CARLOS = `arn:aws:iam::${CUSTOMER}:user/carlossalazar`;

describe('reference_policies_evaluation-logic_policy-eval-basics: requests within a single account', () => {
  // "If either the identity-based policy or the resource-based policy within the same account allows
  // the request and the other doesn't, the request is still allowed."
  const request = { principal: CARLOS, action: 's3:PutObject', resource: 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/x', resourceAccount: CUSTOMER };
  const identity = [{ name: 'carlos', policy: policy({ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/*' }) }];
  const bucketPolicy = policy({ Effect: 'Allow', Principal: { AWS: CARLOS }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/*' });

  it('allows when only the identity policy allows', () => {
    expect(evaluateIamRequest({ request, identityPolicies: identity }).decision).toBe('allowed');
  });
  it('allows when only the resource policy allows the user by name', () => {
    expect(evaluateIamRequest({ request, resourcePolicy: bucketPolicy }).decision).toBe('allowed');
  });
  it('denies implicitly when neither allows', () => {
    expect(evaluateIamRequest({ request, resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: CARLOS }, Action: 's3:GetObject', Resource: '*' }) }).decision).toBe('implicit deny');
  });
  it('an explicit deny in either overrides the other\'s allow', () => {
    const deny = policy({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' });
    expect(evaluateIamRequest({ request, identityPolicies: identity, resourcePolicy: deny }).decision).toBe('explicit deny');
    expect(evaluateIamRequest({ request, resourcePolicy: bucketPolicy, identityPolicies: [{ name: 'deny', policy: policy({ Effect: 'Deny', Action: 's3:*', Resource: '*' }) }] }).decision).toBe('explicit deny');
  });
});

describe('reference_policies_evaluation-logic-cross-account: both sides must allow', () => {
  const grant = policy({ Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS });
  it('allows when the resource policy and the identity policy allow', () => {
    expect(segmentsGet(grant).decision).toBe('allowed');
  });
  it('denies implicitly when only the resource policy allows', () => {
    expect(segmentsGet(grant, {}, { identityPolicies: [] }).decision).toBe('implicit deny');
  });
  it('denies implicitly when only the identity policy allows', () => {
    expect(segmentsGet(undefined).decision).toBe('implicit deny');
    expect(segmentsGet(policy({ Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:PutObject', Resource: BUCKET_OBJECTS })).decision).toBe('implicit deny');
  });
  it('the trusting account may name the whole trusted account ("You can specify the entire account")', () => {
    expect(segmentsGet(policy({ Effect: 'Allow', Principal: { AWS: '931508227573' }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS })).decision).toBe('allowed');
    expect(segmentsGet(policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::931508227573:root' }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS })).decision).toBe('allowed');
    expect(segmentsGet(policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS })).decision).toBe('implicit deny');
  });
});

describe('reference_policies_elements_principal: every principal form', () => {
  const with_ = (Principal: unknown) => segmentsGet(policy({ Effect: 'Allow', Principal, Action: 's3:GetObject', Resource: BUCKET_OBJECTS })).decision;
  it('"*" and {"AWS": "*"} are everyone', () => {
    expect(with_('*')).toBe('allowed');
    expect(with_({ AWS: '*' })).toBe('allowed');
  });
  it('an IAM user ARN is that user only', () => {
    expect(with_({ AWS: SEGMENTS })).toBe('allowed');
    expect(with_({ AWS: 'arn:aws:iam::931508227573:user/someone-else' })).toBe('implicit deny');
    expect(with_({ AWS: [`arn:aws:iam::${CUSTOMER}:user/alice`, SEGMENTS] })).toBe('allowed');
  });
  it('a service principal is that service only', () => {
    expect(with_({ Service: 'cloudfront.amazonaws.com' })).toBe('implicit deny');
    expect(evaluateIamRequest({ request: { principal: 'cloudfront.amazonaws.com', action: 's3:GetObject', resource: OBJECT, resourceAccount: CUSTOMER },
      resourcePolicy: policy({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS }) }).decision).toBe('allowed');
  });
  it('a canonical user ID is the principal with that ID (S3 grants)', () => {
    const id = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
    const grant = policy({ Effect: 'Allow', Principal: { CanonicalUser: id }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS });
    expect(segmentsGet(grant).decision).toBe('implicit deny');
    expect(evaluateIamRequest({ request: { principal: SEGMENTS, canonicalUser: id, action: 's3:GetObject', resource: OBJECT, resourceAccount: CUSTOMER }, resourcePolicy: grant, identityPolicies: allowsEverything() }).decision).toBe('allowed');
  });
  it('an account principal in the same account delegates to the identity side ("AWS account principals")', () => {
    const request = { principal: CARLOS, action: 's3:GetObject', resource: OBJECT, resourceAccount: CUSTOMER };
    const account = policy({ Effect: 'Allow', Principal: { AWS: CUSTOMER }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS });
    expect(evaluateIamRequest({ request, resourcePolicy: account }).decision).toBe('implicit deny');
    expect(evaluateIamRequest({ request, resourcePolicy: account, identityPolicies: allowsEverything() }).decision).toBe('allowed');
  });
  it('a role ARN covers the role\'s sessions', () => {
    const request = { principal: `arn:aws:sts::${CUSTOMER}:assumed-role/reader/session-1`, action: 's3:GetObject', resource: OBJECT, resourceAccount: '444455556666' };
    const grant = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CUSTOMER}:role/team/reader` }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS });
    expect(evaluateIamRequest({ request, resourcePolicy: grant, identityPolicies: allowsEverything() }).decision).toBe('allowed');
    expect(evaluateIamRequest({ request, resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CUSTOMER}:role/writer` }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS }), identityPolicies: allowsEverything() }).decision).toBe('implicit deny');
  });
});

describe('reference_policies_elements_notprincipal: NotPrincipal with Deny', () => {
  const BOB = 'arn:aws:iam::444455556666:user/Bob';
  const bobPolicy = (notPrincipal: string[]) => policy(
    { Effect: 'Deny', NotPrincipal: { AWS: notPrincipal }, Action: 's3:*', Resource: ['arn:aws:s3:::BUCKETNAME', 'arn:aws:s3:::BUCKETNAME/*'] },
    { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::BUCKETNAME/*' },
  );
  const get = (principal: string, p: unknown) => evaluateIamRequest({ request: { principal, action: 's3:GetObject', resource: 'arn:aws:s3:::BUCKETNAME/k', resourceAccount: CUSTOMER }, resourcePolicy: p, identityPolicies: allowsEverything() });
  it('leaves out Bob when the NotPrincipal lists Bob and his account', () => {
    expect(get(BOB, bobPolicy([BOB, 'arn:aws:iam::444455556666:root'])).decision).toBe('allowed');
  });
  it('denies everyone else', () => {
    expect(get(SEGMENTS, bobPolicy([BOB, 'arn:aws:iam::444455556666:root'])).decision).toBe('explicit deny');
  });
  it('with Bob alone, "the effect of the policy might be to explicitly deny access to the AWS account that contains the user Bob": undetermined', () => {
    const result = get(BOB, bobPolicy([BOB]));
    expect(result.decision).toBe('undetermined');
    expect(result.possibleDecisions).toEqual(['allowed', 'explicit deny']);
    expect(result.undetermined.map((s) => s.unknownElements)).toEqual([['NotPrincipal']]);
  });
  it('a role session is left out only by its own session ARN with its role and account', () => {
    const session = 'arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app';
    const all = [session, 'arn:aws:iam::444455556666:role/cross-account-read-only-role', 'arn:aws:iam::444455556666:root'];
    expect(get(session, bobPolicy(all)).decision).toBe('allowed');
    expect(get(session, bobPolicy([session, 'arn:aws:iam::444455556666:root'])).decision).toBe('undetermined');
  });
});

describe('reference_policies_elements_condition_operators', () => {
  it('a key missing from the request does not match; a negated operator on it matches', () => {
    expect(conditionAllows({ StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, {})).toBe('implicit deny');
    expect(conditionAllows({ StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, { values: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } })).toBe('allowed');
    expect(conditionAllows({ StringNotLike: { 'aws:PrincipalTag/job-category': 'iamuser-*' } }, {})).toBe('allowed');
    expect(conditionAllows({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:*' } }, {})).toBe('allowed');
  });
  it('String: StringEquals is case-sensitive, StringEqualsIgnoreCase is not, StringLike takes * and ?', () => {
    const tag = { values: { 'aws:PrincipalTag/job-category': 'IAMUser-Admin' } };
    expect(conditionAllows({ StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, tag)).toBe('implicit deny');
    expect(conditionAllows({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, tag)).toBe('allowed');
    expect(conditionAllows({ StringLike: { 'aws:PrincipalTag/job-category': 'IAMUser-*' } }, tag)).toBe('allowed');
    expect(conditionAllows({ StringLike: { 'aws:PrincipalTag/job-category': 'IAMUser?Admin' } }, tag)).toBe('allowed');
    expect(conditionAllows({ StringLike: { 'aws:PrincipalTag/job-category': 'iamuser-*' } }, tag)).toBe('implicit deny');
    expect(conditionAllows({ StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, tag)).toBe('implicit deny');
  });
  it('Numeric: NumericLessThanEquals s3:max-keys 10', () => {
    const c = { NumericLessThanEquals: { 's3:max-keys': '10' } };
    expect(conditionAllows(c, { values: { 's3:max-keys': '10' } })).toBe('allowed');
    expect(conditionAllows(c, { values: { 's3:max-keys': '11' } })).toBe('implicit deny');
    expect(conditionAllows(c, { values: { 's3:max-keys': 'ten' } })).toBe('implicit deny');
  });
  it('Date: DateLessThan aws:TokenIssueTime, in ISO 8601 or epoch seconds', () => {
    const c = { DateLessThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } };
    expect(conditionAllows(c, { values: { 'aws:TokenIssueTime': '2019-12-31T23:59:59Z' } })).toBe('allowed');
    expect(conditionAllows(c, { values: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } })).toBe('implicit deny');
    expect(conditionAllows(c, { values: { 'aws:TokenIssueTime': '1577836800' } })).toBe('allowed'); // 2020-01-01T00:00:00Z
    expect(conditionAllows({ DateLessThan: { 'aws:TokenIssueTime': '1577836802' } }, { values: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } })).toBe('allowed');
  });
  it('Bool: a Deny on aws:SecureTransport false refuses plain HTTP', () => {
    const deny = policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: BUCKET_OBJECTS, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS });
    expect(segmentsGet(deny, { values: { 'aws:SecureTransport': 'false' } }).decision).toBe('explicit deny');
    expect(segmentsGet(deny, { values: { 'aws:SecureTransport': 'true' } }).decision).toBe('allowed');
    expect(segmentsGet(policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: BUCKET_OBJECTS, Condition: { Bool: { 'aws:SecureTransport': false } } },
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: BUCKET_OBJECTS }), { values: { 'aws:SecureTransport': 'FALSE' } }).decision).toBe('explicit deny');
  });
  it('Binary: BinaryEquals compares the base64 value', () => {
    const c = { BinaryEquals: { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } };
    expect(conditionAllows(c, { values: { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } })).toBe('allowed');
    expect(conditionAllows(c, { values: { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NQ==' } })).toBe('implicit deny');
  });
  it('IpAddress: IPv4 and IPv6 ranges in one condition', () => {
    const c = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } };
    expect(conditionAllows(c, { values: { 'aws:SourceIp': '203.0.113.77' } })).toBe('allowed');
    expect(conditionAllows(c, { values: { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' } })).toBe('allowed');
    expect(conditionAllows(c, { values: { 'aws:SourceIp': '2001:db8:1234:5679::1' } })).toBe('implicit deny');
    expect(conditionAllows(c, { values: { 'aws:SourceIp': '203.0.114.1' } })).toBe('implicit deny');
    expect(conditionAllows({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }, { values: { 'aws:SourceIp': '2001:db8::1' } })).toBe('allowed');
  });
  it('IpAddress: a single address is its /32 block, so an IPv6 request is outside it (iam-simulate 0.1.173 fails the comparison instead)', () => {
    expect(conditionAllows({ NotIpAddress: { 'aws:SourceIp': '203.0.113.9' } }, { values: { 'aws:SourceIp': '2001:db8::1' } })).toBe('allowed');
    expect(conditionAllows({ NotIpAddress: { 'aws:SourceIp': '203.0.113.9/32' } }, { values: { 'aws:SourceIp': '2001:db8::1' } })).toBe('allowed');
    expect(conditionAllows({ IpAddress: { 'aws:SourceIp': '203.0.113.9' } }, { values: { 'aws:SourceIp': '203.0.113.9' } })).toBe('allowed');
  });
  it('IpAddress: 0.0.0.0/0 holds every IPv4 address (RFC 4632; iam-simulate 0.1.173 holds only 0.0.0.0)', () => {
    expect(conditionAllows({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { values: { 'aws:SourceIp': '198.51.100.7' } })).toBe('allowed');
    expect(conditionAllows({ NotIpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { values: { 'aws:SourceIp': '198.51.100.7' } })).toBe('implicit deny');
  });
  it('Arn: ArnEquals/ArnLike match each of the six components, with wildcards', () => {
    const c = { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:TOPIC-ID' } };
    expect(conditionAllows(c, { values: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:123456789012:TOPIC-ID' } })).toBe('allowed');
    expect(conditionAllows(c, { values: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:123456789013:TOPIC-ID' } })).toBe('implicit deny');
    expect(conditionAllows({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::amzn-s3-demo-bucket*' } }, { values: { 'aws:SourceArn': 'arn:aws:s3:::amzn-s3-demo-bucket-logs' } })).toBe('allowed');
    // A * in the region component does not reach across a colon into the account.
    expect(conditionAllows({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:TOPIC-ID' } }, { values: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:123456789012:TOPIC-ID' } })).toBe('implicit deny');
  });
  it('...IfExists: a missing key makes the condition true, a present one is tested', () => {
    const c = { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } };
    expect(conditionAllows(c, {})).toBe('allowed');
    expect(conditionAllows(c, { values: { 'ec2:InstanceType': 't2.micro' } })).toBe('allowed');
    expect(conditionAllows(c, { values: { 'ec2:InstanceType': 'c5.large' } })).toBe('implicit deny');
  });
  it('Null: true matches a missing key, false a present one', () => {
    expect(conditionAllows({ Null: { 'aws:TokenIssueTime': 'true' } }, {})).toBe('allowed');
    expect(conditionAllows({ Null: { 'aws:TokenIssueTime': 'true' } }, { values: { 'aws:TokenIssueTime': '2011-05-03T00:00:00Z' } })).toBe('implicit deny');
    expect(conditionAllows({ Null: { 'aws:TokenIssueTime': 'false' } }, { values: { 'aws:TokenIssueTime': '2011-05-03T00:00:00Z' } })).toBe('allowed');
    expect(conditionAllows({ Null: { 'aws:TokenIssueTime': false } }, {})).toBe('implicit deny');
  });
  it('condition key names are case-insensitive ("aws:CurrentTime is equivalent to AWS:currenttime")', () => {
    expect(conditionAllows({ DateGreaterThan: { 'AWS:currenttime': '2020-01-01T00:00:00Z' } }, { values: { 'aws:CurrentTime': '2026-12-07T23:00:00Z' } })).toBe('allowed');
    expect(conditionAllows({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, { values: { 'AWS:CURRENTTIME': '2019-12-07T23:00:00Z' } })).toBe('implicit deny');
  });
  it('several operators and several keys all must match; several values of one key any may', () => {
    const c = { StringEquals: { 'aws:PrincipalTag/a': ['x', 'y'], 'aws:PrincipalTag/b': 'z' }, Bool: { 'aws:SecureTransport': 'true' } };
    expect(conditionAllows(c, { values: { 'aws:PrincipalTag/a': 'y', 'aws:PrincipalTag/b': 'z', 'aws:SecureTransport': 'true' } })).toBe('allowed');
    expect(conditionAllows(c, { values: { 'aws:PrincipalTag/a': 'y', 'aws:PrincipalTag/b': 'w', 'aws:SecureTransport': 'true' } })).toBe('implicit deny');
    expect(conditionAllows(c, { values: { 'aws:PrincipalTag/a': 'y', 'aws:PrincipalTag/b': 'z', 'aws:SecureTransport': 'false' } })).toBe('implicit deny');
    // A negated operator with several values: none may match (NOR).
    expect(conditionAllows({ StringNotEquals: { 'aws:PrincipalTag/a': ['x', 'y'] } }, { values: { 'aws:PrincipalTag/a': 'y' } })).toBe('implicit deny');
    expect(conditionAllows({ StringNotEquals: { 'aws:PrincipalTag/a': ['x', 'y'] } }, { values: { 'aws:PrincipalTag/a': 'w' } })).toBe('allowed');
  });
});

describe('reference_policies_condition-single-vs-multi-valued-context-keys: set operators', () => {
  it('ForAllValues: every request value must match; a missing key or an empty list matches', () => {
    const c = { 'ForAllValues:StringLike': { 'aws:TagKeys': ['key1*', 'key2'] } };
    expect(conditionAllows(c, { values: { 'aws:TagKeys': ['key1a', 'key2'] } })).toBe('allowed');
    expect(conditionAllows(c, { values: { 'aws:TagKeys': ['key1a', 'key3'] } })).toBe('implicit deny');
    expect(conditionAllows(c, {})).toBe('allowed');
    expect(conditionAllows(c, { values: { 'aws:TagKeys': [] } })).toBe('allowed');
  });
  it('ForAnyValue: some request value must match; a missing key does not', () => {
    const c = { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } };
    expect(conditionAllows(c, { values: { 'aws:TagKeys': ['owner', 'environment'] } })).toBe('allowed');
    expect(conditionAllows(c, { values: { 'aws:TagKeys': ['owner'] } })).toBe('implicit deny');
    expect(conditionAllows(c, {})).toBe('implicit deny');
    expect(conditionAllows(c, { values: { 'aws:TagKeys': [] } })).toBe('implicit deny');
  });
  it('ForAllValues with a negated operator: no request value may match any policy value', () => {
    const c = { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } };
    expect(conditionAllows(c, { values: { 'aws:TagKeys': ['a', 'b'] } })).toBe('allowed');
    expect(conditionAllows(c, { values: { 'aws:TagKeys': ['a', 'secret'] } })).toBe('implicit deny');
  });
  it('a single-valued operator on a multivalued key never matches: "use set operators"', () => {
    expect(conditionAllows({ StringEquals: { 'aws:TagKeys': 'environment' } }, { values: { 'aws:TagKeys': ['environment'] } })).toBe('implicit deny');
    expect(conditionAllows({ StringNotEquals: { 'aws:TagKeys': 'environment' } }, { values: { 'aws:TagKeys': ['owner'] } })).toBe('implicit deny');
  });
  it('ForAnyValue:...IfExists on a missing key is true, as IfExists says for every operator (iam-simulate 0.1.173 says false)', () => {
    expect(conditionAllows({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': ['environment'] } }, {})).toBe('allowed');
  });
});

describe('reference_policies_variables: policy variables', () => {
  const USER = `arn:aws:iam::${CUSTOMER}:user/David`;
  const home = (version?: string, resource = 'arn:aws:s3:::mybucket/${aws:username}/*') => ({ ...(version ? { Version: version } : {}),
    Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [resource] }] });
  const get = (p: unknown, key: string, context = {}) => evaluateIamRequest({ request: { principal: USER, action: 's3:GetObject', resource: `arn:aws:s3:::mybucket/${key}`, resourceAccount: CUSTOMER, context }, identityPolicies: [{ name: 'home', policy: p }] }).decision;
  it('${aws:username} in Resource is the user\'s friendly name', () => {
    expect(get(home('2012-10-17'), 'David/notes.txt')).toBe('allowed');
    expect(get(home('2012-10-17'), 'Adele/notes.txt')).toBe('implicit deny');
  });
  it('without Version 2012-10-17 the variable is literal text', () => {
    expect(get(home(undefined), 'David/notes.txt')).toBe('implicit deny');
    expect(get(home('2008-10-17'), '${aws:username}/notes.txt')).toBe('allowed');
  });
  it('a default value stands in for a key with no value ("Specifying default values")', () => {
    const p = home('2012-10-17', "arn:aws:s3:::mybucket/${aws:PrincipalTag/team, 'company-wide'}/*");
    expect(get(p, 'company-wide/x')).toBe('allowed');
    expect(get(p, 'photos/x', { values: { 'aws:PrincipalTag/team': 'photos' } })).toBe('allowed');
    expect(get(p, 'company-wide/x', { values: { 'aws:PrincipalTag/team': 'photos' } })).toBe('implicit deny');
  });
  it('a variable with no value and no default matches nothing', () => {
    expect(get(home('2012-10-17', 'arn:aws:s3:::mybucket/${aws:PrincipalTag/team}/*'), 'photos/x')).toBe('implicit deny');
  });
  it('${*}, ${?} and ${$} are a literal *, ? and $', () => {
    expect(get(home('2012-10-17', 'arn:aws:s3:::mybucket/a${*}b'), 'a*b')).toBe('allowed');
    expect(get(home('2012-10-17', 'arn:aws:s3:::mybucket/a${*}b'), 'axxb')).toBe('implicit deny');
    expect(get(home('2012-10-17', 'arn:aws:s3:::mybucket/a${?}b'), 'a?b')).toBe('allowed');
    expect(get(home('2012-10-17', 'arn:aws:s3:::mybucket/a${?}b'), 'axb')).toBe('implicit deny');
    expect(get(home('2012-10-17', 'arn:aws:s3:::mybucket/a${$}b'), 'a$b')).toBe('allowed');
  });
  it('a variable with no value fails every comparison, negated ones too ("any attempt to match it fails"; iam-simulate 0.1.173 lets ArnNotLike match)', () => {
    const session = { principal: `arn:aws:sts::${CUSTOMER}:assumed-role/reader/s`, action: 's3:GetObject', resource: OBJECT, resourceAccount: CUSTOMER };
    const allowUnless = (condition: Record<string, unknown>) => evaluateIamRequest({ request: { ...session, context: { values: { 'aws:PrincipalArn': `arn:aws:iam::${CUSTOMER}:role/reader` } } }, identityPolicies: allowsEverything(),
      resourcePolicy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: condition }) }).decision;
    expect(allowUnless({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::931508227573:user/${aws:username}' } })).toBe('allowed');
    expect(allowUnless({ StringNotEquals: { 'aws:PrincipalAccount': '${aws:username}' } })).toBe('allowed');
    expect(allowUnless({ StringNotEquals: { 'aws:PrincipalAccount': '999999999999' } })).toBe('explicit deny');
  });
  it('a NotResource whose variable has no value does not apply: the statement is invalid', () => {
    const session = { principal: `arn:aws:sts::${CUSTOMER}:assumed-role/reader/s`, action: 's3:GetObject', resource: 'arn:aws:s3:::mybucket/x', resourceAccount: CUSTOMER };
    const denyOutside = (notResource: string) => evaluateIamRequest({ request: session, identityPolicies: allowsEverything(),
      resourcePolicy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', NotResource: notResource }) }).decision;
    expect(denyOutside('arn:aws:s3:::mybucket/${aws:username}/*')).toBe('allowed');
    expect(denyOutside('arn:aws:s3:::mybucket/home/*')).toBe('explicit deny');
    // In an Allow too (iam-simulate 0.1.173 lets it apply there).
    expect(evaluateIamRequest({ request: session, resourcePolicy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::mybucket/${aws:username}/*' }) }).decision).toBe('implicit deny');
  });
  it('variables in String and ARN condition values, replaced before the ARN is split (iam-simulate 0.1.173 splits first)', () => {
    expect(conditionAllows({ StringLike: { 's3:prefix': ['${aws:username}/*'] } }, { values: { 's3:prefix': 'segmentsai-prod-user/a', 'aws:username': 'segmentsai-prod-user' } })).toBe('allowed');
    expect(conditionAllows({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:user/*' } }, {})).toBe('allowed');
    expect(conditionAllows({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:user/*' } }, {})).toBe('implicit deny');
  });
});

describe('AWS KMS Developer Guide, key-policy-default: a key policy must allow the account for IAM policies to count', () => {
  const KEY = `arn:aws:kms:eu-west-1:${CUSTOMER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const ALICE = `arn:aws:iam::${CUSTOMER}:user/alice`;
  const decrypt = (keyPolicy: unknown, identity = allowsEverything('kms:Decrypt')) => evaluateIamRequest({
    request: { principal: ALICE, action: 'kms:Decrypt', resource: KEY, resourceAccount: CUSTOMER }, resourcePolicy: keyPolicy, resourcePolicyType: 'kms-key', identityPolicies: identity }).decision;
  const enableIam = policy({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CUSTOMER}:root` }, Action: 'kms:*', Resource: '*' });
  it('with the account statement, the identity policy decides', () => {
    expect(decrypt(enableIam)).toBe('allowed');
    expect(decrypt(enableIam, [])).toBe('implicit deny');
  });
  it('without it, an identity policy alone gives nothing', () => {
    expect(decrypt(policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CUSTOMER}:user/admin` }, Action: 'kms:*', Resource: '*' }))).toBe('implicit deny');
  });
  it('a key policy naming the principal itself allows without an identity policy', () => {
    expect(decrypt(policy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*' }), [])).toBe('allowed');
  });
  it('an S3 bucket policy in the same account differs: the identity policy alone allows', () => {
    expect(evaluateIamRequest({ request: { principal: ALICE, action: 's3:GetObject', resource: OBJECT, resourceAccount: CUSTOMER }, resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 's3:GetObject', Resource: '*' }), identityPolicies: allowsEverything() }).decision).toBe('allowed');
  });
});

describe('Organizations User Guide, orgs_manage_policies_rcps: resource control policies', () => {
  const FULL = { name: 'RCPFullAWSAccess', policy: policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }) };
  const grant = policy({ Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: BUCKET_OBJECTS });
  const perimeter = { name: 'data-perimeter', policy: policy({ Sid: 'EnforceOrgIdentities', Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: '*',
    Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-customer', 'aws:PrincipalAccount': ['931508227573'] }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } }) };
  it('every level must allow: a level without RCPFullAWSAccess denies implicitly', () => {
    expect(segmentsGet(grant, {}, { resourceControlPolicies: [{ name: 'root', policies: [FULL] }, { name: 'ou', policies: [] }] }).decision).toBe('implicit deny');
    expect(segmentsGet(grant, {}, { resourceControlPolicies: [{ name: 'root', policies: [FULL] }, { name: 'ou', policies: [FULL] }] }).decision).toBe('allowed');
  });
  it('an applying Deny at any level denies explicitly', () => {
    const deny = { name: 'no-s3', policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' }) };
    expect(segmentsGet(grant, {}, { resourceControlPolicies: [{ name: 'root', policies: [FULL] }, { name: 'account', policies: [FULL, deny] }] }).decision).toBe('explicit deny');
  });
  it('a data perimeter exempting Segments\' account lets Segments through; without the exemption it refuses it', () => {
    expect(segmentsGet(grant, { values: { 'aws:PrincipalAccount': '931508227573' } }, { resourceControlPolicies: [{ name: 'root', policies: [FULL, perimeter] }] }).decision).toBe('allowed');
    const strict = { name: 'strict', policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-customer' } } }) };
    expect(segmentsGet(grant, { missing: ['aws:PrincipalOrgID'] }, { resourceControlPolicies: [{ name: 'root', policies: [FULL, strict] }] }).decision).toBe('explicit deny');
    expect(segmentsGet(grant, { values: { 'aws:PrincipalOrgID': 'o-customer' } }, { resourceControlPolicies: [{ name: 'root', policies: [FULL, strict] }] }).decision).toBe('allowed');
  });
});
