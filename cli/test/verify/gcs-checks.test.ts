/**
 * `verify gcs`: every result of every check, from configuration as the JSON API returns it. The
 * vendor's facts are written as literals here, so a wrong constant in lib/segments.ts fails.
 */
import * as fc from 'fast-check';
import { checkGcsBucket } from '../../src/verify/gcs/bucket';
import { checkGcsCors, gcsCorsEntryFor, GcsCorsEntry } from '../../src/verify/gcs/cors';
import { checkGcsIam, GcsIamPolicy, rolesToRead } from '../../src/verify/gcs/iam';
import { checkGcsObject } from '../../src/verify/gcs/object';
import { GCS_ROLES_WITH_OBJECT_GET, GCS_ROLES_WITHOUT_OBJECT_GET, GcsRoleDefinition, definitionVerdict, predefinedRoleVerdict } from '../../src/verify/gcs/roles';
import { Read } from '../../src/verify/read';
import { PROPERTY_SEED } from '../../../test/helpers/arbitraries';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';
const MEMBER = `serviceAccount:${SA}`;
const denied = { failed: 'denied', message: '403 Forbidden' } as const;
const missing = { failed: 'missing', message: '404 Not Found' } as const;
const value = <T>(v: T): Read<T> => ({ value: v });
const noDefinitions = new Map<string, Read<GcsRoleDefinition>>();

describe('gcs.bucket: the bucket exists, with uniform access and without requester pays', () => {
  const ubla = { iamConfiguration: { uniformBucketLevelAccess: { enabled: true } } };
  it('passes, and prints the gs:// form Segments takes', () => {
    const outcome = checkGcsBucket('acme-images', value({ name: 'acme-images', ...ubla }));
    expect(outcome.result).toBe('pass');
    expect(outcome.detail).toContain('gs://acme-images/KEY');
  });
  it('warns without uniform bucket-level access (object ACLs can hide objects)', () => {
    const outcome = checkGcsBucket('acme-images', value({ name: 'acme-images', iamConfiguration: { uniformBucketLevelAccess: { enabled: false } } }));
    expect(outcome.result).toBe('warn');
    expect(outcome.fix).toBe('gcloud storage buckets update gs://acme-images --uniform-bucket-level-access');
  });
  it('fails with requester pays on, whatever else', () => {
    const outcome = checkGcsBucket('acme-images', value({ name: 'acme-images', ...ubla, billing: { requesterPays: true } }));
    expect(outcome.result).toBe('fail');
    expect(outcome.fix).toContain('--no-requester-pays');
  });
  it('passes with requester pays explicitly off', () => {
    expect(checkGcsBucket('b', value({ name: 'b', ...ubla, billing: { requesterPays: false } })).result).toBe('pass');
  });
  it('fails on a bucket that does not exist', () => {
    expect(checkGcsBucket('acme-images', missing)).toMatchObject({ result: 'fail' });
  });
  it('could not run on access denied, naming storage.buckets.get', () => {
    expect(checkGcsBucket('acme-images', denied)).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('storage.buckets.get') });
  });
});

describe('the predefined-role table: which roles hold storage.objects.get', () => {
  it.each(['roles/storage.objectViewer', 'roles/storage.legacyObjectReader', 'roles/storage.objectAdmin', 'roles/storage.admin', 'roles/storage.objectUser'])('%s holds it', (role) => {
    expect(predefinedRoleVerdict(role)).toEqual({ holds: true });
  });
  it.each(['roles/storage.legacyBucketReader', 'roles/storage.objectCreator', 'roles/storage.legacyBucketOwner'])('%s does not', (role) => {
    expect(predefinedRoleVerdict(role)).toMatchObject({ holds: false });
  });
  it('leaves any other role to the IAM API', () => {
    expect(predefinedRoleVerdict('roles/viewer')).toBeUndefined();
    expect(predefinedRoleVerdict('projects/acme/roles/segmentsReader')).toBeUndefined();
  });
  it('has no role on both sides', () => {
    expect([...GCS_ROLES_WITH_OBJECT_GET].filter((role) => GCS_ROLES_WITHOUT_OBJECT_GET.has(role))).toEqual([]);
  });
});

