/**
 * `verify gcs`: every result of every check, from configuration as the JSON API returns it. The
 * vendor's facts are written as literals here, so a wrong constant in lib/segments.ts fails.
 */
import * as fc from 'fast-check';
import { checkGcsBucket } from '../../src/verify/gcs/bucket';
import { checkGcsCors, gcsCorsEntryFor, GcsCorsEntry } from '../../src/verify/gcs/cors';
import { bindingsFor, checkGcsIam, GcsIamPolicy, rolesToRead } from '../../src/verify/gcs/iam';
import { allowedPolicyMembers, constraintEnforced, memberDomainsRestriction } from '../../src/verify/gcs/org-policy';
import { GcsTroubleshootResponse } from '../../src/verify/gcs/troubleshooter';
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
  it('warns without uniform bucket-level access: IAM and ACLs grant in parallel, either suffices', () => {
    // https://cloud.google.com/storage/docs/access-control: "Cloud IAM and ACLs work in tandem to grant access".
    const outcome = checkGcsBucket('acme-images', value({ name: 'acme-images', iamConfiguration: { uniformBucketLevelAccess: { enabled: false } } }));
    expect(outcome.result).toBe('warn');
    expect(outcome.detail).toContain('IAM and object ACLs grant in parallel (either suffices)');
    expect(outcome.detail).not.toContain('hide');
    expect(outcome.fix).toBe('gcloud storage buckets update gs://acme-images --uniform-bucket-level-access');
  });
  it('warns when the metadata says nothing of uniform access (it is off then), and when iamConfiguration is absent', () => {
    expect(checkGcsBucket('b', value({ name: 'b', iamConfiguration: {} })).result).toBe('warn');
    expect(checkGcsBucket('b', value({ name: 'b' })).result).toBe('warn');
    expect(checkGcsBucket('b', value({ name: 'b', iamConfiguration: { uniformBucketLevelAccess: {} } })).result).toBe('warn');
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
  it('a binding of roles/storage.objectViewer without Google\'s answer warns, never passes: deny policies were not read', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [MEMBER] }), noDefinitions);
    expect(outcome).toMatchObject({ result: 'warn', detail: expect.stringContaining('roles/storage.objectViewer') });
    expect(outcome.detail).toContain('the grant is not established: an IAM deny policy on the project, a folder or the organization would take it back, and none was read');
    expect(outcome.detail).toContain('Not read: the Policy Troubleshooter was not asked');
    // What lets verify read them: the troubleshooter, asked by a caller who may read deny policies.
    expect(outcome.fix).toContain('policytroubleshooter.googleapis.com');
    expect(outcome.fix).toContain('iam.denypolicies.get and iam.denypolicies.list (roles/iam.denyReviewer)');
    expect(outcome.fix).toContain('gcloud iam policies list --attachment-point=cloudresourcemanager.googleapis.com/projects/PROJECT_ID --kind=denypolicies');
  });
  it('the same binding when the troubleshooter failed or lacked information: a warning naming why it did not answer', () => {
    const bound = policy({ role: 'roles/storage.objectViewer', members: [MEMBER] });
    const failed = checkGcsIam('b', SA, bound, noDefinitions, { troubleshoot: new Map([['k', denied]]) });
    expect(failed).toMatchObject({ result: 'warn', detail: expect.stringContaining('the Policy Troubleshooter could not answer for k (403 Forbidden)') });
    const unknown = checkGcsIam('b', SA, bound, noDefinitions, { troubleshoot: new Map([['k', value({ overallAccessState: 'UNKNOWN_INFO' })]]) });
    expect(unknown).toMatchObject({ result: 'warn', detail: expect.stringContaining('UNKNOWN_INFO') });
  });
  it('matches the member without regard to the email\'s case', () => {
    expect(checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [`serviceAccount:${SA.toUpperCase()}`] }), noDefinitions))
      .toMatchObject({ result: 'warn', detail: expect.stringContaining('is bound to roles/storage.objectViewer on the bucket') });
    expect(checkGcsIam('b', SA.toUpperCase(), policy({ role: 'roles/storage.objectViewer', members: [MEMBER] }), noDefinitions))
      .toMatchObject({ result: 'warn', detail: expect.stringContaining('is bound to roles/storage.objectViewer on the bucket') });
  });
  it('bindingsFor takes the service account\'s own bindings and the public ones, not another account\'s', () => {
    const p = { bindings: [
      { role: 'r1', members: [MEMBER] }, { role: 'r2', members: ['allUsers'] }, { role: 'r3', members: ['serviceAccount:other@x.iam.gserviceaccount.com'] },
      { role: 'r4', members: ['allAuthenticatedUsers'] }, { role: 'r5' },
    ] };
    expect(bindingsFor(p, SA).map((b) => b.role)).toEqual(['r1', 'r2', 'r4']);
    expect(bindingsFor(p, SA, false).map((b) => b.role)).toEqual(['r1']);
  });
  it('rolesToRead reads no role of a policy that could not be read, and each role once', () => {
    expect(rolesToRead(denied, SA)).toEqual([]);
    expect(rolesToRead([policy({ role: custom, members: [MEMBER] }), policy({ role: custom, members: ['allUsers'] }), undefined, denied], SA)).toEqual([custom]);
  });
  it('a custom role read from the IAM API that holds the permission grants (a warning only for the deny policies not read)', () => {
    const p = policy({ role: custom, members: [MEMBER] });
    expect(rolesToRead(p, SA)).toEqual([custom]);
    const outcome = checkGcsIam('b', SA, p, new Map([[custom, value({ name: custom, includedPermissions: ['storage.objects.get'] })]]));
    expect(outcome).toMatchObject({ result: 'warn', detail: expect.stringContaining(`is bound to ${custom} on the bucket, which holds storage.objects.get`) });
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
  it('an unconditional binding beside a conditional one grants (warning only for the deny policies)', () => {
    const outcome = checkGcsIam('b', SA, policy(
      { role: 'roles/storage.objectViewer', members: [MEMBER], condition: { title: 't', expression: 'false' } },
      { role: 'roles/storage.legacyObjectReader', members: [MEMBER] },
    ), noDefinitions);
    expect(outcome).toMatchObject({ result: 'warn', detail: expect.stringContaining('is bound to roles/storage.legacyObjectReader on the bucket') });
  });
  it('warns when only allUsers can read: public', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: ['allUsers'] }), noDefinitions);
    expect(outcome).toMatchObject({ result: 'warn', detail: expect.stringContaining('allUsers') });
  });
  it('fails (exit 1) when no binding names the service account, saying what was not read', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: ['serviceAccount:other@x.iam.gserviceaccount.com'] }), noDefinitions);
    expect(outcome.result).toBe('fail');
    expect(outcome.detail).toContain('Not read: the Policy Troubleshooter was not asked; the project\'s allow policy');
    expect(outcome.detail).toContain('the folder and organization allow policies; IAM deny policies');
    expect(outcome.fix).toContain('add-iam-policy-binding gs://b');
  });
  it('fails with only the default legacy bindings of the project\'s owners and viewers', () => {
    const outcome = checkGcsIam('b', SA, policy(
      { role: 'roles/storage.legacyBucketOwner', members: ['projectEditor:acme', 'projectOwner:acme'] },
      { role: 'roles/storage.legacyBucketReader', members: ['projectViewer:acme'] },
    ), noDefinitions);
    expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining('No binding for serviceAccount:') });
  });
  it('fails for a binding of a deleted service account of the same email, in any case', () => {
    const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [`deleted:${MEMBER}?uid=123`] }), noDefinitions);
    expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining('deleted service account') });
    expect(checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [`deleted:serviceAccount:${SA.toUpperCase()}?uid=1`] }), noDefinitions).detail).toContain('deleted service account');
    expect(checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [`deleted:serviceAccount:x${SA}?uid=1`] }), noDefinitions).detail).not.toContain('deleted service account');
  });
  it('could not run on access denied, naming storage.buckets.getIamPolicy', () => {
    expect(checkGcsIam('b', SA, denied, noDefinitions)).toMatchObject({ result: 'not-checked', couldNotRun: true, fix: expect.stringContaining('storage.buckets.getIamPolicy') });
  });
  it('is skipped when the bucket does not exist (gcs.bucket fails)', () => {
    expect(checkGcsIam('b', SA, missing, noDefinitions)).toMatchObject({ result: 'not-checked' });
    expect(checkGcsIam('b', SA, missing, noDefinitions).couldNotRun).toBeUndefined();
  });
});

