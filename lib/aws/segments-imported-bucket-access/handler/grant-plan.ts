/**
 * The handler's decisions as pure functions: what to write, what to refuse, what to report. The
 * merge itself is the root entry's (`lib/s3/bucket-policy.ts`, `lib/s3/cors-configuration.ts`), shared
 * with the CLI; nothing here calls AWS.
 */
import {
  type BucketPolicyDocument,
  type BucketPolicyStatement,
  bucketPolicySizeProblem,
  findStatementsBySid,
  mergeStatementBySid,
  sameStatement,
  segmentsBucketPolicyStatement,
} from '../../../s3/bucket-policy';
import {
  S3_CORS_CONFIGURATION_MAX_BYTES,
  S3_CORS_MAX_RULES,
  type S3CorsRuleJson,
  corsConfigurationBytes,
  browserOriginsOf,
  findCorsRulesById,
  mergeCorsRuleById,
  sameCorsRuleJson,
  segmentsS3CorsRuleJson,
} from '../../../s3/cors-configuration';
import { SEGMENTS_AWS_PRINCIPAL_ARN, SEGMENTS_S3_CORS_RULE_ID, SEGMENTS_S3_POLICY_SID } from '../../../segments';
import { BucketLimitError, capText, MAX_DATA_VALUE_BYTES, MAX_SHOWN_JSON_BYTES, SegmentsEntryConflictError } from './errors';
import { claimsOf, withClaims, withoutClaims } from './grant-claims';
import {
  earlierMatchingCorsRule,
  lockoutDenyDescription,
  lockoutDenyStatements,
  widerSegmentsAllows,
} from '../../private/policy-inspection';
import type { GrantRemovalPolicy, ImportedBucketAccessProperties } from '../resource-properties';

/** The resource's properties, parsed. */
export interface GrantSettings {
  readonly bucketName: string;
  readonly expectedBucketOwner: string;
  readonly keyPrefixes?: string[];
  readonly allowedOrigins: string[];
  readonly adoptExisting: boolean;
  readonly removalPolicy: GrantRemovalPolicy;
}

/** Parses the properties CloudFormation sends, refusing what the construct would never write. */
export function grantSettings(properties: ImportedBucketAccessProperties): GrantSettings {
  if (typeof properties.BucketName !== 'string' || properties.BucketName === '') {
    throw new Error('The resource has no BucketName.');
  }
  if (typeof properties.ExpectedBucketOwner !== 'string' || !/^\d{12}$/.test(properties.ExpectedBucketOwner)) {
    // Without it, S3 would act on a bucket of any account that has this name.
    throw new Error('The resource has no ExpectedBucketOwner (a 12-digit account ID).');
  }
  if (!Array.isArray(properties.AllowedOrigins) || properties.AllowedOrigins.length === 0) {
    throw new Error('The resource has no AllowedOrigins.');
  }
  return {
    bucketName: properties.BucketName,
    expectedBucketOwner: properties.ExpectedBucketOwner,
    keyPrefixes: properties.KeyPrefixes,
    allowedOrigins: properties.AllowedOrigins,
    adoptExisting: String(properties.AdoptExisting) === 'true',
    removalPolicy: properties.RemovalPolicy === 'retain' ? 'retain' : 'destroy',
  };
}

/** Our bucket policy statement for these settings. */
export function ourStatement(settings: GrantSettings): BucketPolicyStatement {
  return segmentsBucketPolicyStatement(settings.bucketName, settings.keyPrefixes);
}

/** Our CORS rule for these settings. */
export function ourCorsRule(settings: GrantSettings): S3CorsRuleJson {
  return segmentsS3CorsRuleJson(settings.allowedOrigins);
}

/** The bucket's default encryption, as GetBucketEncryption describes it (undefined: none configured). */
export interface DefaultEncryption {
  readonly sseAlgorithm?: string;
  readonly kmsMasterKeyId?: string;
}

/** Whether the default encryption uses the AWS managed key aws/s3, whose policy cannot grant another account. */
export function usesAwsManagedKey(encryption: DefaultEncryption | undefined): boolean {
  if (!encryption?.sseAlgorithm?.startsWith('aws:kms')) {
    return false;
  }
  const key = encryption.kmsMasterKeyId;
  return key === undefined || key === '' || key === 'alias/aws/s3' || key.endsWith(':alias/aws/s3');
}

/** What the bucket holds and what we want it to hold, read in one pass. */
export interface BucketState {
  readonly policy?: BucketPolicyDocument;
  readonly corsRules: S3CorsRuleJson[];
}

/** The writes one attempt makes, decided before any of them. */
export interface GrantWrites {
  /** The policy to put, or undefined when the bucket already holds ours. */
  readonly policy?: BucketPolicyDocument;
  /** The CORS rules to put, or undefined when the bucket already holds ours. */
  readonly corsRules?: S3CorsRuleJson[];
}

