/**
 * Whether Segments can decrypt with a KMS key, for aws.encryption (the bucket default) and
 * aws.object (an object's own key): an AWS managed key (`aws/s3`) never (its key policy cannot
 * be changed and allows only the key's own account), a customer managed key when its key policy
 * lets Segments `kms:Decrypt` through S3, judged by the policy evaluator. A verdict that depends
 * on what verify cannot know (an Allow or a Deny conditioned on an unknown key) is a warning naming
 * the statements and their conditions, never a pass nor a "no statement" failure.
 */
import { SEGMENTS_AWS_ACCOUNT_ID, SEGMENTS_AWS_PRINCIPAL_ARN, SEGMENTS_KMS_POLICY_SID } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass, warn } from '../report';
import { evaluateForSegments, unknownConditionsText } from './evaluator';
import { KmsKeyFacts, Read, notReadable, readFailureFix } from './facts';

/** Whether a configured key ID names the AWS managed key of S3 (`alias/aws/s3`, or its alias ARN). */
export function isAwsManagedS3Alias(keyId: string): boolean {
  return keyId === 'alias/aws/s3' || /^arn:[^:]+:kms:[^:]*:[^:]*:alias\/aws\/s3$/.test(keyId);
}

/** The key policy statement that lets Segments decrypt through S3 in `region`, as the constructs write it. */
export function segmentsKeyStatement(region: string): Record<string, unknown> {
  return {
    Sid: SEGMENTS_KMS_POLICY_SID,
    Effect: 'Allow',
    Principal: { AWS: SEGMENTS_AWS_PRINCIPAL_ARN },
    Action: 'kms:Decrypt',
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
  };
}

/** The fix for a key that does not let Segments decrypt: add the statement to its key policy. */
export function keyPolicyFix(keyArn: string, region: string): string {
  return [
    `aws kms get-key-policy --key-id ${keyArn} --policy-name default --query Policy --output text > key-policy.json`,
    `Add this statement to the Statement list of key-policy.json: ${JSON.stringify(segmentsKeyStatement(region))}`,
    `aws kms put-key-policy --key-id ${keyArn} --policy-name default --policy file://key-policy.json`,
    'Then tell Segments the key ARN: its own IAM policy must allow kms:Decrypt on it too.',
  ].join('\n');
}

/** The fix for the AWS managed key: a key Segments can be allowed to use, or SSE-S3. */
export function awsManagedKeyFix(bucket: string): string {
  return [
    `aws s3api put-bucket-encryption --bucket ${bucket} --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'`,
    '(or a customer managed key whose key policy allows Segments kms:Decrypt). Existing objects keep their key: copy them in place to re-encrypt them.',
  ].join('\n');
}

/**
 * What Segments' decrypt looks like to KMS: through S3 in the bucket's region, from Segments'
 * account, with the encryption context S3 sends on its behalf: `aws:s3:arn`, the object's ARN, or
 * the bucket's with S3 Bucket Keys on (AWS's "Encryption context" in the SSE-KMS guide; key
 * policies condition on it with `kms:EncryptionContext:aws:s3:arn`).
 */
