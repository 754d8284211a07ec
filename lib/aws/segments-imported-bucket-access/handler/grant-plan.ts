/**
 * The handler's decisions as pure functions: what to write, what to refuse, what to report. The
 * merge itself is the root entry's (`s3-bucket-policy.ts`, `s3-cors-configuration.ts`), shared
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
} from '../../../s3-bucket-policy';
import {
  S3_CORS_MAX_RULES,
  type S3CorsRuleJson,
  findCorsRulesById,
  mergeCorsRuleById,
  sameCorsRuleJson,
  segmentsS3CorsRuleJson,
} from '../../../s3-cors-configuration';
import { SEGMENTS_AWS_PRINCIPAL_ARN, SEGMENTS_S3_CORS_RULE_ID, SEGMENTS_S3_POLICY_SID } from '../../../segments';
import { lockoutDenyStatements } from '../../private/policy-inspection';
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

/**
 * The writes that insert our statement and rule, or an Error, thrown before anything is written,
 * when the bucket already holds a different Segments entry we may not replace, or when the result
 * would exceed S3's limits.
 *
 * A Segments entry counts as ours, and is replaced without asking, when it equals what we write
 * now or what we wrote before (`previous`, on Update); an identical one someone added by hand is
 * adopted silently. Any other one is replaced only with `adoptExisting`.
 */
export function planGrant(state: BucketState, settings: GrantSettings, previous?: GrantSettings): GrantWrites {
  const statement = ourStatement(settings);
  const rule = ourCorsRule(settings);
  const problems: string[] = [];

  const knownStatements = [statement, ...(previous ? [ourStatement(previous)] : [])];
  const foreignStatements = findStatementsBySid(state.policy, SEGMENTS_S3_POLICY_SID)
    .filter((existing) => !knownStatements.some((known) => sameStatement(existing, known)));
  const knownRules = [rule, ...(previous ? [ourCorsRule(previous)] : [])];
  const foreignRules = findCorsRulesById(state.corsRules, SEGMENTS_S3_CORS_RULE_ID)
    .filter((existing) => !knownRules.some((known) => sameCorsRuleJson(existing, known)));
  if (!settings.adoptExisting) {
    for (const existing of foreignStatements) {
      problems.push(`The policy of bucket ${settings.bucketName} already has a statement with Sid ${SEGMENTS_S3_POLICY_SID} that differs from ours.\n` +
        `  existing: ${JSON.stringify(existing)}\n  ours:     ${JSON.stringify(statement)}`);
    }
    for (const existing of foreignRules) {
      problems.push(`The CORS configuration of bucket ${settings.bucketName} already has a rule with ID ${SEGMENTS_S3_CORS_RULE_ID} that differs from ours.\n` +
        `  existing: ${JSON.stringify(existing)}\n  ours:     ${JSON.stringify(rule)}`);
    }
    if (problems.length > 0) {
      problems.push('Set adoptExisting: true to replace the existing entry with ours, or remove it from the bucket first.');
    }
  }

  const policy = mergeStatementBySid(state.policy, statement);
  const tooBig = bucketPolicySizeProblem(policy, `With the Segments statement, the policy of bucket ${settings.bucketName}`);
  if (tooBig !== undefined) {
    problems.push(tooBig);
  }
  const corsRules = mergeCorsRuleById(state.corsRules, rule);
  if (corsRules.length > S3_CORS_MAX_RULES) {
    problems.push(`With the Segments rule, bucket ${settings.bucketName} would have ${corsRules.length} CORS rules, over S3's limit of ${S3_CORS_MAX_RULES}.`);
  }
  if (problems.length > 0) {
    throw new Error(`Nothing was written. ${problems.join('\n')}`);
  }
  return {
    policy: holdsOurs(state, settings).policy ? undefined : policy,
    corsRules: holdsOurs(state, settings).cors ? undefined : corsRules,
  };
}

/**
 * Whether the bucket holds exactly our statement and our rule, once each (after a write, what the
 * re-read must find; before one, what lets us skip writing).
 */
export function holdsOurs(state: BucketState, settings: GrantSettings): { policy: boolean; cors: boolean } {
  const statements = findStatementsBySid(state.policy, SEGMENTS_S3_POLICY_SID);
  const rules = findCorsRulesById(state.corsRules, SEGMENTS_S3_CORS_RULE_ID);
  return {
    policy: statements.length === 1 && sameStatement(statements[0], ourStatement(settings)),
    cors: rules.length === 1 && sameCorsRuleJson(rules[0], ourCorsRule(settings)),
  };
}

/** The response data: facts a reviewer must act on, as strings for the CloudFormation console. */
export function grantReport(
  policy: BucketPolicyDocument | undefined,
  encryption: DefaultEncryption | undefined,
  objectOwnership: string | undefined,
): Record<string, string> {
  const customerKey = encryption?.sseAlgorithm?.startsWith('aws:kms') && !usesAwsManagedKey(encryption);
  const aclsOn = objectOwnership !== 'BucketOwnerEnforced';
  const denies = lockoutDenyStatements(policy);
  return {
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
      : denies.map((deny) => `${deny.sid} (${deny.keys.join(', ')})`).join('; ') +
        `: these Deny statements may lock Segments out; exempt ${SEGMENTS_AWS_PRINCIPAL_ARN} (aws:PrincipalArn) from them.`,
  };
}
