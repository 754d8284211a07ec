/**
 * The truth-comparison tier (issue 21, item 6): `segments-cloud verify aws`, run as a process, against
 * the truth MEASURED on a real S3 server, Ceph RGW (test/helpers/rgw.ts).
 *
 * Each case is a bucket set up by hand through the S3 API (never through our own commands): a bucket
 * policy, CORS rules, objects, ACLs, requester pays, SSE-C, SSE-KMS, a missing object or bucket, or
 * wrong credentials for the verifier. For each, test/helpers/s3-truth.ts measures the truth with
 * real requests: Segments' GET of every object it must read (presigned as its principal, RGW's
 * tenant user), and per page origin of Segments' web app the two preflights the browser sends and
 * the GET with `Origin`. Then `verify aws` runs with the customer's credentials, and the test asserts:
 * - it exits 0 exactly where the truth works;
 * - where the truth does not work, it exits 1 and fails exactly the checks that own the measured
 *   symptom: the check the case breaks (its `cause`) when Segments' GET was refused, `aws.cors` and
 *   `aws.preflight` when only the browser was refused;
 * - with wrong credentials it cannot know: exit 3, and no check fails for it.
 * The expectation is computed from the measurement, never copied from verify's output.
 *
 * Where RGW differs from S3 (`s3` in a case), the case pins what RGW measured and states S3's
 * outcome from AWS's documentation (URL in the case), and verify is judged against S3's.
 *
 * Left out, with the reason: an Allow with NotPrincipal (AWS: "Using it with Effect Allow is not
 * supported", DOCS.notPrincipal, so S3 has no outcome to judge against); Object Ownership
 * `BucketOwnerEnforced` (RGW Pacific refuses PutBucketOwnershipControls); an object another account
 * uploaded (RGW applies the bucket policy to it, S3 does not, and the owner cannot read its ACL:
 * nothing of S3's truth is left to measure); conditions on the labeler's browser (aws:UserAgent,
 * aws:Referer), whose truth depends on the browser, not on the bucket.
 *
 * Cases where today's verify is wrong are `failing`, naming the issue-21 item that fixes them: the
 * test is `test.failing` (it passes while verify is wrong; remove the mark when the fix lands).
 *
 * The table (case, truth, verdict): set SEGMENTS_TRUTH_TABLE=<file> and the tier writes it there as
 * Markdown after the run.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import {
  CORSRule,
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutBucketRequestPaymentCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { SEGMENTS_WEB_APP_ORIGINS } from '../../../../lib/segments';
import { describeWithRgw, type Rgw, type RgwCredentials } from '../../../../test/helpers/rgw';
import { measureTruth, type Truth } from '../../../../test/helpers/s3-truth';
import { bundleCli, mapLimited, runVerifyAws, type VerifyRun } from '../../../../test/helpers/verify-process';

/** Segments' principal, as its doc writes it (a literal: the tier does not trust our own constants). */
const SEGMENTS = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';
/**
 * The bucket owner as RGW's policies name it (user `owner`, no tenant): a Deny with NotPrincipal
 * exempts it too, as a customer exempts their own admin, so that verify (the owner's credentials) can read.
 */
const OWNER = 'arn:aws:iam:::user/owner';
/** The customer's account in the policies below (RGW's `owner` user has no tenant; only its name matters here). */
const CUSTOMER_ACCOUNT = '111122223333';

type CheckId = 'aws.bucket' | 'aws.policy' | 'aws.cors' | 'aws.encryption' | 'aws.ownership' | 'aws.requester-pays' | 'aws.object' | 'aws.preflight';

/** A policy statement; `BUCKET` in a string stands for the bucket's name. */
type Statement = Record<string, unknown>;

/** An object: its key, and what else its PutObject sends (encryption, tags). */
interface ObjectSpec {
  readonly key: string;
  readonly put?: (rgw: Rgw) => Partial<PutObjectCommandInput>;
}

/** Where RGW's answer is not S3's: what RGW measured (pinned), and S3's outcome per AWS's docs. */
interface S3Differs {
  /** What the measurement on RGW gives (asserted, so a change in RGW shows). */
  readonly rgw: 'works' | 'refused';
  /**
   * S3's outcome; `unknown`: it depends on what neither RGW nor verify can see (a KMS key policy, an
   * order AWS does not document), so verify must not claim it: no row of the case's `cause` check may
   * pass (a warn, a fail or a not-checked says "cannot know").
   */
  readonly s3: 'works' | 'refused' | 'unknown';
  /** Why, in a sentence. */
  readonly why: string;
  /** AWS's page that says so. */
  readonly doc: string;
  /**
   * The checks that measure the server itself (aws.preflight sends real preflights), and so must see
   * RGW's answer, not S3's: where RGW refuses, they fail on RGW and the others are judged by S3's outcome.
   */
  readonly live?: readonly CheckId[];
}