export function decryptContext(region: string, s3Arn: string): Record<string, string> {
  return { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': SEGMENTS_AWS_ACCOUNT_ID, 'kms:EncryptionContext:aws:s3:arn': s3Arn };
}

/** Segments' decrypt of one object: the bucket's region (undefined: unknown) and the `aws:s3:arn` S3 sends. */
export interface DecryptRequest {
  readonly region?: string;
  readonly s3Arn: string;
}

/** The `aws:s3:arn` S3 sends KMS: the bucket's ARN with S3 Bucket Keys on, else the object's. */
export function encryptionContextArn(bucketArn: string, key: string, bucketKeyEnabled: boolean | undefined): string {
  return bucketKeyEnabled === true ? bucketArn : `${bucketArn}/${key}`;
}

/** KMS keys live in the region of the bucket they encrypt: the key ARN's region stands for an unknown bucket region. */
function regionOfKey(arn: string): string | undefined {
  return /^arn:[^:]+:kms:([^:]+):/.exec(arn)?.[1];
}

/**
 * The outcome for one key: `what` names whose key it is ("The bucket's default key", "The object's
 * key"), `bucket` and `region` shape the fixes.
 */
export async function judgeKey(
  id: string,
  what: string,
  key: Read<KmsKeyFacts> | undefined,
  bucket: string,
  request: DecryptRequest,
  target?: string,
  evaluate: typeof evaluateForSegments = evaluateForSegments,
): Promise<CheckOutcome> {
  if (key === undefined) {
    return couldNotRun(id, `${what} was not read.`, 'Run again.', target);
  }
  if (!key.ok) {
    return notReadable(id, key.failure, target);
  }
  const facts = key.value;
  if (facts.manager === 'AWS') {
    return fail(id, `${what} ${facts.arn} is an AWS managed key: its key policy cannot be changed and lets only its own account decrypt, so Segments cannot read the objects.`,
      awsManagedKeyFix(bucket), target);
  }
  if (facts.state !== undefined && facts.state !== 'Enabled') {
    const fix = facts.state === 'PendingDeletion'
      ? `aws kms cancel-key-deletion --key-id ${facts.arn}, then aws kms enable-key --key-id ${facts.arn} (before the deletion date: a deleted key's objects are lost)`
      : `aws kms enable-key --key-id ${facts.arn}`;
    return fail(id, `${what} ${facts.arn} is ${facts.state}: nobody can decrypt with it, Segments included.`, fix, target);
  }
  const region = request.region ?? regionOfKey(facts.arn);
  if (region === undefined) {
    return couldNotRun(id, `The bucket's region is unknown, so the key policy of ${facts.arn} cannot be judged for kms:ViaService s3.<region>.amazonaws.com.`,
      'Allow s3:GetBucketLocation on the bucket to the credentials this runs with.', target);
  }
  if (facts.policy === undefined) {
    return couldNotRun(id, `The key policy of ${facts.arn} was not read.`, 'Run again.', target);
  }
  if (!facts.policy.ok) {
    const failure = facts.policy.failure;
    return couldNotRun(id, `${what} ${facts.arn} is a customer managed key, and its key policy could not be read (${failure.message}), so whether Segments may decrypt is unknown.`,
      readFailureFix(failure), target);
  }
  let policy: unknown;
  try {
    policy = JSON.parse(facts.policy.value);
  } catch (error) {
    return fail(id, `The key policy of ${facts.arn} is not valid JSON (${(error as Error).message}).`, keyPolicyFix(facts.arn, region), target);
  }
  const account = /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(facts.arn)?.[1];
  let verdict;
  try {
    verdict = await evaluate(policy, 'kms:Decrypt', facts.arn, decryptContext(region, request.s3Arn), account);
  } catch (error) {
    return fail(id, `The policy evaluator cannot read the key policy of ${facts.arn} (${(error as Error).message}).`, keyPolicyFix(facts.arn, region), target);
  }
  if (verdict.deniedBy.length > 0) {
    return fail(id, `Statement ${verdict.deniedBy.map((s) => s.name).join(', ')} of the key policy of ${facts.arn} denies Segments kms:Decrypt, so Segments cannot read objects encrypted with it.`,
      `Exempt Segments from statement ${verdict.deniedBy.map((s) => s.name).join(', ')} ("ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS_AWS_PRINCIPAL_ARN}"}), then aws kms put-key-policy.`, target);
  }
  if (verdict.result === 'Undetermined') {
    const parts = verdict.undetermined.map((statement) => `statement ${statement.name} ${statement.effect === 'Deny' ? 'denies' : 'allows'} it only when ${unknownConditionsText(statement)} holds`);
    const denies = verdict.undetermined.filter((statement) => statement.effect === 'Deny').map((statement) => statement.name);
    const fixes = [
      ...(denies.length > 0 ? [`Exempt Segments from statement ${denies.join(', ')} ("ArnNotEquals": {"aws:PrincipalArn": "${SEGMENTS_AWS_PRINCIPAL_ARN}"}), then aws kms put-key-policy.`] : []),
      ...(verdict.undetermined.some((statement) => statement.effect !== 'Deny') ? [keyPolicyFix(facts.arn, region)] : []),
    ];
    return warn(id, `Whether the key policy of ${facts.arn} lets Segments kms:Decrypt through S3 depends on what verify cannot know of its real request: ${parts.join('; ')}.`,
      fixes.join('\n') || keyPolicyFix(facts.arn, region), target);
  }
  if (verdict.result !== 'Allowed') {
    return fail(id, `No statement of the key policy of ${facts.arn} lets Segments kms:Decrypt through S3, so Segments cannot read objects encrypted with it.`,
      keyPolicyFix(facts.arn, region), target);
  }
  return pass(id, `${what} ${facts.arn} is a customer managed key whose policy lets Segments kms:Decrypt through S3 (statement ${verdict.allowedBy.map((s) => s.name).join(', ')}). ` +
    'Segments\' own IAM policy must allow the key too: tell Segments its ARN.', target);
}
