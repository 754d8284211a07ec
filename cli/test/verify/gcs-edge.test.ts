/**
 * `verify gcs` end to end through the real `@google-cloud/storage`, pointed with
 * STORAGE_EMULATOR_HOST at a local server that speaks the JSON API's few endpoints
 * (`/b/{bucket}`, `/b/{bucket}/iam`, `/b/{bucket}/o/{object}`) and answers the browser's preflight.
 * Every result reaches the exit code: 0 pass, 1 fail, 3 could not run (naming the permission).
 * The CLI runs in its own process (tsx on cli/src/main.ts): the SDK's HTTP layer (gaxios) loads
 * node-fetch with a dynamic import, which jest's module sandbox refuses.
 */
import { execFile } from 'child_process';
import * as path from 'path';
import { GcsRoleDefinition } from '../../src/verify/gcs/roles';
import { GcpCall, GcsBucketClient, fetchGcsRoles, gcpFailure } from '../../src/verify/gcs/fetch';
import { GcsCorsEntry } from '../../src/verify/gcs/cors';
import { verifyGcs } from '../../src/verify/gcs/run';
import { exitCodeOf } from '../../src/verify/report';
import { sendPreflight } from '../../src/verify/preflight-answer';
import { LocalServer, Routes, startLocalServer } from './local-server';
import { googlePreflight } from './gcs-stand-in';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';
const BUCKET = 'acme-images';
const VENDOR_CORS: GcsCorsEntry[] = [{ origin: ['https://app.segments.ai', 'https://segments.ai'], method: ['GET'], responseHeader: ['*'], maxAgeSeconds: 3600 }];
const GOOD: Routes = {
  [`GET /b/${BUCKET}`]: { status: 200, body: { name: BUCKET, iamConfiguration: { uniformBucketLevelAccess: { enabled: true } }, cors: VENDOR_CORS } },
  [`GET /b/${BUCKET}/iam`]: { status: 200, body: { version: 3, bindings: [{ role: 'roles/storage.objectViewer', members: [`serviceAccount:${SA}`] }] } },
  [`GET /b/${BUCKET}/o/images%2Fcat.jpg`]: { status: 200, body: { name: 'images/cat.jpg', size: '42', contentType: 'image/jpeg' } },
  [`OPTIONS /${BUCKET}/images/cat.jpg`]: googlePreflight(VENDOR_CORS),
};

const ROOT = path.join(__dirname, '..', '..', '..');
let server: LocalServer;
let emulator = '';
beforeAll(async () => {
  server = await startLocalServer(GOOD);
  emulator = server.url;
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.routes = { ...GOOD };
  server.requests.length = 0;
});

/** Runs `segments-cloud verify gcs ... --json` in a child process against the emulator host. */
function runCli(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  return new Promise((resolve) => {
    execFile(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'cli', 'src', 'main.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, STORAGE_EMULATOR_HOST: emulator },
    }, (error, stdout, stderr) => resolve({ stdout, stderr, exitCode: error === null ? 0 : Number(error.code) }));
  });
}

const run = async (...extra: string[]) => {
  const result = await runCli(['verify', 'gcs', '--bucket', BUCKET, '--service-account', SA, '--key', 'images/cat.jpg', '--json', ...extra]);
  const report = JSON.parse(result.stdout || '{"checks":[]}') as { checks: { id: string; target: string | null; result: string; detail: string; fix: string | null }[] };
  return { ...result, report, results: report.checks.map((c) => `${c.id}${c.target === null ? '' : ` ${c.target}`}: ${c.result}`) };
};

