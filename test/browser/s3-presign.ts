/**
 * A presigned S3 URL (Signature Version 4, query parameters, unsigned payload), what Segments hands
 * the browser for an image. Written out here because the AWS SDK's presigner is not a dependency;
 * the browser tier's passing cells prove the signature (a wrong one is a 403, not an image).
 */
import { createHash, createHmac } from 'crypto';

/** Access key pair of the user who signs. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * `https://<host>/<key>` presigned for `method`, valid for `expiresSeconds`. `host` is the
 * virtual-hosted name (`<bucket>.s3.<region>.amazonaws.com`), the only header signed.
 */
export function presignS3Url(
  method: 'GET' | 'PUT',
  host: string,
  key: string,
  region: string,
  credentials: S3Credentials,
  expiresSeconds = 3600,
  now: Date = new Date(),
): string {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${region}/s3/aws4_request`;
  const canonicalPath = '/' + key.split('/').map(encode).join('/');
  const query: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(expiresSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const canonicalQuery = query.map(([name, value]) => `${encode(name)}=${encode(value)}`).sort().join('&');
  const canonicalRequest = [method, canonicalPath, canonicalQuery, `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  let signingKey = hmac(`AWS4${credentials.secretAccessKey}`, date);
  for (const part of [region, 's3', 'aws4_request']) {
    signingKey = hmac(signingKey, part);
  }
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `https://${host}${canonicalPath}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}
