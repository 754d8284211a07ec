/**
 * The SegmentsImportedBucketAccess handler against a mocked S3 client: a small in-memory bucket
 * answers the seven calls the handler's role may make, the way S3 does (named errors for "not
 * configured", AccessDenied when ExpectedBucketOwner is not the owner).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  DeleteBucketCorsCommand,
  DeleteBucketPolicyCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { bucketPolicyBytes, mergeStatementBySid, segmentsBucketPolicyStatement, segmentsS3CorsRuleJson } from '../../lib';
import { grantClaim, withClaims } from '../../lib/aws/segments-imported-bucket-access/handler/grant-claims';
import { grantSettings, planGrant, usesAwsManagedKey } from '../../lib/aws/segments-imported-bucket-access/handler/grant-plan';
import { capText } from '../../lib/aws/segments-imported-bucket-access/handler/errors';
import {
  AwsManagedKeyError,
  BucketLimitError,
  GrantInputError,
  SegmentsEntryConflictError,
  type HandlerDependencies,
  handleEvent,
  handler,
  newS3Client,
} from '../../lib/aws/segments-imported-bucket-access/handler';
import type { ImportedBucketAccessProperties } from '../../lib/aws/segments-imported-bucket-access/resource-properties';
import { ROOT } from '../helpers/module-graph';

const OWNER = '111122223333';
const PRINCIPAL = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';

/** A bucket as the fake S3 holds it. */
interface FakeBucket {
  policy?: string;
  cors?: object[];
  encryption?: { SSEAlgorithm: string; KMSMasterKeyID?: string };
  ownership?: string;
  owner?: string;
  /** Called after each of our writes: another writer's turn. */
  afterWrite?: (bucket: FakeBucket) => void;
}

function s3Error(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

const s3 = mockClient(S3Client);
let buckets: Record<string, FakeBucket>;
const sleeps: number[] = [];
const logs: string[] = [];
const deps: HandlerDependencies = {
  s3: new S3Client({ region: 'eu-west-1' }),
  sleep: async (ms) => { sleeps.push(ms); },
  log: (...args) => { logs.push(args.join(' ')); },
};

/** Routes each command to the fake bucket it names, checking ExpectedBucketOwner as S3 does. */
function serve(): void {
  const bucketOf = (input: { Bucket?: string; ExpectedBucketOwner?: string }): FakeBucket => {
    const bucket = buckets[input.Bucket!];
    if (!bucket) {
      throw s3Error('NoSuchBucket', 'The specified bucket does not exist');
    }
    if (input.ExpectedBucketOwner !== (bucket.owner ?? OWNER)) {
      throw s3Error('AccessDenied', 'Access Denied');
    }
    return bucket;
  };
  const wrote = (bucket: FakeBucket) => bucket.afterWrite?.(bucket);
  s3.on(GetBucketPolicyCommand).callsFake((input) => {
    const bucket = bucketOf(input);
    if (bucket.policy === undefined) {
      throw s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist');
    }
    return { Policy: bucket.policy };
  });
  s3.on(PutBucketPolicyCommand).callsFake((input) => { const b = bucketOf(input); b.policy = input.Policy; wrote(b); return {}; });
  s3.on(DeleteBucketPolicyCommand).callsFake((input) => { const b = bucketOf(input); b.policy = undefined; return {}; });
  s3.on(GetBucketCorsCommand).callsFake((input) => {
    const bucket = bucketOf(input);
    if (bucket.cors === undefined) {
      throw s3Error('NoSuchCORSConfiguration', 'The CORS configuration does not exist');
    }
    return { CORSRules: bucket.cors };
  });
  s3.on(PutBucketCorsCommand).callsFake((input) => {
    const b = bucketOf(input);
    b.cors = JSON.parse(JSON.stringify(input.CORSConfiguration!.CORSRules));
    wrote(b);
    return {};
  });
  s3.on(DeleteBucketCorsCommand).callsFake((input) => { const b = bucketOf(input); b.cors = undefined; return {}; });
  s3.on(GetBucketEncryptionCommand).callsFake((input) => {
    const bucket = bucketOf(input);
    return { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: bucket.encryption ?? { SSEAlgorithm: 'AES256' } }] } };
  });
  s3.on(GetBucketOwnershipControlsCommand).callsFake((input) => {
    const bucket = bucketOf(input);
    if (bucket.ownership === undefined) {
      throw s3Error('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found');
    }
    return { OwnershipControls: { Rules: [{ ObjectOwnership: bucket.ownership }] } };
  });
}

beforeEach(() => {
  s3.reset();
  sleeps.length = 0;
  logs.length = 0;
  buckets = {};
  serve();
});

function properties(overrides: Partial<ImportedBucketAccessProperties> = {}): ImportedBucketAccessProperties {
  return { BucketName: 'acme', ExpectedBucketOwner: OWNER, AllowedOrigins: ['https://segments.ai'], AdoptExisting: 'false', RemovalPolicy: 'destroy', ...overrides };
}

