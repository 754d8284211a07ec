/**
 * The SegmentsImportedBucketAccess handler's Create, Update and Delete against a real S3 server:
 * Ceph RGW on 127.0.0.1 (test/helpers/rgw.ts), which evaluates bucket policies with principals and
 * answers CORS preflights. The handler runs with the bucket owner's credentials, as its Lambda role
 * would; then requests signed as Segments' principal (RGW user `segmentsai-prod-user` in tenant
 * `931508227573`) show what Segments can do. test/aws/imported-bucket-handler.test.ts covers, with
 * a mocked client, what RGW cannot show: it ignores ExpectedBucketOwner and answers encryption and
 * ownership reads with empty configurations.
 */
import * as http from 'http';
import {
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  CreateBucketCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { SEGMENTS_DEFAULT_ORIGINS } from '../../lib';
import { type HandlerDependencies, handleEvent } from '../../lib/aws/segments-imported-bucket-access/handler';
import type { ImportedBucketAccessProperties } from '../../lib/aws/segments-imported-bucket-access/resource-properties';
import { asSegments, describeWithRgw, outcome, type Rgw, type RgwCredentials } from '../helpers/rgw';

const OWNER_ACCOUNT = '111122223333';
const common = {
  ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:handler', ResponseURL: 'https://example.com',
  StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/customer/1', RequestId: 'r', LogicalResourceId: 'SegmentsAccess',
  ResourceType: 'Custom::SegmentsImportedBucketAccess',
};

function properties(bucket: string, keyPrefixes?: string[]): ImportedBucketAccessProperties {
  return {
    BucketName: bucket, ExpectedBucketOwner: OWNER_ACCOUNT, ...(keyPrefixes ? { KeyPrefixes: keyPrefixes } : {}),
    AllowedOrigins: [...SEGMENTS_DEFAULT_ORIGINS], AdoptExisting: 'false', RemovalPolicy: 'destroy',
  };
}

function event(type: 'Create' | 'Update' | 'Delete', props: ImportedBucketAccessProperties, old?: ImportedBucketAccessProperties): CloudFormationCustomResourceEvent {
  return {
    ...common, RequestType: type,
    ...(type === 'Create' ? {} : { PhysicalResourceId: props.BucketName }),
    ResourceProperties: { ServiceToken: common.ServiceToken, ...props },
    ...(old ? { OldResourceProperties: { ServiceToken: common.ServiceToken, ...old } } : {}),
  } as CloudFormationCustomResourceEvent;
}

/** The customer's own grant, there before ours: an analyst in the customer's account reads reports/. */
const analystStatement = {
  Sid: 'analyst-reads-reports', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER_ACCOUNT}:user/analyst` },
  Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme/reports/*',
};
/** The customer's own CORS rule, there before ours: their upload page PUTs objects. */
const appRule = { ID: 'app', AllowedMethods: ['PUT'], AllowedOrigins: ['https://upload.example.com'], AllowedHeaders: ['*'] };

type CorsRule = { ID?: string; AllowedOrigins?: string[]; AllowedMethods?: string[]; AllowedHeaders?: string[] };

/**
 * RGW's quirk, not S3's: it keeps CORS rules in order but returns each rule's AllowedOrigins,
 * AllowedMethods and AllowedHeaders sorted (it stores them as sets), where S3 returns them as
 * written. The handler compares its rule by list order, so on RGW its re-read would not find the
 * rule it wrote and it would refuse its own rule as a "different existing rule". This wrapper gives
 * the handler what S3 would return: the rules as last written through it, when RGW's answer is
 * those rules up to that sorting; any other answer (a rule changed behind its back) as RGW gave it.
 */
function corsAsWritten(s3: S3Client): S3Client {
  const written = new Map<string, CorsRule[]>();
  const sorted = (rules: CorsRule[]) => JSON.stringify(rules.map((rule) => Object.fromEntries(Object.entries(rule)
    .filter(([, value]) => !(Array.isArray(value) && value.length === 0)) // S3 and RGW leave an empty list out
    .map(([field, value]) => [field, Array.isArray(value) && field !== 'ExposeHeaders' ? [...value].sort() : value])
    .sort(([a], [b]) => String(a).localeCompare(String(b))))));
  return {
    send: async (command: { constructor: { name: string }; input: { Bucket: string; CORSConfiguration?: { CORSRules: CorsRule[] } } }) => {
      const out = await s3.send(command as never) as { CORSRules?: CorsRule[] };
      const bucket = command.input.Bucket;
      switch (command.constructor.name) {
        case 'PutBucketCorsCommand':
          written.set(bucket, JSON.parse(JSON.stringify(command.input.CORSConfiguration!.CORSRules)));
          break;
        case 'DeleteBucketCorsCommand':
          written.delete(bucket);
          break;
        case 'GetBucketCorsCommand': {
          const mine = written.get(bucket);
          if (mine && out.CORSRules && sorted(out.CORSRules) === sorted(mine)) {
            return { ...out, CORSRules: mine };
          }
          break;
        }
      }
      return out;
    },
  } as unknown as S3Client;
}


/** A browser's CORS preflight to an object: the Access-Control-Allow-Origin it gets back (undefined: refused). */
function preflight(rgw: Rgw, path: string, origin: string, method = 'GET'): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${rgw.endpoint}${path}`, {
      method: 'OPTIONS', headers: { 'Origin': origin, 'Access-Control-Request-Method': method },
    }, (response) => {
      response.resume();
      resolve(response.headers['access-control-allow-origin'] as string | undefined);
    });
    request.on('error', reject);
    request.end();
  });
}

