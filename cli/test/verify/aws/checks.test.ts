/** The other aws.* checks, as pure functions of what was read: each result of each. */
import { checkBucket } from '../../../src/verify/aws/bucket';
import { checkEncryption } from '../../../src/verify/aws/encryption';
import { KmsKeyFacts, ObjectHead, Read } from '../../../src/verify/aws/facts';
import { checkObjects, restored } from '../../../src/verify/aws/object';
import { checkOrgPolicies } from '../../../src/verify/aws/org-policies';
import { checkOwnership } from '../../../src/verify/aws/ownership';
import { checkPreflight } from '../../../src/verify/aws/preflight';
import { checkRequesterPays } from '../../../src/verify/aws/requester-pays';
import { BUCKET, REGION, SEGMENTS, denied, facts, ok, results } from './fixtures';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/99999999-12ab-34cd-56ef-1234567890ab';
const allowsSegments = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'segments-kms-decrypt', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } } },
  ],
});
const ownerOnly = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] });
const customerKey = (policy: Read<string>, extra: Partial<KmsKeyFacts> = {}): Read<KmsKeyFacts> => ok({ arn: KEY_ARN, manager: 'CUSTOMER', state: 'Enabled', policy, ...extra });

describe('aws.bucket', () => {
  it('passes and prints the URL Segments expects, for the first --key', () => {
    const [outcome] = checkBucket(facts(), ['images/a b.jpg']);
    expect(outcome).toMatchObject({ id: 'aws.bucket', result: 'pass' });
    expect(outcome.detail).toBe(`Bucket ${BUCKET} is in ${REGION}: submit images to Segments as https://${BUCKET}.s3.${REGION}.amazonaws.com/images/a%20b.jpg.`);
  });
  it('names the endpoint when AWS_ENDPOINT_URL_S3 sent the reads elsewhere', () => {
    expect(checkBucket(facts({ endpoint: 'http://127.0.0.1:7480' }), [])[0].detail).toContain('(read through AWS_ENDPOINT_URL_S3=http://127.0.0.1:7480)');
  });
  it('fails when there is no such bucket', () => {
    expect(checkBucket(facts({ location: ok({ exists: false }) }), [])).toEqual([expect.objectContaining({ result: 'fail', detail: `There is no bucket ${BUCKET}.` })]);
  });
  it('fails on a dotted name: virtual-hosted HTTPS cannot serve it', () => {
    const [outcome] = checkBucket({ ...facts(), bucket: 'acme.images' }, []);
    expect(outcome.result).toBe('fail');
    expect(outcome.detail).toMatch(/contains a dot: virtual-hosted HTTPS URLs .* fail TLS on dotted names\. Segments cannot load its images\.$/);
  });
  it('is not-checked naming s3:ListBucket when HeadBucket is denied', () => {
    const [outcome] = checkBucket(facts({ location: denied('HeadBucket', 's3:ListBucket') }), []);
    expect(outcome).toMatchObject({ result: 'not-checked', couldNotRun: true });
    expect(outcome.fix).toContain('Allow s3:ListBucket on arn:aws:s3:::acme-images');
  });
  it('passes without a region when S3 names none', () => {
    expect(checkBucket(facts({ location: ok({ exists: true }) }), [])[0]).toMatchObject({ result: 'pass' });
  });
});

