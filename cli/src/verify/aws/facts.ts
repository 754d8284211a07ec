/**
 * What `verify aws` read from AWS (fetch.ts writes it, the checks read it): the bucket's
 * configuration as plain data, each read either its value or the failure that says which
 * permission it needed. The checks are pure functions of this.
 */
import { CheckOutcome, couldNotRun, skipped } from '../report';

/**
 * Why a read failed. `rejected-credentials`: credentials were found but the service refused them
 * (`InvalidAccessKeyId`, `SignatureDoesNotMatch`, `ExpiredToken`): a cause of the whole run, never
 * a finding of the check whose read hit it. `invalid-endpoint`: the SDK could not build the
 * request's URL (a dotted bucket name on an IP-address endpoint).
 */
export type ReadFailureCause = 'access-denied' | 'no-credentials' | 'rejected-credentials' | 'network' | 'invalid-endpoint' | 'other';

export interface ReadFailure {
  /** The API call, such as `GetBucketPolicy`. */
  readonly operation: string;
  /** The IAM permission the call needs, such as `s3:GetBucketPolicy`. */
  readonly permission: string;
  /** The ARN the permission is needed on. */
  readonly resource: string;
  readonly cause: ReadFailureCause;
  /** The error's name and message, as the SDK gave them. */
  readonly message: string;
}

/** One read: its value, or why it failed. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: ReadFailure };

export function readOk<T>(value: T): Read<T> {
  return { ok: true, value };
}

/** Where the bucket is, from HeadBucket (and GetBucketLocation when HeadBucket names no region). */
export type BucketLocation = { readonly exists: false } | { readonly exists: true; readonly region?: string };

/** A CORS rule as GetBucketCors returns it. */
export interface CorsRule {
  readonly ID?: string;
  readonly AllowedHeaders?: readonly string[];
  readonly AllowedMethods?: readonly string[];
  readonly AllowedOrigins?: readonly string[];
  readonly ExposeHeaders?: readonly string[];
  readonly MaxAgeSeconds?: number;
}

/** The bucket's default encryption (its first rule), as GetBucketEncryption returns it. */
export interface DefaultEncryption {
  /** `AES256`, `aws:kms`, `aws:kms:dsse`. */
  readonly algorithm: string;
  /** The KMS key as configured (key ID, key ARN, alias name or alias ARN); absent means the AWS managed key `aws/s3`. */
  readonly kmsKeyId?: string;
  /** S3 Bucket Keys: S3 then asks KMS with the bucket's ARN as encryption context instead of the object's. */
  readonly bucketKeyEnabled?: boolean;
}

/** Block Public Access, as GetPublicAccessBlock returns it (the bucket's, or the account's through S3 Control). */
export interface PublicAccessBlock {
  readonly BlockPublicAcls?: boolean;
  readonly IgnorePublicAcls?: boolean;
  readonly BlockPublicPolicy?: boolean;
  readonly RestrictPublicBuckets?: boolean;
}

/** What HeadObject says about an object. */
export interface ObjectHead {
  /** S3 answered 400: what it answers for an object encrypted with a customer-provided key (SSE-C) when no key is sent. */
  readonly badRequest?: boolean;
  readonly storageClass?: string;
  /** The `x-amz-restore` header: `ongoing-request="false", expiry-date="..."` once restored. */
  readonly restore?: string;
  /** Intelligent-Tiering's archive tiers: `ARCHIVE_ACCESS`, `DEEP_ARCHIVE_ACCESS`. */
  readonly archiveStatus?: string;
  /** `AES256`, `aws:kms`, `aws:kms:dsse`. */
  readonly serverSideEncryption?: string;
  /** The KMS key ARN for `aws:kms`. */
  readonly kmsKeyId?: string;
  /** Set when S3 says the object is encrypted with a customer-provided key. */
  readonly sseCustomerAlgorithm?: string;
  /** S3 Bucket Keys on for this object: the KMS encryption context is the bucket's ARN. */
  readonly bucketKeyEnabled?: boolean;
}

/** One grant of an object ACL, as GetObjectAcl returns it. */
export interface AclGrant {
  /** `READ`, `FULL_CONTROL`, `WRITE`, `READ_ACP`, `WRITE_ACP`. */
  readonly permission: string;
  /** `CanonicalUser`, `Group` or `AmazonCustomerByEmail`. */
  readonly type: string;
  /** A canonical user's ID. */
  readonly id?: string;
  /** A group's URI (`http://acs.amazonaws.com/groups/global/AllUsers`...). */
  readonly uri?: string;
  /** An email grantee's address. */
  readonly email?: string;
}