describeWithRgw('the imported-bucket handler against a real S3 server (Ceph RGW)', (rgw) => {
  let deps: HandlerDependencies;
  let segments: S3Client;
  let analyst: S3Client;
  let analystCredentials: RgwCredentials;
  const logs: string[] = [];

  /** What Segments can do with each key: GET it, or the error. */
  async function segmentsGets(keys: string[]): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    for (const key of keys) {
      result[key] = await outcome(segments.send(new GetObjectCommand({ Bucket: asSegments('acme'), Key: key })));
    }
    return result;
  }

  /** Every request other than GetObject that Segments must not be able to make. */
  async function segmentsOtherRequests(): Promise<Record<string, string>> {
    const bucket = asSegments('acme');
    return {
      list: await outcome(segments.send(new ListObjectsV2Command({ Bucket: bucket }))),
      listImages: await outcome(segments.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'images/' }))),
      put: await outcome(segments.send(new PutObjectCommand({ Bucket: bucket, Key: 'images/new.jpg', Body: 'x' }))),
      delete: await outcome(segments.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'images/a.jpg' }))),
      readPolicy: await outcome(segments.send(new GetBucketPolicyCommand({ Bucket: bucket }))),
    };
  }

  const NOTHING_ELSE = { list: 'AccessDenied', listImages: 'AccessDenied', put: 'AccessDenied', delete: 'AccessDenied', readPolicy: 'AccessDenied' };
  const KEYS = ['images/a.jpg', 'masks/m.png', 'videos/v.mp4', 'other/secret.jpg', 'reports/q1.csv'];

  async function policySids(bucket = 'acme'): Promise<string[]> {
    const { Policy } = await rgw().owner.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return JSON.parse(Policy!).Statement.map((statement: { Sid: string }) => statement.Sid);
  }

  async function corsIds(bucket = 'acme'): Promise<string[]> {
    const { CORSRules } = await rgw().owner.send(new GetBucketCorsCommand({ Bucket: bucket }));
    return CORSRules!.map((rule) => rule.ID!);
  }

  beforeAll(async () => {
    // The handler's Lambda role acts in the owner's account: here, the owner's credentials.
    deps = { s3: corsAsWritten(rgw().owner), sleep: async () => undefined, log: (...args) => { logs.push(args.join(' ')); } };
    segments = rgw().segments;
    analystCredentials = await rgw().createUser('analyst', { tenant: OWNER_ACCOUNT });
    analyst = rgw().client(analystCredentials);
    const owner = rgw().owner;
    await owner.send(new CreateBucketCommand({ Bucket: 'acme' }));
    for (const key of KEYS) {
      await owner.send(new PutObjectCommand({ Bucket: 'acme', Key: key, Body: `content of ${key}` }));
    }
    await owner.send(new PutBucketPolicyCommand({ Bucket: 'acme', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [analystStatement] }) }));
    await owner.send(new PutBucketCorsCommand({ Bucket: 'acme', CORSConfiguration: { CORSRules: [appRule] } }));
  });

  it('(RGW\'s quirk that corsAsWritten covers: it returns a rule\'s origins sorted, where S3 keeps them as written)', async () => {
    await rgw().owner.send(new CreateBucketCommand({ Bucket: 'quirk' }));
    await rgw().owner.send(new PutBucketCorsCommand({ Bucket: 'quirk', CORSConfiguration: { CORSRules: [
      { ID: 'b-then-a', AllowedMethods: ['PUT', 'GET'], AllowedOrigins: ['https://b.example', 'https://a.example'] },
      { ID: 'second', AllowedMethods: ['GET'], AllowedOrigins: ['https://c.example'] },
    ] } }));
    const { CORSRules } = await rgw().owner.send(new GetBucketCorsCommand({ Bucket: 'quirk' }));
    expect(CORSRules!.map((rule) => [rule.ID, rule.AllowedOrigins, rule.AllowedMethods])).toEqual([
      ['b-then-a', ['https://a.example', 'https://b.example'], ['GET', 'PUT']], // rules stay in order, their lists do not
      ['second', ['https://c.example'], ['GET']],
    ]);
  });

  it('before Create, Segments can read nothing (the control: the grant is what lets it in)', async () => {
    expect(await segmentsGets(KEYS)).toEqual(Object.fromEntries(KEYS.map((key) => [key, 'AccessDenied'])));
    expect(await preflight(rgw(), '/acme/images/a.jpg', 'https://app.segments.ai')).toBeUndefined();
    // the customer's own grant works
    expect(await outcome(analyst.send(new GetObjectCommand({ Bucket: asSegments('acme'), Key: 'reports/q1.csv' })))).toBe('allowed');
  });

  it('after Create, Segments can GET under the granted prefixes and nothing else', async () => {
    await handleEvent(event('Create', properties('acme', ['images/', 'masks/'])), deps);
    expect(await segmentsGets(KEYS)).toEqual({
      'images/a.jpg': 'allowed', 'masks/m.png': 'allowed',
      'videos/v.mp4': 'AccessDenied', 'other/secret.jpg': 'AccessDenied', 'reports/q1.csv': 'AccessDenied',
    });
    expect(await segmentsOtherRequests()).toEqual(NOTHING_ELSE);
  });

  it('after Create, a browser on app.segments.ai passes the preflight for a GET, and no other origin or method does', async () => {
    expect(await preflight(rgw(), '/acme/images/a.jpg', 'https://app.segments.ai')).toBe('https://app.segments.ai');
    expect(await preflight(rgw(), '/acme/images/a.jpg', 'https://segments.ai')).toBe('https://segments.ai');
    expect(await preflight(rgw(), '/acme/images/a.jpg', 'https://evil.example')).toBeUndefined();
    expect(await preflight(rgw(), '/acme/images/a.jpg', 'https://app.segments.ai', 'PUT')).toBeUndefined();
    // and a presigned GET of Segments' user, fetched from that origin, carries the header the browser needs
    const response = await fetch(rgw().presignGet(rgw().segmentsCredentials, asSegments('acme'), 'images/a.jpg'), { headers: { Origin: 'https://app.segments.ai' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.segments.ai');
    expect(await response.text()).toBe('content of images/a.jpg');
  });

  it('after Create, the customer\'s own statement and CORS rule are kept, in front of ours, and still work', async () => {
    expect(await policySids()).toEqual(['analyst-reads-reports', 'segments-s3-access']);
    expect(await corsIds()).toEqual(['app', 'segments-cors']);
    expect(await outcome(analyst.send(new GetObjectCommand({ Bucket: asSegments('acme'), Key: 'reports/q1.csv' })))).toBe('allowed');
    expect(await outcome(analyst.send(new GetObjectCommand({ Bucket: asSegments('acme'), Key: 'images/a.jpg' })))).toBe('AccessDenied');
    expect(await preflight(rgw(), '/acme/uploads/x.jpg', 'https://upload.example.com', 'PUT')).toBe('https://upload.example.com');
  });

  it('a second Create (a retry) changes nothing', async () => {
    const before = await rgw().owner.send(new GetBucketPolicyCommand({ Bucket: 'acme' }));
    await handleEvent(event('Create', properties('acme', ['images/', 'masks/'])), deps);
    const after = await rgw().owner.send(new GetBucketPolicyCommand({ Bucket: 'acme' }));
    expect(JSON.parse(after.Policy!)).toEqual(JSON.parse(before.Policy!));
    expect(await corsIds()).toEqual(['app', 'segments-cors']);
  });

  it('after Update to another prefix, the old prefixes are no longer readable and the new one is', async () => {
    await handleEvent(event('Update', properties('acme', ['videos/']), properties('acme', ['images/', 'masks/'])), deps);
    expect(await segmentsGets(KEYS)).toEqual({
      'images/a.jpg': 'AccessDenied', 'masks/m.png': 'AccessDenied',
      'videos/v.mp4': 'allowed', 'other/secret.jpg': 'AccessDenied', 'reports/q1.csv': 'AccessDenied',
    });
    expect(await segmentsOtherRequests()).toEqual(NOTHING_ELSE);
    expect(await policySids()).toEqual(['analyst-reads-reports', 'segments-s3-access']);
    expect(await corsIds()).toEqual(['app', 'segments-cors']);
  });

  it('after Delete, only our statement and rule are gone: Segments reads nothing, the customer\'s grant and rule still work', async () => {
    await handleEvent(event('Delete', properties('acme', ['videos/'])), deps);
    expect(await policySids()).toEqual(['analyst-reads-reports']);
    expect(await corsIds()).toEqual(['app']);
    expect(await segmentsGets(KEYS)).toEqual(Object.fromEntries(KEYS.map((key) => [key, 'AccessDenied'])));
    expect(await preflight(rgw(), '/acme/videos/v.mp4', 'https://app.segments.ai')).toBeUndefined();
    expect(await outcome(analyst.send(new GetObjectCommand({ Bucket: asSegments('acme'), Key: 'reports/q1.csv' })))).toBe('allowed');
    expect(await preflight(rgw(), '/acme/uploads/x.jpg', 'https://upload.example.com', 'PUT')).toBe('https://upload.example.com');
  });

  it('on a bucket with no policy or CORS, Create grants the whole bucket and Delete leaves none behind', async () => {
    const owner = rgw().owner;
    await owner.send(new CreateBucketCommand({ Bucket: 'fresh' }));
    await owner.send(new PutObjectCommand({ Bucket: 'fresh', Key: 'deep/path/x.jpg', Body: 'x' }));
    await handleEvent(event('Create', properties('fresh')), deps);
    expect(await outcome(segments.send(new GetObjectCommand({ Bucket: asSegments('fresh'), Key: 'deep/path/x.jpg' })))).toBe('allowed');
    expect(await outcome(segments.send(new ListObjectsV2Command({ Bucket: asSegments('fresh') })))).toBe('AccessDenied');
    expect(await policySids('fresh')).toEqual(['segments-s3-access']);
    expect(await corsIds('fresh')).toEqual(['segments-cors']);

    await handleEvent(event('Delete', properties('fresh')), deps);
    expect(await outcome(owner.send(new GetBucketPolicyCommand({ Bucket: 'fresh' })))).toBe('NoSuchBucketPolicy');
    expect(await outcome(owner.send(new GetBucketCorsCommand({ Bucket: 'fresh' })))).toBe('NoSuchCORSConfiguration');
    expect(await outcome(segments.send(new GetObjectCommand({ Bucket: asSegments('fresh'), Key: 'deep/path/x.jpg' })))).toBe('AccessDenied');
  });
});
