/**
 * Segments' real request, as the IAM evaluator sees it: a presigned `s3:GetObject` by Segments'
 * IAM user, fetched by a labeler's browser. What verify and the constructs can know of it is a
 * value; what they cannot (the labeler's network and browser, an object's tags not read) is
 * unknown, so a decision that depends on it is never a pass. One model, shared by `verify aws`,
 * the constructs' lock-out warnings and the imported-bucket handler.
 */
import { SEGMENTS_AWS_ACCOUNT_ID, SEGMENTS_AWS_PRINCIPAL_ARN, SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS } from '../segments';
import type { IamContextValue, IamRequest } from './request';

/**
 * The context keys whose value Segments' GET does not settle: the labeler's address, page and
 * browser; Segments' user's unique ID and tags; the organization of Segments' account (AWS sends
 * `aws:PrincipalOrgID` and `aws:PrincipalOrgPaths` when the principal's account is in an
 * organization, and whether Segments' is, and which, is not published); the resource's account,
 * organization and tags (unless given); the region (unless given); every object tag (unless
 * read). An entry ending in `*` names a key prefix.
 */
export const SEGMENTS_GET_UNKNOWN_KEYS: readonly string[] = [
  'aws:SourceIp',
  'aws:Referer',
  'aws:UserAgent',
  'aws:userid',
  'aws:PrincipalTag/*',
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:ResourceOrgID',
  'aws:ResourceOrgPaths',
  'aws:ResourceTag/*',
];

/**
 * The keys known for every GET of Segments': HTTPS with TLS 1.2 (the oldest a browser still
 * speaks), SigV4 in the query string, Segments' IAM user in Segments' account, no AWS service on
 * the way. Keys named nowhere (aws:SourceVpce, aws:SourceVpc, aws:MultiFactorAuthPresent...) are
 * missing, as AWS sends none of them for this request: a labeler's browser reaches S3 over the
 * internet, not through a VPC endpoint, and a presigned URL of an IAM user's long-term keys carries
 * no MFA.
 */
export const SEGMENTS_GET_KNOWN_VALUES: Readonly<Record<string, string>> = {
  'aws:SecureTransport': 'true',
  's3:TlsVersion': '1.2',
  's3:authType': 'REST-QUERY-STRING',
  's3:signatureversion': 'AWS4-HMAC-SHA256',
  'aws:PrincipalArn': SEGMENTS_AWS_PRINCIPAL_ARN,
  'aws:PrincipalAccount': SEGMENTS_AWS_ACCOUNT_ID,
  'aws:PrincipalType': 'User',
  'aws:username': SEGMENTS_AWS_PRINCIPAL_ARN.split('/').pop()!,
  'aws:PrincipalIsAWSService': 'false',
  'aws:ViaAWSService': 'false',
};

/** One moment of a presigned URL's life at which Segments' GET is judged. */
export interface SegmentsGetMoment {
  /**
   * `signed` (the URL's first second, at the run), `expiring` (its last, the lifetime later), or
   * `within` (a second around a date a policy's condition names, between the two).
   */
  readonly name: 'signed' | 'expiring' | 'within';
  /** The request's time. */
  readonly time: Date;
  /** The signature's age (`s3:signatureAge`), in milliseconds. */
  readonly signatureAgeMs: number;
}

/**
 * The moments of a presigned URL's life, from `now`, at which Segments' GET is judged: signed now
 * (age 0), fetched at its last second ({@link SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS} later), and,
 * for each date a condition of `policies` names on `aws:CurrentTime` or `aws:EpochTime` that falls
 * between the two, the second before it, at it and after it: a window that opens and closes within
 * the lifetime is met there, though at neither end. A Deny at any moment breaks some fetches; an
 * Allow must hold at every one.
 */
export function segmentsGetMoments(now: Date, policies: readonly unknown[] = []): SegmentsGetMoment[] {
  const lifetimeMs = SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS * 3600 * 1000;
  const start = now.getTime();
  const end = start + lifetimeMs;
  const within = new Set<number>();
  for (const boundary of timeBoundaries(policies)) {
    for (const t of [boundary - 1000, boundary, boundary + 1000]) {
      if (t > start && t < end) {
        within.add(t);
      }
    }
  }
  return [
    { name: 'signed', time: now, signatureAgeMs: 0 },
    { name: 'expiring', time: new Date(end), signatureAgeMs: lifetimeMs },
    ...[...within].sort((a, b) => a - b).slice(0, MAX_WITHIN_MOMENTS)
      .map((t): SegmentsGetMoment => ({ name: 'within', time: new Date(t), signatureAgeMs: t - start })),
  ];
}