describe('aws.encryption', () => {
  const withKey = (kmsKeyId: string | undefined, key?: Read<KmsKeyFacts>, algorithm = 'aws:kms') => checkEncryption(facts({
    encryption: ok({ algorithm, ...(kmsKeyId ? { kmsKeyId } : {}) }),
    kmsKeys: new Map(key && kmsKeyId ? [[kmsKeyId, key]] : []),
  }));

  it.each<[string, Read<{ algorithm: string } | undefined>]>([
    ['SSE-S3', ok({ algorithm: 'AES256' })],
    ['nothing set (S3 then uses SSE-S3; Ceph RGW answers so)', ok(undefined)],
  ])('passes with %s', async (_, encryption) => {
    expect(results(await checkEncryption(facts({ encryption })))).toEqual(['aws.encryption: pass']);
  });
  it.each<[string, string | undefined]>([
    ['no key ID (the AWS managed aws/s3)', undefined],
    ['alias/aws/s3', 'alias/aws/s3'],
    ['the aws/s3 alias ARN', 'arn:aws:kms:eu-west-1:111122223333:alias/aws/s3'],
  ])('fails with SSE-KMS and %s: its policy cannot be changed', async (_, keyId) => {
    const outcomes = await withKey(keyId);
    expect(results(outcomes)).toEqual(['aws.encryption: fail']);
    expect(outcomes[0].detail).toContain('AWS managed key aws/s3');
    expect(outcomes[0].fix).toContain('"SSEAlgorithm":"AES256"');
  });
  it('fails with a key DescribeKey says is AWS managed', async () => {
    expect(results(await withKey(KEY_ARN, ok({ arn: KEY_ARN, manager: 'AWS', state: 'Enabled' })))).toEqual(['aws.encryption: fail']);
  });
  it('passes with a customer key whose policy lets Segments decrypt through S3, naming the statement', async () => {
    const outcomes = await withKey(KEY_ARN, customerKey(ok(allowsSegments)));
    expect(results(outcomes)).toEqual(['aws.encryption: pass']);
    expect(outcomes[0].detail).toContain('(statement segments-kms-decrypt)');
  });
  it('passes the same with DSSE-KMS', async () => {
    expect(results(await withKey(KEY_ARN, customerKey(ok(allowsSegments)), 'aws:kms:dsse'))).toEqual(['aws.encryption: pass']);
  });
  it('fails with a customer key whose policy does not name Segments, showing the statement to add', async () => {
    const outcomes = await withKey(KEY_ARN, customerKey(ok(ownerOnly)));
    expect(results(outcomes)).toEqual(['aws.encryption: fail']);
    expect(outcomes[0].fix).toContain(`"Principal":{"AWS":"${SEGMENTS}"},"Action":"kms:Decrypt"`);
    expect(outcomes[0].fix).toContain(`aws kms put-key-policy --key-id ${KEY_ARN} --policy-name default`);
  });
  it('fails when the key policy allows Segments only through another region\'s S3', async () => {
    const elsewhere = allowsSegments.replace(`s3.${REGION}.amazonaws.com`, 's3.us-east-1.amazonaws.com');
    expect(results(await withKey(KEY_ARN, customerKey(ok(elsewhere))))).toEqual(['aws.encryption: fail']);
  });
  it('fails with a disabled key', async () => {
    expect(results(await withKey(KEY_ARN, customerKey(ok(allowsSegments), { state: 'Disabled' })))).toEqual(['aws.encryption: fail']);
  });
  it('is not-checked, naming kms:GetKeyPolicy, when the key policy cannot be read', async () => {
    const outcomes = await withKey(KEY_ARN, customerKey(denied('GetKeyPolicy', 'kms:GetKeyPolicy', KEY_ARN)));
    expect(outcomes).toEqual([expect.objectContaining({ result: 'not-checked', couldNotRun: true })]);
    expect(outcomes[0].fix).toContain(`Allow kms:GetKeyPolicy on ${KEY_ARN}`);
  });
  it('is not-checked, naming kms:DescribeKey, when the key cannot be described', async () => {
    const outcomes = await withKey(KEY_ARN, denied('DescribeKey', 'kms:DescribeKey', KEY_ARN));
    expect(outcomes[0]).toMatchObject({ result: 'not-checked', couldNotRun: true });
    expect(outcomes[0].fix).toContain('kms:DescribeKey');
  });
  it('is not-checked, naming s3:GetEncryptionConfiguration, when the read is denied', async () => {
    const outcomes = await checkEncryption(facts({ encryption: denied('GetBucketEncryption', 's3:GetEncryptionConfiguration') }));
    expect(outcomes[0]).toMatchObject({ result: 'not-checked', couldNotRun: true });
    expect(outcomes[0].fix).toContain('s3:GetEncryptionConfiguration');
  });
});

