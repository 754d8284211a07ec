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
import { fetchGcsRoles, gcpFailure } from '../../src/verify/gcs/fetch';
import { GcsCorsEntry } from '../../src/verify/gcs/cors';
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
  it('passes a bucket set up as the vendor doc says, exit 0, reading through the JSON API paths; the binding warns (no troubleshooter, deny policies unread)', async () => {
    const { exitCode, results, stderr } = await run();
    expect(stderr).toBe('');
    expect(results).toEqual([
      'gcs.bucket: pass',
      'gcs.iam: warn',
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