/** Our rule, as it stands in the bucket: carrying the claims already there and `claim`. */
export function ourClaimedCorsRule(state: BucketState, settings: GrantSettings, claim: string): S3CorsRuleJson {
  const existing = findCorsRulesById(state.corsRules, SEGMENTS_S3_CORS_RULE_ID);
  return withClaims(ourCorsRule(settings), [...existing.flatMap(claimsOf), claim]);
}

/** JSON of an entry for a message, cut to MAX_SHOWN_JSON_BYTES (the handler logs the whole message first). */
function shown(entry: unknown): string {
  return capText(JSON.stringify(entry), MAX_SHOWN_JSON_BYTES, ' …');
}

/**
 * The writes that insert our statement and rule, or an Error, thrown before anything is written,
 * when the bucket already holds a different Segments entry we may not replace, or when the result
 * would exceed S3's limits.
 *
 * A Segments entry counts as ours, and is replaced without asking, when it equals what we write
 * now or what we wrote before (`previous`, on Update); an identical one someone added by hand is
 * adopted silently (deep-equal; claims in a CORS rule do not count). Any other one is replaced only
 * with `adoptExisting`. Our rule carries `claim` and keeps every claim already on the bucket's rule.
 */
export function planGrant(state: BucketState, settings: GrantSettings, previous: GrantSettings | undefined, claim: string): GrantWrites {
  const statement = ourStatement(settings);
  const rule = ourClaimedCorsRule(state, settings, claim);
  const conflicts: string[] = [];
  const limits: string[] = [];
  const inFull: string[] = [];

  const knownStatements = [statement, ...(previous ? [ourStatement(previous)] : [])];
  const foreignStatements = findStatementsBySid(state.policy, SEGMENTS_S3_POLICY_SID)
    .filter((existing) => !knownStatements.some((known) => sameStatement(existing, known)));
  const knownRules = [ourCorsRule(settings), ...(previous ? [ourCorsRule(previous)] : [])];
  const foreignRules = findCorsRulesById(state.corsRules, SEGMENTS_S3_CORS_RULE_ID)
    .filter((existing) => !knownRules.some((known) => sameCorsRuleJson(withoutClaims(existing), known)));
  if (!settings.adoptExisting) {
    for (const existing of foreignStatements) {
      conflicts.push(`The policy of bucket ${settings.bucketName} already has a statement with Sid ${SEGMENTS_S3_POLICY_SID} that differs from ours.\n` +
        `  existing: ${shown(existing)}\n  ours:     ${shown(statement)}`);
      inFull.push(`existing statement: ${JSON.stringify(existing)}`, `our statement: ${JSON.stringify(statement)}`);
    }
    for (const existing of foreignRules) {
      conflicts.push(`The CORS configuration of bucket ${settings.bucketName} already has a rule with ID ${SEGMENTS_S3_CORS_RULE_ID} that differs from ours.\n` +
        `  existing: ${shown(withoutClaims(existing))}\n  ours:     ${shown(ourCorsRule(settings))}`);
      inFull.push(`existing rule: ${JSON.stringify(existing)}`, `our rule: ${JSON.stringify(ourCorsRule(settings))}`);
    }
    if (conflicts.length > 0) {
      conflicts.push('Set adoptExisting: true to replace the existing entry with ours, or remove it from the bucket first.');
    }
  }

  const policy = mergeStatementBySid(state.policy, statement);
  const tooBig = bucketPolicySizeProblem(policy, `With the Segments statement, the policy of bucket ${settings.bucketName}`);
  if (tooBig !== undefined) {
    limits.push(tooBig);
  }
  const corsRules = mergeCorsRuleById(state.corsRules, rule);
  if (corsRules.length > S3_CORS_MAX_RULES) {
    limits.push(`With the Segments rule, bucket ${settings.bucketName} would have ${corsRules.length} CORS rules, over S3's limit of ${S3_CORS_MAX_RULES}.`);
  }
  const corsBytes = corsConfigurationBytes({ CORSRules: corsRules });
  if (corsBytes > S3_CORS_CONFIGURATION_MAX_BYTES) {
    limits.push(`With the Segments rule, the CORS configuration of bucket ${settings.bucketName} would be ${corsBytes} bytes, ` +
      `over S3's limit of ${S3_CORS_CONFIGURATION_MAX_BYTES}: remove or shorten a rule first.`);
  }
  if (conflicts.length > 0) {
    throw new SegmentsEntryConflictError(`Nothing was written. ${[...conflicts, ...limits].join('\n')}`, inFull.join('\n'));
  }
  if (limits.length > 0) {
    throw new BucketLimitError(`Nothing was written. ${limits.join('\n')}`);
  }
  const holds = holdsOurs(state, settings, claim);
  return {
    policy: holds.policy ? undefined : policy,
    corsRules: holds.cors ? undefined : corsRules,
  };
}