describe('aws.ownership', () => {
  it('passes with BucketOwnerEnforced', () => {
    expect(results(checkOwnership(facts()))).toEqual(['aws.ownership: pass']);
  });
  it.each(['ObjectWriter', 'BucketOwnerPreferred', undefined])('warns with ACLs on (%s)', (ownership) => {
    const outcomes = checkOwnership(facts({ ownership: ok(ownership) }));
    expect(results(outcomes)).toEqual(['aws.ownership: warn']);
    expect(outcomes[0].fix).toBe(`aws s3api put-bucket-ownership-controls --bucket ${BUCKET} --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'`);
  });
  it('fails for a key another account owns, passes one the bucket owner owns', () => {
    const outcomes = checkOwnership(facts({
      ownership: ok('ObjectWriter'),
      bucketOwner: ok('owner-canonical-id'),
      objects: [
        { key: 'mine.jpg', head: ok({}), owner: ok('owner-canonical-id') },
        { key: 'theirs.jpg', head: ok({}), owner: ok('uploader-canonical-id') },
      ],
    }));
    expect(results(outcomes)).toEqual(['aws.ownership: warn', 'aws.ownership mine.jpg: pass', 'aws.ownership theirs.jpg: fail']);
    expect(outcomes[2].detail).toContain('uploader-canonical-id');
  });
  it('is not-checked for a key whose ACL cannot be read, naming s3:GetObjectAcl', () => {
    const outcomes = checkOwnership(facts({
      ownership: ok('ObjectWriter'), bucketOwner: ok('owner'),
      objects: [{ key: 'a.jpg', head: ok({}), owner: denied('GetObjectAcl', 's3:GetObjectAcl', `arn:aws:s3:::${BUCKET}/a.jpg`) }],
    }));
    expect(results(outcomes)).toEqual(['aws.ownership: warn', 'aws.ownership a.jpg: not-checked']);
    expect(outcomes[1].fix).toContain('s3:GetObjectAcl');
  });
  it('is not-checked naming s3:GetBucketOwnershipControls when the read is denied', () => {
    expect(checkOwnership(facts({ ownership: denied('GetBucketOwnershipControls', 's3:GetBucketOwnershipControls') }))[0])
      .toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('s3:GetBucketOwnershipControls') });
  });
});

describe('aws.requester-pays', () => {
  it('passes when the bucket owner pays', () => {
    expect(results(checkRequesterPays(facts()))).toEqual(['aws.requester-pays: pass']);
  });
  it('fails with Requester Pays on, with the command that turns it off', () => {
    const outcomes = checkRequesterPays(facts({ requestPayer: ok('Requester') }));
    expect(results(outcomes)).toEqual(['aws.requester-pays: fail']);
    expect(outcomes[0].fix).toBe(`aws s3api put-bucket-request-payment --bucket ${BUCKET} --request-payment-configuration Payer=BucketOwner`);
  });
  it('is not-checked naming s3:GetBucketRequestPayment when denied', () => {
    expect(checkRequesterPays(facts({ requestPayer: denied('GetBucketRequestPayment', 's3:GetBucketRequestPayment') }))[0])
      .toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('s3:GetBucketRequestPayment') });
  });
});

