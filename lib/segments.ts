/**
 * The facts of Segments.ai's "Cloud integrations" doc, in one place.
 *
 * Every constant here comes from that doc and is the reason for the shape of the resources both
 * halves of this library declare. Two versions of the doc are cited, next to each value:
 * - "copied doc": the early version copied into this project (`shared/vendor/segments-cloud-integration.md`);
 * - "public doc as of 2026-07-07": segments-ai/docs, `how-to-integrate/import-data/cloud-integration.md`,
 *   last changed 2026-07-07.
 * test/vendor-facts.test.ts pins every value, so a change in either direction is deliberate.
 * Nothing here imports a cloud library, so AWS-only and Google-only users can both read it.
 */

/** Segments.ai's AWS account, from which it reads customers' S3 buckets. Copied doc; unchanged in the public doc as of 2026-07-07. */
export const SEGMENTS_AWS_ACCOUNT_ID = '931508227573';

/** The canonical user ID of Segments.ai's AWS account, for ACL-based setups. Copied doc. */
export const SEGMENTS_AWS_CANONICAL_USER_ID =
  'a2c85e730d80dcb51a2c0e1a8f852cf6dc8d6e04d9e00f49239c324de3c1e3e1';

/**
 * The IAM user in Segments.ai's account that reads the objects (the bucket policy's principal).
 * Copied doc; unchanged in the public doc as of 2026-07-07.
 */
export const SEGMENTS_AWS_PRINCIPAL_ARN = `arn:aws:iam::${SEGMENTS_AWS_ACCOUNT_ID}:user/segmentsai-prod-user`;

/** The `Sid` of the bucket policy statement. Copied doc; unchanged in the public doc as of 2026-07-07. */
export const SEGMENTS_S3_POLICY_SID = 'segments-s3-access';

/**
 * The only S3 action Segments needs: reading objects. Not `grantRead`, which adds `s3:List*`.
 * Copied doc; unchanged in the public doc as of 2026-07-07.
 */
export const SEGMENTS_S3_ACTIONS: readonly string[] = ['s3:GetObject'];

/**
 * The only KMS action Segments needs to read SSE-KMS objects encrypted with a customer key.
 * Neither doc: S3 needs it to decrypt an SSE-KMS object for the reader (AWS's SSE-KMS documentation).
 */
export const SEGMENTS_KMS_ACTIONS: readonly string[] = ['kms:Decrypt'];

/** The `Sid` of the key policy statement that lets Segments decrypt objects (the constructs write it; `verify aws` shows it as the fix). */
export const SEGMENTS_KMS_POLICY_SID = 'segments-kms-decrypt';

/** The only GCS permission the custom role holds. Public doc as of 2026-07-07 (the copied doc says "contact us"). */
export const SEGMENTS_GCS_PERMISSIONS: readonly string[] = ['storage.objects.get'];

/**
 * The origins of Segments' web app that the S3 CORS rule allows by default (AWS), and the
 * default of every AWS construct's `allowedOrigins`:
 * - `https://segments.ai`: copied doc (its only origin);
 * - `https://*.segments.ai`: public doc as of 2026-07-07 (its only origin since 2024-09-16), which
 *   covers the web app's subdomains such as `https://app.segments.ai`. S3 matches one `*` in an
 *   origin, so this is a subdomain wildcard there; it does not match the apex, hence both.
 */
export const SEGMENTS_DEFAULT_ORIGINS: readonly string[] = ['https://segments.ai', 'https://*.segments.ai'];

/**
 * The origins the GCS CORS rule allows by default (Google), and the default of every Google
 * construct's `allowedOrigins`: concrete hosts, not `https://*.segments.ai`.
 *
 * The public doc as of 2026-07-07 writes `"origin": ["https://*.segments.ai"]` for GCS too, but
 * Google documents no subdomain wildcard: the JSON API's `cors[].origin[]` and the Terraform
 * provider's `cors.origin` (terraform-provider-google `website/docs/r/storage_bucket.html.markdown`)
 * both say only that `"*"` is permitted and "means any Origin". So we list the hosts:
 * - `https://segments.ai`: copied doc;
 * - `https://app.segments.ai`: the web app's host, listed by the public doc of 2024-08 (before the
 *   wildcard) and by its Azure section as of 2026-07-07.
 */