/**
 * Whether the bucket holds exactly our statement and our rule, once each, the rule carrying
 * `claim` (after a write, what the re-read must find; before one, what lets us skip writing).
 */
export function holdsOurs(state: BucketState, settings: GrantSettings, claim: string): { policy: boolean; cors: boolean } {
  const statements = findStatementsBySid(state.policy, SEGMENTS_S3_POLICY_SID);
  const rules = findCorsRulesById(state.corsRules, SEGMENTS_S3_CORS_RULE_ID);
  return {
    policy: statements.length === 1 && sameStatement(statements[0], ourStatement(settings)),
    cors: rules.length === 1 && sameCorsRuleJson(withoutClaims(rules[0]), ourCorsRule(settings)) && claimsOf(rules[0]).includes(claim),
  };
}

/** The response data: facts a reviewer must act on, as strings for the CloudFormation console. */
export function grantReport(
  state: BucketState,
  settings: GrantSettings,
  encryption: DefaultEncryption | undefined,
  objectOwnership: string | undefined,
): Record<string, string> {
  const policy = state.policy;
  const ownIndex = state.corsRules.findIndex((rule) => rule.ID === SEGMENTS_S3_CORS_RULE_ID);
  const shadowing = ownIndex < 0 ? -1 : earlierMatchingCorsRule(state.corsRules, ownIndex, browserOriginsOf(settings.allowedOrigins));
  const customerKey = encryption?.sseAlgorithm?.startsWith('aws:kms') && !usesAwsManagedKey(encryption);
  const aclsOn = objectOwnership !== 'BucketOwnerEnforced';
  // The objects our statement grants: a Deny on other keys (acme/private/* for a grant on images/) cannot lock Segments out.
  const denies = lockoutDenyStatements(policy, [ourStatement(settings).Resource].flat());
  const allows = widerSegmentsAllows(policy);
  const report: Record<string, string> = {
    DefaultEncryption: customerKey
      ? `${encryption!.sseAlgorithm} with customer managed key ${encryption!.kmsMasterKeyId}: its key policy must allow ` +
        `${SEGMENTS_AWS_PRINCIPAL_ARN} kms:Decrypt (pass the key as encryptionKey, or add the statement by hand), and tell Segments which key you use.`
      : `${encryption?.sseAlgorithm ?? 'none'}: no key policy to change.`,
    ObjectOwnership: aclsOn
      ? `${objectOwnership ?? 'ObjectWriter (no ownership controls)'}: ACLs are on, so objects other accounts upload stay theirs ` +
        'and the bucket policy does not let Segments read them. Set Object Ownership to BucketOwnerEnforced.'
      : 'BucketOwnerEnforced: ACLs are off.',
    LockoutDenies: denies.length === 0
      ? 'none'
      : listed(denies.map((deny) => `${deny.sid} (${lockoutDenyDescription(deny)})`)) +
        `: these Deny statements may lock Segments out; exempt ${SEGMENTS_AWS_PRINCIPAL_ARN} (aws:PrincipalArn) from them.`,
    WiderSegmentsAllows: allows.length === 0
      ? 'none'
      : listed(allows.map((allow) => `${allow.sid} (allows ${allow.principals.join(', ')} ${allow.grants.join(', ')})`)) +
        `: these Allow statements can apply to ${SEGMENTS_AWS_PRINCIPAL_ARN} and grant it more than s3:GetObject; name another principal or exclude Segments.`,
    ShadowingCorsRule: shadowing < 0
      ? 'none'
      : `rule #${shadowing + 1}${state.corsRules[shadowing].ID ? ` (ID ${state.corsRules[shadowing].ID})` : ''} comes before ` +
        `${SEGMENTS_S3_CORS_RULE_ID} and matches a GET from Segments' origins, so S3 answers with it (S3 applies the first ` +
        `matching rule): if it lacks what Segments needs, move ${SEGMENTS_S3_CORS_RULE_ID} before it or widen it.`,
  };
  return Object.fromEntries(Object.entries(report).map(([key, value]) => [key, capText(value, MAX_DATA_VALUE_BYTES, ' …')]));
}

/** How many items a report lists before "and N more". */
export const REPORT_MAX_LISTED = 5;

/** The first REPORT_MAX_LISTED items joined, then "and N more" (a response must stay under 4 KB). */
function listed(items: string[]): string {
  const shownItems = items.slice(0, REPORT_MAX_LISTED).join('; ');
  return items.length > REPORT_MAX_LISTED ? `${shownItems}; and ${items.length - REPORT_MAX_LISTED} more` : shownItems;
}