interface TruthCase {
  /** The bucket (and the case's short name). */
  readonly bucket: string;
  /** What was set up, in words (the table's first column). */
  readonly title: string;
  /** The bucket policy's statements; null: no policy. Default: the vendor's statement. */
  readonly policy?: readonly Statement[] | null;
  /** The CORS rules; null: none. Default: the vendor's rule. */
  readonly cors?: readonly CORSRule[] | null;
  /** The objects. Default: images/cat.jpg and masks/cat.png. */
  readonly objects?: readonly (string | ObjectSpec)[];
  /** Anything else set up by hand (ACLs, requester pays). */
  readonly setup?: (rgw: Rgw, bucket: string) => Promise<void>;
  /** No bucket at all. */
  readonly absent?: true;
  /** verify's `--key`s. Default: the first object. The truth reads these too. */
  readonly keys?: readonly string[];
  /** verify's `--prefix`es; the truth reads the objects under them. Default: none (the whole bucket: every object). */
  readonly prefixes?: readonly string[];
  /** The verifier's credentials. Default: the bucket owner's. */
  readonly verifier?: (rgw: Rgw) => RgwCredentials;
  /** The check the setup breaks, when Segments' own GET is refused. Default: aws.policy. */
  readonly cause?: CheckId;
  readonly s3?: S3Differs;
  /** Today's verify is wrong here: the issue-21 item whose fix makes this test pass (then drop this). */
  readonly failing?: string;
}

const DOCS = {
  cors: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html',
  conditionOperators: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  globalKeys: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
  bucketPolicies: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
  acls: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acls.html',
  aclGrants: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions',
  aclAuthorization: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html',
  kms: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
  notAction: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html',
  notPrincipal: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
} as const;

