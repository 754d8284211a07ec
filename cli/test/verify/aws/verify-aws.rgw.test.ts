/**
 * `segments-cloud verify aws` run AS A PROCESS (the bundle the package ships) against a real
 * S3-compatible server, Ceph RGW (test/helpers/rgw.ts), through AWS_ENDPOINT_URL_S3, with the
 * customer's credentials: no STS, no KMS, no mock.
 *
 * A bucket made as SegmentsBucket makes it (its synthesized bucket policy and CORS rule applied)
 * passes; then one thing at a time is broken, and each run fails with the right check ID and a fix.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  CORSRule,
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { SegmentsBucket } from '../../../../lib/aws';
import { resolvePolicies } from '../../../../test/helpers/policy-evaluation';
import { describeWithRgw } from '../../../../test/helpers/rgw';
import { recommendedContext } from '../../../../test/aws/app';
import { bundleCli, runVerifyAws, type VerifyReport, type VerifyRun } from '../../../../test/helpers/verify-process';

/** The bucket policy and CORS rules SegmentsBucket synthesizes, for a bucket of this name, in S3 API form. */
function segmentsBucketConfiguration(bucketName: string): { policy: unknown; corsRules: Record<string, unknown>[] } {
  const app = new App({ context: recommendedContext, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Customer');
  new SegmentsBucket(stack, 'Images', { bucketName });
  const template = Template.fromStack(stack).toJSON();
  const { bucketPolicy } = resolvePolicies(template, { bucketName, region: 'us-east-1', account: '111122223333' });
  const bucket = Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'AWS::S3::Bucket');
  const corsRules = (bucket.Properties.CorsConfiguration.CorsRules as Record<string, unknown>[]).map((rule) => ({
    ID: rule.Id, AllowedHeaders: rule.AllowedHeaders, AllowedMethods: rule.AllowedMethods, AllowedOrigins: rule.AllowedOrigins, ExposeHeaders: rule.ExposedHeaders ?? [],
  }));
  return { policy: bucketPolicy, corsRules };
}

describeWithRgw('segments-cloud verify aws against Ceph RGW, as a process', (rgw) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-aws-rgw-'));
  let bundle: string;
  const runs = new Map<string, VerifyRun>();

  /** Runs the bundled CLI with the customer's credentials and the gateway as AWS_ENDPOINT_URL_S3. */
  function verify(args: string[]): Promise<VerifyRun> {
    return runVerifyAws(bundle, args, rgw().ownerCredentials, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: rgw().endpoint });
  }

  /** A bucket as SegmentsBucket makes it, then `change` applied; an object images/cat.jpg in it. */
  async function bucketAs(name: string, change: (config: ReturnType<typeof segmentsBucketConfiguration>) => void | Promise<void> = () => undefined): Promise<void> {
    const s3 = rgw().owner;
    const config = segmentsBucketConfiguration(name);
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new PutObjectCommand({ Bucket: name, Key: 'images/cat.jpg', Body: 'not really a jpeg' }));
    await change(config);
    if (config.policy !== undefined) {
      await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(config.policy) }));
    } else {
      await s3.send(new DeleteBucketPolicyCommand({ Bucket: name }));
    }
    await s3.send(new PutBucketCorsCommand({ Bucket: name, CORSConfiguration: { CORSRules: config.corsRules as unknown as CORSRule[] } }));
  }

  const segmentsRule = (config: ReturnType<typeof segmentsBucketConfiguration>) => config.corsRules.find((r) => r.ID === 'segments-cors')!;

  const scenarios: Record<string, { bucket: string; setup: Parameters<typeof bucketAs>[1]; args: string[] }> = {
    'as SegmentsBucket makes it': { bucket: 'segments-bucket', setup: undefined, args: ['--key', 'images/cat.jpg'] },
    'no policy': { bucket: 'no-policy', setup: (c) => { c.policy = undefined; }, args: ['--key', 'images/cat.jpg'] },
    'a policy for another prefix': {
      bucket: 'other-prefix',
      setup: (c) => {
        const policy = c.policy as { Statement: { Sid?: string; Resource: unknown }[] };
        policy.Statement.filter((s) => s.Sid === 'segments-s3-access').forEach((s) => { s.Resource = 'arn:aws:s3:::other-prefix/videos/*'; });
      },
      args: ['--prefix', 'images/'],
    },
    'a Deny on aws:SourceIp': {
      bucket: 'source-ip-deny',
      setup: (c) => {
        (c.policy as { Statement: unknown[] }).Statement.push({
          Sid: 'OfficeOnly', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::source-ip-deny/*',
          Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
        });
      },
      args: ['--offline'],
    },
    'a Deny after a date (a contract that ended)': {
      bucket: 'ended-deny',
      setup: (c) => {
        (c.policy as { Statement: unknown[] }).Statement.push({
          Sid: 'ContractEnded', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::ended-deny/*',
          Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
        });
      },
      args: ['--offline'],
    },
    'a CORS rule without https://*.segments.ai': {
      bucket: 'apex-only-cors',
      setup: (c) => { segmentsRule(c).AllowedOrigins = ['https://segments.ai']; },
      args: ['--key', 'images/cat.jpg'],
    },
    'an earlier rule that shadows ours for GET': {
      bucket: 'shadowed-cors',
      setup: (c) => { c.corsRules.unshift({ ID: 'public-read', AllowedMethods: ['GET'], AllowedOrigins: ['*'] }); },
      args: ['--key', 'images/cat.jpg'],
    },
    'a missing --key': { bucket: 'missing-key', setup: undefined, args: ['--key', 'images/dog.jpg', '--offline'] },
  };

  beforeAll(async () => {
    bundle = await bundleCli(work);
    await Promise.all(Object.values(scenarios).map(({ bucket, setup }) => bucketAs(bucket, setup)));
    await Promise.all(Object.entries(scenarios).map(async ([name, { bucket, args }]) => {
      runs.set(name, await verify(['--bucket', bucket, ...args]));
    }));
  }, 120_000);

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  const run = (name: string): VerifyRun & { report: VerifyReport } => {
    const result = runs.get(name);
    if (!result?.report) {
      throw new Error(`${name}: no JSON report (exit ${result?.status}): ${result?.stderr}${result?.stdout}`);
    }
    return result as VerifyRun & { report: VerifyReport };
  };
  const failing = (name: string) => run(name).report.checks.filter((c) => c.result === 'fail');
  const failingIds = (name: string) => [...new Set(failing(name).map((c) => c.id))];

  it('passes a bucket set up as SegmentsBucket sets it up (exit 0), with no check failed and none that could not run', () => {
    const { status, report } = run('as SegmentsBucket makes it');
    expect(report.bucket).toBe('segments-bucket');
    expect(failingIds('as SegmentsBucket makes it')).toEqual([]);
    expect(status).toBe(0);
    expect(report.checks.filter((c) => c.result === 'pass').map((c) => c.id)).toEqual(expect.arrayContaining(
      ['aws.bucket', 'aws.policy', 'aws.cors', 'aws.encryption', 'aws.requester-pays', 'aws.object', 'aws.preflight']));
    // The browser's view came from the real server: both preflights and the presigned GET got the origin back.
    const preflight = report.checks.find((c) => c.id === 'aws.preflight' && c.target === 'https://app.segments.ai');
    expect(preflight?.detail).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/segments-bucket\/images\/cat\.jpg answered OPTIONS 200, OPTIONS \(Range\) 200 and the presigned GET 200, with Access-Control-Allow-Origin: https:\/\/app\.segments\.ai\.$/);
  });

  it.each<[string, string[], RegExp]>([
    ['no policy', ['aws.policy'], /^segments-cloud aws-policy --bucket no-policy > policy\.json\naws s3api put-bucket-policy /],
    ['a policy for another prefix', ['aws.policy'], /segments-cloud aws-policy --bucket other-prefix --prefix images\/ --merge current\.json > merged\.json/],
    ['a Deny after a date (a contract that ended)', ['aws.policy'], /^In statement ContractEnded, exempt Segments: add "ArnNotEquals": \{"aws:PrincipalArn": "arn:aws:iam::931508227573:user\/segmentsai-prod-user"\}/],
    ['a CORS rule without https://*.segments.ai', ['aws.cors', 'aws.preflight'], /^aws s3api put-bucket-cors --bucket apex-only-cors --cors-configuration '\{"CORSRules":\[\{"ID":"segments-cors"/],
    // RGW answers a preflight with the first rule matching origin and method, so the one naming Range
    // gets public-read (no AllowedHeaders) and 403: aws.preflight measures it. On S3 the Range
    // preflight gets segments-cors (AWS's CORS doc: the first rule matching every requested header
    // too), so aws.cors, which judges S3's evaluation, warns instead (cli/test/verify/aws/cors.test.ts).
    ['an earlier rule that shadows ours for GET', ['aws.preflight'], /^aws s3api put-bucket-cors --bucket shadowed-cors --cors-configuration '\{"CORSRules":\[\{"ID":"segments-cors".*\},\{[^}]*"ID":"public-read"\}\]\}'$/],
    ['a missing --key', ['aws.object'], /^Check the key: keys are case-sensitive .* aws s3 ls s3:\/\/missing-key\/images\/$/],
  ])('fails with %s (exit 1), on exactly the right check, with a fix', (name, ids, fix) => {
    expect(failingIds(name)).toEqual(ids);
    expect(run(name).status).toBe(1);
    for (const check of failing(name)) {
      expect(check.fix).toEqual(expect.any(String));
    }
    expect(failing(name)[0].fix).toMatch(fix);
  });

  it('warns, never passes, on a Deny on the labeler\'s aws:SourceIp, which verify cannot know (exit 0: a warning), naming its values', () => {
    const { status, report } = run('a Deny on aws:SourceIp');
    const policy = report.checks.filter((c) => c.id === 'aws.policy');
    expect(policy.map((c) => c.result)).toEqual(['warn']);
    expect(policy[0].detail).toContain('statement OfficeOnly denies it on keys such as \'x\' when NotIpAddress aws:SourceIp ["203.0.113.0/24"] holds');
    expect(status).toBe(0);
  });

  it('names what decided: the Deny with its condition key, and the shadowing rule', () => {
    expect(failing('a Deny after a date (a contract that ended)')[0].detail).toMatch(/^Statement ContractEnded \(condition keys aws:CurrentTime\) denies Segments' s3:GetObject/);
    const shadowed = run('an earlier rule that shadows ours for GET').report.checks;
    expect(shadowed.filter((c) => c.id === 'aws.cors').map((c) => [c.result, c.detail.includes("rule #1 ('public-read'), before the 'segments-cors' rule (#2), which it shadows")]))
      .toEqual([['warn', true], ['warn', true]]);
    expect(failing('an earlier rule that shadows ours for GET')[0].detail).toMatch(/^OPTIONS \(Range\) http:\/\/127\.0\.0\.1:\d+\/shadowed-cors\/images\/cat\.jpg answered 403/);
    expect(failing('a CORS rule without https://*.segments.ai').map((c) => c.target)).toEqual(['https://app.segments.ai', 'https://app.segments.ai']);
  });

  it('never writes: every bucket is as it was set up (the policy of no-policy is still absent)', async () => {
    const again = await verify(['--bucket', 'no-policy', '--offline']);
    expect(again.report?.checks.find((c) => c.id === 'aws.policy')?.result).toBe('fail');
  });
});
