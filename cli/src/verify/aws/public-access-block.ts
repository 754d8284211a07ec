/**
 * aws.public-access-block: S3 Block Public Access, judged for Segments' request. Of its four
 * settings only `RestrictPublicBuckets` can refuse a read: on the bucket or on its account, with a
 * bucket policy that is public, S3 lets in only AWS service principals and principals of the
 * bucket owner's account. Everything cross-account is blocked then, Segments' own non-public
 * statement included ("The meaning of public" in AWS's Block Public Access doc:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
 * `BlockPublicPolicy` and `BlockPublicAcls` only refuse writes; `IgnorePublicAcls` only ACLs that
 * grant everyone, never Segments' policy grant.
 */
import { CheckOutcome, couldNotRun, fail, pass, warn } from '../report';
import { AwsBucketFacts, PublicAccessBlock, Read, noBucket, readFailureFix } from './facts';

const ID = 'aws.public-access-block';

/**
 * The condition keys whose fixed value makes a statement non-public (the doc's list): a statement
 * for `"*"` restricted by one of them with a fixed value is not public.
 */
const FIXED_VALUE_KEYS = new Set([
  'aws:sourcearn', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceowner', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths',
  'aws:userid', 'aws:principalarn', 'aws:principalaccount', 'aws:principalorgid', 'aws:principalorgpaths',
  's3:x-amz-server-side-encryption-aws-kms-key-id', 's3:dataaccesspointarn', 's3:dataaccesspointaccount',
]);

type Json = Record<string, unknown>;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Whether a statement's principal is everyone: `"*"`, `{"AWS": "*"}` (alone or in a list), or any `NotPrincipal`. */
function grantsEveryone(statement: Json): boolean {
  if (statement.NotPrincipal !== undefined) {
    return true;
  }
  const principal = statement.Principal;
  if (principal === '*') {
    return true;
  }
  return typeof principal === 'object' && principal !== null && list((principal as Json).AWS).includes('*');
}

/** Whether one value is fixed: no wildcard (`*`, `?`) and no policy variable. */
function fixed(value: unknown): boolean {
  return typeof value === 'string' && !/[*?]|\$\{/.test(value);
}

/** Whether an `aws:SourceIp` CIDR is narrower than the whole internet. */
function narrowCidr(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false;
  }
  const [address, bits] = value.split('/');
  const prefix = bits === undefined ? (address.includes(':') ? 128 : 32) : Number(bits);
  return Number.isInteger(prefix) && prefix > 0;
}

/** Whether a condition block restricts the statement to fixed values of a key on the doc's list. */
function restrictedByFixedValue(condition: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) {
    return false;
  }
  return Object.entries(condition as Json).some(([operator, byKey]) => {
    // Only a positive match restricts: a negated operator, ...IfExists or ForAllValues: lets a request
    // without the key through, so none of them is on the lists below.
    if (typeof byKey !== 'object' || byKey === null) {
      return false;
    }
    return Object.entries(byKey as Json).some(([key, values]) => {
      const name = key.toLowerCase();
      if (name === 'aws:sourceip') {
        return /^IpAddress$/i.test(operator) && list(values).length > 0 && list(values).every(narrowCidr);
      }
      return FIXED_VALUE_KEYS.has(name) && /^(StringEquals|StringEqualsIgnoreCase|ArnEquals|StringLike|ArnLike)$/i.test(operator) &&
        list(values).length > 0 && list(values).every(fixed);
    });
  });
}

/** The statements that make a bucket policy public: Allows for everyone not restricted by a fixed value. Names as the report names them (Sid or #n). */
export function publicStatements(policy: unknown): string[] {
  const statements = list((policy as Json | undefined)?.Statement);
  return statements.flatMap((raw, i) => {
    const statement = (raw ?? {}) as Json;
    const name = typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : `#${i + 1}`;
    return statement.Effect === 'Allow' && grantsEveryone(statement) && !restrictedByFixedValue(statement.Condition) ? [name] : [];
  });
}

function restricts(block: Read<PublicAccessBlock | undefined> | undefined): boolean | undefined {
  if (block === undefined || !block.ok) {
    return undefined;
  }
  return block.value?.RestrictPublicBuckets === true;
}

