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

describe('Segments\' GET: the moments judged, a Date window inside the 24 hours included', () => {
  const T = (iso: string) => new Date(iso).getTime();
  const windowDeny = (condition: Record<string, unknown>) => ({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::B/*' },
      { Sid: 'Maintenance', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::B/*', Condition: condition },
    ],
  });
  /** Denied at some moment: what judgeKeySpace and the checks take as a Deny. */
  const deniedAtSome = (policy: unknown) => segmentsGetMoments(NOW, [policy]).some((moment) => evaluateIamRequest({
    request: segmentsGetRequest(OBJECT, moment),
    resourcePolicy: policy,
    identityPolicies: [{ name: 'segments', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }],
  }).decision === 'explicit deny');

  it('without a date in the policies: the two ends only, 24 hours apart, signature ages 0 and 86,400,000 ms', () => {
    expect(segmentsGetMoments(NOW).map((m) => [m.name, m.time.toISOString(), m.signatureAgeMs])).toEqual([
      ['signed', '2026-12-07T12:00:00.000Z', 0],
      ['expiring', '2026-12-08T12:00:00.000Z', 86_400_000],
    ]);
  });

  it('a Deny window 14:00-15:00 today (it opens and closes between the two ends) is met inside: the seconds around each date', () => {
    const policy = windowDeny({ DateGreaterThan: { 'aws:CurrentTime': '2026-12-07T14:00:00Z' }, DateLessThan: { 'aws:CurrentTime': '2026-12-07T15:00:00Z' } });
    const within = segmentsGetMoments(NOW, [policy]).filter((m) => m.name === 'within');
    expect(within.map((m) => m.time.toISOString())).toEqual([
      '2026-12-07T13:59:59.000Z', '2026-12-07T14:00:00.000Z', '2026-12-07T14:00:01.000Z',
      '2026-12-07T14:59:59.000Z', '2026-12-07T15:00:00.000Z', '2026-12-07T15:00:01.000Z',
    ]);
    expect(within[0].signatureAgeMs).toBe(T('2026-12-07T13:59:59Z') - NOW.getTime());
    expect(deniedAtSome(policy)).toBe(true);
    // At the two ends alone (the old judgment) the window is missed.
    expect(segmentsGetMoments(NOW).some((moment) => evaluateIamRequest({
      request: segmentsGetRequest(OBJECT, moment), resourcePolicy: policy,
      identityPolicies: [{ name: 'segments', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }],
    }).decision === 'explicit deny')).toBe(false);
  });

  it('aws:EpochTime windows (Numeric operators, epoch seconds) and a one-second window (DateEquals) are met too', () => {
    const start = T('2026-12-07T20:00:00Z') / 1000;
    expect(deniedAtSome(windowDeny({ NumericGreaterThanEquals: { 'aws:EpochTime': String(start) }, NumericLessThan: { 'aws:EpochTime': String(start + 60) } }))).toBe(true);
    expect(deniedAtSome(windowDeny({ DateEquals: { 'aws:CurrentTime': '2026-12-08T03:00:00Z' } }))).toBe(true);
    expect(deniedAtSome(windowDeny({ DateGreaterThan: { 'aws:EpochTime': String(start) }, DateLessThan: { 'aws:EpochTime': String(start + 1) } }))).toBe(false);
  });

  it('dates outside the 24 hours add no moment, nor values that are no time, nor other keys', () => {
    const policy = windowDeny({
      DateGreaterThan: { 'aws:CurrentTime': ['2026-12-06T12:00:00Z', '2026-12-09T12:00:00Z', 'soon'], 'aws:TokenIssueTime': '2026-12-07T14:00:00Z' },
      NumericLessThan: { 'aws:EpochTime': 'x', 's3:signatureAge': '3600000' },
    });
    expect(segmentsGetMoments(NOW, [policy]).map((m) => m.name)).toEqual(['signed', 'expiring']);
    expect(segmentsGetMoments(NOW, [JSON.stringify(windowDeny({ DateEquals: { 'aws:CurrentTime': '2026-12-07T18:00:00Z' } }))]).length).toBe(5);
    expect(segmentsGetMoments(NOW, ['not json', null, { Statement: 'x' }])).toHaveLength(2);
  });
});