export const SEGMENTS_GCS_DEFAULT_ORIGINS: readonly string[] = ['https://segments.ai', 'https://app.segments.ai'];

/**
 * The origins Segments' web app pages are served from, as a browser sends them in `Origin`
 * (concrete hosts, not rule patterns): what `segments-cloud verify` asks each CORS configuration
 * about. `https://app.segments.ai`: the web app's host (public doc, Azure section, as of
 * 2026-07-07; NOTES: the page origin real browsers were tested from); `https://segments.ai`:
 * copied doc.
 */
export const SEGMENTS_WEB_APP_ORIGINS: readonly string[] = ['https://app.segments.ai', 'https://segments.ai'];

/**
 * The `ID` of the Segments CORS rule on an S3 bucket. Neither doc names the rule; this library
 * does, so that SegmentsAccess, the custom resource and the CLI find their own rule again and
 * replace or remove it without touching others.
 */
export const SEGMENTS_S3_CORS_RULE_ID = 'segments-cors';

/** The HTTP methods the CORS rules allow: the browser only ever GETs images. Copied doc; unchanged in the public doc as of 2026-07-07. */
export const SEGMENTS_CORS_METHODS: readonly string[] = ['GET'];

/**
 * How long browsers may cache the GCS CORS preflight answer. Copied doc (the public doc as of
 * 2026-07-07 leaves it out); kept because it only caches preflights.
 */
export const SEGMENTS_GCS_CORS_MAX_AGE_SECONDS = 3600;

/**
 * How long Segments' presigned URLs live: a Deny on a shorter `s3:signatureAge` locks it out.
 * Copied doc.
 */
export const SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS = 24;

/** The S3 CORS rule of the vendor doc, in aws-cdk-lib's casing (`s3.CorsRule`). */
export interface SegmentsS3CorsRule {
  readonly id: string;
  readonly allowedHeaders: string[];
  readonly allowedMethods: string[];
  readonly allowedOrigins: string[];
  readonly exposedHeaders: string[];
}

/** The GCS CORS rule of the vendor doc, in the casing of `gcloud storage buckets update --cors-file`. */
export interface SegmentsGcsCorsRule {
  readonly origin: string[];
  readonly method: string[];
  readonly responseHeader: string[];
  readonly maxAgeSeconds: number;
}

/**
 * The S3 CORS rule for the given origins. Headers `["*"]`, methods `["GET"]`, no exposed headers:
 * copied doc, unchanged in the public doc as of 2026-07-07 (neither has `MaxAge`). The `id` is
 * {@link SEGMENTS_S3_CORS_RULE_ID}.
 */
export function segmentsS3CorsRule(
  origins: readonly string[] = SEGMENTS_DEFAULT_ORIGINS,
): SegmentsS3CorsRule {
  return {
    id: SEGMENTS_S3_CORS_RULE_ID,
    allowedHeaders: ['*'],
    allowedMethods: [...SEGMENTS_CORS_METHODS],
    allowedOrigins: [...origins],
    exposedHeaders: [],
  };
}

/**
 * The GCS CORS rule for the given origins. Method `GET`; `responseHeader ["*"]`: public doc as of
 * 2026-07-07 (the copied doc had `[]`); `maxAgeSeconds 3600`: copied doc.
 */
export function segmentsGcsCorsRule(
  origins: readonly string[] = SEGMENTS_GCS_DEFAULT_ORIGINS,
): SegmentsGcsCorsRule {
  return {
    origin: [...origins],
    method: [...SEGMENTS_CORS_METHODS],
    responseHeader: ['*'],
    maxAgeSeconds: SEGMENTS_GCS_CORS_MAX_AGE_SECONDS,
  };
}