describe('custom roles: the permissions read from the IAM API', () => {
  it('a role holding storage.objects.get grants it', () => {
    expect(definitionVerdict({ name: 'projects/acme/roles/r', includedPermissions: ['storage.objects.get'] })).toEqual({ holds: true });
  });
  it('a role holding only storage.objects.list does not, and says what it holds', () => {
    expect(definitionVerdict({ name: 'projects/acme/roles/r', includedPermissions: ['storage.objects.list'] })).toEqual({ holds: false, why: expect.stringContaining('holds storage.objects.list, not storage.objects.get') });
  });
  it('a role with no permission does not', () => {
    expect(definitionVerdict({ name: 'projects/acme/roles/r' })).toMatchObject({ holds: false, why: expect.stringContaining('no permission') });
  });
  it('a DISABLED or deleted role grants nothing, even with the permission', () => {
    expect(definitionVerdict({ name: 'r', includedPermissions: ['storage.objects.get'], stage: 'DISABLED' })).toMatchObject({ holds: false, why: expect.stringContaining('DISABLED') });
    expect(definitionVerdict({ name: 'r', includedPermissions: ['storage.objects.get'], deleted: true })).toMatchObject({ holds: false, why: expect.stringContaining('deleted') });
    expect(definitionVerdict({ name: 'r', includedPermissions: ['storage.objects.get'], stage: 'GA', deleted: false })).toEqual({ holds: true });
  });
});

describe('gcs.iam: the bucket binds Segments\' service account to a role with storage.objects.get', () => {
  const policy = (...bindings: GcsIamPolicy['bindings'] & object): Read<GcsIamPolicy> => value({ bindings });
  const custom = 'projects/acme/roles/segmentsObjectReader';
  it('passes for roles/storage.objectViewer bound to the service account', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [MEMBER] }), noDefinitions);
    expect(outcome).toMatchObject({ result: 'pass', detail: expect.stringContaining('roles/storage.objectViewer') });
  });
  it('matches the member without regard to the email\'s case', () => {
    expect(checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [`serviceAccount:${SA.toUpperCase()}`] }), noDefinitions).result).toBe('pass');
  });
  it('passes for a custom role read from the IAM API that holds the permission', () => {
    const p = policy({ role: custom, members: [MEMBER] });
    expect(rolesToRead(p, SA)).toEqual([custom]);
    const outcome = checkGcsIam('b', SA, p, new Map([[custom, value({ name: custom, includedPermissions: ['storage.objects.get'] })]]));
    expect(outcome.result).toBe('pass');
  });
  it('fails for a custom role that lacks it, naming what it holds', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: custom, members: [MEMBER] }), new Map([[custom, value({ name: custom, includedPermissions: ['storage.objects.list'] })]]));
    expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining('storage.objects.list') });
    expect(outcome.fix).toContain(`--member=${MEMBER}`);
  });
  it('fails for roles/storage.legacyBucketReader (lists, cannot read)', () => {
    expect(checkGcsIam('b', SA, policy({ role: 'roles/storage.legacyBucketReader', members: [MEMBER] }), noDefinitions).result).toBe('fail');
  });
  it('could not run when the custom role cannot be read, naming iam.roles.get on its project', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: custom, members: [MEMBER] }), new Map([[custom, denied]]));
    expect(outcome).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('iam.roles.get on projects/acme') });
  });
  it('warns for a binding with a condition, and shows the condition', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [MEMBER], condition: { title: 'images only', expression: 'resource.name.startsWith("projects/_/buckets/b/objects/images/")' } }), noDefinitions);
    expect(outcome.result).toBe('warn');
    expect(outcome.detail).toContain('images only');
    expect(outcome.detail).toContain('resource.name.startsWith');
  });
  it('passes when an unconditional binding exists beside a conditional one', () => {
    const outcome = checkGcsIam('b', SA, policy(
      { role: 'roles/storage.objectViewer', members: [MEMBER], condition: { title: 't', expression: 'false' } },
      { role: 'roles/storage.legacyObjectReader', members: [MEMBER] },
    ), noDefinitions);
    expect(outcome).toMatchObject({ result: 'pass', detail: expect.stringContaining('legacyObjectReader') });
  });
  it('warns when only allUsers can read: public', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: ['allUsers'] }), noDefinitions);
    expect(outcome).toMatchObject({ result: 'warn', detail: expect.stringContaining('allUsers') });
  });
  it('is not-checked (not a failure) when no binding names the service account: a project grant is invisible here', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: ['serviceAccount:other@x.iam.gserviceaccount.com'] }), noDefinitions);
    expect(outcome.result).toBe('not-checked');
    expect(outcome.couldNotRun).toBeUndefined();
    expect(outcome.detail).toContain('cannot be seen from the bucket');
    expect(outcome.fix).toContain('add-iam-policy-binding gs://b');
  });
  it('fails for a binding of a deleted service account of the same email', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [`deleted:${MEMBER}?uid=123`] }), noDefinitions);
    expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining('deleted') });
  });
  it('could not run on access denied, naming storage.buckets.getIamPolicy', () => {
    expect(checkGcsIam('b', SA, denied, noDefinitions)).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('storage.buckets.getIamPolicy') });
  });
  it('is skipped when the bucket does not exist (gcs.bucket fails)', () => {
    expect(checkGcsIam('b', SA, missing, noDefinitions)).toMatchObject({ result: 'not-checked' });
    expect(checkGcsIam('b', SA, missing, noDefinitions).couldNotRun).toBeUndefined();
  });
});