describe('gcs.iam: Google\'s whole grant', () => {
  const policy = (...bindings: GcsIamPolicy['bindings'] & object): Read<GcsIamPolicy> => value({ bindings });
  const none = policy();
  const answer = (overallAccessState: string, more: Partial<GcsTroubleshootResponse> = {}): Read<GcsTroubleshootResponse> => value({ overallAccessState, ...more });
  const asked = (...answers: [string, Read<GcsTroubleshootResponse>][]) => new Map(answers);

  describe('public access prevention: https://cloud.google.com/storage/docs/public-access-prevention', () => {
    // "When you enforce public access prevention, ... existing allUsers and allAuthenticatedUsers grants are no longer in effect."
    const publicOnly = policy({ role: 'roles/storage.objectViewer', members: ['allUsers', 'allAuthenticatedUsers'] });
    it('enforced on the bucket: allUsers grants nothing, so no grant is seen: fail, naming the ignored binding', () => {
      const outcome = checkGcsIam('b', SA, publicOnly, noDefinitions, { publicAccessPrevention: 'enforced' });
      expect(outcome.result).toBe('fail');
      expect(outcome.detail).toContain('roles/storage.objectViewer bound to allUsers, allAuthenticatedUsers on the bucket grants nothing: public access prevention is enforced');
    });
    it('enforced by the organization policy storage.publicAccessPrevention on an inherited bucket: the same', () => {
      const org = value({ spec: { rules: [{ enforce: true }] } });
      expect(checkGcsIam('b', SA, publicOnly, noDefinitions, { publicAccessPrevention: 'inherited', orgPublicAccessPrevention: org }).result).toBe('fail');
    });
    it('inherited, and the organization does not enforce it: the public grant reads, a warning', () => {
      const org = value({ spec: { rules: [{ enforce: false }] } });
      const outcome = checkGcsIam('b', SA, publicOnly, noDefinitions, { publicAccessPrevention: 'inherited', orgPublicAccessPrevention: org });
      expect(outcome).toMatchObject({ result: 'warn', detail: expect.stringContaining('anyone can read the objects') });
      expect(outcome.detail).not.toContain('could not be read');
    });
    it('inherited, and the organization policy could not be read: a warning that says so', () => {
      const outcome = checkGcsIam('b', SA, publicOnly, noDefinitions, { publicAccessPrevention: 'inherited', orgPublicAccessPrevention: denied });
      expect(outcome).toMatchObject({ result: 'warn', detail: expect.stringContaining('storage.publicAccessPrevention, which could not be read') });
    });
    it('enforced: the service account\'s own binding still grants', () => {
      const p = policy({ role: 'roles/storage.objectViewer', members: ['allUsers', MEMBER] });
      expect(checkGcsIam('b', SA, p, noDefinitions, { publicAccessPrevention: 'enforced' })).toMatchObject({ result: 'warn', detail: expect.stringContaining(`${MEMBER} is bound to roles/storage.objectViewer`) });
    });
    it('reads a boolean constraint as enforced only from an unconditional enforce: true rule', () => {
      expect(constraintEnforced({ spec: { rules: [{ enforce: true }] } })).toBe(true);
      expect(constraintEnforced({ spec: { rules: [{ enforce: true, condition: { expression: 'resource.matchTag("env", "prod")' } }] } })).toBe(false);
      expect(constraintEnforced({ spec: { rules: [{ enforce: false }] } })).toBe(false);
      expect(constraintEnforced({})).toBe(false);
    });
  });

  describe('the project\'s allow policy (read when the troubleshooter cannot answer)', () => {
    it('a grant on the project warns, saying folders, the organization and deny policies were not read', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { project: { number: '123456789012', policy: policy({ role: 'roles/storage.objectViewer', members: [MEMBER] }) } });
      expect(outcome.result).toBe('warn');
      expect(outcome.detail).toContain('on project 123456789012');
      expect(outcome.detail).toContain('Not read: the Policy Troubleshooter was not asked; the folder and organization allow policies; IAM deny policies');
    });
    it('fails when neither the bucket nor the project grants, naming both', () => {
      expect(checkGcsIam('b', SA, none, noDefinitions, { project: { number: '123456789012', policy: policy() } }))
        .toMatchObject({ result: 'fail', detail: expect.stringContaining('on the bucket or project 123456789012') });
      expect(checkGcsIam('b', SA, none, noDefinitions, { project: { number: '123456789012', policy: policy({ role: 'roles/storage.objectCreator', members: [MEMBER] }) } }))
        .toMatchObject({ result: 'fail', detail: expect.stringContaining('is bound on project 123456789012, but no role of it holds storage.objects.get') });
    });
    it('a custom role on the project whose definition could not be read: could not run', () => {
      const role = 'projects/acme/roles/reader';
      const outcome = checkGcsIam('b', SA, none, new Map([[role, denied]]), { project: { number: '1', policy: policy({ role, members: [MEMBER] }) } });
      expect(outcome).toMatchObject({ result: 'not-checked', couldNotRun: true });
    });
    it('fails when the project policy could not be read and the bucket grants nothing, naming the failed read', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { project: { number: '123456789012', policy: denied } });
      expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining('the allow policy of project 123456789012 (403 Forbidden)') });
    });
  });

  describe('the Policy Troubleshooter (https://cloud.google.com/policy-intelligence/docs/troubleshoot-access)', () => {
    it('passes when Google says CAN_ACCESS for every object, whatever the bucket policy shows', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { troubleshoot: asked(['images/cat.jpg', answer('CAN_ACCESS')], ['images/dog.jpg', answer('CAN_ACCESS')]) });
      expect(outcome).toMatchObject({ result: 'pass', detail: expect.stringContaining('can get images/cat.jpg, images/dog.jpg') });
    });
    it('fails on CANNOT_ACCESS even with a bucket binding: a deny policy wins, and the fix names where it is attached', () => {
      const denying = answer('CANNOT_ACCESS', {
        allowPolicyExplanation: { allowAccessState: 'ALLOW_ACCESS_STATE_GRANTED' },
        denyPolicyExplanation: { denyAccessState: 'DENY_ACCESS_STATE_DENIED', explainedResources: [{ fullResourceName: '//cloudresourcemanager.googleapis.com/projects/acme', denyAccessState: 'DENY_ACCESS_STATE_DENIED' }] },
      });
      const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [MEMBER] }), noDefinitions, { troubleshoot: asked(['images/cat.jpg', denying]) });
      expect(outcome.result).toBe('fail');
      expect(outcome.detail).toContain('allow policies: GRANTED; deny policies: DENIED');
      expect(outcome.fix).toContain('A deny policy attached to //cloudresourcemanager.googleapis.com/projects/acme');
    });
    it('fails on CANNOT_ACCESS without a deny with the binding command', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { troubleshoot: asked(['k', answer('CANNOT_ACCESS', { allowPolicyExplanation: { allowAccessState: 'ALLOW_ACCESS_STATE_NOT_GRANTED' } })]) });
      expect(outcome).toMatchObject({ result: 'fail', fix: expect.stringContaining('add-iam-policy-binding gs://b') });
    });
    it('one object refused among granted ones is a failure', () => {
      expect(checkGcsIam('b', SA, none, noDefinitions, { troubleshoot: asked(['a', answer('CAN_ACCESS')], ['b', answer('CANNOT_ACCESS')]) }).result).toBe('fail');
    });
    it('a refusal decides even when the question about another object failed or lacked information: no fallback to a bucket binding', () => {
      const bound = policy({ role: 'roles/storage.objectViewer', members: [MEMBER] });
      expect(checkGcsIam('b', SA, bound, noDefinitions, { troubleshoot: asked(['a', denied], ['b', answer('CANNOT_ACCESS')]) }).result).toBe('fail');
      expect(checkGcsIam('b', SA, bound, noDefinitions, { troubleshoot: asked(['a', answer('UNKNOWN_INFO')], ['b', answer('CANNOT_ACCESS')]) }).result).toBe('fail');
    });
    it('a grant needs every object: CAN_ACCESS beside UNKNOWN_INFO falls back to the policies read', () => {
      expect(checkGcsIam('b', SA, none, noDefinitions, { troubleshoot: asked(['a', answer('CAN_ACCESS')], ['b', answer('UNKNOWN_INFO')]) })).toMatchObject({ result: 'fail', detail: expect.stringContaining('UNKNOWN_INFO') });
      expect(checkGcsIam('b', SA, none, noDefinitions, { troubleshoot: asked(['a', answer('CAN_ACCESS')], ['b', answer('OVERALL_ACCESS_STATE_UNSPECIFIED')]) }).result).toBe('fail');
      expect(checkGcsIam('b', SA, none, noDefinitions, { troubleshoot: asked(['a', value({})]) }).result).toBe('fail');
    });
    it('conditional on one object, granted on the other: a warning naming the conditional one', () => {
      expect(checkGcsIam('b', SA, none, noDefinitions, { troubleshoot: asked(['a', answer('CAN_ACCESS')], ['b', answer('UNKNOWN_CONDITIONAL')]) }))
        .toMatchObject({ result: 'warn', detail: expect.stringContaining('can get b only where a condition holds') });
    });
    it('warns on UNKNOWN_CONDITIONAL', () => {
      expect(checkGcsIam('b', SA, none, noDefinitions, { troubleshoot: asked(['a', answer('UNKNOWN_CONDITIONAL')]) }).result).toBe('warn');
    });
    it('falls back to the policies it read on UNKNOWN_INFO or a failed call, saying why', () => {
      const bound = policy({ role: 'roles/storage.objectViewer', members: [MEMBER] });
      const info = checkGcsIam('b', SA, bound, noDefinitions, { troubleshoot: asked(['a', answer('UNKNOWN_INFO')]) });
      expect(info).toMatchObject({ result: 'warn', detail: expect.stringContaining('UNKNOWN_INFO') });
      const refused = checkGcsIam('b', SA, none, noDefinitions, { troubleshoot: asked(['a', answer('CAN_ACCESS')], ['b', denied]) });
      expect(refused).toMatchObject({ result: 'fail', detail: expect.stringContaining('the Policy Troubleshooter could not answer for b (403 Forbidden)') });
    });
  });

  describe('domain-restricted sharing: https://cloud.google.com/resource-manager/docs/organization-policy/restricting-domains', () => {
    const restricted = value({ spec: { rules: [{ values: { allowedValues: ['C0abc123'] } }] } });
    it('a missing grant where the constraint restricts: the detail says the binding would be refused, the fix what to change', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { memberDomains: restricted });
      expect(outcome.result).toBe('fail');
      expect(outcome.detail).toContain('iam.allowedPolicyMemberDomains');
      expect(outcome.fix).toContain('allows only ["C0abc123"]');
      expect(outcome.fix).toContain('customer ID');
    });
    it('an existing grant is not affected (the constraint is checked when a binding is made)', () => {
      const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [MEMBER] }), noDefinitions, { memberDomains: restricted });
      expect(outcome.result).toBe('warn');
      expect(outcome.detail).not.toContain('allowedPolicyMemberDomains');
      expect(outcome.fix).not.toContain('allowedPolicyMemberDomains');
    });
    it('reads the constraint: allowAll or no rule does not restrict; denyAll allows nothing', () => {
      expect(memberDomainsRestriction({})).toBeUndefined();
      expect(memberDomainsRestriction({ spec: { rules: [{ allowAll: true }] } })).toBeUndefined();
      expect(memberDomainsRestriction({ spec: { rules: [{ denyAll: true }] } })).toEqual([]);
      expect(memberDomainsRestriction({ spec: { rules: [{ values: { allowedValues: ['C01', 'is:C02'] } }] } })).toEqual(['C01', 'is:C02']);
      expect(checkGcsIam('b', SA, none, noDefinitions, { memberDomains: value({ spec: { rules: [{ allowAll: true }] } }) }).fix).not.toContain('allowedPolicyMemberDomains');
    });
  });

  describe('both constraints that refuse binding an outside principal, allowed / denied / unset / unreadable (https://cloud.google.com/organization-policy/docs/restricting-domains)', () => {
    // The managed constraint: enforced, only allowedMemberSubjects ("serviceAccount:EMAIL", ...) and the
    // principals inside allowedPrincipalSets may be bound; checked when a binding is made.
    const managed = (rule: Record<string, unknown>) => value({ spec: { rules: [rule] } });
    const orgSet = '//cloudresourcemanager.googleapis.com/organizations/42';
    const deniedManaged = managed({ enforce: true, parameters: { allowedMemberSubjects: ['user:admin@acme.example'], allowedPrincipalSets: [orgSet] } });
    const MANAGED = 'iam.managed.allowedPolicyMembers';
    it('managed, denied: the failure says the binding would be refused and the fix adds the service account to allowedMemberSubjects', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { managedMembers: deniedManaged });
      expect(outcome.result).toBe('fail');
      expect(outcome.detail).toContain(`${MANAGED} is enforced for the project and does not name ${MEMBER} among its allowedMemberSubjects: it would refuse the binding unless one of its principal sets holds Segments' service account`);
      expect(outcome.fix).toContain(`allows only the subjects ["user:admin@acme.example"] and the principal sets ["${orgSet}"]`);
      expect(outcome.fix).toContain(`add ${MEMBER} to parameters.allowedMemberSubjects`);
      expect(outcome.fix).toContain(`projects/PROJECT_ID/policies/${MANAGED}`);
      // The binding command comes first: the constraint changes, then the binding.
      expect(outcome.fix?.indexOf('add-iam-policy-binding')).toBeLessThan(outcome.fix?.indexOf(MANAGED) ?? -1);
    });
    it('managed, denied with no principal set: refused outright', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { managedMembers: managed({ enforce: true, parameters: { allowedMemberSubjects: [] } }) });
      expect(outcome.detail).toContain('it would refuse the binding: see the fix');
      expect(outcome.fix).toContain('allows only the subjects [] and no principal set');
    });
    it('managed, enforced only under a condition: said so', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { managedMembers: managed({ enforce: true, condition: { expression: 'resource.matchTag("123/env", "prod")' } }) });
      expect(outcome.detail).toContain(`${MANAGED} is enforced for the project under a condition`);
    });
    it('managed, allowed: the service account is among the subjects (its email in any case), so nothing is said of it', () => {
      const allowed = managed({ enforce: true, parameters: { allowedMemberSubjects: ['user:admin@acme.example', `serviceAccount:${SA.toUpperCase()}`] } });
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { managedMembers: allowed });
      expect(outcome.result).toBe('fail');
      expect(outcome.detail).not.toContain(MANAGED);
      expect(outcome.fix).not.toContain(MANAGED);
    });
    it('managed, unset or not enforced: nothing is said of it', () => {
      for (const policy of [value({}), managed({ enforce: false, parameters: { allowedMemberSubjects: [] } })]) {
        const outcome = checkGcsIam('b', SA, none, noDefinitions, { managedMembers: policy });
        expect(outcome.detail).not.toContain(MANAGED);
        expect(outcome.fix).not.toContain(MANAGED);
      }
    });
    it('managed or legacy, unreadable: the failure says it was not read and the permission that reads it', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { managedMembers: denied, memberDomains: { failed: 'error', message: 'socket hang up' } });
      expect(outcome.result).toBe('fail');
      expect(outcome.detail).toContain(`Not read either, so not known to refuse a new binding of ${MEMBER}: the project's organization policies ` +
        `iam.allowedPolicyMemberDomains (socket hang up), ${MANAGED} (403 Forbidden) (the caller needs orgpolicy.policy.get)`);
      expect(checkGcsIam('b', SA, none, noDefinitions, { memberDomains: denied }).detail).toContain('organization policies iam.allowedPolicyMemberDomains (403 Forbidden) (the caller');
      // Not read because the project is unknown is not a failed read: nothing said.
      expect(checkGcsIam('b', SA, none, noDefinitions).detail).not.toContain('Not read either');
    });
    it('legacy and managed both restricting: both named, each with its fix', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { managedMembers: deniedManaged, memberDomains: value({ spec: { rules: [{ values: { allowedValues: ['C0abc123'] } }] } }) });
      expect(outcome.detail).toContain('Domain-restricted sharing (iam.allowedPolicyMemberDomains) is on for the project and would refuse the binding');
      expect(outcome.detail).toContain(`${MANAGED} is enforced for the project and does not name`);
      expect(outcome.fix).toContain('customer ID');
      expect(outcome.fix).toContain('parameters.allowedMemberSubjects');
    });
    it('an existing binding is not affected by either (both are checked when a binding is made)', () => {
      const outcome = checkGcsIam('b', SA, policy({ role: 'roles/storage.objectViewer', members: [MEMBER] }), noDefinitions, { managedMembers: deniedManaged, memberDomains: denied });
      expect(outcome.result).toBe('warn');
      expect(`${outcome.detail} ${outcome.fix}`).not.toMatch(/allowedPolicyMember/);
    });
    it('a refusal by a deny policy does not blame the constraints: the fix is the deny policy', () => {
      const denying = answer('CANNOT_ACCESS', { denyPolicyExplanation: { explainedResources: [{ fullResourceName: '//cloudresourcemanager.googleapis.com/organizations/42', denyAccessState: 'DENY_ACCESS_STATE_DENIED' }] } });
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { managedMembers: deniedManaged, troubleshoot: asked(['k', denying]) });
      expect(outcome.result).toBe('fail');
      expect(`${outcome.detail} ${outcome.fix}`).not.toMatch(/allowedPolicyMember/);
      expect(outcome.fix).toContain('A deny policy attached to //cloudresourcemanager.googleapis.com/organizations/42');
    });
    it('legacy denyAll: no outside principal at all', () => {
      expect(checkGcsIam('b', SA, none, noDefinitions, { memberDomains: value({ spec: { rules: [{ denyAll: true }] } }) }).fix)
        .toContain('iam.allowedPolicyMemberDomains (domain-restricted sharing) allows only no outside principal');
    });
    it('a refusal by the troubleshooter without a deny policy names the constraint too', () => {
      const outcome = checkGcsIam('b', SA, none, noDefinitions, { managedMembers: deniedManaged, troubleshoot: asked(['k', answer('CANNOT_ACCESS')]) });
      expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining(`${MANAGED} is enforced`), fix: expect.stringContaining('parameters.allowedMemberSubjects') });
    });
    it('reads the managed constraint: every enforcing rule counts; enforce false or no rule does not restrict', () => {
      expect(allowedPolicyMembers({})).toBeUndefined();
      expect(allowedPolicyMembers({ spec: { rules: [{ enforce: false }] } })).toBeUndefined();
      expect(allowedPolicyMembers({ spec: { rules: [{ enforce: true }] } })).toEqual({ subjects: [], principalSets: [], conditional: false });
      expect(allowedPolicyMembers({ spec: { rules: [
        { enforce: true, parameters: { allowedMemberSubjects: ['user:a@x'] }, condition: { expression: 'c' } },
        { enforce: true, parameters: { allowedMemberSubjects: ['user:b@x'], allowedPrincipalSets: [orgSet] } },
      ] } })).toEqual({ subjects: ['user:a@x', 'user:b@x'], principalSets: [orgSet], conditional: false });
      expect(allowedPolicyMembers({ spec: { rules: [{ enforce: true, condition: { expression: 'c' } }, { enforce: false }] } })?.conditional).toBe(true);
    });
  });
});

