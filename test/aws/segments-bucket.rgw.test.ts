/**
 * The baseline of the real-S3 tiers: a bucket on Ceph RGW (test/helpers/rgw.ts) configured exactly
 * as `SegmentsBucket` synthesizes it (its Segments policy statement and its CORS rule, taken from
 * the template) lets Segments' principal GET objects and nothing else, and a presigned GET fetched
 * from Segments' web app origin carries `Access-Control-Allow-Origin`, while another origin's does
 * not. The browser tier and `segments-cloud verify aws` start from the same configuration.
 */
import * as http from 'http';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type CORSRule,
} from '@aws-sdk/client-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { newStack, onlyResource } from './app';
import { SegmentsBucket } from '../../lib/aws';
import { SEGMENTS_PRINCIPAL, resolvePolicies } from '../helpers/policy-evaluation';
import { asSegments, describeWithRgw, outcome, type Rgw } from '../helpers/rgw';

const BUCKET = 'segments-baseline';

/** The template's S3 CORS rule (CloudFormation's casing) in the S3 API's casing. */
function corsRuleOf(rule: Record<string, unknown>): CORSRule {
  const renamed: Record<string, string> = { Id: 'ID', ExposedHeaders: 'ExposeHeaders', MaxAge: 'MaxAgeSeconds' };
  return Object.fromEntries(Object.entries(rule).map(([field, value]) => [renamed[field] ?? field, value])) as unknown as CORSRule;
}

/** What SegmentsBucket with a literal bucket name synthesizes: the Segments statement and the CORS rules. */
function synthesized(): { statement: Record<string, unknown>; otherEffects: string[]; corsRules: CORSRule[] } {
  const { stack } = newStack();
  new SegmentsBucket(stack, 'Data', { bucketName: BUCKET });
  const template = Template.fromStack(stack);
  const { bucketPolicy } = resolvePolicies(template.toJSON(), { bucketName: BUCKET, region: 'us-east-1', account: '111122223333' });
  const statements = bucketPolicy!.Statement;
  const bucket = onlyResource(template, 'AWS::S3::Bucket').resource;
  return {
    statement: statements.find((statement) => statement.Sid === 'segments-s3-access')!,
    otherEffects: statements.filter((statement) => statement.Sid !== 'segments-s3-access').map((statement) => String(statement.Effect)),
    corsRules: (bucket.Properties.CorsConfiguration.CorsRules as Record<string, unknown>[]).map(corsRuleOf),
  };
}

