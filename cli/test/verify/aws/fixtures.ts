/**
 * Facts as fetch.ts would read them, for the pure checks: a bucket set up as SegmentsBucket sets
 * it up (the Segments statement, the Segments CORS rule, SSE-S3, BucketOwnerEnforced, the owner
 * pays), changed one field at a time by each test.
 */
import { AwsBucketFacts, Read, ReadFailure } from '../../../src/verify/aws/facts';
import type { AwsVerifyOptions } from '../../../src/verify/aws';

export const BUCKET = 'acme-images';
export const REGION = 'eu-west-1';
/** Segments' principal, written out (not imported) so the tests pin the fact independently. */
export const SEGMENTS = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';

export function ok<T>(value: T): Read<T> {
  return { ok: true, value };
}

export function denied(operation: string, permission: string, resource = `arn:aws:s3:::${BUCKET}`): Read<never> {
  const failure: ReadFailure = { operation, permission, resource, cause: 'access-denied', message: 'AccessDenied: HTTP 403: Access Denied' };
  return { ok: false, failure };
}

export function segmentsStatement(resources: string | string[] = `arn:aws:s3:::${BUCKET}/*`): Record<string, unknown> {
  return { Sid: 'segments-s3-access', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: resources };
}

export function policyOf(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The vendor doc's rule with the library's ID and default origins. */
export const SEGMENTS_RULE = {
  ID: 'segments-cors', AllowedHeaders: ['*'], AllowedMethods: ['GET'], AllowedOrigins: ['https://segments.ai', 'https://*.segments.ai'], ExposeHeaders: [],
};

export function facts(overrides: Partial<AwsBucketFacts> = {}): AwsBucketFacts {
  return {
    bucket: BUCKET,
    location: ok({ exists: true, region: REGION }),
    policy: ok(policyOf(segmentsStatement())),
    cors: ok([SEGMENTS_RULE]),
    encryption: ok({ algorithm: 'AES256' }),
    ownership: ok('BucketOwnerEnforced'),
    requestPayer: ok('BucketOwner'),
    objects: [],
    kmsKeys: new Map(),
    ...overrides,
  };
}

export function options(overrides: Partial<AwsVerifyOptions> = {}): AwsVerifyOptions {
  return { bucket: BUCKET, prefixes: [], keys: [], origins: ['https://app.segments.ai', 'https://segments.ai'], ...overrides };
}

/** The (id, target, result) of each outcome, the part most tests pin. */
export function results(outcomes: readonly { id: string; target?: string; result: string }[]): string[] {
  return outcomes.map((o) => `${o.id}${o.target !== undefined ? ` ${o.target}` : ''}: ${o.result}`);
}
