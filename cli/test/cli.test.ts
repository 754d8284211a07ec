/**
 * The `segments-cloud` CLI's JSON commands, run as a child process the way a user runs it: bundled
 * once with esbuild (as cli/scripts/build.mjs bundles it), then `node cli.js <args>` per case. The
 * bundle sits in a temp dir where no AWS SDK can be found: the JSON commands must not need one.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import {
  S3_BUCKET_POLICY_MAX_BYTES,
  S3_CORS_CONFIGURATION_MAX_BYTES,
  S3_CORS_MAX_RULES,
  bucketPolicyBytes,
  corsConfigurationBytes,
  mergeStatementBySid,
  SEGMENTS_AWS_PRINCIPAL_ARN,
  segmentsBucketPolicyStatement,
  segmentsGcsCorsRule,
  segmentsS3CorsRuleJson,
} from 'segments-cloud-constructs';
import { runCli } from '../src/run';
import { ROOT, moduleGraph, packagesOf, relativeFiles } from '../../test/helpers/module-graph';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleOptions } = require('../scripts/bundle.js') as { bundleOptions(outfile: string): esbuild.BuildOptions };

// The child-process cases are registered while the file loads and all run at once in beforeAll: a
// node process takes 100-200 ms to start here. They cover each command, a merge, stdin, each exit
// code and the help; the other cases run the same code in-process (`inProcess`).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-cli-'));
const bundle = path.join(work, 'cli.js');

/** Writes a fixture file into the work dir and returns its path. */
function fixture(name: string, content: unknown): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

interface Run { readonly stdout: string; readonly stderr: string; readonly status: number | null }

/** Runs the bundled CLI now. */
function cliNow(args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ stdout, stderr, status }));
    child.stdin.end(stdin ?? '');
  });
}

const registered: { readonly args: readonly string[]; readonly stdin?: string; result?: Run }[] = [];

/** Registers a run of the CLI for beforeAll; the returned function gives its result in a test. */
function cli(args: readonly string[], stdin?: string): () => Run {
  const entry: (typeof registered)[number] = { args, stdin };
  registered.push(entry);
  return () => {
    if (!entry.result) {
      throw new Error(`not run: ${args.join(' ')}`);
    }
    return entry.result;
  };
}

/** Runs the CLI in this process now, through the same `runCli` the executable calls. */
async function inProcessNow(args: readonly string[], stdin?: string): Promise<Run> {
  const r = await runCli(args, { readText: (file) => (file === '-' ? stdin ?? '' : fs.readFileSync(file, 'utf8')) });
  return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode };
}

const inProcessRegistered: { readonly args: readonly string[]; readonly stdin?: string; result?: Run }[] = [];

/**
 * Registers an in-process run for beforeAll, for the many cases that differ only in their
 * arguments: a child process costs ~100-200 ms to start here.
 */
function inProcess(args: readonly string[], stdin?: string): () => Run {
  const entry: (typeof inProcessRegistered)[number] = { args, stdin };
  inProcessRegistered.push(entry);
  return () => {
    if (!entry.result) {
      throw new Error(`not run: ${args.join(' ')}`);
    }
    return entry.result;
  };
}

/** The JSON of a successful run, after checking it succeeded in silence and printed canonical JSON. */
function json(run: Run): any {
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  const parsed = JSON.parse(run.stdout);
  expect(run.stdout).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
  return parsed;
}