/** At most this many moments between the two ends (each a full evaluation). */
const MAX_WITHIN_MOMENTS = 60;

/**
 * The times (ms since the epoch) that conditions on `aws:CurrentTime` or `aws:EpochTime` in these
 * policies compare with: a Date operator's value (ISO 8601, or epoch seconds), a Numeric operator's
 * on `aws:EpochTime` (epoch seconds). Values that are no time are skipped.
 */
export function timeBoundaries(policies: readonly unknown[]): number[] {
  const found: number[] = [];
  const visit = (statement: unknown) => {
    const condition = (statement as { Condition?: unknown } | null)?.Condition;
    if (typeof condition !== 'object' || condition === null) {
      return;
    }
    for (const [operator, byKey] of Object.entries(condition)) {
      if (typeof byKey !== 'object' || byKey === null || !/(Date|Numeric)/i.test(operator)) {
        continue;
      }
      for (const [key, values] of Object.entries(byKey as Record<string, unknown>)) {
        const name = key.toLowerCase();
        if (name !== 'aws:currenttime' && name !== 'aws:epochtime') {
          continue;
        }
        for (const value of Array.isArray(values) ? values : [values]) {
          const text = String(value);
          const ms = /^\d+$/.test(text) ? Number(text) * 1000 : /Date/i.test(operator) ? Date.parse(text) : NaN;
          if (Number.isFinite(ms)) {
            found.push(Math.floor(ms / 1000) * 1000);
          }
        }
      }
    }
  };
  for (const policy of policies) {
    const parsed = typeof policy === 'string' ? safeParse(policy) : policy;
    const statements = (parsed as { Statement?: unknown } | null)?.Statement;
    (Array.isArray(statements) ? statements : [statements]).forEach(visit);
  }
  return found;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What else is known of one GET. */
export interface SegmentsGetOptions {
  /**
   * The object's tags, read with GetObjectTagging: `s3:ExistingObjectTag/<key>` is known (a tag it
   * lacks is missing). Without them, every `s3:ExistingObjectTag/*` is unknown.
   *
   * @default - not read
   */
  readonly objectTags?: Readonly<Record<string, string>>;
  /**
   * The bucket's account. Segments' account is never the customer's, so the request is
   * cross-account either way; the value only settles conditions on `aws:ResourceAccount`.
   *
   * @default - unknown
   */
  readonly resourceAccount?: string;
  /**
   * The bucket's region: `aws:RequestedRegion` of a GET is the region of the S3 endpoint it is sent
   * to, which for Segments' virtual-hosted URL is the bucket's.
   *
   * @default - unknown
   */
  readonly region?: string;
}

/** The account used where the bucket's is unknown: any account but Segments' (aws:ResourceAccount itself stays unknown). */
const SOME_OTHER_ACCOUNT = '000000000000';

/** Segments' GET of `resource` at one moment, for the evaluator. */
export function segmentsGetRequest(resource: string, moment: SegmentsGetMoment, options: SegmentsGetOptions = {}): IamRequest {
  const values: Record<string, IamContextValue> = {
    ...SEGMENTS_GET_KNOWN_VALUES,
    'aws:CurrentTime': moment.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(moment.time.getTime() / 1000)),
    's3:signatureAge': String(moment.signatureAgeMs),
  };
  const unknown = [...SEGMENTS_GET_UNKNOWN_KEYS];
  if (options.objectTags) {
    for (const [key, value] of Object.entries(options.objectTags)) {
      values[`s3:ExistingObjectTag/${key}`] = value;
    }
  } else {
    unknown.push('s3:ExistingObjectTag/*');
  }
  if (options.resourceAccount === undefined) {
    unknown.push('aws:ResourceAccount');
  }
  if (options.region === undefined) {
    unknown.push('aws:RequestedRegion');
  } else {
    values['aws:RequestedRegion'] = options.region;
  }
  return {
    principal: SEGMENTS_AWS_PRINCIPAL_ARN,
    action: 's3:GetObject',
    resource,
    resourceAccount: options.resourceAccount ?? SOME_OTHER_ACCOUNT,
    context: { values, unknown, unlisted: 'missing' },
  };
}
