/**
 * `verify gcs`'s REST reads (fetch.ts) in process, against a local HTTP server that answers as
 * Google documents: the Policy Troubleshooter (v3 `iam:troubleshoot`), Resource Manager's
 * `getIamPolicy`, the Org Policy API's effective policies and IAM's roles. The storage SDK is a
 * fake here (gcs-edge.test.ts runs the real one in a child process).
 */
import { GcpCall, GcsBucketClient } from '../../src/verify/gcs/fetch';
import { GcsCorsEntry } from '../../src/verify/gcs/cors';
import { verifyGcs } from '../../src/verify/gcs/run';
import { exitCodeOf } from '../../src/verify/report';
import { sendPreflight } from '../../src/verify/preflight-answer';
import { LocalServer, startLocalServer } from './local-server';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';
const BUCKET = 'acme-images';
const VENDOR_CORS: GcsCorsEntry[] = [{ origin: ['https://app.segments.ai', 'https://segments.ai'], method: ['GET'], responseHeader: ['*'], maxAgeSeconds: 3600 }];

describe('the Google REST reads, in process, against a local server answering as Google documents', () => {
  let api: LocalServer;
  beforeAll(async () => {
    api = await startLocalServer();
  });
  afterAll(async () => {
    await api.close();
  });
  /** What google-auth-library's `auth.request` does for verify gcs: GET, or POST of JSON; a non-2xx answer throws with `status`. */
  const call: GcpCall = async (url, body) => {
    const response = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = await response.json().catch(() => ({})) as { error?: { message?: string } };
    if (!response.ok) {
      throw Object.assign(new Error(json.error?.message ?? response.statusText), { status: response.status });
    }
    return json;
  };
  const bucketClient = (metadata: Record<string, unknown>, bindings: unknown[] = []): GcsBucketClient => ({
    getMetadata: async () => [metadata],
    iam: { getPolicy: async () => [{ bindings }] },
    file: () => ({ getMetadata: async () => [{ size: '42' }] }),
  });
  const bodies: unknown[] = [];
  const verify = (bucket: GcsBucketClient, keys = ['images/cat.jpg']) => verifyGcs(
    { bucket: BUCKET, serviceAccount: SA, keys, origins: ['https://app.segments.ai'] }, { offline: true },
    { bucket, gcpCall: async (url, body) => { bodies.push(body); return call(url, body); }, publicEndpoint: api.url, preflight: sendPreflight,
      endpoints: { iam: `${api.url}/iam`, troubleshooter: `${api.url}/pt`, resourceManager: `${api.url}/crm`, orgPolicy: `${api.url}/op` } });
  const iamOf = (report: Awaited<ReturnType<typeof verify>>) => report.checks.find((c) => c.id === 'gcs.iam');
  const metadata = { name: BUCKET, projectNumber: '123456789012', iamConfiguration: { uniformBucketLevelAccess: { enabled: true } }, cors: VENDOR_CORS };
  beforeEach(() => {
    bodies.length = 0;
    api.requests.length = 0;
  });

  it('asks the troubleshooter per --key with the documented access tuple, and passes on CAN_ACCESS with no bucket binding', async () => {
    api.routes = { 'POST /pt/iam:troubleshoot': { status: 200, body: { overallAccessState: 'CAN_ACCESS', allowPolicyExplanation: { allowAccessState: 'ALLOW_ACCESS_STATE_GRANTED' } } } };
    const report = await verify(bucketClient(metadata), ['images/cat.jpg', 'images/dog.jpg']);
    expect(iamOf(report)).toMatchObject({ result: 'pass', detail: expect.stringContaining('Policy Troubleshooter') });
    expect(bodies).toEqual(expect.arrayContaining([
      { accessTuple: { principal: SA, fullResourceName: `//storage.googleapis.com/projects/_/buckets/${BUCKET}/objects/images/cat.jpg`, permission: 'storage.objects.get' } },
      { accessTuple: { principal: SA, fullResourceName: `//storage.googleapis.com/projects/_/buckets/${BUCKET}/objects/images/dog.jpg`, permission: 'storage.objects.get' } },
    ]));
  });

  it('without --key asks about an object name of the bucket', async () => {
    api.routes = { 'POST /pt/iam:troubleshoot': { status: 200, body: { overallAccessState: 'CAN_ACCESS' } } };
    await verify(bucketClient(metadata), []);
    expect(bodies).toContainEqual({ accessTuple: expect.objectContaining({ fullResourceName: `//storage.googleapis.com/projects/_/buckets/${BUCKET}/objects/segments-verify-any-object` }) });
  });

  it('a deny policy the troubleshooter reports fails, exit 1, though the bucket binds the role', async () => {
    api.routes = { 'POST /pt/iam:troubleshoot': { status: 200, body: {
      overallAccessState: 'CANNOT_ACCESS', allowPolicyExplanation: { allowAccessState: 'ALLOW_ACCESS_STATE_GRANTED' },
      denyPolicyExplanation: { denyAccessState: 'DENY_ACCESS_STATE_DENIED', explainedResources: [{ fullResourceName: '//cloudresourcemanager.googleapis.com/organizations/42', denyAccessState: 'DENY_ACCESS_STATE_DENIED' }] },
    } } };
    const report = await verify(bucketClient(metadata, [{ role: 'roles/storage.objectViewer', members: [`serviceAccount:${SA}`] }]));
    expect(iamOf(report)).toMatchObject({ result: 'fail', fix: expect.stringContaining('organizations/42') });
    expect(exitCodeOf(report.checks)).toBe(1);
  });

  it('the troubleshooter refused (403): reads the project\'s allow policy with POST getIamPolicy (version 3); a project grant warns (deny policies unread), exit 0', async () => {
    api.routes = {
      'POST /pt/iam:troubleshoot': { status: 403, body: { error: { code: 403, message: 'The caller does not have permission' } } },
      'POST /crm/projects/123456789012:getIamPolicy': { status: 200, body: { version: 3, bindings: [{ role: 'roles/storage.objectViewer', members: [`serviceAccount:${SA}`] }] } },
    };
    const report = await verify(bucketClient(metadata));
    expect(iamOf(report)).toMatchObject({ result: 'warn', detail: expect.stringContaining('on project 123456789012'), fix: expect.stringContaining('iam.denypolicies.get') });
    expect(iamOf(report)?.detail).toContain('the Policy Troubleshooter could not answer for images/cat.jpg (403 The caller does not have permission)');
    expect(bodies).toContainEqual({ options: { requestedPolicyVersion: 3 } });
    expect(api.requests).toEqual(expect.arrayContaining([
      'GET /op/projects/123456789012/policies/iam.allowedPolicyMemberDomains:getEffectivePolicy',
      'GET /op/projects/123456789012/policies/iam.managed.allowedPolicyMembers:getEffectivePolicy',
      'GET /op/projects/123456789012/policies/storage.publicAccessPrevention:getEffectivePolicy',
    ]));
  });

  it('a custom role on the project is read from the IAM API', async () => {
    api.routes = {
      'POST /crm/projects/123456789012:getIamPolicy': { status: 200, body: { bindings: [{ role: 'projects/acme/roles/segmentsObjectReader', members: [`serviceAccount:${SA}`] }] } },
      'GET /iam/projects/acme/roles/segmentsObjectReader': { status: 200, body: { name: 'projects/acme/roles/segmentsObjectReader', includedPermissions: ['storage.objects.get'] } },
    };
    expect(iamOf(await verify(bucketClient(metadata)))).toMatchObject({ result: 'warn', detail: expect.stringContaining('is bound to projects/acme/roles/segmentsObjectReader on project 123456789012, which holds storage.objects.get') });
  });

  it('nothing readable and no binding: exit 1; domain-restricted sharing named when it restricts', async () => {
    api.routes = {
      'GET /op/projects/123456789012/policies/iam.allowedPolicyMemberDomains:getEffectivePolicy': { status: 200, body: { name: 'projects/123456789012/policies/iam.allowedPolicyMemberDomains', spec: { rules: [{ values: { allowedValues: ['C03xyz789'] } }] } } },
    };
    const report = await verify(bucketClient(metadata));
    expect(iamOf(report)).toMatchObject({ result: 'fail', detail: expect.stringContaining('iam.allowedPolicyMemberDomains'), fix: expect.stringContaining('C03xyz789') });
    expect(exitCodeOf(report.checks)).toBe(1);
  });

  it('the managed constraint iam.managed.allowedPolicyMembers read from the Org Policy API refuses the binding: named, exit 1', async () => {
    api.routes = {
      'GET /op/projects/123456789012/policies/iam.managed.allowedPolicyMembers:getEffectivePolicy': { status: 200, body: {
        name: 'projects/123456789012/policies/iam.managed.allowedPolicyMembers',
        spec: { rules: [{ enforce: true, parameters: { allowedMemberSubjects: ['user:admin@acme.example'], allowedPrincipalSets: ['//cloudresourcemanager.googleapis.com/organizations/42'] } }] },
      } },
    };
    const report = await verify(bucketClient(metadata));
    expect(iamOf(report)).toMatchObject({ result: 'fail', detail: expect.stringContaining('iam.managed.allowedPolicyMembers is enforced for the project'), fix: expect.stringContaining(`add serviceAccount:${SA} to parameters.allowedMemberSubjects`) });
    expect(exitCodeOf(report.checks)).toBe(1);
  });
});
