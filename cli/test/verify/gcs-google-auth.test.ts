/**
 * `verify gcs`'s real request path for the Google REST APIs: `gcsClients`' gcpCall, which is
 * google-auth-library's `GoogleAuth.request` with Application Default Credentials, driven against a
 * local HTTP server. The credentials are an `external_account` file (workload identity federation,
 * https://google.aip.dev/auth/4117) whose `token_url` is the local server: google-auth-library
 * exchanges the subject token there (RFC 8693, as Google's STS takes it) and sends the access token
 * it gets back as `Authorization: Bearer` on each API call. So the URLs, methods, bodies, headers
 * and errors below are what the real library sends and throws, not a stand-in's. No network: every
 * URL is 127.0.0.1. The client runs in a child process (gcs-google-auth-driver.ts, under tsx):
 * gaxios loads fetch with a dynamic import, which jest's VM refuses.
 *
 * These reads do not page: `iam:troubleshoot`, `getIamPolicy`, `getEffectivePolicy` and `roles.get`
 * each answer with one object.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFile } from 'child_process';
import { gcpFailure } from '../../src/verify/gcs/fetch';
import { CheckOutcome, exitCodeOf } from '../../src/verify/report';
import { LocalServer, startLocalServer } from './local-server';

const SA = 'segments-reader@segments-prod.iam.gserviceaccount.com';
const BUCKET = 'acme-images';
const TOKEN = 'ya29.local-access-token';
const SUBJECT_TOKEN = 'local-subject-token';
const ROOT = path.join(__dirname, '..', '..', '..');

/** Runs the driver with the credentials file and no emulator; resolves with its parsed stdout. */
function drive(env: { credentials: string }, base: string, mode: 'reads' | 'run', ...roles: string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(__dirname, 'gcs-google-auth-driver.ts'), base, mode, ...roles], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, GOOGLE_APPLICATION_CREDENTIALS: env.credentials },
    }, (error, stdout, stderr) => error === null ? resolve(JSON.parse(stdout)) : reject(new Error(`${error.message}\n${stderr}`)));
  });
}