const allowSegments: Statement = {
  Sid: 'segments-s3-access', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::BUCKET/*',
};
/** The vendor's statement with these fields changed (undefined removes one). */
const segmentsWith = (change: Statement): Statement[] => [Object.fromEntries(Object.entries({ ...allowSegments, ...change }).filter(([, v]) => v !== undefined))];
/** The vendor's statement and a Deny for everyone on every object, with these fields changed. */
const segmentsAndDeny = (change: Statement): Statement[] => [allowSegments, { Sid: 'deny', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::BUCKET/*', ...change }];

const segmentsRule: CORSRule = {
  ID: 'segments-cors', AllowedHeaders: ['*'], AllowedMethods: ['GET'], AllowedOrigins: ['https://segments.ai', 'https://*.segments.ai'],
};
const ruleWith = (change: Partial<CORSRule>): CORSRule[] => [{ ...segmentsRule, ...change }];

const SSE_C_KEY = Buffer.alloc(32, 7);

const CASES: readonly TruthCase[] = [
  // Grant forms
  { bucket: 'grant-vendor', title: 'the vendor\'s statement (user ARN)' },
  { bucket: 'grant-star', title: 'Allow Principal "*"', policy: segmentsWith({ Principal: '*' }) },
  { bucket: 'grant-aws-star', title: 'Allow Principal {"AWS": "*"}', policy: segmentsWith({ Principal: { AWS: '*' } }) },
  { bucket: 'grant-account-id', title: 'Allow Principal Segments\' account ID', policy: segmentsWith({ Principal: { AWS: '931508227573' } }) },
  { bucket: 'grant-account-root', title: 'Allow Principal Segments\' account root ARN', policy: segmentsWith({ Principal: { AWS: 'arn:aws:iam::931508227573:root' } }) },
  { bucket: 'grant-other-user', title: 'Allow another user of Segments\' account', policy: segmentsWith({ Principal: { AWS: 'arn:aws:iam::931508227573:user/segmentsai-dev-user' } }) },
  { bucket: 'grant-other-account', title: 'Allow another account', policy: segmentsWith({ Principal: { AWS: CUSTOMER_ACCOUNT } }) },
  { bucket: 'grant-none', title: 'no bucket policy', policy: null },
  { bucket: 'grant-s3-star', title: 'Allow Action s3:*', policy: segmentsWith({ Action: 's3:*' }) },
  { bucket: 'grant-s3-get-star', title: 'Allow Action s3:Get*', policy: segmentsWith({ Action: 's3:Get*' }) },
  { bucket: 'grant-action-star', title: 'Allow Action *', policy: segmentsWith({ Action: '*' }) },
  { bucket: 'grant-action-case', title: 'Allow Action S3:getobject (actions are case-insensitive)', policy: segmentsWith({ Action: 'S3:getobject' }) },
  {
    bucket: 'grant-notaction', title: 'Allow NotAction s3:DeleteObject', policy: segmentsWith({ Action: undefined, NotAction: 's3:DeleteObject' }),
    s3: { rgw: 'refused', s3: 'works', why: 'RGW (Pacific) matches no Allow written with NotAction; AWS allows every action but the ones listed, s3:GetObject included', doc: DOCS.notAction },
  },
  { bucket: 'grant-version-only', title: 'Allow s3:GetObjectVersion only', policy: segmentsWith({ Action: 's3:GetObjectVersion' }) },
  { bucket: 'grant-bucket-arn', title: 'Allow on the bucket ARN, not its objects', policy: segmentsWith({ Resource: 'arn:aws:s3:::BUCKET' }) },
  { bucket: 'grant-notresource', title: 'Allow NotResource another bucket', policy: segmentsWith({ Resource: undefined, NotResource: 'arn:aws:s3:::another-bucket/*' }) },
  { bucket: 'grant-prefix', title: 'Allow images/* only, verify --prefix images/', policy: segmentsWith({ Resource: 'arn:aws:s3:::BUCKET/images/*' }), prefixes: ['images/'] },
  { bucket: 'grant-prefix-whole', title: 'Allow images/* only, the whole bucket asked', policy: segmentsWith({ Resource: 'arn:aws:s3:::BUCKET/images/*' }) },
  {
    bucket: 'grant-two-prefixes', title: 'Allow images/* and masks/* in two statements, verify --prefix for each',
    policy: [...segmentsWith({ Sid: 'images', Resource: 'arn:aws:s3:::BUCKET/images/*' }), ...segmentsWith({ Sid: 'masks', Resource: 'arn:aws:s3:::BUCKET/masks/*' })],
    prefixes: ['images/', 'masks/'],
  },
  { bucket: 'grant-jpg-only', title: 'Allow *.jpg only; masks/cat.png in the bucket', policy: segmentsWith({ Resource: 'arn:aws:s3:::BUCKET/*.jpg' }) },

  // Deny forms
  {
    bucket: 'deny-notprincipal-segments', title: 'Deny NotPrincipal Segments\' user and account, and the owner (everyone else)',
    policy: segmentsAndDeny({ Principal: undefined, NotPrincipal: { AWS: [SEGMENTS, 'arn:aws:iam::931508227573:root', OWNER] } }),
  },
  {
    bucket: 'deny-notprincipal-user-only', title: 'Deny NotPrincipal Segments\' user (not its account) and the owner',
    policy: segmentsAndDeny({ Principal: undefined, NotPrincipal: { AWS: [SEGMENTS, OWNER] } }),
    s3: {
      rgw: 'works', s3: 'unknown', doc: DOCS.notPrincipal,
      why: 'RGW matches the user ARN; AWS says a NotPrincipal must also name the account of the principal it exempts, or the Deny may deny the whole account',
    },
  },
  { bucket: 'deny-notprincipal-other', title: 'Deny NotPrincipal the customer\'s account', policy: segmentsAndDeny({ Principal: undefined, NotPrincipal: { AWS: `arn:aws:iam::${CUSTOMER_ACCOUNT}:root` } }) },
  {
    bucket: 'deny-source-ip', title: 'Deny NotIpAddress aws:SourceIp 203.0.113.0/24 (the office)', policy: segmentsAndDeny({ Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
    s3: {
      rgw: 'refused', s3: 'unknown', doc: DOCS.globalKeys,
      why: 'the request came from 127.0.0.1 here; on S3 aws:SourceIp is the labeler\'s address: labelers in the office get in, others do not',
    },
  },
  { bucket: 'deny-png', title: 'Deny *.png; masks/cat.png in the bucket', policy: segmentsAndDeny({ Resource: 'arn:aws:s3:::BUCKET/*.png' }) },
  { bucket: 'deny-outside-prefix', title: 'Deny masks/*, verify --prefix images/', policy: segmentsAndDeny({ Resource: 'arn:aws:s3:::BUCKET/masks/*' }), prefixes: ['images/'] },
  { bucket: 'deny-ended', title: 'Deny DateGreaterThan aws:CurrentTime 2020-01-01 (a contract that ended)', policy: segmentsAndDeny({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }) },
  { bucket: 'deny-future', title: 'Deny DateGreaterThan aws:CurrentTime 2099-01-01', policy: segmentsAndDeny({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } } }) },
  {
    bucket: 'deny-insecure', title: 'Deny Bool aws:SecureTransport false',
    policy: segmentsAndDeny({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    // RGW over plain HTTP has no aws:SecureTransport in its context, so the Deny does not match: the
    // same outcome as S3 reached through Segments' HTTPS URLs.
  },
  {
    bucket: 'deny-insecure-ifexists', title: 'Deny BoolIfExists aws:SecureTransport false (AWS\'s sample HTTPS-only policy)',
    // The Deny names Segments, not "*": on RGW's plain HTTP it would refuse the verifier's own reads too, which S3 over HTTPS does not.
    policy: segmentsAndDeny({ Principal: { AWS: SEGMENTS }, Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } }),
    s3: { rgw: 'refused', s3: 'works', why: 'RGW over plain HTTP has no aws:SecureTransport, and ...IfExists matches a missing key; Segments reads S3 through HTTPS URLs, where the key is true', doc: DOCS.conditionOperators },
  },
  { bucket: 'deny-not-sigv4', title: 'Deny StringNotEquals s3:signatureversion AWS4-HMAC-SHA256', policy: segmentsAndDeny({ Condition: { StringNotEquals: { 's3:signatureversion': 'AWS4-HMAC-SHA256' } } }) },
  { bucket: 'deny-old-tls', title: 'Deny NumericLessThan s3:TlsVersion 1.2', policy: segmentsAndDeny({ Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } }) },
  {
    bucket: 'deny-blocked-range', title: 'Deny IpAddress aws:SourceIp 203.0.113.0/24 (one blocked range)',
    policy: segmentsAndDeny({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
    s3: {
      rgw: 'works', s3: 'unknown', doc: DOCS.globalKeys,
      why: 'the request came from 127.0.0.1 here; on S3 aws:SourceIp is the labeler\'s address, which nobody knows before the labeler loads the image',
    },
  },
  {
    bucket: 'deny-epoch', title: 'Deny NumericGreaterThan aws:EpochTime 1577836800 (2020)',
    policy: segmentsAndDeny({ Condition: { NumericGreaterThan: { 'aws:EpochTime': '1577836800' } } }),
    s3: { rgw: 'works', s3: 'refused', why: 'RGW has no aws:EpochTime in its request context; S3 always sets it to the request time, which is after 2020', doc: DOCS.globalKeys },
  },
  {
    bucket: 'deny-principal-account', title: 'Deny StringNotEquals aws:PrincipalAccount the customer\'s (a data perimeter)',
    policy: segmentsAndDeny({ Condition: { StringNotEquals: { 'aws:PrincipalAccount': CUSTOMER_ACCOUNT } } }),
    s3: { rgw: 'works', s3: 'refused', why: 'RGW has no aws:PrincipalAccount; S3 sets it to 931508227573 for Segments, which is not the customer\'s account', doc: DOCS.globalKeys },
  },
  {
    bucket: 'deny-principal-arn', title: 'Deny ArnNotEquals aws:PrincipalArn Segments',
    policy: segmentsAndDeny({ Condition: { ArnNotEquals: { 'aws:PrincipalArn': SEGMENTS } } }),
    // RGW has no aws:PrincipalArn and does not match; S3 has it, equal to Segments': same outcome.
  },

  // Conditions on the grant
  {
    bucket: 'cond-private-ip', title: 'Allow only IpAddress aws:SourceIp 10.0.0.0/8', policy: segmentsWith({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
    // On S3 a browser on the internet never has a private aws:SourceIp (and through a VPC endpoint the
    // key is absent), so S3 refuses; verify holds aws:SourceIp unknown and warns rather than fails:
    // never a pass, which is what this tier asserts of an unknown.
    s3: {
      rgw: 'refused', s3: 'unknown', doc: DOCS.globalKeys,
      why: 'the request came from 127.0.0.1 here; on S3 aws:SourceIp is the labeler\'s public address, which verify does not know',
    },
  },
  { bucket: 'cond-until-2099', title: 'Allow DateLessThan aws:CurrentTime 2099-01-01', policy: segmentsWith({ Condition: { DateLessThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } } }) },
  { bucket: 'cond-until-2020', title: 'Allow DateLessThan aws:CurrentTime 2020-01-01 (ended)', policy: segmentsWith({ Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }) },
  {
    bucket: 'cond-secure', title: 'Allow Bool aws:SecureTransport true',
    policy: segmentsWith({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    s3: { rgw: 'refused', s3: 'works', why: 'RGW over plain HTTP has no aws:SecureTransport, so the Allow does not match; Segments reads S3 through HTTPS URLs, where it is true', doc: DOCS.globalKeys },
  },
  {
    bucket: 'cond-tag-all', title: 'Allow s3:ExistingObjectTag/segments yes; every object tagged; --key each',
    policy: segmentsWith({ Condition: { StringEquals: { 's3:ExistingObjectTag/segments': 'yes' } } }),
    objects: [{ key: 'images/cat.jpg', put: () => ({ Tagging: 'segments=yes' }) }, { key: 'masks/cat.png', put: () => ({ Tagging: 'segments=yes' }) }],
    keys: ['images/cat.jpg', 'masks/cat.png'],
  },
  {
    bucket: 'cond-tag-some', title: 'Allow s3:ExistingObjectTag/segments yes; masks/cat.png untagged; --key each',
    policy: segmentsWith({ Condition: { StringEquals: { 's3:ExistingObjectTag/segments': 'yes' } } }),
    objects: [{ key: 'images/cat.jpg', put: () => ({ Tagging: 'segments=yes' }) }, 'masks/cat.png'],
    keys: ['images/cat.jpg', 'masks/cat.png'],
  },

  // CORS
  { bucket: 'cors-none', title: 'no CORS configuration', cors: null },
  { bucket: 'cors-wrong-origin', title: 'CORS for https://example.com only', cors: ruleWith({ AllowedOrigins: ['https://example.com'] }) },
  { bucket: 'cors-apex-only', title: 'CORS for https://segments.ai only (not app.)', cors: ruleWith({ AllowedOrigins: ['https://segments.ai'] }) },
  { bucket: 'cors-any-origin', title: 'CORS AllowedOrigins *', cors: ruleWith({ AllowedOrigins: ['*'] }) },
  { bucket: 'cors-put-only', title: 'CORS for PUT only', cors: ruleWith({ AllowedMethods: ['PUT'] }) },
  { bucket: 'cors-http-origins', title: 'CORS for http:// origins', cors: ruleWith({ AllowedOrigins: ['http://segments.ai', 'http://*.segments.ai'] }) },
  { bucket: 'cors-range-header', title: 'CORS AllowedHeaders Range only', cors: ruleWith({ AllowedHeaders: ['Range'] }) },
  { bucket: 'cors-no-headers', title: 'CORS without AllowedHeaders (the Range preflight fails)', cors: ruleWith({ AllowedHeaders: undefined }) },
  { bucket: 'cors-other-first', title: 'a rule for another origin, then the vendor\'s', cors: [{ ID: 'upload', AllowedHeaders: ['*'], AllowedMethods: ['PUT', 'GET'], AllowedOrigins: ['https://upload.example.com'] }, segmentsRule] },
  {
    bucket: 'cors-headerless-first', title: 'a rule for * and GET without headers first, then the vendor\'s',
    cors: [{ ID: 'public-read', AllowedMethods: ['GET'], AllowedOrigins: ['*'] }, segmentsRule],
    s3: {
      rgw: 'refused', s3: 'works', doc: DOCS.cors,
      why: 'RGW answers a preflight with the first rule matching origin and method and then refuses the Range header; S3 uses the first rule that matches origin, method and every requested header, i.e. the vendor\'s',
      // verify's own Range preflight goes to RGW and sees RGW's refusal; aws.cors judges the rules as S3 picks them.
      live: ['aws.preflight'],
    },
  },

  // Ownership and ACLs
  {
    bucket: 'acl-object-grant', title: 'no policy; an object ACL grants READ to Segments on each object', policy: null,
    setup: async (rgw, bucket) => {
      for (const key of ['images/cat.jpg', 'masks/cat.png']) {
        // RGW's canonical ID of the tenant user; on S3 the grant names Segments' canonical user ID.
        // PutObjectAcl replaces the whole ACL: the owner's FULL_CONTROL is kept, as the console and
        // `put-object-acl --grant-read ... --grant-full-control id=<owner>` keep it.
        await rgw.owner.send(new PutObjectAclCommand({ Bucket: bucket, Key: key, GrantRead: 'id="931508227573$segmentsai-prod-user"', GrantFullControl: 'id="owner"' }));
      }
    },
    // S3 agrees while ACLs are on: RGW has no Object Ownership (GetBucketOwnershipControls answers an
    // empty configuration), i.e. S3's "not set", which keeps ACLs in force (DOCS.acls). With ACLs on,
    // a READ grant to an account lets it GET the object, its IAM policy permitting (DOCS.aclGrants);
    // S3 allows a cross-account GET when the bucket policy OR the ACL allows it (DOCS.aclAuthorization).
    // On S3 the grant would name Segments' canonical user ID (lib/segments.ts, from the vendor's
    // doc), which verify knows: it passes (unit tests pin that). Here it names RGW's tenant user,
    // which verify cannot tell from any other user of another server: it warns, naming the grantee
    // ("if this is Segments' account ... it reads"), exit 0; a fail would send the owner to fix what works.
  },
  {
    bucket: 'acl-bucket-public-read', title: 'no policy; bucket ACL public-read (lists, does not read objects)', policy: null,
    setup: async (rgw, bucket) => { await rgw.owner.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' })); },
  },

  // Requester pays, encryption, objects
  {
    bucket: 'requester-pays', title: 'Requester pays', cause: 'aws.requester-pays',
    setup: async (rgw, bucket) => { await rgw.owner.send(new PutBucketRequestPaymentCommand({ Bucket: bucket, RequestPaymentConfiguration: { Payer: 'Requester' } })); },
  },
  {
    bucket: 'sse-c', title: 'an object encrypted with SSE-C', cause: 'aws.object',
    objects: [{ key: 'images/cat.jpg', put: () => ({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: SSE_C_KEY.toString('base64'), SSECustomerKeyMD5: createHash('md5').update(SSE_C_KEY).digest('base64') }) }],
  },
  { bucket: 'sse-s3', title: 'an object encrypted with SSE-S3', objects: [{ key: 'images/cat.jpg', put: () => ({ ServerSideEncryption: 'AES256' }) }] },
  {
    bucket: 'sse-kms', title: 'an object encrypted with SSE-KMS (a customer key)', cause: 'aws.object',
    objects: [{ key: 'images/cat.jpg', put: (rgw) => ({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: rgw.kmsTestKeyId }) }],
    s3: {
      rgw: 'works', s3: 'unknown', doc: DOCS.kms,
      why: 'RGW\'s testing KMS backend decrypts for anyone the bucket lets read; on S3 Segments also needs kms:Decrypt from the key\'s policy, which verify cannot read here (no KMS)',
    },
  },
  { bucket: 'missing-key', title: 'a --key that does not exist', keys: ['images/cat.jpg', 'images/dog.jpg'], cause: 'aws.object' },
  { bucket: 'missing-bucket', title: 'no such bucket', absent: true, objects: ['images/cat.jpg'], cause: 'aws.bucket' },

  // The verifier's credentials
  {
    bucket: 'verifier-wrong-secret', title: 'verify with a wrong secret key (the bucket works)',
    verifier: (rgw) => ({ ...rgw.ownerCredentials, secretAccessKey: 'not-the-secret' }),
  },
  {
    bucket: 'verifier-unknown-key', title: 'verify with an access key ID the server does not know (the bucket works)',
    verifier: () => ({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'whatever' }),
  },
];

const DEFAULT_OBJECTS = ['images/cat.jpg', 'masks/cat.png'];

const specs = (c: TruthCase): ObjectSpec[] => (c.objects ?? DEFAULT_OBJECTS).map((o) => (typeof o === 'string' ? { key: o } : o));
const bucketName = (c: TruthCase) => `truth-${c.bucket}`;
/** What Segments must read: the objects under the prefixes (all without), then any other `--key`. */
function readsOf(c: TruthCase): string[] {
  const under = specs(c).map((o) => o.key).filter((key) => !c.prefixes || c.prefixes.some((prefix) => key.startsWith(prefix)));
  return [...under, ...keysOf(c).filter((key) => !under.includes(key))];
}
const keysOf = (c: TruthCase): string[] => [...(c.keys ?? [specs(c)[0].key])];

async function setUp(rgw: Rgw, c: TruthCase): Promise<void> {
  if (c.absent) {
    return;
  }
  const bucket = bucketName(c);
  const s3 = rgw.owner;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await Promise.all(specs(c).map((o) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: `the bytes of ${o.key}`, ...o.put?.(rgw) }))));
  const policy = c.policy === undefined ? [allowSegments] : c.policy;
  if (policy !== null) {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: policy }).replace(/BUCKET/g, bucket);
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: text }));
  }
  const cors = c.cors === undefined ? [segmentsRule] : c.cors;
  if (cors !== null) {
    await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [...cors] } }));
  }
  await c.setup?.(rgw, bucket);
}

