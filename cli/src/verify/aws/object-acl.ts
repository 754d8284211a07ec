/**
 * Whether an object's ACL lets Segments read it, for aws.policy's `--key` rows. With ACLs on
 * (Object Ownership not `BucketOwnerEnforced`), S3 lets a cross-account request through on the
 * resource side when the bucket policy OR the object ACL allows it, and an explicit Deny of the
 * bucket policy still wins (AWS's "How Amazon S3 authorizes a request for an object operation":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html).
 * A grant of `READ` or `FULL_CONTROL` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions)
 * lets Segments `s3:GetObject` when it names
 * - Segments' account by its canonical user ID (the vendor's, lib/segments.ts);
 * - the AllUsers or the AuthenticatedUsers group, unless Block Public Access `IgnorePublicAcls` is on
 *   for the bucket or its account: S3 calls an ACL public when it grants either group anything, and
 *   ignores such grants then (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-options).
 * A grant to another canonical user is not Segments' account at AWS (an account has one canonical
 * ID); at another server (AWS_ENDPOINT_URL_S3), which names its users its own way, and for an email
 * grantee, whether it is Segments is unknown. ACLs are per object: they never cover a prefix.
 */
import { SEGMENTS_AWS_ACCOUNT_ID, SEGMENTS_AWS_CANONICAL_USER_ID } from 'segments-cloud-constructs';
import { AclGrant, AwsBucketFacts, PublicAccessBlock, Read } from './facts';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** What an object's ACL says about Segments' GET. */
export type ObjectAclJudgment =
  /** A grant lets Segments read: `grant` says which. */
  | { readonly kind: 'allows'; readonly grant: string }
  /** A grant may let Segments read: `grant` and `why` say which and what is unknown. */
  | { readonly kind: 'maybe'; readonly grant: string; readonly why: string }
  /** No grant lets Segments read; `note` names grants that look like one but do not count. */
  | { readonly kind: 'none'; readonly note?: string };

/** Whether a Block Public Access read has IgnorePublicAcls on: undefined when not read or unreadable. */
function ignores(block: Read<PublicAccessBlock | undefined> | undefined): boolean | undefined {
  return block === undefined || !block.ok ? undefined : block.value?.IgnorePublicAcls === true;
}

/**
 * Block Public Access `IgnorePublicAcls` in effect (the bucket's OR the account's): true when either
 * is on, false when both were read and neither is, undefined when it is unknown.
 */
export function ignorePublicAcls(facts: Pick<AwsBucketFacts, 'publicAccessBlock' | 'accountPublicAccessBlock'>): boolean | undefined {
  const bucket = ignores(facts.publicAccessBlock);
  const account = ignores(facts.accountPublicAccessBlock);
  if (bucket === true || account === true) {
    return true;
  }
  return bucket === false && account === false ? false : undefined;
}

/** Which Block Public Access read is missing, for the `why` of a public grant. */
function unknownIgnoreWhy(facts: Pick<AwsBucketFacts, 'publicAccessBlock' | 'accountPublicAccessBlock'>): string {
  const missing = [
    ...(ignores(facts.publicAccessBlock) === undefined ? ['the bucket\'s (s3:GetBucketPublicAccessBlock)'] : []),
    ...(ignores(facts.accountPublicAccessBlock) === undefined ? ['the account\'s (s3:GetAccountPublicAccessBlock)'] : []),
  ];
  return `whether Block Public Access IgnorePublicAcls is on is unknown (${missing.join(' and ')} could not be read); if it is, S3 ignores this grant`;
}

/**
 * Judges one object's ACL grants for Segments' GET. `customEndpoint`: the bucket is served by
 * another server than AWS's, whose canonical IDs are its own. `owners`: the canonical IDs of the
 * object's and the bucket's owners, whose own grants (every ACL has the owner's FULL_CONTROL) are
 * the customer's, never Segments'.
 */
export function judgeObjectAcl(
  grants: readonly AclGrant[],
  facts: Pick<AwsBucketFacts, 'publicAccessBlock' | 'accountPublicAccessBlock'>,
  customEndpoint: boolean,
  owners: readonly string[] = [],
): ObjectAclJudgment {
  const reads = grants.filter((grant) => (grant.permission === 'READ' || grant.permission === 'FULL_CONTROL') &&
    !(grant.type === 'CanonicalUser' && grant.id !== undefined && owners.includes(grant.id)));
  const ignore = ignorePublicAcls(facts);
  const maybe: ObjectAclJudgment[] = [];
  const notes: string[] = [];
  for (const grant of reads) {
    if (grant.type === 'CanonicalUser' && grant.id === SEGMENTS_AWS_CANONICAL_USER_ID) {
      return { kind: 'allows', grant: `${grant.permission} to Segments' canonical user ID ${grant.id}` };
    }
    if (grant.type === 'Group' && (grant.uri === ALL_USERS || grant.uri === AUTHENTICATED_USERS)) {
      const group = grant.uri === ALL_USERS ? 'AllUsers' : 'AuthenticatedUsers';
      const what = `${grant.permission} to the ${group} group`;
      if (ignore === false) {
        return { kind: 'allows', grant: what };
      }
      if (ignore === true) {
        notes.push(`it grants ${what}, which S3 ignores: Block Public Access IgnorePublicAcls is on`);
      } else {
        maybe.push({ kind: 'maybe', grant: what, why: unknownIgnoreWhy(facts) });
      }
      continue;
    }
    if (grant.type === 'CanonicalUser' && grant.id !== undefined) {
      if (customEndpoint) {
        maybe.push({ kind: 'maybe', grant: `${grant.permission} to canonical user ID ${grant.id}`,
          why: `if this is Segments' account (${SEGMENTS_AWS_ACCOUNT_ID}) on this server, Segments reads it` });
      } else {
        notes.push(`it grants ${grant.permission} to canonical user ID ${grant.id}, which is not Segments' (${SEGMENTS_AWS_CANONICAL_USER_ID})`);
      }
      continue;
    }
    if (grant.type === 'AmazonCustomerByEmail') {
      maybe.push({ kind: 'maybe', grant: `${grant.permission} to the account of ${grant.email ?? 'an email address'}`,
        why: `if this is Segments' account (${SEGMENTS_AWS_ACCOUNT_ID}), Segments reads it` });
    }
  }
  if (maybe.length > 0) {
    return maybe[0];
  }
  return notes.length > 0 ? { kind: 'none', note: notes.join('; ') } : { kind: 'none' };
}
