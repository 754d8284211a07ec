/**
 * aws.policy: the real bucket policy, judged by the policy evaluator for Segments' presigned GET,
 * on every key under each prefix (the whole bucket by default) and every key.
 */
import * as fc from 'fast-check';
import { segmentsBucketPolicyStatement } from 'segments-cloud-constructs';
import { checkPolicy, policyTargets, segmentsTargets } from '../../../src/verify/aws/policy';
import { PROPERTY_SEED } from '../../../../test/helpers/arbitraries';
import type { AwsBucketFacts } from '../../../src/verify/aws/facts';
import { BUCKET, SEGMENTS, denied, facts, ok, options, policyOf, results, segmentsStatement } from './fixtures';

/** The run's time in these tests: the presigned URL is signed then and lives 24 hours. */
const NOW = new Date('2026-12-07T12:00:00Z');
const check = (policy: string | undefined, opts = options()) => checkPolicy(facts({ policy: ok(policy) }), opts, NOW);

const officeOnly = {
  Sid: 'OfficeOnly', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`,
  Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
};

describe('aws.policy', () => {
  it('passes when the Segments statement grants the whole bucket, naming it', async () => {
    const outcomes = await check(policyOf(segmentsStatement()));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: pass']);
    expect(outcomes[0].detail).toMatch(/^Statement segments-s3-access allows Segments s3:GetObject on every key under arn:aws:s3:::acme-images\/, and no Deny matches, /);
  });

  it('fails without a policy, showing the aws-policy command and put-bucket-policy', async () => {
    const outcomes = await check(undefined, options({ prefixes: ['images/'] }));
    expect(results(outcomes)).toEqual(['aws.policy: fail']);
    expect(outcomes[0].fix).toBe(`segments-cloud aws-policy --bucket ${BUCKET} --prefix images/ > policy.json\n` +
      `aws s3api put-bucket-policy --bucket ${BUCKET} --policy file://policy.json`);
  });

  it('fails for a prefix the policy does not grant, and shows the --merge command', async () => {
    const outcomes = await check(policyOf(segmentsStatement(`arn:aws:s3:::${BUCKET}/videos/*`)), options({ prefixes: ['images/', 'videos/'] }));
    expect(results(outcomes)).toEqual(['aws.policy prefix images/: fail', 'aws.policy prefix videos/: pass']);
    expect(outcomes[0].detail).toContain(`arn:aws:s3:::${BUCKET}/images/`);
    expect(outcomes[0].fix).toContain(`segments-cloud aws-policy --bucket ${BUCKET} --prefix images/ --prefix videos/ --merge current.json > merged.json`);
  });

  it('fails for a grant of one key of a prefix only', async () => {
    const outcomes = await check(policyOf(segmentsStatement(`arn:aws:s3:::${BUCKET}/images/segments-verify-sample.jpg`)), options({ prefixes: ['images/'] }));
    expect(results(outcomes)).toEqual(['aws.policy prefix images/: fail']);
  });

  it('judges each --key exactly', async () => {
    const outcomes = await check(policyOf(segmentsStatement(`arn:aws:s3:::${BUCKET}/images/*`)), options({ prefixes: ['images/'], keys: ['images/a.jpg', 'other/b.jpg'] }));
    expect(results(outcomes)).toEqual(['aws.policy prefix images/: pass', 'aws.policy key images/a.jpg: pass', 'aws.policy key other/b.jpg: fail']);
  });

  // Issue 18 item 2: another Allow that can apply to Segments' user and grants more than s3:GetObject.
  it('warns about another Allow that gives Segments more than s3:GetObject (s3:* to its account), naming it', async () => {
    const wide = { Sid: 'PartnerAll', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::931508227573:root' }, Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*` };
    const outcomes = await check(policyOf(segmentsStatement(), wide));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: pass', 'aws.policy: warn']);
    expect(outcomes[1].detail).toMatch(/^Statement PartnerAll allows arn:aws:iam::931508227573:root s3:\*, which can apply to Segments' user/);
    expect(outcomes[1].fix).toContain('In statement PartnerAll, name another principal or exclude Segments');
  });

  it('says nothing of an Allow of more actions to another account, or of s3:GetObject alone to Segments', async () => {
    const other = { Sid: 'Analysts', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*` };
    const readOnly = { Sid: 'SegmentsAgain', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };
    expect(results(await check(policyOf(segmentsStatement(), other, readOnly)))).toEqual(['aws.policy the whole bucket: pass']);
  });

  it('fails when an Allow names another principal only', async () => {
    const outcomes = await check(policyOf({ ...segmentsStatement(), Principal: { AWS: 'arn:aws:iam::111122223333:root' } }));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: fail']);
  });

  it('passes an Allow to Segments\' whole account', async () => {
    expect(results(await check(policyOf({ ...segmentsStatement(), Principal: { AWS: 'arn:aws:iam::931508227573:root' } })))).toEqual(['aws.policy the whole bucket: pass']);
  });

  it('fails on a Deny with no condition, naming the statement, a key it matches and how to exempt Segments', async () => {
    const { Condition: _, ...always } = officeOnly;
    const outcomes = await check(policyOf(segmentsStatement(), always));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: fail']);
    expect(outcomes[0].detail).toMatch(/^Statement OfficeOnly \(no condition\) denies Segments' s3:GetObject on keys such as 'x' /);
    expect(outcomes[0].detail).toContain('a presigned GET that a labeler\'s browser fetches from anywhere, up to 24 hours after Segments signed it');
    expect(outcomes[0].fix).toBe(`In statement OfficeOnly, exempt Segments: add "ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS}"} to its Condition, then put the policy back with aws s3api put-bucket-policy.`);
  });

  it('warns (never passes) on a Deny on aws:SourceIp: the labeler\'s address is unknown; names the key, the values and the exemption', async () => {
    const outcomes = await check(policyOf(segmentsStatement(), officeOnly));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: warn']);
    expect(outcomes[0].detail).toContain('statement OfficeOnly denies it on keys such as \'x\' when NotIpAddress aws:SourceIp ["203.0.113.0/24"] holds');
    expect(outcomes[0].fix).toBe(`In statement OfficeOnly, exempt Segments: add "ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS}"} to its Condition, then put the policy back with aws s3api put-bucket-policy.`);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a VPC endpoint', { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }],
    ['a short signature age', { NumericGreaterThan: { 's3:signatureAge': '600000' } }],
    ['the TLS version below 1.3', { NumericLessThan: { 's3:TlsVersion': '1.3' } }],
  ])('fails on a Deny unless through %s', async (_, condition) => {
    const outcomes = await check(policyOf(segmentsStatement(), { ...officeOnly, Sid: 'Perimeter', Condition: condition }));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: fail']);
    expect(outcomes[0].detail).toContain('Statement Perimeter');
  });

  it.each<[string, Record<string, unknown>]>([
    ['StringNotEquals', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }],
    ['StringEquals', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }],
    ['StringNotEquals on aws:PrincipalOrgPaths', { 'ForAnyValue:StringNotLike': { 'aws:PrincipalOrgPaths': 'o-abc123/*' } }],
  ])('warns (never passes, never fails) on a Deny on Segments\' organization (%s): whether and where Segments\' account is in an organization is not published', async (_, condition) => {
    const outcomes = await check(policyOf(segmentsStatement(), { ...officeOnly, Sid: 'Perimeter', Condition: condition }));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: warn']);
    expect(outcomes[0].detail).toMatch(/statement Perimeter denies it on keys such as 'x' when \S+ aws:PrincipalOrg(ID|Paths) \["o-abc123(\/\*)?"\] holds/);
    expect(outcomes[0].fix).toContain(`"ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS}"}`);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['its own region', { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, 'pass'],
    ['another region', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, 'fail'],
  ])('judges aws:RequestedRegion as the bucket\'s region (eu-west-1): a Deny on %s', async (_, condition, result) => {
    const outcomes = await check(policyOf(segmentsStatement(), { ...officeOnly, Sid: 'Region', Condition: condition }));
    expect(results(outcomes)).toEqual([`aws.policy the whole bucket: ${result}`]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['insecure transport (Segments uses HTTPS)', { Bool: { 'aws:SecureTransport': 'false' } }],
    ['TLS below 1.2', { NumericLessThan: { 's3:TlsVersion': '1.2' } }],
    ['a Deny that exempts Segments by aws:PrincipalArn', { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] }, ArnNotEquals: { 'aws:PrincipalArn': SEGMENTS } }],
  ])('passes a Deny on %s', async (_, condition) => {
    expect(results(await check(policyOf(segmentsStatement(), { ...officeOnly, Condition: condition })))).toEqual(['aws.policy the whole bucket: pass']);
  });

  it('warns about a Deny that does not match the modelled request but can match some of Segments\' requests', async () => {
    const outcomes = await check(policyOf(segmentsStatement(), { ...officeOnly, Sid: 'BlockList', Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } } }));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: warn']);
    expect(outcomes[0].detail).toContain('statement BlockList denies it on keys such as \'x\' when IpAddress aws:SourceIp ["192.0.2.0/24"] holds');
    expect(outcomes[0].fix).toContain('In statement BlockList, exempt Segments');
  });

  it('names an unnamed statement by its position', async () => {
    const { Sid: _, Condition: __, ...unnamed } = officeOnly;
    expect((await check(policyOf(segmentsStatement(), unnamed)))[0].detail).toMatch(/^Statement #2 /);
  });

  it('is not-checked, naming s3:GetBucketPolicy, when the read is denied; never a pass', async () => {
    const outcomes = await checkPolicy(facts({ policy: denied('GetBucketPolicy', 's3:GetBucketPolicy') }), options());
    expect(outcomes).toEqual([expect.objectContaining({ id: 'aws.policy', result: 'not-checked', couldNotRun: true })]);
    expect(outcomes[0].fix).toMatch(/^Allow s3:GetBucketPolicy on arn:aws:s3:::acme-images /);
  });

  it('fails on a policy that is not JSON', async () => {
    expect(results(await check('{"Statement": ['))).toEqual(['aws.policy: fail']);
  });

  it('uses the bucket region\'s partition in the ARNs it judges', async () => {
    const outcomes = await checkPolicy(facts({ location: ok({ exists: true, region: 'cn-north-1' }), policy: ok(policyOf(segmentsStatement('arn:aws-cn:s3:::acme-images/*'))) }), options());
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: pass']);
  });

  it('grants what the library\'s statement grants: every prefix passes, a prefix outside them fails', async () => {
    const prefix = fc.stringMatching(/^[a-z]{1,6}\/$/);
    await fc.assert(fc.asyncProperty(fc.uniqueArray(prefix, { minLength: 1, maxLength: 3 }), prefix, async (prefixes, other) => {
      fc.pre(!prefixes.some((p) => other.startsWith(p) || p.startsWith(other)));
      const policy = policyOf(segmentsBucketPolicyStatement(BUCKET, prefixes) as unknown as Record<string, unknown>);
      const outcomes = await check(policy, options({ prefixes: [...prefixes, other] }));
      expect(outcomes.map((o) => o.result)).toEqual([...prefixes.map(() => 'pass'), 'fail']);
    }), { seed: PROPERTY_SEED, numRuns: 25 });
  });
});

describe('policyTargets', () => {
  it('judges each prefix as the space of every key under it, and each key as given', () => {
    expect(policyTargets({ prefixes: ['images/'], keys: ['a b.jpg'] })).toEqual([
      { target: 'prefix images/', keys: { prefix: 'images/' } },
      { target: 'key a b.jpg', keys: { key: 'a b.jpg' } },
    ]);
  });
});

describe('segmentsTargets (aws.policy and aws.org-policies judge the same requests)', () => {
  const tagged = { key: 'a.jpg', head: ok({}), tags: ok({ team: 'red' }) } as AwsBucketFacts['objects'][number];
  it('names the bucket in its region\'s partition, and each target\'s GET at signing and 24 hours later', () => {
    const { bucketArn, targets } = segmentsTargets(facts({ location: ok({ exists: true, region: 'cn-north-1' }), objects: [tagged] }),
      { prefixes: ['images/'], keys: ['a.jpg', 'gone.jpg'] }, NOW, []);
    expect(bucketArn).toBe(`arn:aws-cn:s3:::${BUCKET}`);
    expect(targets.map((t) => [t.target, t.keys, t.object?.key])).toEqual([
      ['prefix images/', { prefix: 'images/' }, undefined], ['key a.jpg', { key: 'a.jpg' }, 'a.jpg'], ['key gone.jpg', { key: 'gone.jpg' }, undefined],
    ]);
    expect(targets[0].requests.map((r) => r.context?.values?.['aws:CurrentTime'])).toEqual(['2026-12-07T12:00:00Z', '2026-12-08T12:00:00Z']);
    expect(segmentsTargets(facts({ location: ok({ exists: true }) }), { prefixes: [], keys: [] }, NOW, []).bucketArn).toBe(`arn:aws:s3:::${BUCKET}`);
  });
  it('knows a read key\'s tags (only that key\'s), and the account it is told', () => {
    const { targets } = segmentsTargets(facts({ objects: [tagged] }), { prefixes: [], keys: ['a.jpg'] }, NOW, [], { resourceAccount: '111122223333' });
    const [whole, key] = targets;
    expect(whole.requests[0].context?.unknown).toContain('s3:ExistingObjectTag/*');
    expect(key.requests[0].context?.values?.['s3:ExistingObjectTag/team']).toBe('red');
    expect(key.requests.map((r) => r.resourceAccount)).toEqual(['111122223333', '111122223333']);
    expect(segmentsTargets(facts(), { prefixes: [], keys: [] }, NOW, []).targets[0].requests[0].context?.unknown).toContain('aws:ResourceAccount');
  });
});

/**
 * Issue 21: the false passes and false fails of the sample-key, context-only judgment. Each of
 * these failed on the code before it (sample keys all ending in .jpg, aws:CurrentTime not in the
 * context, no object tags read).
 */
describe('aws.policy judges every key, the clock and the tags it read', () => {
  const tagged = (key: string, tags: Record<string, string> | undefined) =>
    ({ key, head: ok({}), tags: ok(tags) }) as AwsBucketFacts['objects'][number];

  it('fails on a Deny DateGreaterThan aws:CurrentTime 2020-01-01 (a contract that ended): the clock is known', async () => {
    const ended = { Sid: 'ContractEnded', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`,
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } };
    const outcomes = await check(policyOf(segmentsStatement(), ended));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: fail']);
    expect(outcomes[0].detail).toMatch(/^Statement ContractEnded \(condition keys aws:CurrentTime\) denies/);
  });

  it('fails on a Deny that starts within the URL\'s 24 hours, saying it is the end of the URL\'s life that is refused', async () => {
    const soon = { Sid: 'FromTomorrow', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`,
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-12-08T06:00:00Z' } } };
    const outcomes = await check(policyOf(segmentsStatement(), soon));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: fail']);
    expect(outcomes[0].detail).toContain('at the end of the URL\'s 24 hours');
  });

  it('passes a Deny that starts after the URL expires (control)', async () => {
    const later = { Sid: 'NextYear', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`,
      Condition: { DateGreaterThan: { 'aws:CurrentTime': '2027-06-01T00:00:00Z' } } };
    expect(results(await check(policyOf(segmentsStatement(), later)))).toEqual(['aws.policy the whole bucket: pass']);
  });

  it('fails when the only Allow covers *.jpg: says which keys it covers and names one it does not', async () => {
    const outcomes = await check(policyOf(segmentsStatement(`arn:aws:s3:::${BUCKET}/*.jpg`)));
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: fail']);
    expect(outcomes[0].detail).toBe(`Statement segments-s3-access allows it only on keys matching arn:aws:s3:::${BUCKET}/*.jpg (such as '.jpg'). ` +
      'No statement allows Segments (its principal) s3:GetObject on \'x\', evaluated for a presigned GET that a labeler\'s browser fetches from anywhere, up to 24 hours after Segments signed it.');
  });

  it('fails on a Deny on *.png, naming a key it matches and the pattern', async () => {
    const png = { Sid: 'NoMasks', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*.png` };
    const outcomes = await check(policyOf(segmentsStatement(), png), options({ prefixes: ['masks/'] }));
    expect(results(outcomes)).toEqual(['aws.policy prefix masks/: fail']);
    expect(outcomes[0].detail).toContain(`denies Segments' s3:GetObject on keys such as 'masks/.png' (its resources: arn:aws:s3:::${BUCKET}/*.png)`);
  });

  it('passes a prefix the *.png Deny cannot reach when the pattern is anchored elsewhere (control)', async () => {
    const png = { Sid: 'NoMasks', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/masks/*.png` };
    expect(results(await check(policyOf(segmentsStatement(), png), options({ prefixes: ['images/'] })))).toEqual(['aws.policy prefix images/: pass']);
  });

  const byTag = { ...segmentsStatement(), Condition: { StringEquals: { 's3:ExistingObjectTag/share': 'segments' } } };

  it('passes a --key whose tags (GetObjectTagging) satisfy an Allow on s3:ExistingObjectTag', async () => {
    const outcomes = await checkPolicy(facts({ policy: ok(policyOf(byTag)), objects: [tagged('images/a.jpg', { share: 'segments' })] }),
      options({ prefixes: ['images/'], keys: ['images/a.jpg'] }), NOW);
    expect(results(outcomes)).toEqual(['aws.policy prefix images/: warn', 'aws.policy key images/a.jpg: pass']);
    // The prefix: the tags of the keys it did not read are unknown, so never a pass.
    expect(outcomes[0].detail).toContain('only when StringEquals s3:ExistingObjectTag/share ["segments"] holds');
  });

  it('fails a --key without the tag, and warns when its tags could not be read', async () => {
    const outcomes = await checkPolicy(facts({
      policy: ok(policyOf(byTag)),
      objects: [tagged('a.jpg', { share: 'no' }), { key: 'b.jpg', head: ok({}), tags: denied('GetObjectTagging', 's3:GetObjectTagging') }],
    }), options({ keys: ['a.jpg', 'b.jpg'] }), NOW);
    expect(results(outcomes)).toEqual(['aws.policy the whole bucket: warn', 'aws.policy key a.jpg: fail', 'aws.policy key b.jpg: warn']);
    expect(outcomes[2].detail).toContain('GetObjectTagging failed');
  });
});