/**
 * The URL prefix Segments expects for a bucket: virtual-hosted style,
 * `https://<bucket>.s3.<region>.amazonaws.com/`. Path-style URLs are not accepted. Copied doc.
 */
export function s3UrlPrefix(bucketName: string, region: string): string {
  return `https://${bucketName}.s3.${region}.amazonaws.com/`;
}

/** Percent-encodes each `/`-separated segment of an object key, keeping the slashes. */
export function encodeS3Key(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** The URL to submit to Segments for one object. */
export function s3ObjectUrl(bucketName: string, region: string, key: string): string {
  return s3UrlPrefix(bucketName, region) + encodeS3Key(key);
}

/** The `gs://` URL of a GCS bucket, the form Segments takes. Public doc as of 2026-07-07. */
export function gsUrl(bucketName: string): string {
  return `gs://${bucketName}`;
}

// ---------------------------------------------------------------------------------------------
// Azure. Source: the public doc (segments-ai/docs, how-to-integrate/import-data/cloud-integration.md)
// as of 2026-07-07, whose Azure section supersedes the copied doc's "contact us".

/**
 * The application (client) ID of Segments.ai's multi-tenant Entra ID app, "Segments.ai Blob Link
 * Service app": installed in a tenant with `az ad sp create --id <this>`.
 * Public doc as of 2026-07-07.
 */
export const SEGMENTS_AZURE_CLIENT_ID = 'd47021c7-05d1-44c3-a594-93c2c30c68fc';

/**
 * The built-in role the doc assigns to that app on the storage account ("read access only").
 * Public doc as of 2026-07-07.
 */
export const SEGMENTS_AZURE_ROLE_NAME = 'Storage Blob Data Reader';

/**
 * The origins of the blob service CORS rule: the doc's `az storage cors add --origins`. (A
 * `https://webgpu.segments.ai` mention was removed 2026-07-07.) Public doc as of 2026-07-07.
 */
export const SEGMENTS_AZURE_DEFAULT_ORIGINS: readonly string[] = ['https://app.segments.ai'];

/** The methods of the Azure CORS rule: `--methods GET`. Public doc as of 2026-07-07. */
export const SEGMENTS_AZURE_CORS_METHODS: readonly string[] = ['GET'];

/** How long browsers may cache the Azure CORS preflight answer: `--max-age 3600`. Public doc as of 2026-07-07. */
export const SEGMENTS_AZURE_CORS_MAX_AGE_SECONDS = 3600;

/** The blob service CORS rule of the vendor doc, in the casing of the Azure Storage API's `CorsRule`. */
export interface SegmentsAzureCorsRule {
  readonly allowedOrigins: string[];
  readonly allowedMethods: string[];
  /** Empty: the doc's `az storage cors add` gives no `--allowed-headers`, so Azure stores `""`. */
  readonly allowedHeaders: string[];
  /** Empty: the doc's `az storage cors add` gives no `--exposed-headers`, so Azure stores `""`. */
  readonly exposedHeaders: string[];
  readonly maxAgeInSeconds: number;
}

/**
 * The vendor doc's blob service CORS rule for the given origins: what
 * `az storage cors add --services b --methods GET --origins <origins> --max-age 3600` stores.
 * Without header flags azure-cli passes empty lists, which the service stores as empty strings.
 */
export function segmentsAzureCorsRule(
  origins: readonly string[] = SEGMENTS_AZURE_DEFAULT_ORIGINS,
): SegmentsAzureCorsRule {
  return {
    allowedOrigins: [...origins],
    allowedMethods: [...SEGMENTS_AZURE_CORS_METHODS],
    allowedHeaders: [],
    exposedHeaders: [],
    maxAgeInSeconds: SEGMENTS_AZURE_CORS_MAX_AGE_SECONDS,
  };
}

/** The URL prefix Segments expects for a storage account: `https://<account>.blob.core.windows.net/`. */
export function azureBlobUrlPrefix(storageAccountName: string): string {
  return `https://${storageAccountName}.blob.core.windows.net/`;
}
