/**
 * The CORS half of the SegmentsImportedBucketAccess handler with the real AWS SDK over HTTP, against
 * s3rver (an S3-compatible server in Node that implements bucket CORS and answers preflights from
 * it) on 127.0.0.1. s3rver does not implement bucket policies, encryption or ownership controls, so
 * those calls go to a small in-memory stand-in; test/aws/imported-bucket-handler.test.ts covers them.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { GetBucketCorsCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import S3rver from 's3rver';
import { segmentsS3CorsRuleJson } from '../../lib';
import { type HandlerDependencies, handleEvent } from '../../lib/aws/segments-imported-bucket-access/handler';

const CORS_COMMANDS = new Set(['GetBucketCorsCommand', 'PutBucketCorsCommand', 'DeleteBucketCorsCommand']);

let server: S3rver;
let directory: string;
let real: S3Client;
let endpoint: string;
let policy: string | undefined;

/** Bucket CORS calls go to s3rver; the rest to an in-memory stand-in of a plain SSE-S3 bucket. */
const deps: HandlerDependencies = {
  sleep: async () => undefined,
  log: () => undefined,
  s3: {
    send: async (command: { constructor: { name: string }; input: any }) => {
      const name = command.constructor.name;
      if (CORS_COMMANDS.has(name)) {
        return real.send(command as any);
      }
      switch (name) {
        case 'GetBucketPolicyCommand':
          if (policy === undefined) {
            throw Object.assign(new Error('The bucket policy does not exist'), { name: 'NoSuchBucketPolicy' });
          }
          return { Policy: policy };
        case 'PutBucketPolicyCommand':
          policy = command.input.Policy;
          return {};
        case 'DeleteBucketPolicyCommand':
          policy = undefined;
          return {};
        case 'GetBucketEncryptionCommand':
          return { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } };
        case 'GetBucketOwnershipControlsCommand':
          return { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } };
        default:
          throw new Error(`unexpected ${name}`);
      }
    },
  } as unknown as S3Client,
};

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: 'acme', configs: [] }] });
  const { port } = (await server.run()) as AddressInfo;
  endpoint = `http://127.0.0.1:${port}`;
  real = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
});

afterAll(async () => {
  real.destroy();
  await server.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

const event = (type: 'Create' | 'Delete'): CloudFormationCustomResourceEvent => ({
  RequestType: type, ServiceToken: 't', ResponseURL: 'https://example.com', StackId: 's', RequestId: 'r', LogicalResourceId: 'l',
  ResourceType: 'Custom::SegmentsImportedBucketAccess', PhysicalResourceId: 'acme',
  ResourceProperties: { ServiceToken: 't', BucketName: 'acme', ExpectedBucketOwner: '111122223333', AllowedOrigins: ['https://segments.ai'], AdoptExisting: 'false', RemovalPolicy: 'destroy' },
} as CloudFormationCustomResourceEvent);

/** A browser's CORS preflight for a GET from `origin`: the Access-Control-Allow-Origin it gets back. */
function preflight(origin: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${endpoint}/acme/images/a.jpg`, {
      method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
    }, (response) => {
      response.resume();
      resolve(response.headers['access-control-allow-origin'] as string | undefined);
    });
    request.on('error', reject);
    request.end();
  });
}

const appRule = { ID: 'app', AllowedMethods: ['PUT'], AllowedOrigins: ['https://app.example.com'], AllowedHeaders: ['*'] };

describe('the handler\'s CORS merge, through the real SDK and an S3-compatible server', () => {
  it('adds the Segments rule after the existing one, keeping it, and browsers from segments.ai then pass preflight', async () => {
    await real.send(new PutBucketCorsCommand({ Bucket: 'acme', CORSConfiguration: { CORSRules: [appRule] } }));
    expect(await preflight('https://segments.ai')).toBeUndefined();

    await handleEvent(event('Create'), deps);
    const { CORSRules } = await real.send(new GetBucketCorsCommand({ Bucket: 'acme' }));
    expect(CORSRules!.map((rule) => rule.ID)).toEqual(['app', 'segments-cors']);
    // after '*', the resource's claim (a header name, which '*' already allows): S3 stores and answers it like any header
    expect(CORSRules![1]).toMatchObject({ AllowedMethods: ['GET'], AllowedOrigins: ['https://segments.ai'],
      AllowedHeaders: ['*', expect.stringMatching(/^x-segments-grant-[0-9a-f]{16}$/)] });
    // S3 echoes the origin; s3rver answers '*'. Either way the browser's preflight now passes.
    expect(['https://segments.ai', '*']).toContain(await preflight('https://segments.ai'));
    expect(await preflight('https://evil.example.com')).toBeUndefined();
  });

  it('is idempotent against the server: a second create writes nothing new', async () => {
    await handleEvent(event('Create'), deps);
    const { CORSRules } = await real.send(new GetBucketCorsCommand({ Bucket: 'acme' }));
    expect(CORSRules!.map((rule) => rule.ID)).toEqual(['app', 'segments-cors']);
  });

  it('removes only its rule on delete, and the whole CORS configuration when nothing else is left', async () => {
    await handleEvent(event('Delete'), deps);
    const { CORSRules } = await real.send(new GetBucketCorsCommand({ Bucket: 'acme' }));
    expect(CORSRules!.map((rule) => rule.ID)).toEqual(['app']);

    await real.send(new PutBucketCorsCommand({ Bucket: 'acme', CORSConfiguration: { CORSRules: [segmentsS3CorsRuleJson(['https://segments.ai'])] } }));
    await handleEvent(event('Delete'), deps);
    await expect(real.send(new GetBucketCorsCommand({ Bucket: 'acme' }))).rejects.toMatchObject({ name: 'NoSuchCORSConfiguration' });
    expect(policy).toBeUndefined();
  });
});
