/**
 * aws.policy and a Date window inside the presigned URL's 24 hours (issue 21): the GET is judged at
 * the run, 24 hours later, and around every date a condition names in between, so a Deny window that
 * opens and closes between the two ends fails (AWS evaluates aws:CurrentTime at each request:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-currenttime).
 */
import { checkPolicy } from '../../../src/verify/aws/policy';
import { checkOrgPolicies } from '../../../src/verify/aws/org-policies';
import { BUCKET, facts, ok, options, policyOf, results, segmentsStatement } from './fixtures';

const NOW = new Date('2026-12-07T12:00:00Z');
const deny = (condition: Record<string, unknown>) => ({
  Sid: 'Maintenance', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: condition,
});

describe('aws.policy: a Date window between the run and 24 hours later', () => {
  it('fails on a Deny from 14:00 to 15:00 today, naming the moment it applies', async () => {
    const outcomes = await checkPolicy(facts({ policy: ok(policyOf(segmentsStatement(), deny({
      DateGreaterThan: { 'aws:CurrentTime': '2026-12-07T14:00:00Z' }, DateLessThan: { 'aws:CurrentTime': '2026-12-07T15:00:00Z' },
    }))) }), options(), NOW);
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: fail']);
    expect(outcomes[0].detail).toContain('Statement Maintenance (condition keys aws:CurrentTime) denies Segments\' s3:GetObject on keys such as \'x\' (its resources: arn:aws:s3:::acme-images/*) at 2026-12-07T14:00:01Z, within the URL\'s 24 hours');
  });

  it('passes a Deny window that ended before the run or opens after the URL expires', async () => {
    for (const [from, to] of [['2026-12-06T14:00:00Z', '2026-12-06T15:00:00Z'], ['2026-12-08T14:00:00Z', '2026-12-08T15:00:00Z']]) {
      const outcomes = await checkPolicy(facts({ policy: ok(policyOf(segmentsStatement(), deny({
        DateGreaterThan: { 'aws:CurrentTime': from }, DateLessThan: { 'aws:CurrentTime': to },
      }))) }), options(), NOW);
      expect(results(outcomes)).toEqual(['aws.policy the whole bucket: pass']);
    }
  });

  it('aws.org-policies: an RCP Deny window on aws:EpochTime inside the 24 hours fails', () => {
    const start = Date.parse('2026-12-07T22:00:00Z') / 1000;
    const full = { id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }) };
    const window = { id: 'p-window', name: 'Freeze', content: policyOf(deny({ NumericGreaterThan: { 'aws:EpochTime': String(start) }, NumericLessThan: { 'aws:EpochTime': String(start + 600) } })) };
    const outcomes = checkOrgPolicies(facts({ orgPolicies: ok({ account: '111122223333', levels: [{ id: 'r-ab12', policies: [full, window] }] }) }), options(), NOW);
    expect(results(outcomes)).toEqual(['aws.org-policies the whole bucket: fail']);
    expect(outcomes[0].detail).toContain('The RCP Freeze (p-window), statement Maintenance');
  });
});
