/**
 * What a review and hand-made mutants of issue 21 found in the pure aws.* checks, one case each:
 * a bucket region S3 does not know, a region known only from a refusal, a KMS key's state and the
 * encryption context S3 sends KMS, archived and restored objects, SSE-C and DSSE-KMS objects, the
 * ownership rows when the bucket's ACL cannot be read, and the browser's view.
 */
import { checkBucket } from '../../../src/verify/aws/bucket';
import { checkEncryption } from '../../../src/verify/aws/encryption';
import { evaluateForSegments } from '../../../src/verify/aws/evaluator';
import { KmsKeyFacts, ObjectHead, Read } from '../../../src/verify/aws/facts';
import { checkObjects, restoreExpiry } from '../../../src/verify/aws/object';
import { checkOwnership } from '../../../src/verify/aws/ownership';
import { checkPreflight } from '../../../src/verify/aws/preflight';
import { judgePreflights } from '../../../src/verify/preflight-answer';
import { exitCodeOf } from '../../../src/verify/report';
import { BUCKET, SEGMENTS, denied, facts, ok, results } from './fixtures';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/99999999-12ab-34cd-56ef-1234567890ab';
const root = { Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
const segmentsDecrypt = (condition: Record<string, unknown>) => ({ Sid: 'segments-kms-decrypt', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 'kms:Decrypt', Resource: '*', Condition: condition });
const viaS3 = (region: string) => ({ StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } });
const keyPolicy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const customerKey = (policy: string, extra: Partial<KmsKeyFacts> = {}): Read<KmsKeyFacts> => ok({ arn: KEY_ARN, manager: 'CUSTOMER', state: 'Enabled', policy: ok(policy), ...extra });
const defaultKey = (key: Read<KmsKeyFacts>) => checkEncryption(facts({ encryption: ok({ algorithm: 'aws:kms', kmsKeyId: KEY_ARN }), kmsKeys: new Map([[KEY_ARN, key]]) }));

describe('aws.bucket: the region as S3 named it, never guessed', () => {
  it('shows a region AWS does not have (Ceph RGW\'s "default") as given, with no amazonaws.com URL', () => {
    const [outcome] = checkBucket(facts({ endpoint: 'http://127.0.0.1:7480', location: ok({ exists: true, region: 'default' }) }), ['a.jpg']);
    expect(outcome.result).toBe('pass');
    expect(outcome.detail).toContain('\'default\', which is not an AWS region');
    expect(outcome.detail).not.toContain('amazonaws.com');
  });
  it('names the region S3 sent in x-amz-bucket-region when HeadBucket and GetBucketLocation were refused', () => {
    const [outcome] = checkBucket(facts({ location: denied('HeadBucket', 's3:ListBucket'), region: 'eu-central-1' }), []);
    expect(outcome).toMatchObject({ result: 'not-checked', couldNotRun: true, detail: expect.stringContaining('eu-central-1') });
  });
  it('fails, with the reason, when the SDK cannot build a URL for a dotted bucket at an IP endpoint', () => {
    const failure = { operation: 'HeadBucket', permission: 's3:ListBucket', resource: 'arn:aws:s3:::acme.images', cause: 'invalid-endpoint' as const,
      message: 'the SDK could not build a URL for the request (http://acme.images.127.0.0.1:7480/)' };
    const [outcome] = checkBucket({ ...facts({ endpoint: 'http://127.0.0.1:7480', location: { ok: false, failure } }), bucket: 'acme.images' }, []);
    expect(outcome).toMatchObject({ id: 'aws.bucket', result: 'fail' });
    expect(outcome.detail).toContain('A dotted bucket name cannot go in the host name of an IP-address endpoint');
  });
});

