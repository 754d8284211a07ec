/** `aws-policy`: the S3 bucket policy with the Segments statement, alone or merged into the current one. */
import {
  bucketPolicyBytes,
  findStatementsBySid,
  keyPrefixProblems,
  lockoutDenyAdvice,
  lockoutDenyStatements,
  mergeStatementBySid,
  parseBucketPolicy,
  S3_BUCKET_POLICY_MAX_BYTES,
  s3BucketNameDotProblem,
  s3BucketNameProblems,
  sameStatement,
  SEGMENTS_S3_POLICY_SID,
  segmentsBucketPolicyStatement,
} from 'segments-cloud-constructs';
import { all, single } from './args';
import { Command } from './command';
import { inputError, usageError } from './errors';
import { parseMergeFile, readMergeFile } from './merge-file';
import { otherBucketsOnly } from './policy-names-bucket';

export const awsPolicyCommand: Command = {
  name: 'aws-policy',
  summary: 'An S3 bucket policy holding the Segments statement, or FILE\'s policy with it merged in.',
  synopsis: 'aws-policy --bucket NAME [--prefix P]... [--merge FILE]',
  flags: { bucket: { repeatable: false }, prefix: { repeatable: true }, merge: { repeatable: false } },
  example: 'aws-policy --bucket my-images --prefix images/ --merge current.json',
  help: () => `Prints a complete S3 bucket policy (JSON) in which Segments may s3:GetObject the bucket's
objects, or only those under the given prefixes, and nothing else. The statement's Sid is
'${SEGMENTS_S3_POLICY_SID}'.

Flags:
  --bucket NAME   the bucket (required). A name with a dot is printed with a warning: Segments'
                  virtual-hosted HTTPS URLs fail TLS on it, but an existing bucket cannot be renamed.
  --prefix P      grant only keys starting with P, such as images/ (repeat for several).
                  Default: the whole bucket.
  --merge FILE    the bucket's current policy, as 'aws s3api get-bucket-policy --query Policy
                  --output text' prints it ('-' reads stdin). The Segments statement is inserted, or
                  replaced where its Sid already is; every other statement is kept, unchanged and in
                  order. A merged policy over S3's 20 KB limit is refused.

Examples:
  segments-cloud aws-policy --bucket my-images > policy.json

  aws s3api get-bucket-policy --bucket my-images --query Policy --output text > current.json
  segments-cloud aws-policy --bucket my-images --merge current.json > merged.json
  aws s3api put-bucket-policy --bucket my-images --policy file://merged.json \\
    --expected-bucket-owner 111122223333

--expected-bucket-owner (your account ID) makes S3 refuse the write if the bucket is not yours.
`,
  run(flags, input) {
    const bucket = single(flags, 'bucket');
    if (bucket === undefined) {
      throw usageError('aws-policy needs --bucket NAME', 'aws-policy');
    }
    const prefixes = all(flags, 'prefix');
    // A dotted name is refused for a new bucket; this one exists already, so warn and still print.
    const dot = s3BucketNameDotProblem('--bucket', bucket);
    const problems = [
      ...s3BucketNameProblems('--bucket', bucket).filter((problem) => problem !== dot),
      ...(prefixes.length > 0 ? keyPrefixProblems('--prefix', prefixes) : []),
    ];
    if (problems.length > 0) {
      throw inputError(...problems);
    }
    const warnings: string[] = [];
    if (dot) {
      warnings.push(`${dot} An existing bucket cannot be renamed, so the policy is printed anyway; Segments can load the images once they are in a bucket without dots.`);
    }
    const statement = segmentsBucketPolicyStatement(bucket, prefixes.length > 0 ? prefixes : undefined);
    const file = single(flags, 'merge');
    if (file === undefined) {
      return { json: mergeStatementBySid(undefined, statement), warnings };
    }
    const text = readMergeFile(input, file, 'bucket policy');
    const current = parseMergeFile(file, () => parseBucketPolicy(text));
    const others = otherBucketsOnly(current, bucket);
    if (others) {
      warnings.push(`The policy in ${file} names only other buckets (${others.map((name) => `'${name}'`).join(', ')}), not '${bucket}': check that it is this bucket's policy and that --bucket is right before you put the merged one.`);
    }
    if (findStatementsBySid(current, SEGMENTS_S3_POLICY_SID).some((existing) => !sameStatement(existing, statement))) {
      warnings.push(`The policy in ${file} has a different '${SEGMENTS_S3_POLICY_SID}' statement; it is replaced by this one.`);
    }
    // The same allow-list as SegmentsAccess's LOCKOUT_DENY warning, on the objects this statement grants.
    for (const deny of lockoutDenyStatements(current, [statement.Resource].flat())) {
      warnings.push(`Statement ${deny.sid} in ${file} ${lockoutDenyAdvice(deny)}`);
    }
    const merged = mergeStatementBySid(current, statement);
    const bytes = bucketPolicyBytes(merged);
    if (bytes > S3_BUCKET_POLICY_MAX_BYTES) {
      throw inputError(`The merged policy is ${bytes} bytes, over S3's limit of ${S3_BUCKET_POLICY_MAX_BYTES} bytes: shorten the other statements or give fewer --prefix values.`);
    }
    return { json: merged, warnings };
  },
};
