/**
 * Properties of the AWS constructs over generated inputs (test/helpers/arbitraries.ts mirrors the
 * input checks; the seed is fixed so a failure replays). Each run synthesizes a template, so the
 * run counts are small: the whole suite must stay under 60 s cold on two cores.
 *
 * aws-cdk-lib prints the validation report of any warning (a key prefix without a trailing slash,
 * an earlier CORS rule) through console.error; warnings are not what these properties are about,
 * so that output is captured for the whole file.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import fc from 'fast-check';
import { recommendedContext } from './app';
import { SegmentsAccess, SegmentsBucket } from '../../lib/aws';
import {
  PROPERTY_SEED,
  exactOrigin,
  keyPrefixes as keyPrefixesArbitrary,
  objectKey,
  refusedKeyPrefix,
  refusedOrigin,
  s3Origins,
  withOneRefused,
} from '../helpers/arbitraries';
import {
  ANONYMOUS,
  OVER_TLS,
  SEGMENTS_PRINCIPAL,
  isAllowed,
  objectArn,
  resolvePolicies,
  type CfnTemplate,
  type ResolvedPolicies,
} from '../helpers/policy-evaluation';

const DEPLOYMENT = { bucketName: 'acme-segments-data', region: 'eu-west-1', account: '123456789012' };
const OTHER_ACCOUNT_USER = 'arn:aws:iam::111122223333:user/someone';

/** S3 actions other than s3:GetObject, each on the resource it applies to. */
const OTHER_S3_ACTIONS: [string, 'object' | 'bucket'][] = [
  ['s3:PutObject', 'object'],
  ['s3:DeleteObject', 'object'],
  ['s3:GetObjectVersion', 'object'],
  ['s3:GetObjectAcl', 'object'],
  ['s3:ListBucket', 'bucket'],
  ['s3:GetBucketPolicy', 'bucket'],
  ['s3:PutBucketPolicy', 'bucket'],
  ['s3:PutBucketCors', 'bucket'],
];