describe('aws.encryption: the key\'s state and the request KMS sees', () => {
  it('fails a key pending deletion, with cancel-key-deletion first', async () => {
    const outcomes = await defaultKey(customerKey(keyPolicy(root, segmentsDecrypt(viaS3('eu-west-1'))), { state: 'PendingDeletion' }));
    expect(results(outcomes)).toEqual(['aws.encryption: fail']);
    expect(outcomes[0].fix).toMatch(/^aws kms cancel-key-deletion --key-id arn:aws:kms:eu-west-1:/);
  });
  it('fails an unknown default encryption algorithm', async () => {
    const outcomes = await checkEncryption(facts({ encryption: ok({ algorithm: 'aws:fancy' }) }));
    expect(results(outcomes)).toEqual(['aws.encryption: fail']);
    expect(outcomes[0].detail).toBe('Default encryption is aws:fancy, which this command does not know.');
  });
  // The encryption context S3 sends KMS on Segments' behalf is handed to the evaluator with the
  // request. These tests hold what this side sends; the verdicts are the evaluator's (lib/iam).
  const contextOf = async (run: (evaluate: typeof evaluateForSegments) => Promise<unknown>): Promise<Record<string, string>> => {
    const seen: Record<string, string>[] = [];
    await run(async (_policy, _action, _resource, context) => {
      seen.push({ ...context });
      return { result: 'Allowed' as const, allowedBy: [{ name: 's', conditionKeys: [] }], deniedBy: [], undetermined: [] };
    });
    expect(seen).toHaveLength(1);
    return seen[0];
  };
  const withDefaultKey = (extra: Record<string, unknown> = {}) => facts({
    encryption: ok({ algorithm: 'aws:kms', kmsKeyId: KEY_ARN, ...extra }), kmsKeys: new Map([[KEY_ARN, customerKey(keyPolicy(root))]]),
  });
  it('judges the bucket default key with the aws:s3:arn S3 sends: an object\'s ARN (the first --key, else a sample key)', async () => {
    expect(await contextOf((evaluate) => checkEncryption(withDefaultKey(), evaluate, 'images/a.jpg'))).toEqual({
      'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': '931508227573', 'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::${BUCKET}/images/a.jpg`,
    });
    expect((await contextOf((evaluate) => checkEncryption(withDefaultKey(), evaluate)))['kms:EncryptionContext:aws:s3:arn']).toBe(`arn:aws:s3:::${BUCKET}/segments-verify-sample.jpg`);
  });
  it('judges it with the bucket\'s ARN when S3 Bucket Keys are on', async () => {
    expect((await contextOf((evaluate) => checkEncryption(withDefaultKey({ bucketKeyEnabled: true }), evaluate, 'images/a.jpg')))['kms:EncryptionContext:aws:s3:arn'])
      .toBe(`arn:aws:s3:::${BUCKET}`);
  });
  it('judges an object\'s own key with that object\'s ARN, or the bucket\'s with Bucket Keys on', async () => {
    const other = new Map([[OTHER_KEY_ARN, ok({ arn: OTHER_KEY_ARN, manager: 'CUSTOMER', state: 'Enabled', policy: ok(keyPolicy(root)) })]]);
    const object = (head: ObjectHead) => facts({ objects: [{ key: 'images/b.jpg', head: ok(head) }], kmsKeys: other });
    expect((await contextOf((evaluate) => checkObjects(object({ serverSideEncryption: 'aws:kms', kmsKeyId: OTHER_KEY_ARN }), evaluate)))['kms:EncryptionContext:aws:s3:arn'])
      .toBe(`arn:aws:s3:::${BUCKET}/images/b.jpg`);
    expect((await contextOf((evaluate) => checkObjects(object({ serverSideEncryption: 'aws:kms', kmsKeyId: OTHER_KEY_ARN, bucketKeyEnabled: true }), evaluate)))['kms:EncryptionContext:aws:s3:arn'])
      .toBe(`arn:aws:s3:::${BUCKET}`);
  });
  it('with the bucket\'s region unknown, judges kms:ViaService in the key\'s region (a bucket\'s key is in its region), never us-east-1', async () => {
    const unknownRegion = { location: ok({ exists: true }) };
    const allows = keyPolicy(root, segmentsDecrypt(viaS3('eu-west-1')));
    expect(results(await checkEncryption(facts({ ...unknownRegion, encryption: ok({ algorithm: 'aws:kms', kmsKeyId: KEY_ARN }), kmsKeys: new Map([[KEY_ARN, customerKey(allows)]]) }))))
      .toEqual(['aws.encryption: pass']);
    const [missing] = await checkEncryption(facts({ ...unknownRegion, encryption: ok({ algorithm: 'aws:kms', kmsKeyId: KEY_ARN }), kmsKeys: new Map([[KEY_ARN, customerKey(keyPolicy(root))]]) }));
    expect(missing.fix).toContain('"kms:ViaService":"s3.eu-west-1.amazonaws.com"');
  });
  it('uses the region S3 named in a refusal for kms:ViaService', async () => {
    const central = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const [outcome] = await checkEncryption(facts({
      location: denied('HeadBucket', 's3:ListBucket'), region: 'eu-central-1',
      encryption: ok({ algorithm: 'aws:kms', kmsKeyId: 'alias/images' }),
      kmsKeys: new Map([['alias/images', ok({ arn: central, manager: 'CUSTOMER', state: 'Enabled', policy: ok(keyPolicy(root)) })]]),
    }));
    expect(outcome.fix).toContain('"kms:ViaService":"s3.eu-central-1.amazonaws.com"');
  });
  it('is not-checked when neither the bucket\'s region nor the key\'s is known', async () => {
    const [outcome] = await checkEncryption(facts({
      location: ok({ exists: true }), encryption: ok({ algorithm: 'aws:kms', kmsKeyId: 'alias/images' }),
      kmsKeys: new Map([['alias/images', ok({ arn: 'alias/images', manager: 'CUSTOMER', state: 'Enabled', policy: ok(keyPolicy(root)) })]]),
    }));
    expect(outcome).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('s3:GetBucketLocation') });
  });
  it('fails on one Deny of Segments in the key policy, naming it, though an Allow matches too', async () => {
    const deny = { Sid: 'NoOutsiders', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': '111122223333' } } };
    const outcomes = await defaultKey(customerKey(keyPolicy(root, segmentsDecrypt(viaS3('eu-west-1')), deny)));
    expect(results(outcomes)).toEqual(['aws.encryption: fail']);
    expect(outcomes[0].detail).toMatch(/^Statement NoOutsiders of the key policy/);
  });
});

