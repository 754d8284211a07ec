/**
 * The lock-out analysis as a pure function of the bucket policy JSON, as a deploy-time handler
 * sees it (literal ARNs) and as the synth-time check sees it (CloudFormation intrinsics).
 */
import {
  earlierMatchingCorsRule,
  lockoutDenyAdvice,
  lockoutDenyStatements,
  widerSegmentsAllowAdvice,
  widerSegmentsAllows,
} from '../../lib/aws/private/policy-inspection';
import { SEGMENTS_AWS_PRINCIPAL_ARN } from '../../lib/segments';

const deny = (extra: Record<string, unknown>) => ({
  Statement: [{ Sid: 'guard', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::acme/*', ...extra }],
});

describe('lockoutDenyStatements', () => {
  it('reports a Deny with no condition, with no keys', () => {
    expect(lockoutDenyStatements(deny({}))).toEqual([{ sid: 'guard', keys: [] }]);
  });

  it('reports the condition keys as written, once each', () => {
    expect(lockoutDenyStatements(deny({ Condition: {
      NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] }, StringNotEqualsIfExists: { 'aws:SourceIp': 'x', 'aws:SourceVpce': 'vpce-1' },
    } }))).toEqual([{ sid: 'guard', keys: ['aws:SourceIp', 'aws:SourceVpce'] }]);
  });

  it('names a statement by its position when its Sid is missing or empty', () => {
    expect(lockoutDenyStatements({ Statement: [{ Effect: 'Allow' }, { ...deny({}).Statement[0], Sid: '' }] })[0].sid).toBe('#2');
  });

  it('reports NotPrincipal, NotAction and NotResource in notElements', () => {
    const [found] = lockoutDenyStatements({ Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
      NotAction: 's3:PutObject', NotResource: 'arn:aws:s3:::acme/private/*' }] });
    expect(found).toEqual({ sid: '#1', keys: [], notElements: ['NotPrincipal', 'NotAction', 'NotResource'] });
  });

  it.each([
    ['a single statement object, not a list', { Statement: { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:Get*', Resource: '*' } }, 1],
    ['Segments\' account as principal', deny({ Principal: { AWS: '931508227573' } }), 1],
    ['a principal only known at deploy time', deny({ Principal: { AWS: { Ref: 'Who' } } }), 1],
    ['an Allow', { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] }, 0],
    ['NotAction listing s3:GetObject', deny({ Action: undefined, NotAction: ['s3:Get*'] }), 0],
    ['the bucket ARN only (no object)', deny({ Resource: 'arn:aws:s3:::acme' }), 0],
    ['Bool aws:SecureTransport false', deny({ Condition: { Bool: { 'aws:SecureTransport': false } } }), 0],
    ['Bool aws:SecureTransport true', deny({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), 1],
    // I01: Bool with several values holds when any of them matches, so ['false', 'true'] also denies HTTPS requests.
    ['Bool aws:SecureTransport with mixed values', deny({ Condition: { Bool: { 'aws:SecureTransport': ['false', 'true'] } } }), 1],
    // With no value to compare, the condition matches no request (the evaluator's reading): the Deny never applies.
    ['Bool aws:SecureTransport with no value', deny({ Condition: { Bool: { 'aws:SecureTransport': [] } } }), 0],
    // Null false means "the key is present", which it is on every request.
    ['Null aws:SecureTransport false', deny({ Condition: { Null: { 'aws:SecureTransport': 'false' } } }), 1],
    ['s3:TlsVersion at most 1.2 (denies TLS 1.2)', deny({ Condition: { NumericLessThanEquals: { 's3:TlsVersion': '1.2' } } }), 1],
    ['s3:TlsVersion below 1.2 or 1.3', deny({ Condition: { NumericLessThan: { 's3:TlsVersion': ['1.2', '1.3'] } } }), 1],
    ['s3:TlsVersion above 1.0', deny({ Condition: { NumericGreaterThan: { 's3:TlsVersion': '1.0' } } }), 1],
    ['s3:TlsVersion below 1.1 (control)', deny({ Condition: { NumericLessThanEquals: { 's3:TlsVersion': '1.1' } } }), 0],
    ['no Principal at all', deny({ Principal: undefined }), 1],
    ['Segments\' account root ARN as principal', deny({ Principal: { AWS: 'arn:aws:iam::931508227573:root' } }), 1],
    ['no Action at all', deny({ Action: undefined }), 1],
    ['no Resource at all', deny({ Resource: undefined }), 1],
    ['an Action only known at deploy time', deny({ Action: [{ Ref: 'DeniedAction' }] }), 1],
    ['s3:TlsVersion below 1.3', deny({ Condition: { NumericLessThan: { 's3:TlsVersion': '1.3' } } }), 1],
    ['an exemption of another principal', deny({ Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/x' } } }), 1],
    ['an exemption of Segments by pattern', deny({ Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::931508227573:user/*'] } } }), 0],
    ['an exemption of Segments by a pattern with ?', deny({ Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::931508227573:user/segmentsai-prod-use?' } } }), 0],
    ['an exemption by a pattern that only looks like Segments', deny({ Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::931508227573:user/segmentsai.prod.user' } } }), 1],
  ])('%s', (_name, document, count) => {
    expect(lockoutDenyStatements(document)).toHaveLength(count);
  });

  describe('with the granted objects', () => {
    const bucketArn = { 'Fn::GetAtt': ['Bucket', 'Arn'] };
    const granted = [{ 'Fn::Join': ['', [bucketArn, '/images/*']] }];
    const onResource = (resource: unknown) => ({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: resource }] });

    it('reports a Deny on the granted objects or on all of them', () => {
      expect(lockoutDenyStatements(onResource({ 'Fn::Join': ['', [bucketArn, '/*']] }), granted)).toHaveLength(1);
      expect(lockoutDenyStatements(onResource({ 'Fn::Join': ['', [bucketArn, '/images/cats/*']] }), granted)).toHaveLength(1);
      expect(lockoutDenyStatements(onResource('*'), granted)).toHaveLength(1);
    });
    it('stays quiet on a Deny on other keys or the bucket itself', () => {
      expect(lockoutDenyStatements(onResource({ 'Fn::Join': ['', [bucketArn, '/private/*']] }), granted)).toEqual([]);
      expect(lockoutDenyStatements(onResource(bucketArn), granted)).toEqual([]);
    });
    it('reports a Deny on a value it cannot compare (errs on the side of warning)', () => {
      expect(lockoutDenyStatements(onResource({ 'Fn::ImportValue': 'SomeArn' }), granted)).toHaveLength(1);
    });
  });

  describe('NotPrincipal (issue 18: AWS denies a NotPrincipal Deny\'s user unless its account is listed too, and always with a permissions boundary)', () => {
    it.each([
      ['Segments\' user', [SEGMENTS_AWS_PRINCIPAL_ARN]],
      ['Segments\' account', ['arn:aws:iam::931508227573:root']],
      ['Segments\' user and account', [SEGMENTS_AWS_PRINCIPAL_ARN, 'arn:aws:iam::931508227573:root']],
    ])('a Deny whose NotPrincipal lists %s warns, saying why listing Segments is not enough', (_name, listed) => {
      const found = lockoutDenyStatements(deny({ Principal: undefined, NotPrincipal: { AWS: listed } }));
      expect(found).toEqual([{ sid: 'guard', keys: [], notElements: ['NotPrincipal'], notPrincipalListsSegments: true }]);
      expect(lockoutDenyAdvice(found[0])).toMatch(/^uses NotPrincipal, which lists Segments but still denies it: .*must also list the account ARN \(arn:aws:iam::931508227573:root\), and always denies principals with a permissions boundary and denies with no condition/);
    });

    it('one that lists another principal only is not said to list Segments', () => {
      expect(lockoutDenyStatements(deny({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } }))[0].notPrincipalListsSegments).toBeUndefined();
    });

    it('still stays quiet when its condition cannot hold for Segments (control)', () => {
      expect(lockoutDenyStatements(deny({ Principal: undefined, NotPrincipal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))).toEqual([]);
    });
  });

  describe('values only known at deploy time (Fn::If) count as matching, and the warning says so', () => {
    const ifDeny = { 'Fn::If': ['Strict', 'Deny', 'Allow'] };

    it('an Effect given as Fn::If', () => {
      const [found] = lockoutDenyStatements(deny({ Effect: ifDeny }));
      expect(found).toEqual({ sid: 'guard', keys: [], unknownElements: ['Effect'] });
      expect(lockoutDenyAdvice(found)).toMatch(/^has its Effect given as Fn::If \(only known at deploy time, so treated as a Deny that matches Segments\) and denies with no condition/);
    });

    it('a Principal given as Fn::If', () => {
      const [found] = lockoutDenyStatements(deny({ Principal: { 'Fn::If': ['Strict', '*', { AWS: 'arn:aws:iam::111122223333:root' }] } }));
      expect(found.unknownElements).toEqual(['Principal']);
    });

    it('a whole Deny given as Fn::If, judged by each branch', () => {
      const statement = { Sid: 'guard', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' };
      const found = lockoutDenyStatements({ Statement: [{ 'Fn::If': ['Strict', statement, { Ref: 'AWS::NoValue' }] }] });
      expect(found).toEqual([{ sid: 'guard', keys: [], unknownElements: ['statement'] }]);
      expect(lockoutDenyAdvice(found[0])).toMatch(/^has the statement itself given as Fn::If/);
    });

    it('a literal Allow is no Deny (control)', () => {
      expect(lockoutDenyStatements(deny({ Effect: 'Allow' }))).toEqual([]);
    });
  });

  describe('one rule for SegmentsAccess, the CLI and the handler: a Deny on keys outside the granted prefixes is no lock-out', () => {
    const onKeys = (resource: string) => ({ Statement: [{ Sid: 'Private', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: resource }] });

    it('with literal ARNs, as the handler and the CLI see the policy', () => {
      expect(lockoutDenyStatements(onKeys('arn:aws:s3:::acme/private/*'), ['arn:aws:s3:::acme/images/*'])).toEqual([]);
      expect(lockoutDenyStatements(onKeys('arn:aws:s3:::acme/images/raw/*'), ['arn:aws:s3:::acme/images/*'])).toHaveLength(1);
      expect(lockoutDenyStatements(onKeys('arn:aws:s3:::acme/*'), ['arn:aws:s3:::acme/images/*'])).toHaveLength(1);
      // without the granted objects, any object counts
      expect(lockoutDenyStatements(onKeys('arn:aws:s3:::acme/private/*'))).toHaveLength(1);
    });

    it('a ? in a pattern stands for one character', () => {
      expect(lockoutDenyStatements(onKeys('arn:aws:s3:::acme/image?/*'), ['arn:aws:s3:::acme/images/*'])).toHaveLength(1);
      expect(lockoutDenyStatements(onKeys('arn:aws:s3:::acme/image?/*'), ['arn:aws:s3:::acme/imag/*'])).toEqual([]);
    });
  });
});

describe('widerSegmentsAllows: other Allows that give Segments\' user more than s3:GetObject (issue 18, item 2)', () => {
  const allow = (extra: Record<string, unknown>) => ({
    Statement: [
      { Sid: 'segments-s3-access', Effect: 'Allow', Principal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme/*' },
      { Sid: 'extra', Effect: 'Allow', Principal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN }, Action: 's3:*', Resource: 'arn:aws:s3:::acme/*', ...extra },
    ],
  });
  const partition = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, suffix]] });

  it.each([
    ['s3:* for Segments\' user', {}, ['s3:*']],
    ['s3:PutObject for Segments\' user', { Action: ['s3:GetObject', 's3:PutObject'] }, ['s3:PutObject']],
    ['s3:Get* (more than GetObject)', { Action: 's3:Get*' }, ['s3:Get*']],
    ['NotAction', { Action: undefined, NotAction: 's3:DeleteObject' }, ['NotAction "s3:DeleteObject"']],
    ['an Action only known at deploy time', { Action: { Ref: 'Actions' } }, ['{"Ref":"Actions"}']],
  ])('reports %s', (_name, extra, grants) => {
    expect(widerSegmentsAllows(allow(extra))).toEqual([{ sid: 'extra', grants, principals: [SEGMENTS_AWS_PRINCIPAL_ARN] }]);
  });

  it.each([
    ['its account ID', '931508227573'],
    ['its account root', 'arn:aws:iam::931508227573:root'],
    ['its account root through the partition', partition(':iam::931508227573:root')],
    ['its user ARN through the partition', partition(':iam::931508227573:user/segmentsai-prod-user')],
    ['everyone', '*'],
    ['a parameter', { Ref: 'Reader' }],
    ['an import', { 'Fn::ImportValue': 'Reader' }],
  ])('reports a principal that can be Segments\' user: %s', (_name, principal) => {
    expect(widerSegmentsAllows(allow({ Principal: { AWS: principal } }))).toHaveLength(1);
  });

  it('reports Principal "*" with conditions, and a Principal or a whole statement given as Fn::If', () => {
    expect(widerSegmentsAllows(allow({ Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }))).toHaveLength(1);
    expect(widerSegmentsAllows(allow({ Principal: { 'Fn::If': ['Open', '*', { AWS: 'arn:aws:iam::111122223333:root' }] } }))).toHaveLength(1);
    const statement = { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: '*' };
    expect(widerSegmentsAllows({ Statement: [{ 'Fn::If': ['Open', statement, { Ref: 'AWS::NoValue' }] }] }))
      .toEqual([{ sid: '#1', grants: ['s3:PutObject'], principals: ['*'] }]);
    expect(widerSegmentsAllows(allow({ Effect: { 'Fn::If': ['Open', 'Allow', 'Deny'] } }))).toHaveLength(1);
  });

  it('reports an Allow with NotPrincipal that does not list Segments', () => {
    expect(widerSegmentsAllows(allow({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } }))).toHaveLength(1);
    expect(widerSegmentsAllows(allow({ Principal: undefined, NotPrincipal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN } }))).toEqual([]);
  });

  it.each([
    ['s3:GetObject only', { Action: ['s3:GetObject'] }],
    ['s3:GetObject in other casing', { Action: 'S3:GetObject' }],
    ['a Deny', { Effect: 'Deny' }],
    ['another account', { Principal: { AWS: 'arn:aws:iam::111122223333:root' } }],
    ['a role of the template', { Principal: { AWS: { 'Fn::GetAtt': ['AutoDeleteRole', 'Arn'] } } }],
    ['the stack\'s own account', { Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } } }],
    ['a service principal', { Principal: { Service: 'logging.s3.amazonaws.com' } }],
  ])('stays quiet on %s (control)', (_name, extra) => {
    expect(widerSegmentsAllows(allow(extra))).toEqual([]);
  });

  it('leaves the Segments statement itself to the exact comparison each caller makes', () => {
    expect(widerSegmentsAllows({ Statement: [{ Sid: 'segments-s3-access', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] })).toEqual([]);
  });

  it('names the statement, the principal and what it grants, and how to fix it', () => {
    const [found] = widerSegmentsAllows(allow({}));
    expect(widerSegmentsAllowAdvice(found)).toMatch(new RegExp(`^allows ${SEGMENTS_AWS_PRINCIPAL_ARN} s3:\\*, which can apply to Segments' user .*more than s3:GetObject.*ArnNotEquals`));
  });
});

describe('earlierMatchingCorsRule: the first earlier rule S3 applies to Segments\' GETs', () => {
  const own = { AllowedMethods: ['GET'], AllowedOrigins: ['https://*.segments.ai'] };

  it('skips an earlier rule that matches the origin but not GET (I08: a PUT-only rule)', () => {
    const rules = [{ AllowedMethods: ['PUT'], AllowedOrigins: ['https://app.segments.ai'] }, own];
    expect(earlierMatchingCorsRule(rules, 1, ['https://app.segments.ai'])).toBe(-1);
    expect(earlierMatchingCorsRule([{ ...rules[0], AllowedMethods: ['PUT', 'GET'] }, own], 1, ['https://app.segments.ai'])).toBe(0);
  });

  it('matches a wildcard origin by its head and tail, which may not overlap', () => {
    const rule = (origin: string) => [{ AllowedMethods: ['GET'], AllowedOrigins: [origin] }, own];
    expect(earlierMatchingCorsRule(rule('https://*.segments.ai'), 1, ['https://app.segments.ai'])).toBe(0);
    expect(earlierMatchingCorsRule(rule('https://a*ai'), 1, ['https://ai'])).toBe(-1);
    expect(earlierMatchingCorsRule(rule('https://app.segments.ai'), 1, ['https://app.segments.ai.evil.com'])).toBe(-1);
  });

  it('passes over an origin only known at deploy time (a parameter in the template) without crashing', () => {
    expect(earlierMatchingCorsRule([{ AllowedMethods: ['GET'], AllowedOrigins: [{ Ref: 'Origin' }] }, own], 1, ['https://app.segments.ai'])).toBe(-1);
  });

  it('looks only before our rule', () => {
    const later = { AllowedMethods: ['GET'], AllowedOrigins: ['*'] };
    expect(earlierMatchingCorsRule([own, later], 0, ['https://app.segments.ai'])).toBe(-1);
  });
});
