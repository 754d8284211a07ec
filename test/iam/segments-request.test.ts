/**
 * lib/iam/segments-request.ts: what is known, unknown and missing of Segments' presigned GET.
 * - aws:PrincipalOrgID / aws:PrincipalOrgPaths: AWS sends them when the principal's account is in
 *   an organization ("AWS global condition context keys": "This key is included in the request
 *   context only if the principal is a member of an organization",
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid).
 *   Whether Segments' account is in one, and which, is not published: unknown, never missing.
 * - aws:RequestedRegion: the region the request is sent to; Segments' URL is the bucket's regional
 *   endpoint, so the bucket's region when given, else unknown.
 */
import { evaluateIamRequest } from '../../lib/iam';
import { segmentsGetMoments, segmentsGetRequest } from '../../lib/iam/segments-request';

const NOW = new Date('2026-12-07T12:00:00Z');
const OBJECT = 'arn:aws:s3:::B/x.jpg';
const SEGMENTS = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';

function decide(condition: Record<string, unknown>, region?: string): string {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::B/*' },
      { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::B/*', Condition: condition },
    ],
  };
  const evaluation = evaluateIamRequest({
    request: segmentsGetRequest(OBJECT, segmentsGetMoments(NOW)[0], region !== undefined ? { region } : {}),
    resourcePolicy: policy,
    identityPolicies: [{ name: 'segments', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }],
  });
  return evaluation.decision;
}

describe('Segments\' GET: the organization keys are unknown', () => {
  it.each<[string, Record<string, unknown>]>([
    ['StringEquals aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcd1234' } }],
    ['StringNotEquals aws:PrincipalOrgID', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abcd1234' } }],
    ['Null aws:PrincipalOrgID true', { Null: { 'aws:PrincipalOrgID': 'true' } }],
    ['Null aws:PrincipalOrgID false', { Null: { 'aws:PrincipalOrgID': 'false' } }],
    ['ForAnyValue:StringLike aws:PrincipalOrgPaths', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abcd1234/*' } }],
    ['ForAnyValue:StringNotLike aws:PrincipalOrgPaths', { 'ForAnyValue:StringNotLike': { 'aws:PrincipalOrgPaths': 'o-abcd1234/*' } }],
  ])('a Deny on %s is undetermined (neither allowed nor denied)', (_name, condition) => {
    expect(decide(condition)).toBe('undetermined');
  });
});

describe('Segments\' GET: aws:RequestedRegion is the bucket\'s region', () => {
  it('given: a Deny outside eu-west-1 does not apply to a bucket in eu-west-1, a Deny of eu-west-1 does', () => {
    expect(decide({ StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, 'eu-west-1')).toBe('allowed');
    expect(decide({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, 'eu-west-1')).toBe('explicit deny');
    expect(decide({ StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-central-1'] } }, 'eu-west-1')).toBe('explicit deny');
  });

  it('not given: unknown, never missing (a missing key would make StringEquals false and pass)', () => {
    expect(decide({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } })).toBe('undetermined');
    expect(decide({ StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } })).toBe('undetermined');
  });
});