describe('gcs.cors: Google matches origins literally', () => {
  const origins = ['https://app.segments.ai', 'https://segments.ai'];
  it('passes each origin with a GET entry, and shows its responseHeader', () => {
    const outcomes = checkGcsCors('b', value([{ origin: ['https://segments.ai', 'https://app.segments.ai'], method: ['GET'], responseHeader: ['*'] }]), origins);
    expect(outcomes.map((o) => [o.target, o.result])).toEqual([['https://app.segments.ai', 'pass'], ['https://segments.ai', 'pass']]);
    expect(outcomes[0].detail).toContain('responseHeader ["*"]');
  });
  it('fails for the vendor doc\'s https://*.segments.ai, a literal string to Google, and says so', () => {
    const [outcome] = checkGcsCors('b', value([{ origin: ['https://*.segments.ai'], method: ['GET'] }]), ['https://app.segments.ai']);
    expect(outcome.result).toBe('fail');
    expect(outcome.detail).toContain('literal string');
    expect(outcome.fix).toContain('"origin":["https://app.segments.ai"]');
    expect(outcome.fix).toContain('gcloud storage buckets update gs://b --cors-file=cors.json');
  });
  it('passes for origin "*" and method "*"', () => {
    expect(checkGcsCors('b', value([{ origin: ['*'], method: ['*'] }]), ['https://app.segments.ai'])[0].result).toBe('pass');
  });
  it('fails for an entry naming the origin without GET', () => {
    const [outcome] = checkGcsCors('b', value([{ origin: ['https://app.segments.ai'], method: ['PUT'] }]), ['https://app.segments.ai']);
    expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining('allows only ["PUT"]') });
  });
  it('fails without a CORS list', () => {
    expect(checkGcsCors('b', value([]), ['https://app.segments.ai'])[0]).toMatchObject({ result: 'fail', detail: expect.stringContaining('no CORS list') });
  });
  it('could not run when the bucket cannot be read', () => {
    expect(checkGcsCors('b', denied, origins)).toEqual([expect.objectContaining({ result: 'not-checked', couldNotRun: true })]);
  });
  it('finds an entry exactly when one lists the origin (or *) and GET (or *)', () => {
    const originArb = fc.constantFrom('https://app.segments.ai', 'https://segments.ai', 'https://*.segments.ai', '*', 'https://APP.segments.ai', 'https://evil.example');
    const methodArb = fc.constantFrom('GET', 'PUT', '*', 'get', 'HEAD');
    const entryArb = fc.record({ origin: fc.array(originArb, { maxLength: 3 }), method: fc.array(methodArb, { maxLength: 3 }) });
    fc.assert(fc.property(fc.array(entryArb, { maxLength: 4 }), (entries: GcsCorsEntry[]) => {
      const origin = 'https://app.segments.ai';
      const expected = entries.findIndex((e) => (e.origin ?? []).some((o) => o === origin || o === '*') && (e.method ?? []).some((m) => m === 'GET' || m === '*'));
      expect(gcsCorsEntryFor(entries, origin)).toBe(expected);
    }), { seed: PROPERTY_SEED, numRuns: 300 });
  });
});

describe('gcs.object: the object exists', () => {
  it('passes for an object, with its size', () => {
    expect(checkGcsObject('b', 'images/a.jpg', value({ size: '42', contentType: 'image/jpeg' }))).toMatchObject({ result: 'pass', target: 'images/a.jpg', detail: expect.stringContaining('42 bytes') });
  });
  it('fails for a missing object', () => {
    expect(checkGcsObject('b', 'images/a.jpg', missing)).toMatchObject({ result: 'fail', detail: expect.stringContaining('gs://b/images/a.jpg') });
  });
  it('fails for an object under a customer-supplied key', () => {
    expect(checkGcsObject('b', 'k', value({ customerEncryption: { encryptionAlgorithm: 'AES256' } }))).toMatchObject({ result: 'fail', detail: expect.stringContaining('customer-supplied') });
  });
  it('could not run on access denied, naming storage.objects.get', () => {
    expect(checkGcsObject('b', 'k', denied)).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('storage.objects.get') });
  });
});