function shown(block: PublicAccessBlock | undefined): string {
  if (block === undefined) {
    return 'none set';
  }
  const on = (['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const).filter((name) => block[name] === true);
  return on.length === 0 ? 'all four settings off' : on.length === 4 ? 'all four settings on' : `${on.join(', ')} on`;
}

export function checkPublicAccessBlock(facts: AwsBucketFacts): CheckOutcome[] {
  if (facts.location.ok && !facts.location.value.exists) {
    return [noBucket(ID, facts.bucket)];
  }
  const bucketBlock = facts.publicAccessBlock;
  if (bucketBlock === undefined || facts.policy === undefined) {
    return [];
  }
  const onBucket = restricts(bucketBlock);
  const onAccount = restricts(facts.accountPublicAccessBlock);
  const bucketShown = bucketBlock.ok ? `the bucket's Block Public Access: ${shown(bucketBlock.value)}` : undefined;
  // Which statements are public decides whether the setting matters at all.
  let publicOnes: string[] | undefined;
  if (facts.policy.ok) {
    try {
      publicOnes = facts.policy.value === undefined ? [] : publicStatements(JSON.parse(facts.policy.value));
    } catch {
      publicOnes = undefined;
    }
  }
  if (publicOnes !== undefined && publicOnes.length === 0) {
    return [pass(ID, `The bucket policy is not public, so RestrictPublicBuckets cannot refuse Segments${bucketShown ? ` (${bucketShown})` : ''}.`)];
  }
  const fix = publicOnes !== undefined
    ? `Make statement ${publicOnes.join(', ')} non-public: name its principals instead of "*", or restrict it with a fixed aws:PrincipalAccount, aws:SourceVpce or aws:SourceIp range; S3 then lets Segments' own statement through. ` +
      'Turning RestrictPublicBuckets off instead would open the bucket to everyone the public statement names.'
    : 'Make the bucket policy non-public (no Allow for "*" without a fixed principal, account, VPC or narrow IP range).';
  if (onBucket === true || onAccount === true) {
    const where = onBucket === true && onAccount === true ? 'the bucket and its account' : onBucket === true ? 'the bucket' : 'the bucket\'s account';
    if (publicOnes === undefined) {
      return [couldNotRun(ID, `RestrictPublicBuckets is on for ${where}, and whether the bucket policy is public is unknown (it could not be read), so whether S3 lets Segments in is unknown.`,
        facts.policy.ok ? 'Fix the bucket policy (see aws.policy).' : readFailureFix(facts.policy.failure))];
    }
    return [fail(ID, `RestrictPublicBuckets is on for ${where} and the bucket policy is public (statement ${publicOnes.join(', ')} allows "*"): S3 then lets in only AWS services and principals of the bucket owner's account, so Segments' cross-account GETs are refused, its own statement included.`,
      fix)];
  }
  // No setting known to be on: each unread one could still be.
  if (!bucketBlock.ok) {
    return [couldNotRun(ID, `GetPublicAccessBlock failed (${bucketBlock.failure.message}), and the bucket policy ${publicOnes === undefined ? 'may be' : `is`} public${publicOnes?.length ? ` (statement ${publicOnes.join(', ')})` : ''}: if RestrictPublicBuckets is on, S3 refuses Segments.`,
      readFailureFix(bucketBlock.failure))];
  }
  const policyWords = publicOnes === undefined ? 'The bucket policy could not be read' : `The bucket policy is public (statement ${publicOnes.join(', ')})`;
  if (onAccount === false) {
    return [pass(ID, `${policyWords}, but RestrictPublicBuckets is off on the bucket (${bucketShown}) and on its account, so S3 does not restrict Segments.`)];
  }
  const accountRead = facts.accountPublicAccessBlock;
  return [warn(ID, `${policyWords} and RestrictPublicBuckets is off on the bucket (${bucketShown}); the account's setting ` +
    `${accountRead !== undefined && !accountRead.ok ? `could not be read (${accountRead.failure.message})` : 'was not read'}: if it is on, S3 refuses Segments' cross-account GETs.`,
  `Check the account's setting: aws s3control get-public-access-block --account-id <the bucket owner's account ID> (needs s3:GetAccountPublicAccessBlock), or make the policy non-public: ${fix}`)];
}
