/**
 * The CLI's input at its edges (issue 18, item 7): invalid UTF-8 is refused naming the byte offset,
 * a JSON object with a repeated key is refused, and an internal error exits non-zero with nothing
 * on stdout. Item 15: a bucket policy given to `aws-cors --merge` is named as such.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { runCli } from '../src/run';
import { decodeUtf8Strictly, firstDuplicateKey, firstInvalidUtf8Byte } from '../src/json-input';
import { PROPERTY_SEED } from '../../test/helpers/arbitraries';

const ROOT = path.join(__dirname, '..', '..');
const POLICY = (statement: string) => `{"Version":"2012-10-17","Statement":[${statement}]}`;
const OTHER = '{"Sid":"deny-http","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::acme-images/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}';

/** Runs the CLI in-process with files given as bytes, decoded as main.ts decodes them. */
function run(args: string[], files: Record<string, Uint8Array | string> = {}) {
  return runCli(args, {
    readText: (file) => {
      const content = files[file];
      if (content === undefined) {
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      }
      return decodeUtf8Strictly(typeof content === 'string' ? Buffer.from(content) : content, file);
    },
  });
}

describe('invalid UTF-8 is refused, naming the byte offset', () => {
  it('refuses jos\\xff in a Condition value instead of rewriting it as jos\\uFFFD', async () => {
    const text = Buffer.concat([Buffer.from(POLICY('{"Sid":"x","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":"jos')), Buffer.from([0xff]), Buffer.from('"}}}')]);
    const offset = text.indexOf(0xff);
    const result = await run(['aws-policy', '--bucket', 'acme-images', '--merge', 'current.json'], { 'current.json': text });
    expect(result).toEqual({ stdout: '', stderr: expect.stringContaining(`current.json is not UTF-8: the byte 0xff at byte offset ${offset}`), exitCode: 1 });
  });

  it('names stdin as stdin', () => {
    expect(() => decodeUtf8Strictly(Uint8Array.from([0x41, 0xc3]), '-')).toThrow('stdin is not UTF-8: the byte 0xc3 at byte offset 1');
  });

  it.each([
    [[0xc0, 0x80], 0, 'an overlong NUL'],
    [[0xe0, 0x80, 0x80], 0, 'an overlong three-byte form'],
    [[0xed, 0xa0, 0x80], 0, 'a UTF-16 surrogate'],
    [[0xf4, 0x90, 0x80, 0x80], 0, 'above U+10FFFF'],
    [[0x61, 0xe2, 0x82], 1, 'a truncated character at the end'],
    [[0x61, 0x80], 1, 'a lone continuation byte'],
  ])('%j is refused at offset %i (%s)', (bytes, offset) => {
    expect(firstInvalidUtf8Byte(Uint8Array.from(bytes))).toBe(offset);
  });

  it('accepts UTF-8 of every length, and keeps the text as it is', () => {
    const text = 'José 😀 ü €';
    expect(firstInvalidUtf8Byte(Buffer.from(text))).toBeUndefined();
    expect(decodeUtf8Strictly(Buffer.from(text), 'f')).toBe(text);
  });

  it('agrees with a fatal TextDecoder on any bytes, and everything before the offset decodes (property)', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const bytes = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0xbf, 0xc2, 0xe0, 0xed, 0xf0, 0xf4, 0x41)), { maxLength: 12 });
    fc.assert(fc.property(bytes, (list) => {
      const array = Uint8Array.from(list);
      const offset = firstInvalidUtf8Byte(array);
      let valid = true;
      try {
        fatal.decode(array);
      } catch {
        valid = false;
      }
      expect(offset === undefined).toBe(valid);
      if (offset !== undefined) {
        expect(() => fatal.decode(array.slice(0, offset))).not.toThrow();
      }
    }), { seed: PROPERTY_SEED, numRuns: 2000 });
  });

  it('the segments-cloud executable reads files this way (main.ts)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-utf8-'));
    try {
      const file = path.join(dir, 'cors.json');
      const before = Buffer.from('{"CORSRules":[{"AllowedMethods":["GET"],"AllowedOrigins":["https://caf');
      fs.writeFileSync(file, Buffer.concat([before, Buffer.from([0xe9]), Buffer.from('.example"]}]}')]));
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'cli', 'src', 'main.ts'), 'aws-cors', '--merge', file], { cwd: ROOT },
          (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }));
      });
      expect(result).toEqual({ code: 1, stdout: '', stderr: expect.stringContaining(`is not UTF-8: the byte 0xe9 at byte offset ${before.length} `) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a JSON object with a repeated key is refused', () => {
  it('refuses "Effect":"Deny","Effect":"Allow" (JSON.parse would keep the Allow)', async () => {
    const result = await run(['aws-policy', '--bucket', 'acme-images', '--merge', 'p.json'], {
      'p.json': POLICY('{"Sid":"x","Effect":"Deny","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-images/*"}'),
    });
    expect(result).toEqual({ stdout: '', stderr: expect.stringContaining('the key "Effect" appears twice in the object at $.Statement[0]'), exitCode: 1 });
  });

  it('compares keys unescaped, as JSON.parse does', () => {
    expect(firstDuplicateKey('{"a":1,"b":{"Effect":"Deny","\\u0045ffect":"Allow"}}')).toEqual({ path: '$.b', key: 'Effect' });
  });

  it('finds a repeat inside the "Policy" string that get-bucket-policy prints', async () => {
    const inner = POLICY('{"Sid":"x","Sid":"y","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}');
    const result = await run(['aws-policy', '--bucket', 'acme-images', '--merge', 'p.json'], { 'p.json': JSON.stringify({ Policy: inner }) });
    expect(result).toMatchObject({ stdout: '', exitCode: 1, stderr: expect.stringContaining('"Sid" appears twice in the object at $.Policy.Statement[0]') });
  });

  it('refuses it in a CORS configuration too', async () => {
    const result = await run(['aws-cors', '--merge', 'c.json'], { 'c.json': '{"CORSRules":[{"ID":"a","ID":"b","AllowedMethods":["GET"],"AllowedOrigins":["https://x.example"]}]}' });
    expect(result).toMatchObject({ stdout: '', exitCode: 1, stderr: expect.stringContaining('"ID" appears twice') });
  });

  it('accepts the same key in different objects', async () => {
    const result = await run(['aws-policy', '--bucket', 'acme-images', '--merge', 'p.json'], { 'p.json': POLICY(`${OTHER},${OTHER.replace('deny-http', 'deny-http-2')}`) });
    expect(result.exitCode).toBe(0);
  });

  it('finds no repeat in any JSON.stringify output, and finds one put in (property)', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(fc.property(json, (value) => {
      expect(firstDuplicateKey(JSON.stringify(value, null, 1))).toBeUndefined();
    }), { seed: PROPERTY_SEED, numRuns: 300 });
    fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 4 }), (object) => {
      const text = JSON.stringify(object);
      const key = Object.keys(object)[0];
      const doubled = `{${JSON.stringify(key)}:null,${text.slice(1)}`;
      expect(firstDuplicateKey(doubled)).toEqual({ path: '$', key });
    }), { seed: PROPERTY_SEED, numRuns: 300 });
  });
});