type Outcome = 'works' | 'refused' | 'unknown';

/** What verify must say, computed from the measured truth (and, where RGW differs, S3's documented outcome). */
interface Expected {
  /** `unknown`: any exit, as long as no row of `failing[0]` passes. */
  readonly exit: 0 | 1 | 3 | 'unknown';
  /** The checks that fail, sorted (for `unknown`: the check that must not pass). */
  readonly failing: readonly string[];
}

function expectedOf(c: TruthCase, truth: Truth): { outcome: Outcome; expected: Expected } {
  const measured: Outcome = truth.symptom === 'none' ? 'works' : 'refused';
  const outcome = c.s3?.s3 ?? measured;
  if (c.verifier) {
    return { outcome, expected: { exit: 3, failing: [] } };
  }
  if (outcome === 'works') {
    const live = measured === 'refused' ? c.s3?.live ?? [] : [];
    return { outcome, expected: live.length > 0 ? { exit: 1, failing: [...live] } : { exit: 0, failing: [] } };
  }
  if (outcome === 'unknown') {
    return { outcome, expected: { exit: 'unknown', failing: [c.cause ?? 'aws.policy'] } };
  }
  // Refused: where RGW differs, S3's refusal is of Segments' GET (the cases above are all policy keys).
  const symptom = c.s3 ? 'access' : truth.symptom;
  const failing = symptom === 'browser' ? ['aws.cors', 'aws.preflight'] : [c.cause ?? 'aws.policy'];
  return { outcome, expected: { exit: 1, failing } };
}