describe('verify gcs through google-auth-library, against a local server', () => {
  let api: LocalServer;
  let dir: string;
  beforeAll(async () => {
    api = await startLocalServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcs-auth-'));
    fs.writeFileSync(path.join(dir, 'subject-token'), SUBJECT_TOKEN);
    fs.writeFileSync(path.join(dir, 'credentials.json'), JSON.stringify({
      type: 'external_account',
      audience: '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/local/providers/local',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `${api.url}/token`,
      credential_source: { file: path.join(dir, 'subject-token') },
      // google-auth-library looks up the project of the audience's number here (Resource Manager v1 projects.get).
      cloud_resource_manager_url: `${api.url}/crmv1/projects/`,
    }));
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    api.requests.length = 0;
    api.received.length = 0;
  });
  const lookup = { 'GET /crmv1/projects/123456789012': { status: 200, body: { projectNumber: '123456789012', projectId: 'acme' } } };
  const sts = { status: 200, body: { access_token: TOKEN, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 3600 } };
  const credentials = () => ({ credentials: path.join(dir, 'credentials.json') });
  const apiCalls = () => api.received.filter((r) => !r.request.startsWith('POST /token') && !r.request.startsWith('GET /crmv1/'));

  it('exchanges the subject token at token_url, then sends each call with the bearer token: POST JSON for troubleshoot and getIamPolicy, GET for the rest', async () => {
    api.routes = {
      'POST /token': sts,
      ...lookup,
      'POST /pt/iam:troubleshoot': { status: 200, body: { overallAccessState: 'CAN_ACCESS' } },
      'POST /crm/projects/123456789012:getIamPolicy': { status: 200, body: { version: 3, bindings: [] } },
      'GET /op/projects/123456789012/policies/iam.allowedPolicyMemberDomains:getEffectivePolicy': { status: 200, body: {} },
      'GET /op/projects/123456789012/policies/iam.managed.allowedPolicyMembers:getEffectivePolicy': { status: 200, body: {} },
      'GET /op/projects/123456789012/policies/storage.publicAccessPrevention:getEffectivePolicy': { status: 200, body: {} },
      'GET /iam/projects/acme/roles/segmentsObjectReader': { status: 200, body: { name: 'projects/acme/roles/segmentsObjectReader', includedPermissions: ['storage.objects.get'] } },
    };
    const { troubleshoot, project, roles } = await drive(credentials(), api.url, 'reads', 'projects/acme/roles/segmentsObjectReader');
    expect(troubleshoot['images/cat.jpg']).toEqual({ value: { overallAccessState: 'CAN_ACCESS' } });
    expect(project).toEqual({ policy: { value: { version: 3, bindings: [] } }, memberDomains: { value: {} }, managedMembers: { value: {} }, publicAccessPrevention: { value: {} } });
    expect(roles['projects/acme/roles/segmentsObjectReader']).toEqual({ value: expect.objectContaining({ includedPermissions: ['storage.objects.get'] }) });

    // The token exchange: a form POST to token_url carrying the subject token (RFC 8693).
    const exchange = api.received.filter((r) => r.request === 'POST /token');
    expect(exchange).toHaveLength(1);
    const form = new URLSearchParams(exchange[0].body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(form.get('subject_token')).toBe(SUBJECT_TOKEN);
    expect(form.get('scope')).toBe('https://www.googleapis.com/auth/cloud-platform');

    // Each API call: the method and path verify documents, the bearer token, JSON bodies as Google's REST APIs take them.
    const calls = apiCalls();
    expect(calls.map((c) => c.request).sort()).toEqual([
      'GET /iam/projects/acme/roles/segmentsObjectReader',
      'GET /op/projects/123456789012/policies/iam.allowedPolicyMemberDomains:getEffectivePolicy',
      'GET /op/projects/123456789012/policies/iam.managed.allowedPolicyMembers:getEffectivePolicy',
      'GET /op/projects/123456789012/policies/storage.publicAccessPrevention:getEffectivePolicy',
      'POST /crm/projects/123456789012:getIamPolicy',
      'POST /pt/iam:troubleshoot',
    ]);
    for (const call of calls) {
      expect([call.request, call.headers.authorization]).toEqual([call.request, `Bearer ${TOKEN}`]);
    }
    const post = (request: string) => calls.find((c) => c.request === request)!;
    expect(post('POST /pt/iam:troubleshoot').headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(post('POST /pt/iam:troubleshoot').body)).toEqual({ accessTuple: {
      principal: SA, fullResourceName: `//storage.googleapis.com/projects/_/buckets/${BUCKET}/objects/images/cat.jpg`, permission: 'storage.objects.get',
    } });
    expect(JSON.parse(post('POST /crm/projects/123456789012:getIamPolicy').body)).toEqual({ options: { requestedPolicyVersion: 3 } });
    expect(calls.filter((c) => c.request.startsWith('GET')).map((c) => c.body)).toEqual(['', '', '', '']);
  });

  it('maps the errors google-auth-library throws: 403 denied, 404 missing, 500 an error, each once (no retry), with Google\'s message', async () => {
    const error = (code: number, message: string) => ({ status: code, body: { error: { code, message, status: code === 403 ? 'PERMISSION_DENIED' : code === 404 ? 'NOT_FOUND' : 'INTERNAL' } } });
    api.routes = {
      'POST /token': sts,
      ...lookup,
      'POST /pt/iam:troubleshoot': error(403, 'Policy Troubleshooter API has not been used in project 123456789012 before or it is disabled.'),
      'GET /iam/projects/acme/roles/gone': error(404, 'The role named projects/acme/roles/gone was not found.'),
      'GET /iam/projects/acme/roles/broken': error(500, 'Internal error encountered.'),
    };
    const { troubleshoot, roles } = await drive(credentials(), api.url, 'reads', 'projects/acme/roles/gone', 'projects/acme/roles/broken');
    expect(troubleshoot['images/cat.jpg']).toEqual({ failed: 'denied', message: '403 Policy Troubleshooter API has not been used in project 123456789012 before or it is disabled.' });
    expect(roles['projects/acme/roles/gone']).toEqual({ failed: 'missing', message: '404 The role named projects/acme/roles/gone was not found.' });
    expect(roles['projects/acme/roles/broken']).toMatchObject({ failed: 'error', message: expect.stringContaining('Internal error encountered.') });
    // Each call once: no retry (the project's reads are unrouted here, so 404 each, once too).
    const once = apiCalls().map((c) => c.request);
    expect(once.filter((r) => r === 'POST /pt/iam:troubleshoot')).toHaveLength(1);
    expect(once.filter((r) => r === 'GET /iam/projects/acme/roles/broken')).toHaveLength(1);
    expect(once.filter((r) => r === 'GET /iam/projects/acme/roles/gone')).toHaveLength(1);
  });

  it('a refused token exchange is a failed read of each API (denied), never a verdict', async () => {
    api.routes = { 'POST /token': { status: 400, body: { error: 'invalid_grant', error_description: 'The subject token is invalid.' } } };
    const { troubleshoot } = await drive(credentials(), api.url, 'reads');
    expect(troubleshoot['images/cat.jpg']).toMatchObject({ failed: expect.stringMatching(/^(denied|error)$/), message: expect.stringContaining('invalid_grant') });
    expect(apiCalls()).toEqual([]);
  });

  it('the whole run over the real client: the troubleshooter refused, a bucket binding found: warn, exit 0, naming the refusal', async () => {
    api.routes = {
      'POST /token': sts,
      ...lookup,
      'POST /pt/iam:troubleshoot': { status: 403, body: { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } } },
      'POST /crm/projects/123456789012:getIamPolicy': { status: 200, body: { version: 3, bindings: [] } },
    };
    const report = await drive(credentials(), api.url, 'run') as { checks: CheckOutcome[] };
    expect(report.checks.find((c: CheckOutcome) => c.id === 'gcs.iam')).toMatchObject({
      result: 'warn',
      detail: expect.stringContaining('the Policy Troubleshooter could not answer for images/cat.jpg (403 The caller does not have permission)'),
    });
    expect(exitCodeOf(report.checks)).toBe(0);
  });

  it('gcpFailure reads a thrown error as the library shapes it (status on the error, or on its response)', () => {
    expect(gcpFailure(Object.assign(new Error('x'), { status: 403 }))).toEqual({ failed: 'denied', message: '403 x' });
    expect(gcpFailure(Object.assign(new Error('y'), { response: { status: 404 } }))).toEqual({ failed: 'missing', message: '404 y' });
    expect(gcpFailure(Object.assign(new Error('z'), { code: 'ECONNREFUSED' }))).toEqual({ failed: 'error', message: 'ECONNREFUSED: z' });
  });
});