describe('an internal error exits non-zero with nothing on stdout (mutant L01)', () => {
  it('a reader that breaks its contract is a bug: exit 1, one error line, empty stdout', async () => {
    const result = await runCli(['aws-cors', '--merge', 'c.json'], { readText: () => undefined as unknown as string });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: .+\n$/);
  });
});

describe('aws-cors --merge given a bucket policy says it looks like one (item 15)', () => {
  it.each([
    ['the policy document', POLICY(OTHER), '"Version", "Statement"'],
    ['get-bucket-policy\'s wrapper', JSON.stringify({ Policy: POLICY(OTHER) }), '"Policy"'],
  ])('%s', async (_, text, fields) => {
    const result = await run(['aws-cors', '--merge', 'current.json'], { 'current.json': text });
    expect(result).toEqual({ stdout: '', exitCode: 1, stderr: expect.stringContaining(`This looks like a bucket policy (it has ${fields})`) });
    expect(result.stderr).toContain('aws s3api get-bucket-cors --bucket NAME');
  });
});

describe('surviving CLI mutants (issue 18)', () => {
  // args.ts: `!arg.startsWith('-') || arg === '-'`. Flipped to drop `arg === '-'`, a bare `-` (the
  // stdin name, typed without its flag) was reported as an unknown flag instead of a stray value.
  it('a bare - is a value without its flag, not an unknown flag', async () => {
    const result = await run(['aws-cors', '-']);
    expect(result).toEqual({ stdout: '', exitCode: 2, stderr: expect.stringContaining("aws-cors takes no argument '-'; values follow their flag") });
  });
});
