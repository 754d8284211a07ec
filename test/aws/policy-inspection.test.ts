/**
 * The lock-out analysis as a pure function of the bucket policy JSON, as a deploy-time handler
 * sees it (literal ARNs) and as the synth-time check sees it (CloudFormation intrinsics).
 */
import { lockoutDenyStatements } from '../../lib/aws/private/policy-inspection';
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
    ['NotPrincipal listing Segments', deny({ Principal: undefined, NotPrincipal: { AWS: [SEGMENTS_AWS_PRINCIPAL_ARN] } }), 0],
    ['NotAction listing s3:GetObject', deny({ Action: undefined, NotAction: ['s3:Get*'] }), 0],
    ['the bucket ARN only (no object)', deny({ Resource: 'arn:aws:s3:::acme' }), 0],
    ['Bool aws:SecureTransport false', deny({ Condition: { Bool: { 'aws:SecureTransport': false } } }), 0],
    ['Bool aws:SecureTransport true', deny({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), 1],
    ['s3:TlsVersion below 1.3', deny({ Condition: { NumericLessThan: { 's3:TlsVersion': '1.3' } } }), 1],
    ['an exemption of another principal', deny({ Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/x' } } }), 1],
    ['an exemption of Segments by pattern', deny({ Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::931508227573:user/*'] } } }), 0],
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
});
