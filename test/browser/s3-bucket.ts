/**
 * The customer's S3 bucket on Ceph RGW, set up by its owner with the AWS SDK (path-style, plain
 * HTTP): created, given the CORS rules the example app synthesizes, and holding the image.
 */
import { CreateBucketCommand, GetBucketCorsCommand, PutBucketCorsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3CorsRule } from './example-rules';

/** Creates the bucket, puts the CORS rules (read back to check RGW kept them all), uploads the object. */
export async function setUpBucket(
  client: S3Client,
  bucket: string,
  corsRules: readonly S3CorsRule[],
  object: { key: string; body: Buffer; contentType: string },
): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [...corsRules] } }));
  const stored = await client.send(new GetBucketCorsCommand({ Bucket: bucket }));
  // Rules in order (S3 applies the first that matches); RGW keeps each rule's origins as a sorted set.
  const origins = (stored.CORSRules ?? []).map((rule) => [...(rule.AllowedOrigins ?? [])].sort());
  const wanted = corsRules.map((rule) => [...rule.AllowedOrigins].sort());
  if (JSON.stringify(origins) !== JSON.stringify(wanted)) {
    throw new Error(`setUpBucket: RGW stored CORS origins ${JSON.stringify(origins)}, not the template's ${JSON.stringify(wanted)}`);
  }
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, Body: object.body, ContentType: object.contentType }));
}
