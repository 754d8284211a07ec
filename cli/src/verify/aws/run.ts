/** Runs `verify aws`: reads the bucket (fetch.ts), then every check on what was read, in the order of ids.ts. */
import type { VerifyRuntime } from '../command';
import { VerifyReport, couldNotRun } from '../report';
import { checkBucket } from './bucket';
import { checkCors } from './cors';
import { checkEncryption } from './encryption';
import { AwsEdge, fetchAwsBucketFacts } from './fetch';
import type { AwsVerifyOptions } from './index';
import { checkObjects } from './object';
import { checkOrgPolicies } from './org-policies';
import { checkOwnership } from './ownership';
import { checkPolicy } from './policy';
import { checkPreflight } from './preflight';
import { AwsBucketFacts, readFailureFix } from './facts';
import { AWS_CHECK_IDS } from './ids';
import { checkRequesterPays } from './requester-pays';

export async function verifyAws(options: AwsVerifyOptions, runtime: VerifyRuntime, edge?: AwsEdge): Promise<VerifyReport> {
  return judgeAws(await fetchAwsBucketFacts(options, runtime.offline, edge), options, runtime.offline);
}

/** The report on what was read: every check, in the order of ids.ts. Pure apart from the policy evaluator. */
export async function judgeAws(facts: AwsBucketFacts, options: AwsVerifyOptions, offline: boolean): Promise<VerifyReport> {
  const subject = { bucket: options.bucket };
  // No credentials, or no network: every read fails the same way. Said once, by aws.bucket.
  if (!facts.location.ok && (facts.location.failure.cause === 'no-credentials' || facts.location.failure.cause === 'network')) {
    const failure = facts.location.failure;
    const others = AWS_CHECK_IDS.filter((id) => id !== 'aws.bucket' && id !== 'aws.org-policies').map((id) =>
      couldNotRun(id, `Not checked: ${failure.cause === 'network' ? 'the network is down or the endpoint unreachable' : 'no AWS credentials'} (see aws.bucket).`, readFailureFix(failure)));
    return { subject, checks: [...checkBucket(facts, options.keys), ...others, ...checkOrgPolicies()] };
  }
  const checks = [
    ...checkBucket(facts, options.keys),
    ...await checkPolicy(facts, options),
    ...checkCors(facts, options.origins),
    ...await checkEncryption(facts),
    ...checkOwnership(facts),
    ...checkRequesterPays(facts),
    ...await checkObjects(facts),
    ...checkPreflight(facts, options.origins, offline),
    ...checkOrgPolicies(facts, options),
  ];
  return { subject, checks };
}
