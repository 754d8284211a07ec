/**
 * cli/src/verify/aws/kms-key.ts: a key policy whose verdict for Segments' decrypt depends on what
 * verify cannot know (an Allow or a Deny conditioned on an unknown key) is a warning that names the
 * statement and its condition; it was a "No statement of the key policy lets Segments kms:Decrypt"
 * failure, which sent people to add a statement that may already be there.
 */
import { checkEncryption } from '../../../src/verify/aws/encryption';
import { KmsKeyFacts, Read } from '../../../src/verify/aws/facts';
import { SEGMENTS, facts, ok, results } from './fixtures';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const root = { Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
const viaS3 = { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' };
const keyPolicy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const customerKey = (policy: string): Read<KmsKeyFacts> => ok({ arn: KEY_ARN, manager: 'CUSTOMER', state: 'Enabled', policy: ok(policy) });
const judge = (policy: string) => checkEncryption(facts({ encryption: ok({ algorithm: 'aws:kms', kmsKeyId: KEY_ARN }), kmsKeys: new Map([[KEY_ARN, customerKey(policy)]]) }));

describe('aws.encryption: a key policy verdict verify cannot settle', () => {
  it('an Allow of Segments conditioned on the labeler\'s aws:SourceIp: warn naming the statement and the condition, not "no statement"', async () => {
    const outcomes = await judge(keyPolicy(root, {
      Sid: 'segments-office', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 'kms:Decrypt', Resource: '*',
      Condition: { StringEquals: viaS3, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    }));
    expect(results(outcomes)).toEqual(['aws.encryption: warn']);
    expect(outcomes[0].detail).toBe(`Whether the key policy of ${KEY_ARN} lets Segments kms:Decrypt through S3 depends on what verify cannot know of its real request: ` +
      'statement segments-office allows it only when IpAddress aws:SourceIp ["203.0.113.0/24"] holds.');
    expect(outcomes[0].detail).not.toMatch(/No statement/);
    expect(outcomes[0].fix).toContain(`aws kms get-key-policy --key-id ${KEY_ARN}`);
  });

  it('a Deny conditioned on Segments\' organization (unknown): warn naming the statement, the condition and the exemption', async () => {
    const outcomes = await judge(keyPolicy(root,
      { Sid: 'segments-kms-decrypt', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: viaS3 } },
      { Sid: 'Perimeter', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abcd1234' } } }));
    expect(results(outcomes)).toEqual(['aws.encryption: warn']);
    expect(outcomes[0].detail).toContain('statement Perimeter denies it only when StringNotEquals aws:PrincipalOrgID ["o-abcd1234"] holds');
    expect(outcomes[0].fix).toBe(`Exempt Segments from statement Perimeter ("ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS}"}), then aws kms put-key-policy.`);
  });

  it('still fails when no statement can allow Segments', async () => {
    const outcomes = await judge(keyPolicy(root));
    expect(results(outcomes)).toEqual(['aws.encryption: fail']);
    expect(outcomes[0].detail).toMatch(/^No statement of the key policy/);
  });
});