/** One `--key`. */
export interface ObjectFacts {
  readonly key: string;
  /** HeadObject; undefined value: no such object. */
  readonly head: Read<ObjectHead | undefined>;
  /** The object owner's canonical ID (GetObjectAcl), read only when the bucket has ACLs on. */
  readonly owner?: Read<string | undefined>;
  /** Its ACL's grants (the same GetObjectAcl), read only when the bucket has ACLs on. */
  readonly grants?: Read<readonly AclGrant[]>;
  /** Its tags (GetObjectTagging), which `s3:ExistingObjectTag/<key>` conditions test; undefined value: no such object. */
  readonly tags?: Read<Readonly<Record<string, string>> | undefined>;
}

/** One resource control policy, as DescribePolicy returns it. */
export interface ResourceControlPolicy {
  readonly id: string;
  readonly name: string;
  /** Its JSON text. */
  readonly content: string;
}

/** One level of the organization above the bucket's account (the root, an OU, the account itself), with the RCPs attached there. */
export interface OrgPolicyLevel {
  /** `r-...`, `ou-...`, or the account ID. */
  readonly id: string;
  readonly policies: readonly ResourceControlPolicy[];
}

/** The resource control policies that apply to the bucket's account, read through AWS Organizations. */
export interface OrgPolicies {
  /** The account whose RCPs these are (the caller's, from sts:GetCallerIdentity). */
  readonly account: string;
  /** Root first, then each OU down to the account. Empty: the account is in no organization. */
  readonly levels: readonly OrgPolicyLevel[];
}