describe('verify gcs over the storage SDK', () => {
  it('passes a bucket set up as the vendor doc says, exit 0, reading through the JSON API paths', async () => {
    const { exitCode, results, stderr } = await run();
    expect(stderr).toBe('');
    expect(results).toEqual([
      'gcs.bucket: pass',
      'gcs.iam: pass',
      'gcs.cors https://app.segments.ai: pass',
      'gcs.cors https://segments.ai: pass',
      'gcs.object images/cat.jpg: pass',
      'gcs.preflight https://app.segments.ai: pass',
      'gcs.preflight https://segments.ai: pass',
    ]);
    expect(exitCode).toBe(0);
    expect(server.requests).toEqual(expect.arrayContaining([`GET /b/${BUCKET}?`, `GET /b/${BUCKET}/iam?optionsRequestedPolicyVersion=3`, `GET /b/${BUCKET}/o/images%2Fcat.jpg?`]));
  });

  it('no binding for the service account (only the default legacy bindings) is exit 1, with the binding command', async () => {
    server.routes = { ...GOOD, [`GET /b/${BUCKET}/iam`]: { status: 200, body: { version: 3, bindings: [{ role: 'roles/storage.legacyBucketOwner', members: ['projectOwner:acme'] }, { role: 'roles/storage.legacyBucketReader', members: ['projectViewer:acme'] }] } } };
    const { report, exitCode } = await run();
    expect(report.checks.find((c) => c.id === 'gcs.iam')).toMatchObject({ result: 'fail', detail: expect.stringContaining('Not read:'), fix: expect.stringContaining(`add-iam-policy-binding gs://${BUCKET} --member=serviceAccount:${SA}`) });
    expect(exitCode).toBe(1);
  });

  it('allUsers with public access prevention enforced grants nothing: exit 1', async () => {
    server.routes = {
      ...GOOD,
      [`GET /b/${BUCKET}`]: { status: 200, body: { name: BUCKET, iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' }, cors: VENDOR_CORS } },
      [`GET /b/${BUCKET}/iam`]: { status: 200, body: { version: 3, bindings: [{ role: 'roles/storage.objectViewer', members: ['allUsers'] }] } },
    };
    const { report, exitCode } = await run();
    expect(report.checks.find((c) => c.id === 'gcs.iam')).toMatchObject({ result: 'fail', detail: expect.stringContaining('public access prevention is enforced') });
    expect(exitCode).toBe(1);
  });

  it('sends both preflights: without a request header, and naming range; responseHeader [] fails the second', async () => {
    const entries: GcsCorsEntry[] = [{ origin: ['https://app.segments.ai', 'https://segments.ai'], method: ['GET'], responseHeader: [] }];
    server.routes = { ...GOOD, [`GET /b/${BUCKET}`]: { status: 200, body: { name: BUCKET, iamConfiguration: { uniformBucketLevelAccess: { enabled: true } }, cors: entries } }, [`OPTIONS /${BUCKET}/images/cat.jpg`]: googlePreflight(entries) };
    const { results, report, exitCode } = await run();
    expect(results).toEqual(expect.arrayContaining(['gcs.cors https://app.segments.ai: fail', 'gcs.preflight https://app.segments.ai: fail']));
    expect(report.checks.find((c) => c.id === 'gcs.preflight')?.detail).toContain('Access-Control-Request-Headers: range answered 200 with no Access-Control-Allow-Origin');
    expect(server.requests.filter((r) => r.startsWith('OPTIONS'))).toHaveLength(4);
    expect(exitCode).toBe(1);
  });

  it('--offline sends no preflight', async () => {
    const { results, exitCode } = await run('--offline');
    expect(results).toContain('gcs.preflight: not-checked');
    expect(server.requests.filter((r) => r.startsWith('OPTIONS'))).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('fails (exit 1) for requester pays, a missing object and a preflight without Allow-Origin', async () => {
    server.routes = {
      ...GOOD,
      [`GET /b/${BUCKET}`]: { status: 200, body: { name: BUCKET, iamConfiguration: { uniformBucketLevelAccess: { enabled: true } }, billing: { requesterPays: true }, cors: [] } },
      [`GET /b/${BUCKET}/o/images%2Fcat.jpg`]: { status: 404, body: { error: { code: 404, message: 'No such object' } } },
      [`OPTIONS /${BUCKET}/images/cat.jpg`]: { status: 200 },
    };
    const { results, exitCode } = await run();
    expect(results).toEqual(expect.arrayContaining(['gcs.bucket: fail', 'gcs.cors https://app.segments.ai: fail', 'gcs.object images/cat.jpg: fail', 'gcs.preflight https://app.segments.ai: fail']));
    expect(exitCode).toBe(1);
  });

  it('access denied on the IAM policy is exit 3, naming storage.buckets.getIamPolicy', async () => {
    server.routes = { ...GOOD, [`GET /b/${BUCKET}/iam`]: { status: 403, body: { error: { code: 403, message: 'caller does not have storage.buckets.getIamPolicy access' } } } };
    const { report, exitCode } = await run();
    const iam = report.checks.find((c) => c.id === 'gcs.iam');
    expect(iam).toMatchObject({ result: 'not-checked', fix: expect.stringContaining('storage.buckets.getIamPolicy') });
    expect(exitCode).toBe(3);
  });

  it('a custom role cannot be read from an emulator: exit 3, naming iam.roles.get', async () => {
    server.routes = { ...GOOD, [`GET /b/${BUCKET}/iam`]: { status: 200, body: { bindings: [{ role: 'projects/acme/roles/segmentsObjectReader', members: [`serviceAccount:${SA}`] }] } } };
    const { report, exitCode } = await run();
    expect(report.checks.find((c) => c.id === 'gcs.iam')).toMatchObject({ result: 'not-checked', detail: expect.stringContaining('no IAM API'), fix: expect.stringContaining('iam.roles.get on projects/acme') });
    expect(exitCode).toBe(3);
  });

  it('a network error is exit 3 on every read, and no check passes', async () => {
    const down = await startLocalServer();
    await down.close();
    emulator = down.url;
    try {
      const { report, exitCode } = await run();
      expect(report.checks.filter((c) => c.result === 'pass')).toEqual([]);
      expect(report.checks.find((c) => c.id === 'gcs.bucket')).toMatchObject({ result: 'not-checked', fix: expect.stringContaining('storage.buckets.get') });
      expect(report.checks.find((c) => c.id === 'gcs.preflight')).toMatchObject({ result: 'not-checked', detail: expect.stringContaining('ECONNREFUSED') });
      expect(exitCode).toBe(3);
    } finally {
      emulator = server.url;
    }
  });
});

describe('roles read from the IAM REST API', () => {
  it('reads each role at {endpoint}/{role}, and maps 403 and 404', async () => {
    const urls: string[] = [];
    const get = async (url: string): Promise<unknown> => {
      urls.push(url);
      if (url.endsWith('/denied')) {
        throw Object.assign(new Error('Permission iam.roles.get denied'), { status: 403 });
      }
      if (url.endsWith('/gone')) {
        throw Object.assign(new Error('not found'), { response: { status: 404 } });
      }
      return { name: 'projects/acme/roles/ok', includedPermissions: ['storage.objects.get'] } satisfies GcsRoleDefinition;
    };
    const roles = await fetchGcsRoles(get, ['projects/acme/roles/ok', 'projects/acme/roles/denied', 'projects/acme/roles/gone'], 'https://iam.example/v1');
    expect(urls).toEqual(['https://iam.example/v1/projects/acme/roles/ok', 'https://iam.example/v1/projects/acme/roles/denied', 'https://iam.example/v1/projects/acme/roles/gone']);
    expect(roles.get('projects/acme/roles/ok')).toEqual({ value: { name: 'projects/acme/roles/ok', includedPermissions: ['storage.objects.get'] } });
    expect(roles.get('projects/acme/roles/denied')).toMatchObject({ failed: 'denied' });
    expect(roles.get('projects/acme/roles/gone')).toMatchObject({ failed: 'missing' });
  });
  it('maps SDK errors: 404 missing, 401/403 denied, a network code an error', () => {
    expect(gcpFailure({ code: 404, message: 'x' }).failed).toBe('missing');
    expect(gcpFailure({ code: 401, message: 'x' }).failed).toBe('denied');
    expect(gcpFailure({ code: 403, message: 'x' }).failed).toBe('denied');
    expect(gcpFailure({ code: 'ECONNREFUSED', message: 'connect' })).toEqual({ failed: 'error', message: 'ECONNREFUSED: connect' });
    expect(gcpFailure({ code: 500, message: 'x' }).failed).toBe('error');
  });
});

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

  it('the troubleshooter refused (403): reads the project\'s allow policy with POST getIamPolicy (version 3) and passes on a project grant', async () => {
    api.routes = {
      'POST /pt/iam:troubleshoot': { status: 403, body: { error: { code: 403, message: 'The caller does not have permission' } } },
      'POST /crm/projects/123456789012:getIamPolicy': { status: 200, body: { version: 3, bindings: [{ role: 'roles/storage.objectViewer', members: [`serviceAccount:${SA}`] }] } },
    };
    const report = await verify(bucketClient(metadata));
    expect(iamOf(report)).toMatchObject({ result: 'pass', detail: expect.stringContaining('on project 123456789012') });
    expect(iamOf(report)?.detail).toContain('the Policy Troubleshooter could not answer for images/cat.jpg (403 The caller does not have permission)');
    expect(bodies).toContainEqual({ options: { requestedPolicyVersion: 3 } });
    expect(api.requests).toEqual(expect.arrayContaining([
      'GET /op/projects/123456789012/policies/iam.allowedPolicyMemberDomains:getEffectivePolicy',
      'GET /op/projects/123456789012/policies/storage.publicAccessPrevention:getEffectivePolicy',
    ]));
  });

  it('a custom role on the project is read from the IAM API', async () => {
    api.routes = {
      'POST /crm/projects/123456789012:getIamPolicy': { status: 200, body: { bindings: [{ role: 'projects/acme/roles/segmentsObjectReader', members: [`serviceAccount:${SA}`] }] } },
      'GET /iam/projects/acme/roles/segmentsObjectReader': { status: 200, body: { name: 'projects/acme/roles/segmentsObjectReader', includedPermissions: ['storage.objects.get'] } },
    };
    expect(iamOf(await verify(bucketClient(metadata)))).toMatchObject({ result: 'pass' });
  });

  it('nothing readable and no binding: exit 1; domain-restricted sharing named when it restricts', async () => {
    api.routes = {
      'GET /op/projects/123456789012/policies/iam.allowedPolicyMemberDomains:getEffectivePolicy': { status: 200, body: { name: 'projects/123456789012/policies/iam.allowedPolicyMemberDomains', spec: { rules: [{ values: { allowedValues: ['C03xyz789'] } }] } } },
    };
    const report = await verify(bucketClient(metadata));
    expect(iamOf(report)).toMatchObject({ result: 'fail', detail: expect.stringContaining('iam.allowedPolicyMemberDomains'), fix: expect.stringContaining('C03xyz789') });
    expect(exitCodeOf(report.checks)).toBe(1);
  });
});