const common = { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:h', ResponseURL: 'https://example.com', StackId: 's', RequestId: 'r', LogicalResourceId: 'l', ResourceType: 'Custom::SegmentsImportedBucketAccess' };

/** The resource an event is about: its logical ID (and stack), from which the handler derives its claim. */
interface Resource { readonly logicalId?: string; readonly stackId?: string }
const at = (resource: Resource) => ({ ...common, LogicalResourceId: resource.logicalId ?? common.LogicalResourceId, StackId: resource.stackId ?? common.StackId });

function create(props = properties(), resource: Resource = {}): Promise<any> {
  return handleEvent({ ...at(resource), RequestType: 'Create', ResourceProperties: { ServiceToken: common.ServiceToken, ...props } } as CloudFormationCustomResourceEvent, deps);
}
function update(props: ImportedBucketAccessProperties, old: ImportedBucketAccessProperties, resource: Resource = {}): Promise<any> {
  return handleEvent({ ...at(resource), RequestType: 'Update', PhysicalResourceId: old.BucketName,
    ResourceProperties: { ServiceToken: common.ServiceToken, ...props }, OldResourceProperties: { ServiceToken: common.ServiceToken, ...old } } as CloudFormationCustomResourceEvent, deps);
}
function remove(props = properties(), resource: Resource = {}): Promise<any> {
  return handleEvent({ ...at(resource), RequestType: 'Delete', PhysicalResourceId: props.BucketName,
    ResourceProperties: { ServiceToken: common.ServiceToken, ...props } } as CloudFormationCustomResourceEvent, deps);
}

const ours = segmentsBucketPolicyStatement('acme');
const ourRule = segmentsS3CorsRuleJson(['https://segments.ai']);
/** A rule carrying the claims of these resources (default: the one the helpers' events are about). */
const claimed = (rule: object, ...resources: Resource[]) =>
  withClaims(rule as any, (resources.length ? resources : [{}]).map((r) => grantClaim(r.stackId ?? common.StackId, r.logicalId ?? common.LogicalResourceId)));
const ourClaimedRule = claimed(ourRule);
const uploader = { Sid: 'Uploader', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/up` }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme/*' };
const tls = { Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::acme', 'arn:aws:s3:::acme/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const appRule = { ID: 'app', AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://app.example.com'] };

const policyOf = (name = 'acme') => buckets[name].policy === undefined ? undefined : JSON.parse(buckets[name].policy!);
const writes = () => s3.commandCalls(PutBucketPolicyCommand).length + s3.commandCalls(PutBucketCorsCommand).length +
  s3.commandCalls(DeleteBucketPolicyCommand).length + s3.commandCalls(DeleteBucketCorsCommand).length;

describe('create inserts our statement and rule and keeps everything else', () => {
  it('on a bucket with no policy and no CORS: a policy of ours alone, a CORS configuration of ours alone', async () => {
    buckets.acme = {};
    const response = await create();
    expect(policyOf()).toEqual({ Version: '2012-10-17', Statement: [ours] });
    expect(buckets.acme.cors).toEqual([ourClaimedRule]);
    expect(response.PhysicalResourceId).toBe('acme');
  });

  it('passes ExpectedBucketOwner (the stack\'s account) on every call', async () => {
    buckets.acme = {};
    await create();
    const calls = s3.calls();
    expect(calls.length).toBeGreaterThan(6);
    for (const call of calls) {
      expect((call.args[0].input as { ExpectedBucketOwner?: string }).ExpectedBucketOwner).toBe(OWNER);
    }
  });

  it('on a bucket with other statements and rules: they stay deep-equal, in order, ours last', async () => {
    const original = JSON.stringify({ Version: '2012-10-17', Id: 'keep', Statement: [uploader, tls] });
    buckets.acme = { policy: original, cors: [appRule] };
    await create();
    expect(policyOf()).toEqual({ Version: '2012-10-17', Id: 'keep', Statement: [uploader, tls, ours] });
    expect(buckets.acme.cors).toEqual([appRule, ourClaimedRule]);
  });

  it.each(['false', 'true'] as const)('adopts an identical Segments statement and rule (adoptExisting %s): writes only its claim', async (adoptExisting) => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [uploader, ours] });
    buckets.acme = { policy, cors: [ourRule, appRule] };
    await create(properties({ AdoptExisting: adoptExisting }));
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
    expect(buckets.acme.policy).toBe(policy);
    expect(buckets.acme.cors).toEqual([ourClaimedRule, appRule]);
  });

  it('writes nothing at all when the bucket already holds ours with its claim', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [uploader, ours] });
    buckets.acme = { policy, cors: [ourClaimedRule, appRule] };
    await create();
    expect(writes()).toBe(0);
  });

  it('adopts an equivalent hand-written statement (lists for single values) silently', async () => {
    const policy = JSON.stringify({ Statement: [{ ...ours, Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme/*'] }] });
    buckets.acme = { policy };
    await expect(create()).resolves.toBeDefined();
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
    expect(buckets.acme.policy).toBe(policy);
  });

  it('refuses a different Segments statement without adoptExisting, showing both versions, before writing', async () => {
    const theirs = { ...ours, Action: ['s3:GetObject', 's3:ListBucket'] };
    buckets.acme = { policy: JSON.stringify({ Statement: [theirs] }), cors: [{ ...ourRule, AllowedOrigins: ['https://old.example.com'] }] };
    const failure = create();
    await expect(failure).rejects.toThrow(/Nothing was written/);
    await expect(create()).rejects.toThrow(new RegExp(`existing: ${escape(JSON.stringify(theirs))}\\n\\s+ours:\\s+${escape(JSON.stringify(ours))}`));
    await expect(create()).rejects.toThrow(/rule with ID segments-cors that differs[\s\S]*old\.example\.com[\s\S]*adoptExisting: true/);
    expect(writes()).toBe(0);
  });

  it('replaces a different Segments statement and rule in place with adoptExisting', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [{ ...ours, Resource: 'arn:aws:s3:::acme/old/*' }, uploader] }),
      cors: [{ ...ourRule, AllowedOrigins: ['https://old.example.com'] }, appRule] };
    await create(properties({ AdoptExisting: 'true' }));
    expect(policyOf().Statement).toEqual([ours, uploader]);
    expect(buckets.acme.cors).toEqual([ourClaimedRule, appRule]);
  });

  it('goes through the exported Lambda entry point', async () => {
    buckets.acme = {};
    const response = await handler({ ...common, RequestType: 'Create', ResourceProperties: { ServiceToken: common.ServiceToken, ...properties() } } as CloudFormationCustomResourceEvent);
    expect(response.PhysicalResourceId).toBe('acme');
    expect(policyOf().Statement).toEqual([ours]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('refusals before any write', () => {
  it.each([
    ['aws:kms without a key (aws/s3)', { SSEAlgorithm: 'aws:kms' }],
    ['aws:kms with alias/aws/s3', { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/s3' }],
    ['aws:kms:dsse without a key', { SSEAlgorithm: 'aws:kms:dsse' }],
  ])('the AWS managed key: %s', async (_name, encryption) => {
    buckets.acme = { encryption };
    await expect(create()).rejects.toThrow(/Nothing was written\. Bucket acme is encrypted with the AWS managed key aws\/s3/);
    expect(writes()).toBe(0);
  });

  it('a merged policy over 20 KB', async () => {
    const big = Array.from({ length: 60 }, (_, i) => ({ ...uploader, Sid: `Uploader${i}`, Principal: { AWS: `arn:aws:iam::${OWNER}:role/${'r'.repeat(200)}${i}` } }));
    buckets.acme = { policy: JSON.stringify({ Statement: big }) };
    await expect(create()).rejects.toThrow(/would be \d+ bytes, over S3's 20480-byte limit/);
    expect(writes()).toBe(0);
  });

  it('a merged policy over 20 KB, exactly then (property, fixed seed)', () => {
    const settings = grantSettings(properties());
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 100, max: 400 }), (count, pad) => {
      const policy = { Version: '2012-10-17', Statement: Array.from({ length: count }, (_, i) => ({ ...uploader, Sid: `U${i}`, Principal: { AWS: `arn:aws:iam::${OWNER}:role/${'r'.repeat(pad)}` } })) };
      const over = bucketPolicyBytes(mergeStatementBySid(policy, ours)) > 20480;
      const plan = () => planGrant({ policy, corsRules: [] }, settings, undefined, 'c1');
      if (over) {
        expect(plan).toThrow(/^Nothing was written\.[\s\S]*over S3's 20480-byte limit/);
      } else {
        expect(plan().policy!.Statement).toHaveLength(count + 1);
      }
    }), { seed: 20260709, numRuns: 40 });
  });

  it.each([['missing', undefined], ['empty', ''], ['not an account ID', 'acme']])('an ExpectedBucketOwner %s: refused before any call (S3 would act on any account\'s bucket)', async (_name, owner) => {
    buckets.acme = {};
    await expect(create(properties({ ExpectedBucketOwner: owner as string }))).rejects.toThrow(/^The resource has no ExpectedBucketOwner \(a 12-digit account ID\)\.$/);
    expect(s3.calls()).toHaveLength(0);
  });

  it('a bucket of another account: the ExpectedBucketOwner mismatch is named', async () => {
    buckets.acme = { owner: '999988887777' };
    await expect(create()).rejects.toThrow(/GetBucketEncryption on bucket acme failed: AccessDenied: Access Denied Either bucket acme is not owned by account 111122223333 \(every call passes ExpectedBucketOwner/);
    expect(writes()).toBe(0);
  });
});

describe('re-read after write', () => {
  it('retries with jitter when another writer replaced the policy in between, then succeeds', async () => {
    let overwrites = 1;
    buckets.acme = {
      policy: JSON.stringify({ Statement: [uploader] }),
      afterWrite: (bucket) => {
        if (overwrites > 0 && bucket.policy?.includes('segments-s3-access')) {
          overwrites--;
          bucket.policy = JSON.stringify({ Statement: [uploader, tls] });
        }
      },
    };
    await create();
    expect(policyOf().Statement).toEqual([uploader, tls, ours]);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(200);
  });

  it('fails with a clear message when ours keeps disappearing, and takes back its CORS rule', async () => {
    buckets.acme = { cors: [appRule], afterWrite: (bucket) => { bucket.policy = JSON.stringify({ Statement: [uploader] }); } };
    // Four attempts, pinned here as a number: a test reading the handler's own constant could not catch a wrong one.
    await expect(create()).rejects.toThrow(/After 4 writes, bucket acme still lacks the statement segments-s3-access: something else keeps replacing/);
    expect(s3.commandCalls(PutBucketPolicyCommand).filter((call) => call.args[0].input.Policy!.includes('segments-s3-access'))).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    expect(new Set(sleeps).size).toBeGreaterThan(1);
    // the last wait is the longest (S3 may take seconds to show a write everywhere)
    expect(sleeps[sleeps.length - 1]).toBeGreaterThanOrEqual(2000);
    expect(sleeps[sleeps.length - 1]).toBeGreaterThan(Math.max(...sleeps.slice(0, -1)));
    expect(buckets.acme.cors).toEqual([appRule]);
  });

  it('takes back the statement it wrote when a later write fails on Create (no Delete follows a failed Create)', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader] }) };
    s3.on(PutBucketCorsCommand).rejects(s3Error('AccessDenied', 'Access Denied'));
    await expect(create()).rejects.toThrow(/PutBucketCors on bucket acme failed: AccessDenied/);
    expect(policyOf().Statement).toEqual([uploader]);
  });
});

describe('the report in the response data', () => {
  it('says when nothing needs doing', async () => {
    buckets.acme = { ownership: 'BucketOwnerEnforced', policy: JSON.stringify({ Statement: [tls] }) };
    const { Data } = await create();
    expect(Data).toEqual({
      DefaultEncryption: 'AES256: no key policy to change.',
      ObjectOwnership: 'BucketOwnerEnforced: ACLs are off.',
      LockoutDenies: 'none',
      WiderSegmentsAllows: 'none',
      ShadowingCorsRule: 'none',
      PreviousBucket: 'none',
    });
  });

  it('names an earlier CORS rule that S3 applies to Segments\' GETs instead of ours', async () => {
    const wide = { ID: 'everyone', AllowedMethods: ['GET'], AllowedOrigins: ['*'] };
    buckets.acme = { cors: [appRule, wide] };
    const { Data } = await create();
    expect(buckets.acme.cors).toEqual([appRule, wide, ourClaimedRule]);
    expect(Data.ShadowingCorsRule).toMatch(/^rule #2 \(ID everyone\) comes before segments-cors and matches a GET from Segments' origins/);
  });

  it('names a customer key, ACLs left on, and a Deny that may lock Segments out', async () => {
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const vpce = { Sid: 'OnlyFromVpce', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme/*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } };
    buckets.acme = { encryption: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key }, ownership: 'ObjectWriter', policy: JSON.stringify({ Statement: [vpce] }) };
    const { Data } = await create();
    expect(Data.DefaultEncryption).toContain(`customer managed key ${key}: its key policy must allow ${PRINCIPAL} kms:Decrypt`);
    expect(Data.ObjectOwnership).toMatch(/^ObjectWriter: ACLs are on/);
    expect(Data.LockoutDenies).toMatch(/^OnlyFromVpce \(denies on aws:SourceVpce\): these Deny statements may lock Segments out/);
  });

  it('names what makes each Deny match: NotPrincipal, NotAction, NotResource, or no condition at all', async () => {
    const statements = [
      { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme/*' },
      { Sid: 'OnlyOurRole', Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/ours' }, Action: 's3:*', Resource: 'arn:aws:s3:::acme/*' },
      { Effect: 'Deny', Principal: '*', NotAction: 's3:PutObject', NotResource: 'arn:aws:s3:::acme/private/*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } },
    ];
    buckets.acme = { policy: JSON.stringify({ Statement: statements }) };
    const { Data } = await create();
    expect(Data.LockoutDenies).toBe('DenyAll (denies with no condition); OnlyOurRole (uses NotPrincipal and denies with no condition); ' +
      '#3 (uses NotAction and uses NotResource and denies on aws:SourceVpce): these Deny statements may lock Segments out; ' +
      `exempt ${PRINCIPAL} (aws:PrincipalArn) from them.`);
    expect(Data.LockoutDenies).not.toContain('()');
  });

  it('counts a bucket without ownership controls as ACLs on', async () => {
    buckets.acme = {};
    const { Data } = await create();
    expect(Data.ObjectOwnership).toMatch(/no ownership controls.*ACLs are on/);
  });
});

describe('issue 18: what the handler refuses and reports on its own, since its input is a template anyone can edit', () => {
  it.each([
    ['KeyPrefixes []', { KeyPrefixes: [] }, /KeyPrefixes is empty/],
    ['KeyPrefixes [\'\'] (the whole bucket)', { KeyPrefixes: [''] }, /KeyPrefixes\[0\] is an empty string/],
    ['KeyPrefixes [\'*\'] (acme/**)', { KeyPrefixes: ['*'] }, /KeyPrefixes\[0\] \('\*'\) contains '\*' or '\?'/],
    ['a KeyPrefixes element that is not a string', { KeyPrefixes: [{ Ref: 'P' }] }, /KeyPrefixes is \[\{"Ref":"P"\}\], not a list of strings/],
    ['AllowedOrigins [\'*\']', { AllowedOrigins: ['*'] }, /AllowedOrigins\[0\] \('\*'\) allows every website/],
    ['AllowedOrigins with a wildcard over a TLD', { AllowedOrigins: ['https://*.ai'] }, /AllowedOrigins\[0\] \('https:\/\/\*\.ai'\) would match every site under '\.ai'/],
  ])('refuses %s on Create and Update before any call to S3', async (_name, overrides, message) => {
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader] }) };
    const bad = properties(overrides as Partial<ImportedBucketAccessProperties>);
    await expect(create(bad)).rejects.toThrow(new RegExp(`^Nothing was written\\. The resource's properties for bucket acme would widen the Segments grant[\\s\\S]*${message.source}`));
    await expect(update(bad, properties())).rejects.toThrow(message);
    await expect(create(bad)).rejects.toBeInstanceOf(GrantInputError);
    expect(s3.calls()).toHaveLength(0);
  });

  it('still lets a Delete with such properties remove only ours (a failed Create is followed by a Delete)', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader, ours] }), cors: [ourClaimedRule] };
    await expect(remove(properties({ KeyPrefixes: [''] }))).resolves.toBeDefined();
    expect(policyOf().Statement).toEqual([uploader]);
  });

  it('judges lock-outs on the granted prefixes, as SegmentsAccess and the CLI do: a Deny on acme/private/* is not one for a grant on images/', async () => {
    const privateOnly = { Sid: 'PrivateOnly', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme/private/*' };
    buckets.acme = { policy: JSON.stringify({ Statement: [privateOnly] }) };
    expect((await create(properties({ KeyPrefixes: ['images/'] }))).Data.LockoutDenies).toBe('none');
    buckets.other = { policy: JSON.stringify({ Statement: [{ ...privateOnly, Resource: 'arn:aws:s3:::other/private/*' }] }) };
    expect((await create(properties({ BucketName: 'other' }))).Data.LockoutDenies).toMatch(/^PrivateOnly \(denies with no condition\)/);
  });

  it('names a Deny whose NotPrincipal lists only Segments', async () => {
    const notSegments = { Sid: 'AllButSegments', Effect: 'Deny', NotPrincipal: { AWS: PRINCIPAL }, Action: 's3:*', Resource: 'arn:aws:s3:::acme/*' };
    buckets.acme = { policy: JSON.stringify({ Statement: [notSegments] }) };
    expect((await create()).Data.LockoutDenies).toMatch(/^AllButSegments \(uses NotPrincipal, which lists Segments but still denies it/);
  });

  it('names other Allows that give Segments\' user or account more than s3:GetObject', async () => {
    const wide = [
      { Sid: 'SegmentsWrites', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::931508227573:root' }, Action: 's3:*', Resource: 'arn:aws:s3:::acme/*' },
      { Effect: 'Allow', Principal: '*', NotAction: 's3:DeleteObject', Resource: 'arn:aws:s3:::acme/*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } },
    ];
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader, ...wide] }) };
    const { Data } = await create();
    expect(Data.WiderSegmentsAllows).toBe('SegmentsWrites (allows arn:aws:iam::931508227573:root s3:*); #3 (allows * NotAction "s3:DeleteObject"): ' +
      `these Allow statements can apply to ${PRINCIPAL} and grant it more than s3:GetObject; name another principal or exclude Segments.`);
  });
});

describe('update', () => {
  it('with new prefixes replaces ours in place, without adoptExisting', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [ours, uploader] }), cors: [ourRule] };
    await update(properties({ KeyPrefixes: ['images/'], AllowedOrigins: ['https://app.segments.ai'] }), properties());
    expect(policyOf().Statement).toEqual([segmentsBucketPolicyStatement('acme', ['images/']), uploader]);
    expect(buckets.acme.cors).toEqual([claimed(segmentsS3CorsRuleJson(['https://app.segments.ai']))]);
  });

  it('with a renamed bucket removes ours from the old bucket first, then adds ours to the new one, keeping its physical ID', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader, ours] }), cors: [ourClaimedRule, appRule] };
    buckets.acme2 = {};
    const response = await update(properties({ BucketName: 'acme2' }), properties());
    expect(policyOf('acme').Statement).toEqual([uploader]);
    expect(buckets.acme.cors).toEqual([appRule]);
    expect(policyOf('acme2').Statement).toEqual([segmentsBucketPolicyStatement('acme2')]);
    expect(response.PhysicalResourceId).toBe('acme');
    expect(response.Data.PreviousBucket).toBe('acme: removed the Segments statement and CORS rule.');
    const order = s3.calls().map((call) => `${call.args[0].constructor.name}:${(call.args[0].input as { Bucket: string }).Bucket}`);
    expect(order.indexOf('PutBucketPolicyCommand:acme')).toBeLessThan(order.indexOf('PutBucketPolicyCommand:acme2'));
  });

  it('with a renamed bucket the old one of which it may no longer write (token name: the role names only the new one), ' +
    'grants the new one and says in the response and the log what to remove by hand', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [ours] }), owner: '999988887777' };
    buckets.acme2 = {};
    const { Data } = await update(properties({ BucketName: 'acme2' }), properties());
    expect(policyOf('acme2').Statement).toEqual([segmentsBucketPolicyStatement('acme2')]);
    expect(Data.PreviousBucket).toMatch(/^acme: the Segments entries could not be removed \(GetBucketPolicy on bucket acme failed: AccessDenied[\s\S]*by hand/);
    expect(logs.join('\n')).toMatch(/Previous bucket acme: the Segments entries could not be removed/);
  });

  it('and its rollback (the Update back to the old bucket) succeeds the same way', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [ours] }), cors: [ourClaimedRule] };
    buckets.acme2 = { policy: JSON.stringify({ Statement: [segmentsBucketPolicyStatement('acme2')] }), owner: '999988887777' };
    const { Data } = await update(properties(), properties({ BucketName: 'acme2' }));
    expect(Data.PreviousBucket).toMatch(/^acme2: the Segments entries could not be removed/);
    expect(policyOf('acme').Statement).toEqual([ours]);
    expect(writes()).toBe(0);
  });

  it('with a renamed bucket leaves the old bucket alone when the old resource retained it', async () => {
    const policy = JSON.stringify({ Statement: [uploader, ours] });
    buckets.acme = { policy };
    buckets.acme2 = {};
    await update(properties({ BucketName: 'acme2', RemovalPolicy: 'retain' }), properties({ RemovalPolicy: 'retain' }));
    expect(buckets.acme.policy).toBe(policy);
  });
});

describe('delete removes only ours', () => {
  it('leaving the other statements and rules in order', async () => {
    buckets.acme = { policy: JSON.stringify({ Version: '2012-10-17', Statement: [uploader, ours, tls] }), cors: [appRule, ourClaimedRule] };
    await remove();
    expect(policyOf()).toEqual({ Version: '2012-10-17', Statement: [uploader, tls] });
    expect(buckets.acme.cors).toEqual([appRule]);
  });

  it('deleting the policy and the CORS configuration when nothing else is left', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [ours] }), cors: [ourRule] };
    await remove();
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(1);
    expect(s3.commandCalls(DeleteBucketCorsCommand)).toHaveLength(1);
    expect(buckets.acme.policy).toBeUndefined();
    expect(buckets.acme.cors).toBeUndefined();
  });

  it('without writing when ours is not there', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader] }) };
    await remove();
    expect(writes()).toBe(0);
  });

  it('succeeding when the bucket no longer exists', async () => {
    await expect(remove()).resolves.toEqual({ PhysicalResourceId: 'acme', Data: { Released: 'the bucket no longer exists.' } });
  });

  it('removing our statement when our rule is already gone, and our rule when our statement is', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader, ours] }), cors: [appRule] };
    await remove();
    expect(policyOf().Statement).toEqual([uploader]);
    expect(buckets.acme.cors).toEqual([appRule]);
    expect(s3.commandCalls(PutBucketCorsCommand)).toHaveLength(0);
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader] }), cors: [appRule, ourClaimedRule] };
    s3.resetHistory();
    await remove();
    expect(buckets.acme.cors).toEqual([appRule]);
    expect(policyOf().Statement).toEqual([uploader]);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
  });

  it('with a RemovalPolicy other than retain, or none: removes ours (the grant does not outlive its resource by accident)', async () => {
    for (const removalPolicy of [undefined, '', 'destroy', 'Retain']) {
      buckets.acme = { policy: JSON.stringify({ Statement: [uploader, ours] }), cors: [ourClaimedRule] };
      const props = { ...properties(), RemovalPolicy: removalPolicy } as ImportedBucketAccessProperties;
      await remove(props);
      expect(policyOf().Statement).toEqual([uploader]);
    }
  });

  it('not at all with RemovalPolicy retain', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [ours] }), cors: [ourRule] };
    await remove(properties({ RemovalPolicy: 'retain' }));
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('issue 18 item 8: the handler at the edges', () => {
  it('a Delete whose bucket name another account re-created (ExpectedBucketOwner no longer matches) succeeds, reported as gone', async () => {
    buckets.acme = { owner: '999988887777', policy: JSON.stringify({ Statement: [uploader] }) };
    const response = await remove();
    expect(response.PhysicalResourceId).toBe('acme');
    expect(response.Data.Released).toBe("WARNING: treated as gone. Reading it as account 111122223333's was refused (AccessDenied). " +
      "Either another account re-created the name, and nothing of ours is on it, or a policy denies the handler's role, and " +
      "segments-s3-access and segments-cors may still be on it: check with 'aws s3api get-bucket-policy --bucket acme " +
      "--expected-bucket-owner 111122223333' and remove them by hand.");
    expect(logs.join('\n')).toMatch(/Bucket acme: GetBucketPolicy on bucket acme failed: AccessDenied[\s\S]*Bucket acme: WARNING: treated as gone/);
    expect(writes()).toBe(0);
  });

  it('but a Delete whose write is denied on our own bucket still fails (only the first read counts as gone)', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader, ours] }), cors: [ourClaimedRule] };
    s3.on(PutBucketPolicyCommand).rejects(s3Error('AccessDenied', 'Access Denied'));
    await expect(remove()).rejects.toThrow(/PutBucketPolicy on bucket acme failed: AccessDenied/);
  });

  it('PreviousBucket is in every Create and Update response: none, removed, or what to remove by hand', async () => {
    buckets.acme = {};
    expect((await create()).Data.PreviousBucket).toBe('none');
    expect((await update(properties({ KeyPrefixes: ['images/'] }), properties())).Data.PreviousBucket).toBe('none');
    buckets.acme2 = {};
    const retained = await update(properties({ BucketName: 'acme2', RemovalPolicy: 'retain' }), properties({ KeyPrefixes: ['images/'], RemovalPolicy: 'retain' }));
    expect(retained.Data.PreviousBucket).toMatch(/^acme: left as it was \(the removal policy retains the grant\); remove the statement segments-s3-access/);
  });

  it('the re-read compares lists as sets: a server that sorts AllowedOrigins holds our rule', async () => {
    const origins = ['https://segments.ai', 'https://*.segments.ai'];
    buckets.acme = {
      afterWrite: (bucket) => {
        bucket.cors = bucket.cors?.map((rule: any) => ({ ...rule, AllowedOrigins: [...rule.AllowedOrigins].sort() }));
      },
    };
    await create(properties({ AllowedOrigins: origins }));
    expect(buckets.acme.cors![0]).toMatchObject({ ID: 'segments-cors', AllowedOrigins: ['https://*.segments.ai', 'https://segments.ai'] });
    expect(s3.commandCalls(PutBucketCorsCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('a re-read that finds our rule changed says what was written, not "Nothing was written", and that it was put back', async () => {
    buckets.acme = {
      policy: JSON.stringify({ Statement: [uploader] }),
      afterWrite: (bucket) => {
        bucket.cors = bucket.cors?.map((rule: any) => rule.ID === 'segments-cors' ? { ...rule, AllowedOrigins: ['https://changed.example.com'] } : rule);
      },
    };
    const failure = create();
    await expect(failure).rejects.toBeInstanceOf(SegmentsEntryConflictError);
    await expect(failure).rejects.toThrow(/^The handler wrote the statement segments-s3-access and the CORS rule segments-cors to bucket acme, but the re-read found otherwise: The CORS configuration of bucket acme already has a rule with ID segments-cors that differs from ours\.[\s\S]* The handler then put back what bucket acme held before\.$/);
    await expect(failure).rejects.not.toThrow(/Nothing was written/);
    expect(policyOf().Statement).toEqual([uploader]);
  });

  it('ShadowingCorsRule expands https://*.segments.ai to https://app.segments.ai, as SegmentsAccess does', async () => {
    const app = { ID: 'web-app', AllowedMethods: ['GET'], AllowedOrigins: ['https://app.segments.ai'] };
    buckets.acme = { cors: [app] };
    const { Data } = await create(properties({ AllowedOrigins: ['https://*.segments.ai'] }));
    expect(Data.ShadowingCorsRule).toMatch(/^rule #1 \(ID web-app\) comes before segments-cors and matches a GET from Segments' origins/);
  });
});

describe('issue 18: the mutants that survived, each killed by a case', () => {
  // P11: holdsOurs must see exactly one statement under our Sid. Two, ours and a foreign s3:*,
  // is not "already ours": the foreign one must not pass as ours.
  it('P11: a bucket with our statement and a foreign s3:* one under our Sid is refused, not taken as already granted', async () => {
    const foreign = { ...ours, Action: 's3:*' };
    buckets.acme = { policy: JSON.stringify({ Statement: [ours, foreign] }), cors: [ourClaimedRule] };
    await expect(create()).rejects.toBeInstanceOf(SegmentsEntryConflictError);
    expect(writes()).toBe(0);
  });

  it('P11 with adoptExisting: the foreign one is dropped, ours stays once', async () => {
    const foreign = { ...ours, Action: 's3:*' };
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader, ours, foreign] }), cors: [ourClaimedRule] };
    await create(properties({ AdoptExisting: 'true' }));
    expect(policyOf().Statement).toEqual([uploader, ours]);
  });

  it('two Segments CORS rules, ours and a foreign one, are not taken as already granted either', async () => {
    const foreignRule = { ...ourClaimedRule, AllowedMethods: ['GET', 'PUT'] };
    buckets.acme = { policy: JSON.stringify({ Statement: [ours] }), cors: [ourClaimedRule, foreignRule] };
    await expect(create()).rejects.toBeInstanceOf(SegmentsEntryConflictError);
  });

  // H07: after a failed Create, the take-back restores the statement that adoptExisting replaced;
  // removing ours instead loses the customer's statement. (The older test's afterWrite hook rewrote
  // the policy after every write, the take-back's included, which hid this.)
  it('H07: a failed Create with adoptExisting puts back the customer\'s statement it replaced', async () => {
    const theirs = { ...ours, Resource: 'arn:aws:s3:::acme/old/*' };
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader, theirs] }) };
    s3.on(PutBucketCorsCommand).rejects(s3Error('AccessDenied', 'Access Denied'));
    await expect(create(properties({ AdoptExisting: 'true' }))).rejects.toThrow(/PutBucketCors on bucket acme failed: AccessDenied/);
    expect(policyOf().Statement).toEqual([uploader, theirs]);
  });

  it('H07 for CORS: a failed Create with adoptExisting puts back the rule it replaced, in its place', async () => {
    const theirRule = { ...ourRule, AllowedOrigins: ['https://old.example.com'] };
    buckets.acme = { cors: [theirRule, appRule] };
    s3.on(GetBucketPolicyCommand).callsFake((input) => {
      // The policy write succeeds, then the policy reads back without ours: the grant gives up after 4 attempts.
      if (input.Bucket !== 'acme') {
        throw s3Error('NoSuchBucket');
      }
      throw s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist');
    });
    await expect(create(properties({ AdoptExisting: 'true' }))).rejects.toThrow(/After 4 writes, bucket acme still lacks the statement segments-s3-access/);
    expect(buckets.acme.cors).toEqual([theirRule, appRule]);
  });

  it('the take-back restores what the bucket held before the first write, not before a later attempt', async () => {
    const theirs = { ...ours, Resource: 'arn:aws:s3:::acme/old/*' };
    let writesSeen = 0;
    buckets.acme = {
      policy: JSON.stringify({ Statement: [uploader, theirs] }),
      // After each of our policy writes another writer puts in a statement of its own under our Sid.
      afterWrite: (bucket) => {
        if (bucket.policy?.includes(JSON.stringify(ours)) && writesSeen++ < 10) {
          bucket.policy = JSON.stringify({ Statement: [uploader, { ...ours, Resource: 'arn:aws:s3:::acme/other/*' }] });
        }
      },
    };
    await expect(create(properties({ AdoptExisting: 'true' }))).rejects.toThrow(/After 4 writes/);
    expect(policyOf().Statement).toEqual([uploader, theirs]);
  });

  it('a failed Create on a bucket with no policy and no CORS deletes both again (S3 refuses empty ones)', async () => {
    buckets.acme = { afterWrite: (bucket) => { bucket.policy = undefined; } };
    await expect(create()).rejects.toThrow(/After 4 writes[\s\S]*put back what bucket acme held before/);
    expect(buckets.acme.cors).toBeUndefined();
    expect(buckets.acme.policy).toBeUndefined();
    expect(s3.commandCalls(DeleteBucketCorsCommand)).toHaveLength(1);
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(1);
  });

  it('the take-back restores the CORS rule the bucket held before the first write, not before a later attempt', async () => {
    const theirRule = { ...ourRule, AllowedOrigins: ['https://old.example.com'] };
    let writesSeen = 0;
    buckets.acme = {
      policy: JSON.stringify({ Statement: [ours] }),
      cors: [theirRule, appRule],
      // After each of our CORS writes another writer puts in a rule of its own under our ID.
      afterWrite: (bucket) => {
        if (bucket.cors?.some((rule: any) => rule.ID === 'segments-cors' && rule.AllowedOrigins[0] === 'https://segments.ai') && writesSeen++ < 10) {
          bucket.cors = [{ ...ourRule, AllowedOrigins: ['https://another.example.com'] }, appRule];
        }
      },
    };
    await expect(create(properties({ AdoptExisting: 'true' }))).rejects.toThrow(/After 4 writes, bucket acme still lacks the CORS rule segments-cors/);
    expect(buckets.acme.cors).toEqual([theirRule, appRule]);
  });

  it('a failed Create that wrote only the CORS rule (the statement was already ours) takes that rule back', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [ours] }) };
    let corsReads = 0;
    s3.on(GetBucketCorsCommand).callsFake(() => {
      corsReads++;
      if (corsReads === 2) {
        throw s3Error('InternalError', 'We encountered an internal error. Please try again.');
      }
      if (buckets.acme.cors === undefined) {
        throw s3Error('NoSuchCORSConfiguration', 'The CORS configuration does not exist');
      }
      return { CORSRules: buckets.acme.cors };
    });
    await expect(create()).rejects.toThrow(/GetBucketCors on bucket acme failed: InternalError[\s\S]*put back what bucket acme held before/);
    expect(buckets.acme.cors).toBeUndefined();
    expect(policyOf().Statement).toEqual([ours]);
  });

  it('waits 500 ms, 1 s, then 4 s between its 4 attempts (jitter at its midpoint)', async () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      buckets.acme = { afterWrite: (bucket) => { bucket.policy = undefined; } };
      await expect(create()).rejects.toThrow(/After 4 writes/);
      expect(sleeps).toEqual([500, 1000, 4000]);
    } finally {
      random.mockRestore();
    }
  });

  // P02: AdoptExisting is 'true' or nothing: a missing or other value must not adopt.
  it.each([['missing', undefined], ['empty', ''], ['anything else', 'yes']])('P02: an AdoptExisting %s does not adopt', async (_name, value) => {
    buckets.acme = { policy: JSON.stringify({ Statement: [{ ...ours, Action: 's3:*' }] }) };
    const props = { ...properties(), AdoptExisting: value } as ImportedBucketAccessProperties;
    if (value === undefined) {
      delete (props as { AdoptExisting?: string }).AdoptExisting;
    }
    await expect(create(props)).rejects.toBeInstanceOf(SegmentsEntryConflictError);
    expect(writes()).toBe(0);
  });

  // P05: GetBucketEncryption may return an empty KMSMasterKeyID for aws:kms, which means aws/s3.
  it.each([
    ['aws:kms, KMSMasterKeyID empty', { sseAlgorithm: 'aws:kms', kmsMasterKeyId: '' }, true],
    ['aws:kms, no KMSMasterKeyID', { sseAlgorithm: 'aws:kms' }, true],
    ['aws:kms, alias/aws/s3', { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/aws/s3' }, true],
    ['aws:kms, its alias ARN', { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/s3' }, true],
    ['aws:kms:dsse, no key', { sseAlgorithm: 'aws:kms:dsse' }, true],
    ['aws:kms, a customer key', { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, false],
    ['aws:kms, a customer alias ending in aws/s3', { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/team-aws/s3' }, false],
    ['AES256', { sseAlgorithm: 'AES256' }, false],
    ['none', undefined, false],
  ])('P05: usesAwsManagedKey with %s is %p', (_name, encryption, expected) => {
    expect(usesAwsManagedKey(encryption)).toBe(expected);
  });

  it('P05 end to end: an empty KMSMasterKeyID is refused as aws/s3 before any write', async () => {
    buckets.acme = { encryption: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: '' } };
    await expect(create()).rejects.toBeInstanceOf(AwsManagedKeyError);
    expect(writes()).toBe(0);
  });

  // P09: S3's limits to the unit, as literals: 100 rules, 64 KB (65,536 bytes) of CORS configuration.
  const filler = (i: number) => ({ ID: `r${i}`, AllowedMethods: ['GET'], AllowedOrigins: [`https://h${i}.example.com`] });
  it('P09: 99 rules plus ours (100) are written; 100 plus ours (101) are refused', () => {
    const settings = grantSettings(properties());
    const rules = (n: number) => Array.from({ length: n }, (_, i) => filler(i));
    expect(planGrant({ corsRules: rules(99) }, settings, undefined, 'c1').corsRules).toHaveLength(100);
    expect(() => planGrant({ corsRules: rules(100) }, settings, undefined, 'c1'))
      .toThrow(/^Nothing was written\. With the Segments rule, bucket acme would have 101 CORS rules, over S3's limit of 100\.$/);
    expect(() => planGrant({ corsRules: rules(100) }, settings, undefined, 'c1')).toThrow(BucketLimitError);
  });

  it('P09: a CORS configuration of exactly 65,536 bytes with ours is written; one byte more is refused (bytes, not characters)', () => {
    const settings = grantSettings(properties());
    /** One earlier rule whose origin is padded so that the merged configuration has `bytes` UTF-8 bytes. */
    const withTotal = (bytes: number) => {
      const base = { ID: 'big', AllowedMethods: ['GET'], AllowedOrigins: [''] };
      const merged = (rule: object) => JSON.stringify({ CORSRules: [rule, withClaims(ourRule as any, ['c1'])] });
      const room = bytes - Buffer.byteLength(merged(base), 'utf8');
      // 'é' is two bytes: the padding is mostly multi-byte, so counting characters would be wrong by thousands.
      const origin = 'é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2);
      const rule = { ...base, AllowedOrigins: [origin] };
      expect(Buffer.byteLength(merged(rule), 'utf8')).toBe(bytes);
      return [rule];
    };
    expect(planGrant({ corsRules: withTotal(65536) }, settings, undefined, 'c1').corsRules).toHaveLength(2);
    expect(() => planGrant({ corsRules: withTotal(65537) }, settings, undefined, 'c1'))
      .toThrow(/^Nothing was written\. With the Segments rule, the CORS configuration of bucket acme would be 65537 bytes, over S3's limit of 65536: /);
  });

  it('P09: a policy of exactly 20,480 bytes with ours is written; one byte more is refused (bytes, not characters)', () => {
    const settings = grantSettings(properties());
    const withTotal = (bytes: number) => {
      const base = { Sid: 'Pad', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme/', Condition: { StringEquals: { 'aws:UserAgent': '' } } };
      const policy = (statement: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [statement] });
      const room = bytes - bucketPolicyBytes(mergeStatementBySid(policy(base), ours));
      const agent = 'é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2);
      const padded = policy({ ...base, Condition: { StringEquals: { 'aws:UserAgent': agent } } });
      expect(Buffer.byteLength(JSON.stringify(mergeStatementBySid(padded, ours)), 'utf8')).toBe(bytes);
      return padded;
    };
    expect(planGrant({ policy: withTotal(20480), corsRules: [] }, settings, undefined, 'c1').policy!.Statement).toHaveLength(2);
    expect(() => planGrant({ policy: withTotal(20481), corsRules: [] }, settings, undefined, 'c1'))
      .toThrow(/would be 20481 bytes, over S3's 20480-byte limit/);
  });

  // E02/E04: the response caps count UTF-8 bytes, as CloudFormation's 4096-byte limit does.
  it('E02: capText counts bytes, not characters, and keeps as much as fits', () => {
    const text = 'é'.repeat(6); // 12 bytes, 6 characters
    expect(capText(text, 12)).toBe(text);
    const cut = capText(text, 10, ' …');
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(10);
    expect(cut).toBe('ééé …');
    expect(capText('abcdef', 6, ' …')).toBe('abcdef');
    expect(capText('abcdefg', 6, ' …')).toBe('ab …'); // ' …' is 4 bytes
  });

  it('E04: a failure with a long non-ASCII message stays under 2000 bytes of Reason, and the whole response under 4096', async () => {
    buckets.acme = {};
    s3.on(PutBucketPolicyCommand).rejects(s3Error('MalformedPolicy', 'é'.repeat(3000)));
    const failure = await create().catch((error: Error) => error);
    expect(Buffer.byteLength(failure.message, 'utf8')).toBeLessThanOrEqual(2000);
    expect(Buffer.byteLength(failure.message, 'utf8')).toBeGreaterThan(1900);
    expect(failure.stack).toBe(failure.message);
  });

  it('E04: a report value with non-ASCII text is cut at 500 bytes', async () => {
    const denies = Array.from({ length: 3 }, (_, i) => ({ Sid: `Überprüfung-${i}-${'ü'.repeat(150)}`, Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme/*' }));
    buckets.acme = { policy: JSON.stringify({ Statement: denies }) };
    const { Data } = await create();
    expect(Buffer.byteLength(Data.LockoutDenies, 'utf8')).toBeLessThanOrEqual(500);
    expect(Buffer.byteLength(Data.LockoutDenies, 'utf8')).toBeGreaterThan(480);
    expect(Data.LockoutDenies.endsWith(' …')).toBe(true);
  });
});

describe('a resource whose logical ID changed on the same bucket (rename, move to another stack): Delete keeps what the other still needs', () => {
  const oldOne: Resource = { logicalId: 'OldGrant' };
  const newOne: Resource = { logicalId: 'NewGrant' };
  const inOtherStack: Resource = { stackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/Other/1', logicalId: 'OldGrant' };

  it('deploy: the new one is created (adding its claim), then the old one deleted in cleanup: the grant stays', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader, ours] }), cors: [claimed(ourRule, oldOne)] };
    await create(properties(), newOne);
    expect(buckets.acme.cors).toEqual([claimed(ourRule, oldOne, newOne)]);
    await remove(properties(), oldOne);
    expect(policyOf().Statement).toEqual([uploader, ours]);
    expect(buckets.acme.cors).toEqual([claimed(ourRule, newOne)]);
    expect(logs.join('\n')).toMatch(/kept the Segments entries, which 1 other resource\(s\) still claim/);
    // and the new one's own Delete later removes them
    await remove(properties(), newOne);
    expect(policyOf().Statement).toEqual([uploader]);
    expect(buckets.acme.cors).toBeUndefined();
  });

  it('rollback: the new one is deleted while the old one stays: the grant stays, the old one\'s claim with it', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [ours] }), cors: [claimed(ourRule, oldOne)] };
    await create(properties(), newOne);
    await remove(properties(), newOne);
    expect(policyOf().Statement).toEqual([ours]);
    expect(buckets.acme.cors).toEqual([claimed(ourRule, oldOne)]);
  });

  it('moved to another stack: the old stack\'s Delete keeps the new stack\'s grant', async () => {
    buckets.acme = {};
    await create(properties(), oldOne);
    await create(properties(), inOtherStack);
    await remove(properties(), oldOne);
    expect(policyOf().Statement).toEqual([ours]);
    expect(buckets.acme.cors).toEqual([claimed(ourRule, inOtherStack)]);
  });

  it('a Delete whose claim is gone (already released) while another claims: writes nothing', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [ours] }), cors: [claimed(ourRule, newOne)] };
    await remove(properties(), oldOne);
    expect(writes()).toBe(0);
  });

  it('the claim is a header name in our rule, whose AllowedHeaders is already *: S3 answers the same', () => {
    const rule = claimed(ourRule, oldOne, newOne);
    expect(rule.AllowedHeaders![0]).toBe('*');
    expect(rule.AllowedHeaders!.slice(1)).toEqual([expect.stringMatching(/^x-segments-grant-[0-9a-f]{16}$/), expect.stringMatching(/^x-segments-grant-[0-9a-f]{16}$/)]);
    expect({ ...rule, AllowedHeaders: ['*'] }).toEqual(ourRule);
  });
});

describe('a failed Create puts back what it replaced', () => {
  it('with adoptExisting, the foreign statement and rule it had replaced', async () => {
    const theirs = { ...ours, Resource: 'arn:aws:s3:::acme/old/*' };
    const theirRule = { ...ourRule, AllowedOrigins: ['https://old.example.com'] };
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader, theirs] }), cors: [theirRule, appRule], afterWrite: (bucket) => { bucket.policy = JSON.stringify({ Statement: [uploader, theirs] }); } };
    await expect(create(properties({ AdoptExisting: 'true' }))).rejects.toThrow(/still lacks/);
    buckets.acme.afterWrite = undefined;
    expect(policyOf().Statement).toEqual([uploader, theirs]);
    expect(buckets.acme.cors).toEqual([theirRule, appRule]);
  });

  it('says so when it could not take back what it wrote', async () => {
    buckets.acme = { policy: JSON.stringify({ Statement: [uploader] }) };
    s3.on(PutBucketCorsCommand).rejects(s3Error('AccessDenied', 'Access Denied'));
    let policyWrites = 0;
    s3.on(PutBucketPolicyCommand).callsFake((input) => {
      if (++policyWrites > 1) {
        throw s3Error('SlowDown', 'Please reduce your request rate');
      }
      buckets.acme.policy = input.Policy;
      return {};
    });
    await expect(create()).rejects.toThrow(/PutBucketCors on bucket acme failed: AccessDenied[\s\S]*then could not take back the statement segments-s3-access it had written to bucket acme \(PutBucketPolicy on bucket acme failed: SlowDown/);
  });
});

describe('rollback of a failed Update (an Update back to the old properties) succeeds', () => {
  it('on a bucket switched to aws/s3 since, which still holds the old grant: no refusal, no write', async () => {
    const p1 = properties();
    buckets.acme = { encryption: { SSEAlgorithm: 'aws:kms' }, policy: JSON.stringify({ Statement: [uploader, ours] }), cors: [ourClaimedRule] };
    await expect(update(properties({ KeyPrefixes: ['images/'] }), p1)).rejects.toBeInstanceOf(AwsManagedKeyError);
    await expect(update(p1, properties({ KeyPrefixes: ['images/'] }))).resolves.toBeDefined();
    expect(writes()).toBe(0);
  });

  it('when the failed Update had already written the new version', async () => {
    const p1 = properties();
    const p2 = properties({ KeyPrefixes: ['images/'] });
    buckets.acme = { policy: JSON.stringify({ Statement: [segmentsBucketPolicyStatement('acme', ['images/'])] }), cors: [ourClaimedRule] };
    await update(p1, p2);
    expect(policyOf().Statement).toEqual([ours]);
  });

  it('but not over a statement edited by hand since (refused both ways; docs: continue-update-rollback --resources-to-skip)', async () => {
    const edited = { ...ours, Action: ['s3:GetObject', 's3:ListBucket'] };
    buckets.acme = { policy: JSON.stringify({ Statement: [edited] }), cors: [ourClaimedRule] };
    await expect(update(properties({ KeyPrefixes: ['images/'] }), properties())).rejects.toBeInstanceOf(SegmentsEntryConflictError);
    await expect(update(properties(), properties({ KeyPrefixes: ['images/'] }))).rejects.toBeInstanceOf(SegmentsEntryConflictError);
  });
});

describe('every response fits CloudFormation\'s 4096 bytes', () => {
  /** The body aws-cdk-lib's entry point sends: Reason is the error's stack, Data as returned. */
  async function responseBytes(run: () => Promise<any>): Promise<{ bytes: number; reason?: string; data?: Record<string, string> }> {
    const event = { StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/' + 'S'.repeat(128) + '/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      RequestId: '0a1b2c3d-4e5f-6789-abcd-ef0123456789', LogicalResourceId: 'L'.repeat(255), PhysicalResourceId: 'b'.repeat(63) };
    try {
      const result = await run();
      return { bytes: Buffer.byteLength(JSON.stringify({ Status: 'SUCCESS', Reason: 'SUCCESS', ...event, Data: result.Data })), data: result.Data };
    } catch (error) {
      const reason = (error as Error).stack;
      return { bytes: Buffer.byteLength(JSON.stringify({ Status: 'FAILED', Reason: reason, ...event })), reason };
    }
  }

  it('a policy of 60 Denies that may lock Segments out: the report lists 5 and counts the rest', async () => {
    const denies = Array.from({ length: 60 }, (_, i) => ({ Sid: `OnlyFromVpce${i}-${'x'.repeat(30)}`, Effect: 'Deny', Principal: '*', Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::acme/*', Condition: { StringNotEquals: { 'aws:SourceVpce': `vpce-${i}`, 'aws:SourceIp': '10.0.0.0/8' } } }));
    buckets.acme = { policy: JSON.stringify({ Statement: denies }) };
    const { bytes, data } = await responseBytes(() => create());
    expect(bytes).toBeLessThan(4096);
    expect(data!.LockoutDenies).toMatch(/^OnlyFromVpce0-x+ \(denies on aws:SourceVpce, aws:SourceIp\); .*; and 55 more: these Deny statements/);
  });

  it('a conflict over a 60-prefix statement: the versions shown are cut, the full text is in the log, the stack is the message', async () => {
    const prefixes = Array.from({ length: 60 }, (_, i) => `datasets/project-${i}/images/`);
    buckets.acme = { policy: JSON.stringify({ Statement: [segmentsBucketPolicyStatement('acme', prefixes.map((p) => `old/${p}`))] }),
      cors: [{ ...ourRule, AllowedOrigins: Array.from({ length: 60 }, (_, i) => `https://app${i}.example.com`) }] };
    const { bytes, reason } = await responseBytes(() => create(properties({ KeyPrefixes: prefixes })));
    expect(bytes).toBeLessThan(4096);
    expect(reason).toMatch(/^Nothing was written\. The policy of bucket acme already has a statement with Sid segments-s3-access that differs[\s\S]* …\n  ours: /);
    expect(reason).not.toMatch(/\n\s+at /);
    expect(logs.join('\n')).toContain('old/datasets/project-59/images/*');
  });

  it('a failure whose message is long anyway is cut', async () => {
    buckets.acme = {};
    s3.on(PutBucketPolicyCommand).rejects(s3Error('MalformedPolicy', 'x'.repeat(10000)));
    const { bytes, reason } = await responseBytes(() => create());
    expect(bytes).toBeLessThan(4096);
    expect(reason).toMatch(/^PutBucketPolicy on bucket acme failed: MalformedPolicy: x+ … \(cut; the full text is in the handler's log\)$/);
  });
});

describe('the S3 client of the Lambda entry point', () => {
  it('follows a region redirect and gives up on a hanging call well before the Lambda timeout', async () => {
    const client = newS3Client();
    expect(client.config.followRegionRedirects).toBe(true);
    const handlerConfig = await (client.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> }).configProvider;
    expect(handlerConfig).toMatchObject({ connectionTimeout: 5000, requestTimeout: 30000 });
  });
});

describe('the built handler bundle', () => {
  const bundle = fs.readFileSync(path.join(ROOT, 'lib/aws/segments-imported-bucket-access/handler/dist/index.js'), 'utf8');
  it('requires only the AWS SDK the Lambda runtime provides and Node\'s crypto: no aws-cdk-lib, no constructs', () => {
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect([...new Set(required)].sort()).toEqual(['@aws-sdk/client-s3', 'crypto']);
    expect(bundle).not.toMatch(/aws-cdk-lib|["']constructs["']/);
  });
  it('exports handler', () => {
    expect(bundle).toMatch(/handler: \(\) => handler/);
  });
});