let printed: jest.SpyInstance;
beforeAll(() => {
  printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => printed.mockRestore());

/** A fresh stack with the example app's feature flags (CloudFormation validation off: speed). */
function newStack(): Stack {
  return new Stack(new App({ context: recommendedContext, builtinCloudFormationValidation: false }), 'Customer');
}

/** The inputs Segments' access takes, and which construct writes it. */
interface AccessInputs {
  readonly keyPrefixes?: string[];
  readonly allowedOrigins?: string[];
  /** SegmentsBucket, or SegmentsAccess composed onto a plain s3.Bucket. */
  readonly construct: 'SegmentsBucket' | 'SegmentsAccess';
}

function build(stack: Stack, inputs: AccessInputs): void {
  const { keyPrefixes, allowedOrigins } = inputs;
  if (inputs.construct === 'SegmentsBucket') {
    new SegmentsBucket(stack, 'Data', { bucketName: DEPLOYMENT.bucketName, keyPrefixes, allowedOrigins });
  } else {
    const bucket = new s3.Bucket(stack, 'Data', { bucketName: DEPLOYMENT.bucketName, enforceSSL: true });
    new SegmentsAccess(stack, 'SegmentsAccess', { bucket, keyPrefixes, allowedOrigins });
  }
}

const accessInputs: fc.Arbitrary<AccessInputs> = fc.record({
  keyPrefixes: fc.option(keyPrefixesArbitrary, { nil: undefined }),
  allowedOrigins: fc.option(s3Origins, { nil: undefined }),
  construct: fc.constantFrom('SegmentsBucket' as const, 'SegmentsAccess' as const),
});

/** Keys to try for a set of prefixes: one under each prefix, and keys outside all of them. */
const keysToTry = fc.record({
  suffixes: fc.array(objectKey, { minLength: 3, maxLength: 3 }),
  others: fc.array(objectKey, { minLength: 1, maxLength: 3 }),
});

function under(prefixes: readonly string[] | undefined, key: string): boolean {
  return prefixes === undefined || prefixes.some((prefix) => key.startsWith(prefix));
}

describe('for any key prefixes and origins the constructs accept', () => {
  it('lets Segments s3:GetObject exactly the keys under the prefixes, nothing else, and grants no one else anything', async () => {
    await fc.assert(fc.asyncProperty(accessInputs, keysToTry, async (inputs, { suffixes, others }) => {
      const stack = newStack();
      build(stack, inputs);
      const template = Template.fromStack(stack).toJSON() as CfnTemplate;
      const policies: ResolvedPolicies = resolvePolicies(template, DEPLOYMENT);
      const prefixes = inputs.keyPrefixes;
      const allowed = (principal: string | typeof ANONYMOUS, action: string, resource: string) =>
        isAllowed({ principal, action, resource, policies, context: OVER_TLS });

      const inside = (prefixes ?? ['']).map((prefix, i) => `${prefix}${suffixes[i % suffixes.length]}`);
      // Near misses: each prefix without its last character, and generated keys, when outside.
      const outside = [...(prefixes ?? []).map((prefix) => prefix.slice(0, -1)), ...others]
        .filter((key) => key.length > 0 && !under(prefixes, key));
      for (const key of inside) {
        expect([key, await allowed(SEGMENTS_PRINCIPAL, 's3:GetObject', objectArn(policies, key))]).toEqual([key, true]);
      }
      for (const key of outside) {
        expect([key, await allowed(SEGMENTS_PRINCIPAL, 's3:GetObject', objectArn(policies, key))]).toEqual([key, false]);
      }
      for (const [action, on] of OTHER_S3_ACTIONS) {
        const resource = on === 'object' ? objectArn(policies, inside[0]) : policies.bucketArn;
        expect([action, await allowed(SEGMENTS_PRINCIPAL, action, resource)]).toEqual([action, false]);
      }
      for (const caller of [OTHER_ACCOUNT_USER, ANONYMOUS]) {
        for (const [action, on] of [['s3:GetObject', 'object'], ...OTHER_S3_ACTIONS.slice(0, 2), OTHER_S3_ACTIONS[4]] as const) {
          const resource = on === 'object' ? objectArn(policies, inside[0]) : policies.bucketArn;
          expect([caller, action, await allowed(caller, action, resource)]).toEqual([caller, action, false]);
        }
      }

      const corsRules = template.Resources[policies.bucketLogicalId].Properties.CorsConfiguration.CorsRules as Array<Record<string, unknown>>;
      expect(corsRules[corsRules.length - 1]).toMatchObject({ AllowedMethods: ['GET'] });
      if (inputs.allowedOrigins !== undefined) {
        expect(corsRules[corsRules.length - 1].AllowedOrigins).toEqual(inputs.allowedOrigins);
      }
    }), { seed: PROPERTY_SEED, numRuns: 30 });
  });
});

describe('any input the checks refuse never reaches a template', () => {
  const refusedInputs = fc.oneof(
    fc.record({
      prop: fc.constant('keyPrefixes' as const),
      refused: withOneRefused(keyPrefixesArbitrary, refusedKeyPrefix),
      construct: fc.constantFrom('SegmentsBucket' as const, 'SegmentsAccess' as const),
    }),
    fc.record({
      prop: fc.constant('allowedOrigins' as const),
      refused: withOneRefused(fc.uniqueArray(exactOrigin, { maxLength: 2 }), refusedOrigin),
      construct: fc.constantFrom('SegmentsBucket' as const, 'SegmentsAccess' as const),
    }),
  );

  it('throws, naming the prop and the index, before any template is written', () => {
    fc.assert(fc.property(refusedInputs, ({ prop, refused, construct }) => {
      const stack = newStack();
      let template: unknown;
      expect(() => {
        build(stack, { construct, [prop]: refused.values });
        template = Template.fromStack(stack).toJSON();
      }).toThrow(`${prop}[${refused.index}]`);
      expect(template).toBeUndefined();
    }), { seed: PROPERTY_SEED, numRuns: 60 });
  });
});

describe('composing SegmentsAccess into a bucket keeps what the bucket had', () => {
  const PRINCIPALS = ['arn:aws:iam::111122223333:role/uploader', 'arn:aws:iam::444455556666:root', 'arn:aws:iam::777788889999:user/auditor'];
  const priorStatement = fc.record({
    sid: fc.option(fc.stringMatching(/^prior[A-Za-z0-9]{1,6}$/), { nil: undefined }),
    effect: fc.constantFrom(iam.Effect.ALLOW, iam.Effect.DENY),
    principal: fc.constantFrom(...PRINCIPALS),
    actions: fc.subarray(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:GetBucketTagging'], { minLength: 1 }),
    objects: fc.oneof(fc.constant('*'), fc.stringMatching(/^[a-z0-9]{1,6}\/\*$/)),
  });
  const priorCorsRule = fc.record({
    id: fc.option(fc.stringMatching(/^rule-[a-z0-9]{1,6}$/), { nil: undefined }),
    allowedMethods: fc.subarray([s3.HttpMethods.GET, s3.HttpMethods.PUT, s3.HttpMethods.POST, s3.HttpMethods.DELETE, s3.HttpMethods.HEAD], { minLength: 1 }),
    allowedOrigins: fc.uniqueArray(exactOrigin, { minLength: 1, maxLength: 2 }),
    allowedHeaders: fc.option(fc.subarray(['*', 'Authorization', 'Content-Type'], { minLength: 1 }), { nil: undefined }),
    exposedHeaders: fc.option(fc.subarray(['ETag', 'x-amz-request-id'], { minLength: 1 }), { nil: undefined }),
    maxAge: fc.option(fc.integer({ min: 0, max: 86400 }), { nil: undefined }),
  });
  const existingBucket = fc.record({
    statements: fc.uniqueArray(priorStatement, { maxLength: 4, selector: (s) => s.sid ?? Symbol('no sid') }),
    corsRules: fc.uniqueArray(priorCorsRule, { maxLength: 3, selector: (r) => r.id ?? Symbol('no id') }),
    enforceSSL: fc.boolean(),
  });

  type ExistingBucket = typeof existingBucket extends fc.Arbitrary<infer T> ? T : never;

  /** The bucket's policy statements and CORS rules as rendered, with or without SegmentsAccess. */
  function rendered(existing: ExistingBucket, withSegments: boolean) {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Existing', { enforceSSL: existing.enforceSSL, cors: existing.corsRules });
    for (const statement of existing.statements) {
      bucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: statement.sid,
        effect: statement.effect,
        principals: [new iam.ArnPrincipal(statement.principal)],
        actions: statement.actions,
        resources: statement.actions.some((a: string) => a === 's3:ListBucket' || a === 's3:GetBucketTagging')
          ? [bucket.bucketArn, bucket.arnForObjects(statement.objects)]
          : [bucket.arnForObjects(statement.objects)],
      }));
    }
    if (withSegments) {
      new SegmentsAccess(stack, 'SegmentsAccess', { bucket });
    }
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::S3::BucketPolicy');
    const cors = Object.values(resources).find((r) => r.Type === 'AWS::S3::Bucket').Properties?.CorsConfiguration;
    return {
      statements: ((policy?.Properties.PolicyDocument.Statement ?? []) as unknown[]).map((s) => JSON.stringify(s)),
      corsRules: ((cors?.CorsRules ?? []) as unknown[]).map((r) => JSON.stringify(r)),
    };
  }

  it('keeps every prior statement and CORS rule, byte for byte and in order, and appends its own', () => {
    fc.assert(fc.property(existingBucket, (existing) => {
      const before = rendered(existing, false);
      const after = rendered(existing, true);
      expect(after.statements.slice(0, before.statements.length)).toEqual(before.statements);
      expect(after.statements.slice(before.statements.length).map((s) => JSON.parse(s).Sid)).toEqual(['segments-s3-access']);
      expect(after.corsRules.slice(0, before.corsRules.length)).toEqual(before.corsRules);
      expect(after.corsRules).toHaveLength(before.corsRules.length + 1);
      expect(JSON.parse(after.corsRules[after.corsRules.length - 1]).AllowedMethods).toEqual(['GET']);
    }), { seed: PROPERTY_SEED, numRuns: 25 });
  });
});