describe('aws.object', () => {
  const one = (head: ObjectHead | undefined, extra: Partial<ReturnType<typeof facts>> = {}) =>
    checkObjects(facts({ objects: [{ key: 'images/a.jpg', head: ok(head) }], ...extra }));

  it('passes an object that exists, naming its storage class and encryption', async () => {
    const outcomes = await one({ storageClass: 'STANDARD', serverSideEncryption: 'AES256' });
    expect(results(outcomes)).toEqual(['aws.object images/a.jpg: pass']);
    expect(outcomes[0].detail).toBe('The object exists (storage class STANDARD, encryption AES256).');
  });
  it('fails a missing object', async () => {
    const outcomes = await one(undefined);
    expect(results(outcomes)).toEqual(['aws.object images/a.jpg: fail']);
    expect(outcomes[0].fix).toContain(`aws s3 ls s3://${BUCKET}/images/`);
  });
  it('fails SSE-C (HeadObject answers 400 without the key)', async () => {
    expect(results(await one({ badRequest: true }))).toEqual(['aws.object images/a.jpg: fail']);
    expect((await one({ badRequest: true }))[0].detail).toContain('SSE-C');
  });
  it.each(['GLACIER', 'DEEP_ARCHIVE'])('fails %s not restored, and while restoring; passes once restored', async (storageClass) => {
    expect(results(await one({ storageClass }))).toEqual(['aws.object images/a.jpg: fail']);
    expect((await one({ storageClass }))[0].fix).toContain(`aws s3api restore-object --bucket ${BUCKET} --key images/a.jpg`);
    expect(results(await one({ storageClass, restore: 'ongoing-request="true"' }))).toEqual(['aws.object images/a.jpg: fail']);
    // Restored: judged by the copy's expiry (see 'a restored copy' below).
    expect(results(await checkObjects(facts({ objects: [{ key: 'images/a.jpg', head: ok({ storageClass, restore: 'ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"' }) }] }),
      undefined, new Date('2012-12-01T00:00:00Z')))).toEqual(['aws.object images/a.jpg: warn']);
  });
  it('passes GLACIER_IR (instant retrieval)', async () => {
    expect(results(await one({ storageClass: 'GLACIER_IR' }))).toEqual(['aws.object images/a.jpg: pass']);
  });
  it('fails an Intelligent-Tiering archive tier', async () => {
    expect(results(await one({ storageClass: 'INTELLIGENT_TIERING', archiveStatus: 'DEEP_ARCHIVE_ACCESS' }))).toEqual(['aws.object images/a.jpg: fail']);
  });
  it('refers to aws.encryption for an object under the bucket default key (configured by key ID)', async () => {
    const outcomes = await one({ serverSideEncryption: 'aws:kms', kmsKeyId: KEY_ARN }, { encryption: ok({ algorithm: 'aws:kms', kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }) });
    expect(results(outcomes)).toEqual(['aws.object images/a.jpg: pass']);
    expect(outcomes[0].detail).toContain('see aws.encryption');
  });
  it('judges an object under another KMS key by that key\'s policy', async () => {
    const base = { encryption: ok({ algorithm: 'aws:kms', kmsKeyId: KEY_ARN }) };
    const head = { serverSideEncryption: 'aws:kms', kmsKeyId: OTHER_KEY_ARN };
    const other = (policy: string) => new Map([[OTHER_KEY_ARN, ok({ arn: OTHER_KEY_ARN, manager: 'CUSTOMER', state: 'Enabled', policy: ok(policy) })]]);
    expect(results(await one(head, { ...base, kmsKeys: other(ownerOnly) }))).toEqual(['aws.object images/a.jpg: fail']);
    expect(results(await one(head, { ...base, kmsKeys: other(allowsSegments) }))).toEqual(['aws.object images/a.jpg: pass']);
  });
  it('fails an object under the AWS managed key', async () => {
    expect(results(await one({ serverSideEncryption: 'aws:kms', kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/s3' }))).toEqual(['aws.object images/a.jpg: fail']);
  });
  it('is not-checked naming s3:GetObject when HeadObject is denied', async () => {
    const outcomes = await checkObjects(facts({ objects: [{ key: 'a.jpg', head: denied('HeadObject', 's3:GetObject', `arn:aws:s3:::${BUCKET}/a.jpg`) }] }));
    expect(outcomes[0]).toMatchObject({ result: 'not-checked', couldNotRun: true, target: 'a.jpg', fix: expect.stringContaining(`Allow s3:GetObject on arn:aws:s3:::${BUCKET}/a.jpg`) });
  });
  it('reads x-amz-restore', () => {
    expect(restored(undefined)).toBe(false);
    expect(restored('ongoing-request="true"')).toBe(false);
    expect(restored('ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"')).toBe(true);
  });
});

describe('aws.preflight', () => {
  const origin = 'https://app.segments.ai';
  const answer = (status: number, headers: Record<string, string>) => ok({ status, headers });
  const probes = (options: Read<{ status: number; headers: Record<string, string> }>, get?: Read<{ status: number; headers: Record<string, string> }>) => facts({
    probes: [
      { origin, method: 'OPTIONS', url: `https://${BUCKET}.s3.${REGION}.amazonaws.com/a.jpg`, response: options },
      ...(get ? [{ origin, method: 'GET' as const, url: `https://${BUCKET}.s3.${REGION}.amazonaws.com/a.jpg`, response: get }] : []),
    ],
  });

  it('passes when the preflight and the presigned GET both return Access-Control-Allow-Origin, showing status and headers', () => {
    const outcomes = checkPreflight(probes(answer(200, { 'access-control-allow-origin': origin, 'access-control-allow-methods': 'GET' }),
      answer(200, { 'access-control-allow-origin': origin })), [origin], false);
    expect(results(outcomes)).toEqual([`aws.preflight ${origin}: pass`]);
    expect(outcomes[0].detail).toBe('https://acme-images.s3.eu-west-1.amazonaws.com/a.jpg answered OPTIONS 200 and the presigned GET 200, with Access-Control-Allow-Origin: https://app.segments.ai.');
  });
  it('fails when the preflight gets 403 without CORS headers', () => {
    const outcomes = checkPreflight(probes(answer(403, {})), [origin], false);
    expect(results(outcomes)).toEqual([`aws.preflight ${origin}: fail`]);
    expect(outcomes[0].detail).toContain('answered 403 with no CORS header');
    expect(outcomes[0].fix).toContain('put-bucket-cors');
  });
  it('fails when the GET lacks Access-Control-Allow-Origin though the preflight passed', () => {
    expect(results(checkPreflight(probes(answer(200, { 'access-control-allow-origin': origin }), answer(200, {})), [origin], false)))
      .toEqual([`aws.preflight ${origin}: fail`]);
  });
  it('passes Access-Control-Allow-Origin: *, fails another origin', () => {
    expect(results(checkPreflight(probes(answer(200, { 'access-control-allow-origin': '*' })), [origin], false))).toEqual([`aws.preflight ${origin}: pass`]);
    expect(results(checkPreflight(probes(answer(200, { 'access-control-allow-origin': 'https://evil.example' })), [origin], false))).toEqual([`aws.preflight ${origin}: fail`]);
  });
  describe('judges each answer as a browser does (preflightAllows, shared with gcs and azure)', () => {
    const url = `https://${BUCKET}.s3.${REGION}.amazonaws.com/a.jpg`;
    const both = (plain: Read<{ status: number; headers: Record<string, string> }>, range: Read<{ status: number; headers: Record<string, string> }>) => facts({
      probes: [
        { origin, method: 'OPTIONS', requestHeaders: [], url, response: plain },
        { origin, method: 'OPTIONS', requestHeaders: ['range'], url, response: range },
      ],
    });
    const allowing = { 'access-control-allow-origin': origin, 'access-control-allow-methods': 'GET' };
    it('fails when the Range preflight is answered 200 with Allow-Origin but without range in Allow-Headers (the browser refuses a suffix range)', () => {
      const [outcome] = checkPreflight(both(answer(200, allowing), answer(200, allowing)), [origin], false);
      expect(outcome.result).toBe('fail');
      expect(outcome.detail).toContain('OPTIONS (Range)');
    });
    it('passes the Range preflight when Allow-Headers names range (any case) or is *', () => {
      expect(results(checkPreflight(both(answer(200, allowing), answer(200, { ...allowing, 'access-control-allow-headers': 'Range' })), [origin], false)))
        .toEqual([`aws.preflight ${origin}: pass`]);
      expect(results(checkPreflight(both(answer(200, allowing), answer(200, { ...allowing, 'access-control-allow-headers': 'x-a, *' })), [origin], false)))
        .toEqual([`aws.preflight ${origin}: pass`]);
    });
    it('fails a 403 preflight even when it carries Access-Control-Allow-Origin (a browser needs an ok status)', () => {
      expect(results(checkPreflight(probes(answer(403, allowing)), [origin], false))).toEqual([`aws.preflight ${origin}: fail`]);
    });
    it('judges a served GET by Allow-Origin only: it asked for no header', () => {
      expect(results(checkPreflight(probes(answer(200, allowing), answer(206, { 'access-control-allow-origin': origin })), [origin], false)))
        .toEqual([`aws.preflight ${origin}: pass`]);
    });
  });
  it('is not-checked (could not run) when the endpoint cannot be reached', () => {
    const down = { ok: false as const, failure: { operation: 'HTTP OPTIONS', permission: 'network access', resource: 'x', cause: 'network' as const, message: 'ECONNREFUSED' } };
    expect(checkPreflight(probes(down), [origin], false)[0]).toMatchObject({ result: 'not-checked', couldNotRun: true });
  });
  it('is skipped, not a failure to run, with --offline', () => {
    const [outcome] = checkPreflight(facts(), [origin], true);
    expect(outcome).toMatchObject({ result: 'not-checked', detail: expect.stringContaining('--offline') });
    expect(outcome.couldNotRun).toBeUndefined();
  });
});

describe('mutants left alive by Stryker (npm run mutate:aws)', () => {
  const origin = 'https://app.segments.ai';
  const url = `https://${BUCKET}.s3.${REGION}.amazonaws.com/a.jpg`;
  it('ownership.ts:47/48: an unreadable bucket owner (GetBucketAcl refused) is a not-checked row per key, never a silent drop or a fail', () => {
    const object = { key: 'a.jpg', head: ok({}), owner: ok('objectowner') };
    const outcomes = checkOwnership(facts({ ownership: ok('ObjectWriter'), objects: [object], bucketOwner: denied('GetBucketAcl', 's3:GetBucketAcl') }));
    expect(results(outcomes)).toEqual(['aws.ownership: warn', 'aws.ownership a.jpg: not-checked']);
    // Not read at all (no failure to name): only the warning.
    expect(results(checkOwnership(facts({ ownership: ok('ObjectWriter'), objects: [object] })))).toEqual(['aws.ownership: warn']);
  });
  it('preflight.ts:46: a presigned GET refused with 400 says nothing about CORS (the preflights decide)', () => {
    const allowing = { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'range' };
    const [outcome] = checkPreflight(facts({ probes: [
      { origin, method: 'OPTIONS', requestHeaders: [], url, response: ok({ status: 200, headers: allowing }) },
      { origin, method: 'GET', url, response: ok({ status: 400, headers: {} }) },
    ] }), [origin], false);
    expect(outcome.result).toBe('pass');
    expect(outcome.detail).toContain('The presigned GET was refused with 400 for your credentials');
  });
});

describe('aws.org-policies', () => {
  it('is not-checked (exit 0) when the RCPs were not read, saying which permissions read them (the reads: org-policies.test.ts)', () => {
    const [outcome] = checkOrgPolicies();
    expect(outcome).toMatchObject({ id: 'aws.org-policies', result: 'not-checked' });
    expect(outcome.couldNotRun).toBeUndefined();
    expect(outcome.detail).toMatch(/^Resource control policies .* they were not read\. Run with credentials of the bucket's account that may sts:GetCallerIdentity/);
  });
});