/** A browser's CORS preflight: status and Access-Control-Allow-Origin. */
function preflight(rgw: Rgw, path: string, origin: string, requestHeaders?: string): Promise<{ status?: number; allowOrigin?: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${rgw.endpoint}${path}`, {
      method: 'OPTIONS',
      headers: { 'Origin': origin, 'Access-Control-Request-Method': 'GET', ...(requestHeaders ? { 'Access-Control-Request-Headers': requestHeaders } : {}) },
    }, (response) => {
      response.resume();
      resolve({ status: response.statusCode, allowOrigin: response.headers['access-control-allow-origin'] as string | undefined });
    });
    request.on('error', reject);
    request.end();
  });
}


describeWithRgw('a bucket configured as SegmentsBucket synthesizes it, on a real S3 server (Ceph RGW)', (rgw) => {
  let config: ReturnType<typeof synthesized>;

  beforeAll(async () => {
    config = synthesized();
    const owner = rgw().owner;
    await owner.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await owner.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'images/a.jpg', Body: 'image bytes' }));
  });

  it('synthesizes what the tier applies: one Segments statement for the principal, and a GET rule', () => {
    expect(config.statement).toMatchObject({
      Effect: 'Allow', Principal: { AWS: SEGMENTS_PRINCIPAL }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`,
    });
    // The template's other statements are Denies of plain HTTP (aws:SecureTransport): applied to a
    // gateway that only speaks HTTP, they would deny everything, so the tier leaves them out.
    expect(config.otherEffects).toEqual(config.otherEffects.map(() => 'Deny'));
    expect(config.corsRules).toHaveLength(1);
  });

  it('before the configuration, Segments cannot read and no browser passes (the control)', async () => {
    expect(await outcome(rgw().segments.send(new GetObjectCommand({ Bucket: asSegments(BUCKET), Key: 'images/a.jpg' })))).toBe('AccessDenied');
    expect((await preflight(rgw(), `/${BUCKET}/images/a.jpg`, 'https://app.segments.ai')).allowOrigin).toBeUndefined();
  });

  it('with it, Segments\' principal can GET objects and nothing else', async () => {
    const owner = rgw().owner;
    await owner.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [config.statement] }) }));
    await owner.send(new PutBucketCorsCommand({ Bucket: BUCKET, CORSConfiguration: { CORSRules: config.corsRules } }));

    const segments = rgw().segments;
    const object = await segments.send(new GetObjectCommand({ Bucket: asSegments(BUCKET), Key: 'images/a.jpg' }));
    expect(await object.Body!.transformToString()).toBe('image bytes');
    expect(await outcome(segments.send(new ListObjectsV2Command({ Bucket: asSegments(BUCKET) })))).toBe('AccessDenied');
    expect(await outcome(segments.send(new PutObjectCommand({ Bucket: asSegments(BUCKET), Key: 'images/b.jpg', Body: 'x' })))).toBe('AccessDenied');
  });

  it.each([
    ['the customer', () => ({ credentials: rgw().ownerCredentials, bucket: BUCKET })],
    ['Segments (as its web app gets them)', () => ({ credentials: rgw().segmentsCredentials, bucket: asSegments(BUCKET) })],
  ])('a presigned GET URL of %s, fetched from https://app.segments.ai, carries Access-Control-Allow-Origin; from https://evil.example it does not', async (_who, signer) => {
    const { credentials, bucket } = signer();
    const url = rgw().presignGet(credentials, bucket, 'images/a.jpg');
    const fromApp = await fetch(url, { headers: { Origin: 'https://app.segments.ai' } });
    expect(fromApp.status).toBe(200);
    expect(fromApp.headers.get('access-control-allow-origin')).toBe('https://app.segments.ai');
    expect(await fromApp.text()).toBe('image bytes');

    const fromEvil = await fetch(url, { headers: { Origin: 'https://evil.example' } });
    await fromEvil.arrayBuffer();
    // the object is served (a presigned URL is a bearer token), but a browser would not hand it to evil.example's page
    expect(fromEvil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a preflight from https://app.segments.ai passes, also when it asks for a header (a suffix Range); from elsewhere it fails', async () => {
    expect(await preflight(rgw(), `/${BUCKET}/images/a.jpg`, 'https://app.segments.ai')).toEqual({ status: 200, allowOrigin: 'https://app.segments.ai' });
    expect(await preflight(rgw(), `/${BUCKET}/images/a.jpg`, 'https://app.segments.ai', 'range')).toEqual({ status: 200, allowOrigin: 'https://app.segments.ai' });
    expect((await preflight(rgw(), `/${BUCKET}/images/a.jpg`, 'https://evil.example')).allowOrigin).toBeUndefined();
    // the wildcard origin https://*.segments.ai does not match the apex; the rule names the apex itself
    expect((await preflight(rgw(), `/${BUCKET}/images/a.jpg`, 'https://segments.ai')).allowOrigin).toBe('https://segments.ai');
    expect((await preflight(rgw(), `/${BUCKET}/images/a.jpg`, 'https://segments.ai.evil.example')).allowOrigin).toBeUndefined();
  });

  it('the customer reaches the same object by its virtual-hosted name (<bucket>.<rgw_dns_name>)', async () => {
    const s3 = rgw().client(rgw().ownerCredentials, { virtualHosted: true });
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'images/a.jpg' }));
    expect(await object.Body!.transformToString()).toBe('image bytes');
  });
});
