/** `segments-cloud verify aws` flags: what it accepts, defaults, and each usage error (exit 2). */
import * as fs from 'fs';
import { runCli } from '../../src/run';
import { parseAwsVerifyFlags } from '../../src/verify/aws';
import { parseFlags } from '../../src/args';
import { COMMON_VERIFY_FLAGS } from '../../src/verify/command';
import { awsVerifyTarget } from '../../src/verify/aws';

const run = (args: string[]) => runCli(args, { readText: (file) => fs.readFileSync(file, 'utf8') });
const parse = (args: string[]) => parseAwsVerifyFlags(parseFlags('verify aws', args, { ...awsVerifyTarget.flags, ...COMMON_VERIFY_FLAGS }));

describe('verify aws flags', () => {
  it('defaults to the whole bucket, no keys, and the page origins https://app.segments.ai and https://segments.ai', () => {
    expect(parse(['--bucket', 'acme-images'])).toEqual({
      bucket: 'acme-images', prefixes: [], keys: [], origins: ['https://app.segments.ai', 'https://segments.ai'],
    });
  });

  it('takes repeated --prefix, --key and --origin in the order given, and the switches', () => {
    expect(parse(['--bucket=acme-images', '--prefix', 'images/', '--prefix', 'videos/', '--key', 'images/a.jpg', '--key=images/b.jpg',
      '--origin', 'https://labeling.acme.example', '--json', '--offline'])).toEqual({
      bucket: 'acme-images', prefixes: ['images/', 'videos/'], keys: ['images/a.jpg', 'images/b.jpg'], origins: ['https://labeling.acme.example'],
    });
  });

  it('accepts a dotted bucket name: that is a finding of aws.bucket, not a usage error', () => {
    expect(parse(['--bucket', 'acme.images']).bucket).toBe('acme.images');
  });
});

describe('verify usage errors exit 2 with nothing on stdout, naming the flag and the fix', () => {
  it.each<[string, string[], RegExp]>([
    ['no cloud', ['verify'], /^error: verify needs a cloud: aws, gcs, azure \(see 'segments-cloud verify --help'\)\.\n$/],
    ['an unknown cloud', ['verify', 'oci'], /^error: verify has no cloud 'oci'; the clouds are aws/],
    ['no --bucket', ['verify', 'aws', '--key', 'a.jpg'], /^error: verify aws needs --bucket NAME \(see 'segments-cloud verify aws --help'\)\.\n$/],
    ['an invalid bucket name', ['verify', 'aws', '--bucket', 'Acme_Images'], /^error: --bucket \('Acme_Images'\) may only contain lowercase letters/],
    ['a prefix with a wildcard', ['verify', 'aws', '--bucket', 'acme-images', '--prefix', 'images/*'], /^error: --prefix\[0\] \('images\/\*'\) contains '\*'/],
    ['a rule pattern as --origin', ['verify', 'aws', '--bucket', 'acme-images', '--origin', 'https://*.segments.ai'],
      /^error: --origin\[0\] \('https:\/\/\*\.segments\.ai'\) is a CORS rule pattern: --origin names the page origins a browser sends/],
    ['an http origin', ['verify', 'aws', '--bucket', 'acme-images', '--origin', 'http://app.segments.ai'], /^error: --origin\[0\] \('http:\/\/app\.segments\.ai'\) must use https/],
    ['a key given twice', ['verify', 'aws', '--bucket', 'acme-images', '--key', 'a.jpg', '--key', 'a.jpg'], /^error: --key\[1\] \('a\.jpg'\) is listed twice/],
    ['a value after a switch', ['verify', 'aws', '--bucket', 'acme-images', '--json=yes'], /^error: --json takes no value; write --json alone/],
    ['a switch given twice', ['verify', 'aws', '--bucket', 'acme-images', '--offline', '--offline'], /^error: --offline is given twice/],
    ['an unknown flag', ['verify', 'aws', '--bucket', 'acme-images', '--region', 'eu-west-1'], /^error: verify aws has no flag '--region'; it takes --bucket, --prefix, --key, --origin, --json, --offline and --help/],
  ])('%s', async (_, args, message) => {
    const result = await run(args);
    expect(result).toEqual({ stdout: '', stderr: expect.stringMatching(message), exitCode: 2 });
  });

  it('lists every problem at once, one line each', async () => {
    const result = await run(['verify', 'aws', '--bucket', 'ab', '--prefix', '/x', '--origin', 'https://*.segments.ai']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/^error: --bucket \('ab'\) is 2 characters long/),
      expect.stringMatching(/^error: --prefix\[0\] \('\/x'\) starts with '\/'/),
      expect.stringMatching(/^error: --origin\[0\] .* is a CORS rule pattern/),
      '',
    ]);
  });
});

describe('verify --help', () => {
  it('lists the clouds with an example, the output and the exit codes', async () => {
    const result = await run(['verify', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^  aws  .*\n +e\.g\. segments-cloud verify aws --bucket /m);
    expect(result.stdout).toMatch(/Exit status: 0 every check passed \(warnings allowed\), 1 at least one check failed, 2 usage\nerror, 3 a check could not run/);
  });

  it('verify aws --help names every flag and every check ID, and wins over other flags', async () => {
    const result = await run(['verify', 'aws', '--bogus', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Usage: segments-cloud verify aws --bucket NAME [--prefix P]... [--key K]... [--origin O]... [--json] [--offline]');
    for (const text of ['--bucket NAME', '--prefix P', '--key K', '--origin O', '--json', '--offline', 'AWS_ENDPOINT_URL_S3',
      'aws.bucket', 'aws.policy', 'aws.cors', 'aws.encryption', 'aws.ownership', 'aws.requester-pays', 'aws.object', 'aws.preflight', 'aws.org-policies']) {
      expect(result.stdout).toContain(text);
    }
  });

  it('the program help lists verify aws', async () => {
    expect((await run(['--help'])).stdout).toMatch(/^  verify aws +Checks a live S3 bucket: .*\n +e\.g\. segments-cloud verify aws --bucket my-images/m);
  });
});

describe('verify fails safe', () => {
  it('exits 3 (could not run), never 0 or 1, when something outside every check throws', async () => {
    const { awsVerifyTarget: target } = jest.requireActual('../../src/verify/aws') as typeof import('../../src/verify/aws');
    const spy = jest.spyOn(target, 'run').mockRejectedValue(new Error('boom'));
    try {
      expect(await run(['verify', 'aws', '--bucket', 'acme-images'])).toEqual({ stdout: '', stderr: 'error: verify could not run: boom\n', exitCode: 3 });
    } finally {
      spy.mockRestore();
    }
  });
});
