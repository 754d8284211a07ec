/**
 * Whether a `--merge` policy file is about the bucket given by `--bucket`: a file whose S3
 * resources all name other buckets is likely the wrong file, or the wrong `--bucket`.
 */
import type { BucketPolicyDocument } from 'segments-cloud-constructs';

/** `arn:<partition>:s3:::<bucket>[/<key>]`: the bucket part of an S3 ARN, or undefined for any other string. */
function s3ArnBucket(resource: string): string | undefined {
  const match = /^arn:[^:]*:s3:::([^/]*)/.exec(resource);
  return match ? match[1] : undefined;
}

/** Whether a bucket part written in a policy (`?` and `*` are wildcards there) can be the bucket. */
function bucketPartMatches(pattern: string, bucket: string): boolean {
  if (!/[*?]/.test(pattern)) {
    return pattern === bucket;
  }
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(bucket);
}

/**
 * The buckets the policy's statements name in `Resource` / `NotResource`, when it names S3
 * resources and none of them is `bucket` (`arn:aws:s3:::<bucket>` or `arn:aws:s3:::<bucket>/...`,
 * wildcards included); undefined when some resource can be the bucket, or the policy names no S3
 * resource at all.
 */
export function otherBucketsOnly(policy: BucketPolicyDocument, bucket: string): string[] | undefined {
  const named = new Set<string>();
  for (const statement of policy.Statement ?? []) {
    for (const resource of [statement.Resource ?? [], statement.NotResource ?? []].flat()) {
      const part = typeof resource === 'string' ? s3ArnBucket(resource) : undefined;
      if (part === undefined) {
        continue;
      }
      if (bucketPartMatches(part, bucket)) {
        return undefined;
      }
      named.add(part);
    }
  }
  return named.size > 0 ? [...named] : undefined;
}