/** A KMS key, as DescribeKey and GetKeyPolicy show it. */
export interface KmsKeyFacts {
  readonly arn: string;
  /** `AWS` (an AWS managed key such as `aws/s3`) or `CUSTOMER`. */
  readonly manager?: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`, ... */
  readonly state?: string;
  /** The key policy named `default` (GetKeyPolicy), read for customer managed keys only. */
  readonly policy?: Read<string>;
}

/** The browser's view: one request to the bucket's endpoint with an `Origin` header. */
export interface CorsProbe {
  readonly origin: string;
  /** `OPTIONS` (the preflight) or `GET` (a presigned URL). */
  readonly method: 'OPTIONS' | 'GET';
  /** A preflight's Access-Control-Request-Headers (lower case); empty for the preflight of a plain GET. */
  readonly requestHeaders?: readonly string[];
  /** The URL requested, without the query string (which carries the signature). */
  readonly url: string;
  /** The status and the `access-control-*` and `vary` headers received, or why the request failed. */
  readonly response: Read<{ readonly status: number; readonly headers: Readonly<Record<string, string>> }>;
}

/** Everything `verify aws` read. A field left undefined was not read (the bucket does not exist, or nothing needed it). */
export interface AwsBucketFacts {
  readonly bucket: string;
  /** AWS_ENDPOINT_URL_S3, when set: the S3 API is another server than AWS'. */
  readonly endpoint?: string;
  readonly location: Read<BucketLocation>;
  /**
   * The bucket's region as S3 named it: HeadBucket's, GetBucketLocation's, or the
   * `x-amz-bucket-region` header S3 sends even on a refused HeadBucket. Undefined: unknown (never
   * guessed: a wrong region sends the preflight to the wrong endpoint and judges key policies for
   * the wrong `kms:ViaService`).
   */
  readonly region?: string;
  /** GetBucketPolicy; undefined value: the bucket has no policy. */
  readonly policy?: Read<string | undefined>;
  /** GetBucketCors; undefined value: the bucket has no CORS configuration. */
  readonly cors?: Read<readonly CorsRule[] | undefined>;
  /** GetBucketEncryption; undefined value: none set (S3 then encrypts with SSE-S3). */
  readonly encryption?: Read<DefaultEncryption | undefined>;
  /** GetBucketOwnershipControls; undefined value: none set. */
  readonly ownership?: Read<string | undefined>;
  /** The bucket's Block Public Access (GetPublicAccessBlock); undefined value: none set. */
  readonly publicAccessBlock?: Read<PublicAccessBlock | undefined>;
  /**
   * The account's Block Public Access (S3 Control GetPublicAccessBlock), when the edge can read
   * it; undefined: not read (no S3 Control client, or an S3-compatible endpoint).
   */
  readonly accountPublicAccessBlock?: Read<PublicAccessBlock | undefined>;
  /** GetBucketRequestPayment: `BucketOwner` or `Requester`. */
  readonly requestPayer?: Read<string>;
  /** The bucket owner's canonical ID (GetBucketAcl), read only when objects' owners are compared. */
  readonly bucketOwner?: Read<string | undefined>;
  /** One per `--key`, in order. */
  readonly objects: readonly ObjectFacts[];
  /** The KMS keys the bucket default and the objects use, by the ID as configured. */
  readonly kmsKeys: ReadonlyMap<string, Read<KmsKeyFacts>>;
  /**
   * The resource control policies of the caller's account (Organizations), when the bucket is in
   * that account; undefined: not read (offline, another server than AWS's, or the bucket in
   * another account).
   */
  readonly orgPolicies?: Read<OrgPolicies>;
  /** The preflight and presigned GET, unless `--offline`. */
  readonly probes?: readonly CorsProbe[];
}

/** The `not-checked` outcome of a check whose read failed: what failed, and the permission or setting that fixes it. */
export function notReadable(id: string, failure: ReadFailure, target?: string): CheckOutcome {
  const detail = `${failure.operation} failed (${failure.message}), so this could not be checked.`;
  return couldNotRun(id, detail, readFailureFix(failure), target);
}

/** What to do about a failed read. */
export function readFailureFix(failure: ReadFailure): string {
  switch (failure.cause) {
    case 'access-denied':
      return `Allow ${failure.permission} on ${failure.resource} to the credentials this runs with (docs/cli.md, "Verify a bucket", has the whole read-only policy).`;
    case 'no-credentials':
      return 'Give AWS credentials the SDK finds: AWS_PROFILE (after aws sso login or aws configure), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.';
    case 'rejected-credentials':
      return rejectedCredentialsFix(failure.message);
    case 'invalid-endpoint':
      return 'Check AWS_ENDPOINT_URL_S3: it must be a URL such as http://127.0.0.1:7480 (the bucket name is sent in the path).';
    case 'network':
      return 'Check the network connection and the endpoint (AWS_ENDPOINT_URL_S3 points the S3 client at another server), then run again.';
    default:
      return `Run again; if it persists, check that the credentials may ${failure.permission} on ${failure.resource}.`;
  }
}

/** The error codes with which AWS refuses the credentials themselves, not a permission. */
export const REJECTED_CREDENTIAL_CODES: readonly string[] = [
  'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException', 'InvalidToken', 'TokenRefreshRequired',
  'InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidSignatureException',
];

/** What to set when the service refused the credentials, by the code it gave. */
export function rejectedCredentialsFix(message: string): string {
  const set = 'AWS_PROFILE (after aws sso login or aws configure), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary credentials)';
  if (/Expired|TokenRefreshRequired/.test(message)) {
    return `The session credentials have expired: get new ones (aws sso login, or a new aws sts assume-role) and set ${set}.`;
  }
  if (/SignatureDoesNotMatch|InvalidSignature/.test(message)) {
    return `The secret access key does not match the access key ID: set ${set} to a matching pair.`;
  }
  return `The access key ID is not known to the service (deleted, mistyped, or from another partition or endpoint): set ${set}.`;
}

/** The outcome of a check that did not run because the bucket does not exist (aws.bucket fails and says so). */
export function noBucket(id: string, bucket: string): CheckOutcome {
  return skipped(id, `Not checked: there is no bucket ${bucket} (see aws.bucket).`);
}

/**
 * Whether a region name is one AWS has (`eu-west-1`, `us-gov-west-1`, `cn-north-1`): S3-compatible
 * servers name others (Ceph RGW's `default`), for which no amazonaws.com URL exists.
 */
export function isAwsRegion(region: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region);
}

/** The bucket's region as S3 named it (`AwsBucketFacts.region`, else the location read); undefined: unknown. */
export function bucketRegion(facts: Pick<AwsBucketFacts, 'region' | 'location'>): string | undefined {
  return facts.region ?? (facts.location.ok && facts.location.value.exists ? facts.location.value.region : undefined);
}

/** The ARN partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string | undefined): string {
  if (region?.startsWith('cn-')) {
    return 'aws-cn';
  }
  return region?.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}