beforeAll(async () => {
  await esbuild.build(bundleOptions(bundle));
  await Promise.all(registered.map(async (entry) => {
    entry.result = await cliNow(entry.args, entry.stdin);
  }));
  for (const entry of inProcessRegistered) {
    entry.result = await inProcessNow(entry.args, entry.stdin);
  }
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

// A policy as `aws s3api get-bucket-policy --query Policy --output text` prints it for a bucket
// behind CloudFront, with a TLS-only deny and a replication role: three statements, none Segments'.
const bucket = 'acme-images';
const existingPolicy = {
  Version: '2012-10-17',
  Id: 'acme-images-policy',
  Statement: [
    {
      Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*',
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'AllowCloudFrontServicePrincipalReadOnly', Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/public/*`,
      Condition: { StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE' } },
    },
    {
      Sid: 'ReplicationRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/s3-replication' },
      Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], Resource: `arn:aws:s3:::${bucket}/*`,
    },
  ],
};
// A CORS configuration as `aws s3api get-bucket-cors` prints it: two rules, none Segments'.
const existingCors = {
  CORSRules: [
    { ID: 'uploads', AllowedHeaders: ['Authorization'], AllowedMethods: ['PUT', 'POST'], AllowedOrigins: ['https://upload.acme.example'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 },
    { AllowedMethods: ['GET'], AllowedOrigins: ['https://www.acme.example'] },
  ],
};

describe('aws-policy prints the Segments bucket policy', () => {
  const whole = cli(['aws-policy', '--bucket', bucket]);
  const twice = cli(['aws-policy', '--bucket', bucket]);
  const prefixed = inProcess(['aws-policy', '--bucket', bucket, '--prefix', 'images/', '--prefix=videos/']);
  const dotted = cli(['aws-policy', '--bucket', 'acme.images']);

  it('grants Segments s3:GetObject on the whole bucket, and nothing else', () => {
    expect(json(whole())).toEqual({ Version: '2012-10-17', Statement: [segmentsBucketPolicyStatement(bucket)] });
    expect(whole().stdout).toBe(`{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "segments-s3-access",
      "Effect": "Allow",
      "Principal": {
        "AWS": "${SEGMENTS_AWS_PRINCIPAL_ARN}"
      },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::${bucket}/*"
    }
  ]
}
`);
  });

  it('prints the same bytes on every run', () => {
    expect(twice().stdout).toBe(whole().stdout);
  });

  it('grants only the keys under each --prefix, in the order given', () => {
    const policy = json(prefixed());
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Resource).toEqual([`arn:aws:s3:::${bucket}/images/*`, `arn:aws:s3:::${bucket}/videos/*`]);
  });

  it('prints a dotted bucket\'s policy, with one warning on stderr, since an existing bucket cannot be renamed', () => {
    expect(dotted().status).toBe(0);
    expect(JSON.parse(dotted().stdout).Statement[0].Resource).toBe('arn:aws:s3:::acme.images/*');
    expect(dotted().stderr).toMatch(/^warning: --bucket \('acme\.images'\) contains a dot: .*cannot be renamed.*\n$/);
  });
});

describe('aws-policy --merge inserts the Segments statement into the bucket\'s policy', () => {
  const file = fixture('policy.json', existingPolicy);
  const merged = cli(['aws-policy', '--bucket', bucket, '--merge', file]);
  const mergedAgain = inProcess(['aws-policy', '--bucket', bucket, '--merge', file]);
  const fromStdin = cli(['aws-policy', '--bucket', bucket, '--merge', '-'], JSON.stringify(existingPolicy));
  const [a, b, c] = existingPolicy.Statement;
  const replaced = inProcess(['aws-policy', '--bucket', bucket, '--merge',
    fixture('old.json', { ...existingPolicy, Statement: [a, segmentsBucketPolicyStatement(bucket, ['old/']), b, c] })]);
  const adopted = inProcess(['aws-policy', '--bucket', bucket, '--merge',
    fixture('same.json', { Statement: [{ ...segmentsBucketPolicyStatement(bucket), Action: ['s3:GetObject'] }] })]);
  // Other statements just under S3's limit, so that adding ours goes over it.
  const filler = (i: number, size: number) => ({ Sid: `Filler${i}`, Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/${'x'.repeat(size)}/*` });
  const some = { Version: '2012-10-17', Statement: Array.from({ length: 19 }, (_, i) => filler(i, 900)) };
  const room = S3_BUCKET_POLICY_MAX_BYTES - bucketPolicyBytes(mergeStatementBySid(some, filler(19, 0)));
  const nearlyFull = mergeStatementBySid(some, filler(19, room - 50));
  const overLimit = inProcess(['aws-policy', '--bucket', bucket, '--merge', fixture('big.json', nearlyFull)]);

  it('keeps the three statements unchanged and in order, and appends Segments\'', () => {
    expect(json(merged())).toEqual({ ...existingPolicy, Statement: [...existingPolicy.Statement, segmentsBucketPolicyStatement(bucket)] });
  });

  it('is idempotent: running twice, or merging its own output, gives the same bytes', async () => {
    expect(mergedAgain().stdout).toBe(merged().stdout);
    expect((await cliNow(['aws-policy', '--bucket', bucket, '--merge', fixture('merged.json', merged().stdout)])).stdout).toBe(merged().stdout);
  });

  it('reads the policy from stdin with --merge -', () => {
    expect(fromStdin().stdout).toBe(merged().stdout);
  });

  it('replaces a different Segments statement in its place, and says so on stderr', () => {
    expect(replaced().status).toBe(0);
    expect(JSON.parse(replaced().stdout).Statement).toEqual([a, segmentsBucketPolicyStatement(bucket), b, c]);
    expect(replaced().stderr).toMatch(/^warning: .*different 'segments-s3-access' statement; it is replaced by this one\.\n$/);
  });

  it('adopts a hand-written statement that grants the same, in silence', () => {
    expect(json(adopted()).Statement).toEqual([segmentsBucketPolicyStatement(bucket)]);
  });

  it('refuses a merged policy over S3\'s 20 KB limit', () => {
    expect(bucketPolicyBytes(nearlyFull)).toBeLessThanOrEqual(S3_BUCKET_POLICY_MAX_BYTES);
    const bytes = bucketPolicyBytes(mergeStatementBySid(nearlyFull, segmentsBucketPolicyStatement(bucket)));
    expect(bytes).toBeGreaterThan(S3_BUCKET_POLICY_MAX_BYTES);
    expect(overLimit()).toEqual({ status: 1, stdout: '', stderr: `error: The merged policy is ${bytes} bytes, over S3's limit of ${S3_BUCKET_POLICY_MAX_BYTES} bytes: shorten the other statements or give fewer --prefix values.\n` });
  });
});

describe('aws-cors prints the Segments S3 CORS configuration', () => {
  const defaults = cli(['aws-cors']);
  const given = inProcess(['aws-cors', '--origin', 'https://segments.ai', '--origin', 'https://*.segments.ai']);
  const merged = cli(['aws-cors', '--merge', fixture('cors.json', existingCors)]);
  const old = { ...segmentsS3CorsRuleJson(), AllowedOrigins: ['https://old.example'] };
  const replaced = inProcess(['aws-cors', '--merge', fixture('cors-old.json', { CORSRules: [old, ...existingCors.CORSRules] })]);
  const rules = Array.from({ length: S3_CORS_MAX_RULES }, (_, i) => ({ ID: `r${i}`, AllowedMethods: ['GET'], AllowedOrigins: [`https://h${i}.example`] }));
  const fullFile = fixture('cors-full.json', { CORSRules: rules });
  const overLimit = inProcess(['aws-cors', '--merge', fullFile]);
  // Few rules, but long: one rule with enough origins to bring the merged configuration just over 64 KB.
  const bigRule = (n: number) => ({ ID: 'big', AllowedMethods: ['GET'], AllowedOrigins: Array.from({ length: n }, (_, i) => `https://h${String(i).padStart(5, '0')}.example`) });
  const withOurs = (n: number) => corsConfigurationBytes({ CORSRules: [bigRule(n), segmentsS3CorsRuleJson()] });
  // Every origin has the same length, so each one after the first adds the same bytes.
  const origins = 1 + Math.floor((S3_CORS_CONFIGURATION_MAX_BYTES - withOurs(1)) / (withOurs(2) - withOurs(1)));
  const fits = inProcess(['aws-cors', '--merge', fixture('cors-fits.json', { CORSRules: [bigRule(origins)] })]);
  const bigFile = fixture('cors-big.json', { CORSRules: [bigRule(origins + 1)] });
  const overBytes = inProcess(['aws-cors', '--merge', bigFile]);

  it('holds the Segments rule with the default origins', () => {
    expect(json(defaults())).toEqual({ CORSRules: [segmentsS3CorsRuleJson()] });
  });

  it('allows exactly the --origin values given, for GET only', () => {
    const config = json(given());
    expect(config.CORSRules).toEqual([{ ...segmentsS3CorsRuleJson(), AllowedOrigins: ['https://segments.ai', 'https://*.segments.ai'] }]);
    expect(config.CORSRules[0].AllowedMethods).toEqual(['GET']);
  });

  it('with --merge, keeps the two rules in place, appends Segments\', and is idempotent', async () => {
    expect(json(merged())).toEqual({ CORSRules: [...existingCors.CORSRules, segmentsS3CorsRuleJson()] });
    expect((await cliNow(['aws-cors', '--merge', fixture('cors-merged.json', merged().stdout)])).stdout).toBe(merged().stdout);
  });

  it('replaces a different Segments rule in its place, and says so on stderr', () => {
    expect(replaced().status).toBe(0);
    expect(JSON.parse(replaced().stdout).CORSRules).toEqual([segmentsS3CorsRuleJson(), ...existingCors.CORSRules]);
    expect(replaced().stderr).toMatch(/^warning: .*different 'segments-cors' rule; it is replaced by this one\.\n$/);
  });

  it('refuses a merge over S3\'s 64 KB, and prints one just under it', () => {
    expect(fits().status).toBe(0);
    expect(withOurs(origins)).toBeLessThanOrEqual(S3_CORS_CONFIGURATION_MAX_BYTES);
    const bytes = withOurs(origins + 1);
    expect(bytes).toBeGreaterThan(S3_CORS_CONFIGURATION_MAX_BYTES);
    expect(overBytes()).toEqual({ status: 1, stdout: '', stderr: `error: The merged CORS configuration is ${bytes} bytes, over S3's limit of ${S3_CORS_CONFIGURATION_MAX_BYTES} bytes: remove or shorten a rule in ${bigFile} first.\n` });
  });

  it('refuses a merge that would exceed S3\'s 100 rules', () => {
    expect(overLimit()).toEqual({ status: 1, stdout: '', stderr: `error: The merged CORS configuration has ${S3_CORS_MAX_RULES + 1} rules, over S3's limit of ${S3_CORS_MAX_RULES}: remove a rule from ${fullFile} first.\n` });
  });
});

describe('--merge warns about what in the current configuration may keep Segments out', () => {
  const ipDeny = {
    Sid: 'OfficeOnly', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`,
    Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
  };
  const lockout = inProcess(['aws-policy', '--bucket', bucket, '--merge',
    fixture('lockout.json', { ...existingPolicy, Statement: [...existingPolicy.Statement, ipDeny] })]);
  const exemptDeny = { ...ipDeny, Condition: { ...ipDeny.Condition, ArnNotEquals: { 'aws:PrincipalArn': SEGMENTS_AWS_PRINCIPAL_ARN } } };
  const exempted = inProcess(['aws-policy', '--bucket', bucket, '--merge',
    fixture('exempted.json', { ...existingPolicy, Statement: [...existingPolicy.Statement, exemptDeny] })]);
  const elsewhere = inProcess(['aws-policy', '--bucket', bucket, '--prefix', 'images/', '--merge',
    fixture('elsewhere.json', { ...existingPolicy, Statement: [...existingPolicy.Statement, { ...ipDeny, Resource: `arn:aws:s3:::${bucket}/private/*` }] })]);
  const catchAll = { ID: 'everyone', AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['*'] };
  const shadowFile = fixture('cors-shadow.json', { CORSRules: [existingCors.CORSRules[0], catchAll] });
  const shadowed = inProcess(['aws-cors', '--merge', shadowFile]);
  const after = inProcess(['aws-cors', '--merge', fixture('cors-after.json', { CORSRules: [segmentsS3CorsRuleJson(), catchAll] })]);
  const plainPolicy = inProcess(['aws-policy', '--bucket', bucket, '--merge', fixture('plain.json', existingPolicy)]);
  const plainCors = inProcess(['aws-cors', '--merge', fixture('plain-cors.json', existingCors)]);

  it('aws-policy: a Deny on the source IP, still printing the merged policy', () => {
    expect(lockout().status).toBe(0);
    expect(JSON.parse(lockout().stdout).Statement).toHaveLength(existingPolicy.Statement.length + 2);
    expect(lockout().stderr).toBe(`warning: Statement OfficeOnly in ${path.join(work, 'lockout.json')} denies on aws:SourceIp, ` +
      'and can match Segments\' s3:GetObject on the objects it reads. Segments reads through presigned URLs that labelers\' browsers ' +
      'fetch from anywhere for up to 24 hours, so this Deny may lock Segments out. Exempt Segments in the Deny\'s condition: ' +
      `"ArnNotEquals": { "aws:PrincipalArn": "${SEGMENTS_AWS_PRINCIPAL_ARN}" }.\n`);
  });
  it('aws-policy: nothing about the same Deny once it exempts Segments, or when it covers other objects', () => {
    expect(exempted()).toMatchObject({ status: 0, stderr: '' });
    expect(elsewhere()).toMatchObject({ status: 0, stderr: '' });
  });
  const otherFile = fixture('other-bucket.json', existingPolicy);
  const otherBucket = inProcess(['aws-policy', '--bucket', 'other-bucket', '--merge', otherFile]);
  const wildcard = inProcess(['aws-policy', '--bucket', 'acme-videos', '--merge',
    fixture('wildcard.json', { ...existingPolicy, Statement: [...existingPolicy.Statement, { ...ipDeny, Sid: 'AllAcme', Resource: 'arn:aws:s3:::acme-*/*', Effect: 'Allow' }] })]);
  const noS3 = inProcess(['aws-policy', '--bucket', bucket, '--merge', fixture('no-s3.json', { Version: '2012-10-17', Statement: [{ Sid: 'NoDelete', Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' }] })]);
  it('aws-policy: a file whose S3 resources name only other buckets, still printing the merged policy', () => {
    expect(otherBucket().status).toBe(0);
    expect(JSON.parse(otherBucket().stdout).Statement).toHaveLength(existingPolicy.Statement.length + 1);
    expect(otherBucket().stderr).toBe(`warning: The policy in ${otherFile} names only other buckets ('${bucket}'), not 'other-bucket': ` +
      'check that it is this bucket\'s policy and that --bucket is right before you put the merged one.\n');
  });
  it('aws-policy: nothing about other buckets when a resource names the bucket, by wildcard too, or no S3 resource is named', () => {
    expect(plainPolicy()).toMatchObject({ status: 0, stderr: '' });
    expect(wildcard()).toMatchObject({ status: 0, stderr: '' });
    expect(noS3()).toMatchObject({ status: 0, stderr: '' });
  });
  it('aws-policy: nothing about a Deny on insecure transport, which presigned https GETs pass', () => {
    expect(plainPolicy()).toMatchObject({ status: 0, stderr: '' });
  });
  it('aws-cors: an earlier rule that answers Segments\' origins first, still printing the merged configuration', () => {
    expect(shadowed().status).toBe(0);
    expect(JSON.parse(shadowed().stdout).CORSRules).toEqual([existingCors.CORSRules[0], catchAll, segmentsS3CorsRuleJson()]);
    expect(shadowed().stderr).toBe(`warning: CORS rule #2 ('everyone') in ${shadowFile} also matches GETs from https://segments.ai, https://*.segments.ai ` +
      'and comes first, so S3 answers Segments with it instead of the Segments rule: remove those origins from it, or move the Segments rule before it.\n');
  });
  it('aws-cors: nothing when the Segments rule comes first, or no earlier rule matches', () => {
    expect(after().stderr).toBe('');
    expect(plainCors()).toMatchObject({ status: 0, stderr: '' });
  });
});

describe('gcs-cors prints the Cloud Storage CORS list', () => {
  const defaults = cli(['gcs-cors']);
  const given = inProcess(['gcs-cors', '--origin', 'https://app.segments.ai']);

  it('holds the Segments rule with the default origins', () => {
    expect(json(defaults())).toEqual([segmentsGcsCorsRule()]);
  });

  it('allows exactly the --origin values given', () => {
    expect(json(given())).toEqual([{ ...segmentsGcsCorsRule(), origin: ['https://app.segments.ai'] }]);
  });
});

describe('refusals: one line per problem on stderr, nothing on stdout', () => {
  const policyFile = fixture('p.json', existingPolicy);
  it.each<[string, () => Run, RegExp]>([
    ['a bad bucket name', cli(['aws-policy', '--bucket', 'acme_images']), /^error: --bucket \('acme_images'\) may only contain lowercase letters, digits and '-'\. Try 'acme-images'\.\n$/],
    ['a prefix starting with /', inProcess(['aws-policy', '--bucket', bucket, '--prefix', '/images/']), /^error: --prefix\[0\] \('\/images\/'\) starts with '\/'.*\n$/],
    ['an http origin (S3)', inProcess(['aws-cors', '--origin', 'http://segments.ai']), /^error: --origin\[0\] \('http:\/\/segments\.ai'\) must use https.*\n$/],
    ['a wildcard origin (GCS)', inProcess(['gcs-cors', '--origin', 'https://*.segments.ai']), /^error: --origin\[0\] .*Cloud Storage matches origins literally.*\n$/],
    ['a merge file that is not JSON', inProcess(['aws-policy', '--bucket', bucket, '--merge', fixture('bad.json', '{"Statement": [')]), /^error: --merge .*bad\.json: The bucket policy is not valid JSON \(.*\)\.\n$/],
    ['a bucket policy given as the CORS merge file', inProcess(['aws-cors', '--merge', policyFile]), /^error: --merge .*p\.json: This looks like a bucket policy \(it has "Version", "Id", "Statement"\), not a CORS configuration: .*get-bucket-cors.*\n$/],
    ['a merge file that does not exist', inProcess(['aws-policy', '--bucket', bucket, '--merge', path.join(work, 'missing.json')]), /^error: Cannot read --merge .*missing\.json \(no such file\)\.\n$/],
    ['an empty merge file (a bucket without a policy)', inProcess(['aws-policy', '--bucket', bucket, '--merge', fixture('empty.json', '\n')]), /^error: --merge .*empty\.json is empty: .*run the command without --merge\.\n$/],
  ])('exits 1 on %s', (_, run, message) => {
    expect(run()).toEqual({ status: 1, stdout: '', stderr: expect.stringMatching(message) });
  });

  const several = inProcess(['aws-policy', '--bucket', 'ab', '--prefix', '/x', '--prefix', 'a*']);
  it('lists every problem at once, one a line', () => {
    expect(several().status).toBe(1);
    expect(several().stdout).toBe('');
    expect(several().stderr.split('\n')).toEqual([
      expect.stringMatching(/^error: --bucket \('ab'\) is 2 characters long/),
      expect.stringMatching(/^error: --prefix\[0\] \('\/x'\) starts with/),
      expect.stringMatching(/^error: --prefix\[1\] \('a\*'\) contains '\*'/),
      '',
    ]);
  });

  it.each<[string, () => Run, RegExp]>([
    ['no command', inProcess([]), /^error: Give a command: aws-policy, aws-cors, gcs-cors/],
    ['an unknown command', cli(['azure-cors']), /^error: Unknown command 'azure-cors'/],
    ['an unknown flag before the command', inProcess(['--bucket', 'b']), /^error: Unknown flag '--bucket'/],
    ['an unknown flag', inProcess(['gcs-cors', '--merge', 'x.json']), /^error: gcs-cors has no flag '--merge'; it takes --origin and --help/],
    ['aws-policy without --bucket', inProcess(['aws-policy', '--prefix', 'a/']), /^error: aws-policy needs --bucket NAME/],
    ['a flag without its value', inProcess(['aws-policy', '--bucket']), /^error: --bucket needs a value/],
    ['a flag followed by another flag', inProcess(['aws-policy', '--bucket', '--prefix', 'a/']), /^error: --bucket needs a value/],
    ['an empty value after =', inProcess(['aws-policy', '--bucket', 'a-b', '--merge=']), /^error: --merge needs a value, and '--merge=' gives an empty one/],
    ['an empty value', inProcess(['aws-cors', '--origin', '']), /^error: --origin needs a value, and '--origin ''' gives an empty one/],
    ['a single-valued flag given twice', inProcess(['aws-policy', '--bucket', 'a-b', '--bucket', 'c-d']), /^error: --bucket is given twice/],
    ['a short flag', inProcess(['aws-policy', '-b', 'acme-images']), /^error: aws-policy has no flag '-b'; it takes --bucket, --prefix, --merge and --help/],
    ['an unknown flag with =', inProcess(['aws-cors', '--origins=https://segments.ai']), /^error: aws-cors has no flag '--origins'; it takes --origin, --merge and --help/],
    ['a stray argument', inProcess(['aws-cors', 'https://segments.ai']), /^error: aws-cors takes no argument 'https:\/\/segments\.ai'/],
  ])('exits 2 on a usage error: %s', (_, run, message) => {
    expect(run()).toEqual({ status: 2, stdout: '', stderr: expect.stringMatching(message) });
    expect(run().stderr).toMatch(/\(see 'segments-cloud( [a-z-]+)? --help'\)\.\n$/);
    expect(run().stderr.split('\n')).toHaveLength(2);
  });
});

describe('--help', () => {
  const help = cli(['--help']);
  it('lists every command with an example of each', () => {
    expect(help().status).toBe(0);
    expect(help().stderr).toBe('');
    for (const command of ['aws-policy', 'aws-cors', 'gcs-cors']) {
      expect(help().stdout).toMatch(new RegExp(`^  ${command} .*\\n +e\\.g\\. segments-cloud ${command}( .*)?$`, 'm'));
    }
    expect(help().stdout).toMatch(/Exit status: 0 .*, 1 .*, 2 usage error/);
  });

  it.each<[string, () => Run, string, string[]]>([
    ['aws-policy', inProcess(['aws-policy', '--bucket', 'b-c', '--help']), 'aws-policy --bucket NAME [--prefix P]... [--merge FILE]',
      ['--bucket NAME', '--prefix P', '--merge FILE', 'get-bucket-policy', 'put-bucket-policy', 'file://merged.json \\\n    --expected-bucket-owner 111122223333']],
    ['aws-cors', inProcess(['aws-cors', '-h']), 'aws-cors [--origin O]... [--merge FILE]',
      ['--origin O', '--merge FILE', 'get-bucket-cors', 'put-bucket-cors', 'file://merged-cors.json \\\n    --expected-bucket-owner 111122223333', `Default: ${segmentsS3CorsRuleJson().AllowedOrigins.join(', ')}.`]],
    ['aws-policy', inProcess(['aws-policy', '--bucket', '--help']), 'aws-policy --bucket NAME [--prefix P]... [--merge FILE]', ['--bucket NAME']],
    ['aws-cors', inProcess(['aws-cors', '--bogus', '--merge=', '-h']), 'aws-cors [--origin O]... [--merge FILE]', ['--origin O']],
    ['gcs-cors', inProcess(['gcs-cors', '--help']), 'gcs-cors [--origin O]...',
      ['--origin O', 'gcloud storage buckets update', `Default: ${segmentsGcsCorsRule().origin.join(', ')}.`]],
  ])('%s --help describes its flags and shows an example', (_, run, synopsis, mentions) => {
    expect(run().status).toBe(0);
    expect(run().stdout.split('\n')[0]).toBe(`Usage: segments-cloud ${synopsis}`);
    for (const mention of mentions) {
      expect(run().stdout).toContain(mention);
    }
  });
});

describe('docs/cli.md', () => {
  const several = inProcess(['aws-policy', '--bucket', 'ab', '--prefix', '/x', '--prefix', 'a*']);
  it('shows what several problems print: one error line each', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8');
    const shown = /```console\n\$ segments-cloud aws-policy --bucket ab --prefix \/x --prefix 'a\*'\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(shown).toBe(several().stderr);
  });
  it('shows in its worked example what aws-policy --merge prints', async () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8');
    const example = /`merged\.json` holds[^\n]*\n\n```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const shown = JSON.parse(example!);
    const current = { ...shown, Statement: shown.Statement.filter((s: { Sid: string }) => s.Sid !== 'segments-s3-access') };
    expect(current.Statement).toHaveLength(2);
    const run = await inProcessNow(['aws-policy', '--bucket', 'my-images', '--prefix', 'images/', '--merge', '-'], JSON.stringify(current));
    expect(run.stdout).toBe(example);
  });
});

describe('docs/cli.md names the default origins', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8');
  const section = (heading: string) => doc.slice(doc.indexOf(`### \`${heading}`), doc.indexOf('\n### ', doc.indexOf(`### \`${heading}`) + 1));
  it.each([
    ['aws-cors', segmentsS3CorsRuleJson().AllowedOrigins],
    ['gcs-cors', segmentsGcsCorsRule().origin],
  ])('%s', (command, origins) => {
    expect(section(command)).toContain(`Default: ${origins.map((o) => `\`${o}\``).join(' and ')},`);
  });
});

describe('the CLI uses the constructs package\'s root entry, and loads the SDKs only to verify', () => {
  const main = moduleGraph(path.join(ROOT, 'cli', 'src', 'main.ts'));

  it('imports the constructs package by its root entry only, never a file of lib/ or a subpath', () => {
    const files = relativeFiles(main);
    expect(files).toEqual(expect.arrayContaining(['cli/src/main.ts', 'cli/src/aws-policy.ts', 'cli/src/verify/report.ts', 'cli/src/verify/aws/index.ts']));
    expect(files.filter((f) => !f.startsWith('cli/src/'))).toEqual([]);
    expect(packagesOf(main).filter((p) => p.startsWith('segments-cloud-constructs'))).toContain('segments-cloud-constructs');
    expect([...new Set(packagesOf(main).filter((p) => !p.startsWith('node:')))]).toEqual(['segments-cloud-constructs']);
  });

  it('bundles a root entry that reaches no cloud library', () => {
    const root = moduleGraph(path.join(ROOT, 'lib', 'index.ts'));
    expect(packagesOf(root)).toEqual([]);
  });

  it('runs the JSON commands from a folder where no AWS SDK can be found', () => {
    expect(() => require.resolve('@aws-sdk/client-s3', { paths: [work] })).toThrow();
    expect(json(whereNoSdk())).toEqual({ CORSRules: [segmentsS3CorsRuleJson()] });
  });
});
const whereNoSdk = cli(['aws-cors']);
