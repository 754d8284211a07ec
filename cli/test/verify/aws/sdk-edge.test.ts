/**
 * The SDK edge with the real AWS SDK (no client mock) against a local HTTP server that answers as
 * S3 does: what the SDK itself makes of a bodiless HEAD error and of an XML error code, and the
 * URL it builds for a dotted bucket name at an IP-address endpoint (AWS_ENDPOINT_URL_S3).
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { verifyAws } from '../../../src/verify/aws/run';
import { exitCodeOf } from '../../../src/verify/report';
import { options } from './fixtures';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Answer = (req: http.IncomingMessage) => { status: number; headers?: Record<string, string>; body?: string };
let answer: Answer = () => ({ status: 500 });
const seen: { method?: string; url?: string; host?: string }[] = [];
const server = http.createServer((req, res) => {
  seen.push({ method: req.method, url: req.url, host: req.headers.host });
  req.resume();
  const { status, headers, body } = answer(req);
  res.writeHead(status, { 'Content-Type': 'application/xml', ...headers });
  res.end(req.method === 'HEAD' ? undefined : body ?? '');
});
const xmlError = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

const saved: Record<string, string | undefined> = {};
const env = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wrong-secret', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_S3: '',
  AWS_PROFILE: undefined, AWS_SESSION_TOKEN: undefined, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
};
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  for (const [name, value] of Object.entries(env)) {
    saved[name] = process.env[name];
    const set = name === 'AWS_ENDPOINT_URL_S3' ? `http://127.0.0.1:${(server.address() as AddressInfo).port}` : value;
    if (set === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = set;
    }
  }
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = value;
    }
  }
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
});

describe('a wrong secret key, as S3 answers it', () => {
  it('is exit 3 with the fix said once, though HEAD answers carry no error code and the preflights are answered', async () => {
    answer = (req) => req.method === 'OPTIONS'
      ? { status: 200, headers: { 'Access-Control-Allow-Origin': req.headers.origin as string } }
      : { status: 403, body: xmlError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.') };
    const report = await verifyAws(options({ keys: ['images/a.jpg'], origins: ['https://app.segments.ai'] }), { offline: false });
    expect(exitCodeOf(report.checks)).toBe(3);
    expect(report.checks[0]).toMatchObject({ id: 'aws.bucket', result: 'not-checked', fix: expect.stringMatching(/^The secret access key does not match/) });
    expect(report.checks.filter((c) => c.fix !== undefined).map((c) => c.id)).toEqual(['aws.bucket']);
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'GET']);
  });
  it('an expired session token (400 ExpiredToken) is the same cause, not an SSE-C object', async () => {
    answer = () => ({ status: 400, body: xmlError('ExpiredToken', 'The provided token has expired.') });
    const report = await verifyAws(options({ keys: ['images/a.jpg'] }), { offline: true });
    expect(exitCodeOf(report.checks)).toBe(3);
    expect(report.checks[0].fix).toMatch(/^The session credentials have expired/);
    expect(report.checks.some((c) => c.detail.includes('SSE-C'))).toBe(false);
  });
});

describe('a dotted bucket name at an IP-address endpoint', () => {
  it('is read by path (no crash, no "run again"), and aws.bucket fails it for the dot', async () => {
    answer = (req) => req.method === 'HEAD' ? { status: 200, headers: { 'x-amz-bucket-region': 'default' } } : { status: 404, body: xmlError('NoSuchKey', 'none') };
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const report = await verifyAws(options({ bucket: 'acme.images' }), { offline: true });
      expect(errors).not.toHaveBeenCalled();
      expect(seen[0]).toMatchObject({ method: 'HEAD', url: '/acme.images/' });
      expect(report.checks[0]).toMatchObject({ id: 'aws.bucket', result: 'fail', detail: expect.stringContaining('contains a dot') });
    } finally {
      errors.mockRestore();
    }
  });
});