describe('gcs.cors: Google matches origins literally', () => {
  const origins = ['https://app.segments.ai', 'https://segments.ai'];
  it('passes each origin with a GET entry, and shows its responseHeader', () => {
    const outcomes = checkGcsCors('b', value([{ origin: ['https://segments.ai', 'https://app.segments.ai'], method: ['GET'], responseHeader: ['*'] }]), origins);
    expect(outcomes[1].detail).toContain('Entry #1 allows GET from https://segments.ai');
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
  it('passes for origin "*" and method "*" with responseHeader ["*"]', () => {
    expect(checkGcsCors('b', value([{ origin: ['*'], method: ['*'], responseHeader: ['*'] }]), ['https://app.segments.ai'])[0].result).toBe('pass');
  });
  describe('the headers a preflight asks for: https://cloud.google.com/storage/docs/cross-origin', () => {
    // Google answers a preflight naming request headers only when the entry's responseHeader lists each (or "*"),
    // and takes the first entry matching origin and method (https://cloud.google.com/storage/docs/xml-api/put-bucket-cors).
    it.each([[[]], [['Content-Type']], [undefined]])('fails for responseHeader %j: a preflight naming Range is refused', (responseHeader) => {
      const [outcome] = checkGcsCors('b', value([{ origin: ['https://app.segments.ai'], method: ['GET'], ...(responseHeader === undefined ? {} : { responseHeader }) }]), ['https://app.segments.ai']);
      expect(outcome).toMatchObject({ result: 'fail', detail: expect.stringContaining('does not list Range') });
      expect(outcome.fix).toContain('"responseHeader":["*"]');
    });
    it.each([[['*']], [['Range']], [['range']], [['Content-Type', 'Range']]])('passes for responseHeader %j', (responseHeader) => {
      expect(checkGcsCors('b', value([{ origin: ['https://app.segments.ai'], method: ['GET'], responseHeader }]), ['https://app.segments.ai'])[0].result).toBe('pass');
    });
    it('a later entry that lists Range does not help: the first entry matching origin and method answers', () => {
      const entries = [{ origin: ['https://app.segments.ai'], method: ['GET'], responseHeader: [] }, { origin: ['*'], method: ['GET'], responseHeader: ['*'] }];
      expect(checkGcsCors('b', value(entries), ['https://app.segments.ai'])[0]).toMatchObject({ result: 'fail', detail: expect.stringContaining('Entry #1') });
    });
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
