/** Runs `verify aws`: reads the bucket (fetch.ts), then every check on what was read, in the order of ids.ts. */
import type { VerifyRuntime } from '../target';
import { CheckOutcome, VerifyReport, couldNotRun } from '../report';
import { checkBucket } from './bucket';
import { checkCors } from './cors';
import { checkEncryption } from './encryption';
import { AwsEdge, WHOLE_RUN_CAUSES, fetchAwsBucketFacts } from './fetch';
import type { AwsVerifyOptions } from './options';
import { checkObjects } from './object';
import { checkOrgPolicies } from './org-policies';
import { checkOwnership } from './ownership';
import { checkPolicy } from './policy';
import { checkPreflight } from './preflight';
import { checkPublicAccessBlock } from './public-access-block';
import { AwsBucketFacts, ReadFailureCause, readFailureFix } from './facts';
import { AWS_CHECK_IDS } from './ids';
import { checkRequesterPays } from './requester-pays';

export async function verifyAws(options: AwsVerifyOptions, runtime: VerifyRuntime, edge?: AwsEdge): Promise<VerifyReport> {
  return judgeAws(await fetchAwsBucketFacts(options, runtime.offline, edge), options, runtime.offline);
}

/** What a cause of the whole run is, in the few words the other checks point with. */
const WHOLE_RUN_WORDS: Partial<Record<ReadFailureCause, string>> = {
  'no-credentials': 'no AWS credentials',
  'rejected-credentials': 'the credentials were refused',
  'network': 'the network is down or the endpoint unreachable',
  'invalid-endpoint': 'the endpoint gives no usable URL',
};

/** The report on what was read: every check, in the order of ids.ts. Pure apart from the policy evaluator. */
export async function judgeAws(facts: AwsBucketFacts, options: AwsVerifyOptions, offline: boolean): Promise<VerifyReport> {
  const subject = { bucket: options.bucket };
  // No credentials, refused credentials, no network: every read fails the same way. Said once, by
  // aws.bucket; the others point to it.
  if (!facts.location.ok && WHOLE_RUN_CAUSES.includes(facts.location.failure.cause)) {
    const words = WHOLE_RUN_WORDS[facts.location.failure.cause];
    const others = AWS_CHECK_IDS.filter((id) => id !== 'aws.bucket' && id !== 'aws.org-policies').map((id) =>
      couldNotRun(id, `Not checked: ${words} (see aws.bucket).`));
    return { subject, checks: [...checkBucket(facts, options.keys), ...others, ...checkOrgPolicies()] };
  }
  const checks = [
    ...checkBucket(facts, options.keys),
    ...await checkPolicy(facts, options),
    ...checkPublicAccessBlock(facts),
    ...checkCors(facts, options.origins),
    ...await checkEncryption(facts, undefined, options.keys[0]),
    ...checkOwnership(facts),
    ...checkRequesterPays(facts),
    ...await checkObjects(facts),
    ...checkPreflight(facts, options.origins, offline),
    ...checkOrgPolicies(facts, options),
  ];
  return { subject, checks: sayCredentialsOnce(checks) };
}

/**
 * Refused credentials found by a later read (a KMS key, a session that expired mid-run): the fix
 * stays under the first check that met it; the others point to that check.
 */
export function sayCredentialsOnce(checks: readonly CheckOutcome[]): CheckOutcome[] {
  const fixes = new Set((['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken'] as const)
    .map((code) => readFailureFix({ operation: '', permission: '', resource: '', cause: 'rejected-credentials', message: code })));
  const first = checks.find((check) => check.couldNotRun && check.fix !== undefined && fixes.has(check.fix));
  return checks.map((check) => check !== first && first !== undefined && check.couldNotRun && check.fix !== undefined && fixes.has(check.fix)
    ? couldNotRun(check.id, `Not checked: the credentials were refused (see ${first.id}${first.target !== undefined ? ` ${first.target}` : ''}).`, undefined, check.target)
    : check);
}