interface Verdict {
  readonly exit: number | null;
  readonly failing: readonly string[];
}

function verdictOf(run: VerifyRun): Verdict {
  return { exit: run.status, failing: [...new Set((run.checks ?? []).filter((c) => c.result === 'fail').map((c) => c.id))].sort() };
}

/** A TCP port on 127.0.0.1 that nothing listens on: verify's KMS calls fail at once there (RGW has no KMS API). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeWithRgw('verify aws against the truth measured on Ceph RGW', (rgw) => {
  let work: string | undefined;
  const truths = new Map<string, Truth>();
  const runs = new Map<string, VerifyRun>();

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-truth-'));
    const [bundle] = await Promise.all([
      bundleCli(work),
      Promise.all(CASES.map((c) => setUp(rgw(), c))),
    ]);
    await Promise.all(CASES.map(async (c) => {
      truths.set(c.bucket, await measureTruth(rgw(), bucketName(c), readsOf(c), SEGMENTS_WEB_APP_ORIGINS));
    }));
    const env = {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_S3: rgw().endpoint,
      AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${await closedPort()}`,
    };
    await mapLimited(CASES, 4, async (c) => {
      const args = ['--bucket', bucketName(c), ...(c.prefixes ?? []).flatMap((p) => ['--prefix', p]), ...keysOf(c).flatMap((k) => ['--key', k])];
      runs.set(c.bucket, await runVerifyAws(bundle, args, (c.verifier ?? (() => rgw().ownerCredentials))(rgw()), env));
    });
  }, 300_000);

  afterAll(() => {
    const file = process.env.SEGMENTS_TRUTH_TABLE;
    if (file && truths.size === CASES.length) {
      fs.writeFileSync(file, truthTable());
    }
    if (work !== undefined) {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  function truthTable(): string {
    const rows = CASES.map((c) => {
      const truth = truths.get(c.bucket)!;
      const { outcome, expected } = expectedOf(c, truth);
      const verdict = verdictOf(runs.get(c.bucket)!);
      const measured = truth.symptom === 'none' ? 'works' : `refused: ${truth.problems.slice(0, 2).join('; ')}${truth.problems.length > 2 ? '; …' : ''}`;
      const s3 = c.s3 ? `S3: ${c.s3.s3} (${c.s3.why})` : '';
      const cause = expected.exit === 'unknown' ? `; ${expected.failing[0]}: ${resultsOf(runs.get(c.bucket)!, expected.failing[0]).join(', ')}` : '';
      const said = `exit ${verdict.exit}${verdict.failing.length ? `, fails ${verdict.failing.join(', ')}` : ''}${cause}`;
      const right = agrees(expected, verdict, runs.get(c.bucket)!) ? 'right' : `WRONG (${c.failing ?? 'no item'})`;
      const judged = outcome === 'works' && expected.failing.length > 0 ? `works on S3; ${expected.failing.join(', ')} see RGW's refusal` : outcome;
      return `| ${c.title} | ${measured} | ${s3} | ${judged} | ${said} | ${right} |`;
    });
    return ['| Case | Truth measured on RGW | Where S3 differs | Judged against | verify aws | Verdict |', '|---|---|---|---|---|---|', ...rows, ''].join('\n');
  }

  /** The results of the rows of check `id`. */
  const resultsOf = (run: VerifyRun, id: string) => (run.checks ?? []).filter((check) => check.id === id).map((check) => check.result);

  function agrees(expected: Expected, verdict: Verdict, run: VerifyRun): boolean {
    if (expected.exit === 'unknown') {
      const results = resultsOf(run, expected.failing[0]);
      return results.length > 0 && !results.includes('pass');
    }
    return verdict.exit === expected.exit && JSON.stringify(verdict.failing) === JSON.stringify([...expected.failing].sort());
  }

  it('has at least 40 cases, and the truth is not one-sided: both working and refused buckets, refused for access and for the browser', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.bucket)).size).toBe(CASES.length);
    const symptoms = CASES.map((c) => truths.get(c.bucket)!.symptom);
    expect(symptoms.filter((s) => s === 'none').length).toBeGreaterThanOrEqual(15);
    expect(symptoms.filter((s) => s === 'access').length).toBeGreaterThanOrEqual(10);
    expect(symptoms.filter((s) => s === 'browser').length).toBeGreaterThanOrEqual(5);
  });

  it('is refused where each case breaks it: a CORS case in the browser only, any other in Segments\' own GET', () => {
    const refused = CASES.filter((c) => !c.s3 && truths.get(c.bucket)!.symptom !== 'none');
    expect(refused.map((c) => [c.bucket, truths.get(c.bucket)!.symptom]))
      .toEqual(refused.map((c) => [c.bucket, c.cors !== undefined ? 'browser' : 'access']));
  });

  describe.each(CASES.map((c) => [c.title, c] as const))('%s', (_title, c) => {
    if (c.s3) {
      const { rgw: pinned } = c.s3;
      it(`RGW ${pinned === 'works' ? 'lets Segments read' : 'refuses Segments'} (pinned: S3's outcome, ${c.s3.s3}, is judged instead)`, () => {
        const truth = truths.get(c.bucket)!;
        expect({ measured: truth.symptom === 'none' ? 'works' : 'refused', problems: truth.problems }).toEqual({ measured: pinned, problems: expect.any(Array) });
      });
    }

    const judge = c.failing ? it.failing : it;
    judge(`verify aws agrees with the truth${c.failing ? ` (wrong today: ${c.failing})` : ''}`, () => {
      const truth = truths.get(c.bucket)!;
      const run = runs.get(c.bucket)!;
      const { outcome, expected } = expectedOf(c, truth);
      expect(run.checks).toBeDefined(); // a JSON report, whatever the verdict
      const verdict = verdictOf(run);
      const context = { truth: outcome, problems: truth.problems };
      if (expected.exit === 'unknown') {
        const results = resultsOf(run, expected.failing[0]);
        expect({ ...context, check: expected.failing[0], results, claimsPass: results.includes('pass') })
          .toEqual({ ...context, check: expected.failing[0], results: expect.arrayContaining([expect.stringMatching(/^(warn|fail|not-checked)$/)]), claimsPass: false });
        return;
      }
      expect({ ...context, ...verdict }).toEqual({ ...context, exit: expected.exit, failing: [...expected.failing].sort() });
    });
  });
});