describe('aws.object: archives, restores, SSE-C, DSSE-KMS', () => {
  const one = (head: ObjectHead, extra: Partial<ReturnType<typeof facts>> = {}, now?: Date) =>
    checkObjects(facts({ objects: [{ key: 'images/a.jpg', head: ok(head) }], ...extra }), undefined, now);
  const restoredUntil = (date: string) => `ongoing-request="false", expiry-date="${date}"`;
  const NOW = new Date('2026-12-07T12:00:00Z');

  it.each(['ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS'])('fails Intelligent-Tiering %s unless restored', async (archiveStatus) => {
    const outcomes = await one({ storageClass: 'INTELLIGENT_TIERING', archiveStatus });
    expect(results(outcomes)).toEqual(['aws.object images/a.jpg: fail']);
    expect(outcomes[0].detail).toContain(`Intelligent-Tiering's ${archiveStatus} tier and not restored`);
    expect(results(await one({ storageClass: 'INTELLIGENT_TIERING', archiveStatus, restore: 'ongoing-request="true"' }))).toEqual(['aws.object images/a.jpg: fail']);
    expect(results(await one({ storageClass: 'INTELLIGENT_TIERING', archiveStatus, restore: 'ongoing-request="false"' }))).toEqual(['aws.object images/a.jpg: pass']);
  });
  it('fails a restored GLACIER copy that expires within the 24 hours of a presigned URL signed now, or already has', async () => {
    const soon = await one({ storageClass: 'GLACIER', restore: restoredUntil('Tue, 08 Dec 2026 06:00:00 GMT') }, {}, NOW);
    expect(results(soon)).toEqual(['aws.object images/a.jpg: fail']);
    expect(soon[0].detail).toContain('expires 2026-12-08T06:00:00.000Z, within the 24 hours');
    expect(soon[0].fix).toContain('--storage-class STANDARD');
    expect(results(await one({ storageClass: 'DEEP_ARCHIVE', restore: restoredUntil('Mon, 07 Dec 2026 11:00:00 GMT') }, {}, NOW))).toEqual(['aws.object images/a.jpg: fail']);
    // 24 hours exactly is still inside the URL's lifetime; a minute more is not.
    expect(results(await one({ storageClass: 'GLACIER', restore: restoredUntil('Tue, 08 Dec 2026 12:00:00 GMT') }, {}, NOW))).toEqual(['aws.object images/a.jpg: fail']);
    expect(results(await one({ storageClass: 'GLACIER', restore: restoredUntil('Tue, 08 Dec 2026 12:01:00 GMT') }, {}, NOW))).toEqual(['aws.object images/a.jpg: warn']);
  });
  it('warns on a restored copy that outlives the URL, with its expiry', async () => {
    const outcomes = await one({ storageClass: 'GLACIER', restore: restoredUntil('Fri, 01 Jan 2027 00:00:00 GMT') }, {}, NOW);
    expect(results(outcomes)).toEqual(['aws.object images/a.jpg: warn']);
    expect(outcomes[0].detail).toContain('restored until 2027-01-01T00:00:00.000Z');
  });
  it('reads the expiry of x-amz-restore', () => {
    expect(restoreExpiry(restoredUntil('Fri, 21 Dec 2012 00:00:00 GMT'))?.toISOString()).toBe('2012-12-21T00:00:00.000Z');
    expect(restoreExpiry('ongoing-request="false"')).toBeUndefined();
    expect(restoreExpiry(undefined)).toBeUndefined();
    expect(restoreExpiry('ongoing-request="false", expiry-date="not a date"')).toBeUndefined();
  });
  it('fails SSE-C reported by its header alone (no 400)', async () => {
    const outcomes = await one({ storageClass: 'STANDARD', sseCustomerAlgorithm: 'AES256' });
    expect(results(outcomes)).toEqual(['aws.object images/a.jpg: fail']);
    expect(outcomes[0].detail).toContain('SSE-C');
  });
  it('judges a DSSE-KMS object under another key by that key, and fails one under aws/s3', async () => {
    const other = new Map([[OTHER_KEY_ARN, ok({ arn: OTHER_KEY_ARN, manager: 'CUSTOMER', state: 'Enabled', policy: ok(keyPolicy(root)) })]]);
    expect(results(await one({ serverSideEncryption: 'aws:kms:dsse', kmsKeyId: OTHER_KEY_ARN }, { kmsKeys: other }))).toEqual(['aws.object images/a.jpg: fail']);
    expect(results(await one({ serverSideEncryption: 'aws:kms:dsse', kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/s3' }))).toEqual(['aws.object images/a.jpg: fail']);
  });
});

describe('aws.ownership when the bucket\'s owner cannot be read', () => {
  it('adds a not-checked row naming s3:GetBucketAcl per key (exit 3), never a silent pass', () => {
    const outcomes = checkOwnership(facts({
      ownership: ok('ObjectWriter'), bucketOwner: denied('GetBucketAcl', 's3:GetBucketAcl'),
      objects: [{ key: 'a.jpg', head: ok({}), owner: ok('uploader') }],
    }));
    expect(results(outcomes)).toEqual(['aws.ownership: warn', 'aws.ownership a.jpg: not-checked']);
    expect(outcomes[1]).toMatchObject({ couldNotRun: true, fix: expect.stringContaining('Allow s3:GetBucketAcl') });
    expect(exitCodeOf(outcomes)).toBe(3);
  });
  it('adds no row for a key whose owner was not read (its HeadObject failed)', () => {
    expect(results(checkOwnership(facts({ ownership: ok('ObjectWriter'), bucketOwner: ok('owner'), objects: [{ key: 'a.jpg', head: ok(undefined) }] }))))
      .toEqual(['aws.ownership: warn']);
  });
  it('passes a key whose owner is the bucket owner, fails one with no owner match', () => {
    const outcomes = checkOwnership(facts({ ownership: ok('BucketOwnerPreferred'), bucketOwner: ok('owner'), objects: [{ key: 'a.jpg', head: ok({}), owner: ok('owner') }] }));
    expect(results(outcomes)).toEqual(['aws.ownership: warn', 'aws.ownership a.jpg: pass']);
  });
});

describe('aws.preflight: the two preflights and the GET', () => {
  const origin = 'https://app.segments.ai';
  const url = `https://${BUCKET}.s3.eu-west-1.amazonaws.com/a.jpg`;
  const answer = (status: number, headers: Record<string, string> = {}) => ok({ status, headers });
  const allowed = answer(200, { 'access-control-allow-origin': origin });
  // S3 answers a preflight that asked for Range with the header allowed (the browser needs it).
  const rangeAllowed = answer(200, { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'range' });
  const probes = (plain: ReturnType<typeof answer>, range: ReturnType<typeof answer>, get?: ReturnType<typeof answer>) => facts({
    probes: [
      { origin, method: 'OPTIONS', requestHeaders: [], url, response: plain },
      { origin, method: 'OPTIONS', requestHeaders: ['range'], url, response: range },
      ...(get ? [{ origin, method: 'GET' as const, url, response: get }] : []),
    ],
  });

  it('fails when the preflight naming Range is refused though the plain one passes, showing which', () => {
    const [outcome] = checkPreflight(probes(allowed, answer(403)), [origin], false);
    expect(outcome.result).toBe('fail');
    expect(outcome.detail).toMatch(/^OPTIONS \(Range\) https:\/\/acme-images\.s3\.eu-west-1\.amazonaws\.com\/a\.jpg answered 403 with no CORS header\./);
  });
  it('passes naming both preflights and the GET', () => {
    const [outcome] = checkPreflight(probes(allowed, rangeAllowed, allowed), [origin], false);
    expect(outcome).toMatchObject({ result: 'pass', detail: `${url} answered OPTIONS 200, OPTIONS (Range) 200 and the presigned GET 200, with Access-Control-Allow-Origin: ${origin}.` });
  });
  it('does not blame CORS for a GET your credentials are refused (403 without CORS headers): the preflights decide', () => {
    const [outcome] = checkPreflight(probes(allowed, rangeAllowed, answer(403)), [origin], false);
    expect(outcome.result).toBe('pass');
    expect(outcome.detail).toContain('The presigned GET was refused with 403 for your credentials');
  });
  it('fails a served GET (200) without Access-Control-Allow-Origin', () => {
    expect(checkPreflight(probes(allowed, rangeAllowed, answer(200)), [origin], false)[0].result).toBe('fail');
  });
  it('is not-checked, not a failure of its own, when the bucket does not exist', () => {
    const [outcome] = checkPreflight(facts({ location: ok({ exists: false }) }), [origin], false);
    expect(outcome).toMatchObject({ result: 'not-checked', detail: expect.stringContaining('there is no bucket') });
    expect(outcome.couldNotRun).toBeUndefined();
  });
});

describe('the shared preflight judgment (verify gcs, verify azure)', () => {
  const origin = 'https://app.segments.ai';
  it.each<[string, Record<string, string>, string]>([
    ['the origin itself', { 'access-control-allow-origin': origin }, 'pass'],
    ['*', { 'access-control-allow-origin': '*' }, 'pass'],
    ['another origin', { 'access-control-allow-origin': 'https://evil.example' }, 'fail'],
    ['the origin with a trailing slash', { 'access-control-allow-origin': `${origin}/` }, 'fail'],
    ['no header', {}, 'fail'],
  ])('Access-Control-Allow-Origin %s: %s', (_, headers, result) => {
    const answers = [{ status: 200, headers }, { status: 200, headers: { ...headers, 'access-control-allow-headers': 'range' } }];
    expect(judgePreflights('gcs.preflight', 'https://x', origin, answers, 'fix', 'fail').result).toBe(result);
  });
  it('could not run when no answer came', () => {
    expect(judgePreflights('gcs.preflight', 'https://x', origin, [{ error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }], 'fix', 'fail')).toMatchObject({ result: 'not-checked', couldNotRun: true });
  });
});
