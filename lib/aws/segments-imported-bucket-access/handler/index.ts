/**
 * The Lambda handler of `Custom::SegmentsImportedBucketAccess`: inserts Segments' bucket policy
 * statement (Sid `segments-s3-access`) and CORS rule (ID `segments-cors`) into a bucket that no
 * stack manages, leaving every other statement and rule as it was, and removes only those on delete.
 *
 * Built with esbuild into one file (scripts/build-handler.mjs); it uses the AWS SDK v3 that the
 * Lambda Node.js runtime provides. aws-cdk-lib's response wrapper calls `handler` and reports to
 * CloudFormation: a thrown Error's message becomes the reason shown in the console.
 */
import {
  DeleteBucketCorsCommand,
  DeleteBucketPolicyCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { AwsManagedKeyError, ConcurrentWriterError, GrantRefusedError, MAX_DATA_VALUE_BYTES, capText, responseSafe } from './errors';
import { claimsOf, grantClaim, withClaims } from './grant-claims';
import { assertGrantInput } from './grant-input';
import {
  type BucketState,
  type DefaultEncryption,
  type GrantSettings,
  type GrantWrites,
  grantReport,
  grantSettings,
  holdsOurs,
  planGrant,
  usesAwsManagedKey,
} from './grant-plan';
import { type BucketPolicyDocument, type BucketPolicyStatement, findStatementsBySid, mergeStatementBySid, parseBucketPolicy, removeStatementBySid } from '../../../s3/bucket-policy';
import { type S3CorsRuleJson, findCorsRulesById, mergeCorsRuleById, removeCorsRuleById } from '../../../s3/cors-configuration';
import { SEGMENTS_S3_CORS_RULE_ID, SEGMENTS_S3_POLICY_SID } from '../../../segments';
import { type ImportedBucketAccessProperties, ImportedBucketAccessAttributes } from '../resource-properties';

export * from './errors';
export { GrantInputError } from './grant-input';

/** The response data key saying what became of the old bucket's entries on an Update that moved the grant. */
const PREVIOUS_BUCKET = ImportedBucketAccessAttributes.PREVIOUS_BUCKET;

/** PreviousBucket when the grant did not move. */
export const NO_PREVIOUS_BUCKET = 'none';

/** The response data key (Delete) saying what the handler did on the bucket; also logged. */
const RELEASED = 'Released';

/** How many times the handler writes and re-reads before giving up on a concurrent writer. */
export const GRANT_ATTEMPTS = 4;

/** What the handler needs from outside, replaceable in tests. */
export interface HandlerDependencies {
  readonly s3: S3Client;
  /** Waits before a retry; the delay grows with the attempt and is jittered. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Writes to the handler's log (CloudWatch); the default is console.log. */
  readonly log?: (...args: unknown[]) => void;
}

/** What the response wrapper sends back to CloudFormation. */
export interface HandlerResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

let defaults: HandlerDependencies | undefined;

/**
 * The S3 client: a region redirect is followed (a bucket in another region than the stack answers
 * PermanentRedirect otherwise), and a call that hangs fails after 30 s instead of holding the
 * deploy until the Lambda timeout.
 */
export function newS3Client(): S3Client {
  return new S3Client({ followRegionRedirects: true, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } });
}

/** The Lambda entry point. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<HandlerResponse> {
  defaults ??= { s3: newS3Client(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), log: console.log };
  return handleEvent(event, defaults);
}

/**
 * Dispatches a CloudFormation event to onCreate, onUpdate or onDelete. A thrown error leaves with
 * its message capped and a stack that is only that message (aws-cdk-lib's entry point sends the
 * stack as the Reason, and CloudFormation refuses a response over 4 KB); the full error is logged.
 */
export async function handleEvent(event: CloudFormationCustomResourceEvent, deps: HandlerDependencies): Promise<HandlerResponse> {
  const log = deps.log ?? console.log;
  try {
    const settings = grantSettings(event.ResourceProperties as unknown as ImportedBucketAccessProperties);
    if (event.RequestType !== 'Delete') {
      assertGrantInput(event.ResourceProperties as unknown as ImportedBucketAccessProperties);
    }
    const claim = grantClaim(event.StackId, event.LogicalResourceId);
    switch (event.RequestType) {
      case 'Create':
        return await onCreate(settings, claim, deps);
      case 'Update':
        return await onUpdate(settings, grantSettings(event.OldResourceProperties as unknown as ImportedBucketAccessProperties),
          event.PhysicalResourceId, claim, deps);
      case 'Delete':
        return await onDelete(settings, event.PhysicalResourceId, claim, deps);
    }
  } catch (error) {
    throw responseSafe(error, log);
  }
}

/**
 * Create: inserts our statement and rule (carrying this resource's claim). If a write succeeded and
 * a later step failed, puts back the entries it replaced: aws-cdk-lib's entry point answers the
 * Delete that CloudFormation sends after a failed Create without calling this handler.
 */
export async function onCreate(settings: GrantSettings, claim: string, deps: HandlerDependencies): Promise<HandlerResponse> {
  const undo: Undo = {};
  try {
    return { PhysicalResourceId: settings.bucketName, Data: { ...await grant(settings, undefined, claim, deps, undo), [PREVIOUS_BUCKET]: NO_PREVIOUS_BUCKET } };
  } catch (error) {
    if (undo.policy || undo.cors) {
      try {
        await takeBack(settings, undo, deps);
        (error as Error).message += ` The handler then put back what bucket ${settings.bucketName} held before.`;
      } catch (undoError) {
        const what = [undo.policy ? `the statement ${SEGMENTS_S3_POLICY_SID}` : undefined, undo.cors ? `the CORS rule ${SEGMENTS_S3_CORS_RULE_ID}` : undefined]
          .filter(Boolean).join(' and ');
        (error as Error).message += ` The handler then could not take back ${what} it had written to bucket ${settings.bucketName} ` +
          `(${(undoError as Error).message}): check the bucket and remove or restore them by hand.`;
      }
    }
    throw error;
  }
}

/**
 * Update: replaces ours in place (the previous version counts as ours). When the bucket changed
 * (a bucket name from a token), first removes this resource's claim and entries from the old
 * bucket, best effort: the role now names only the new bucket, so S3 usually refuses, and the
 * response's PreviousBucket (the construct's PreviousBucket output, and the log) says what to
 * remove by hand. PreviousBucket is 'none' when the bucket did not change. The physical ID never
 * changes, so CloudFormation sends no Delete for the old bucket. On failure CloudFormation rolls
 * back with another Update carrying the old properties.
 */
export async function onUpdate(
  settings: GrantSettings, previous: GrantSettings, physicalResourceId: string, claim: string, deps: HandlerDependencies,
): Promise<HandlerResponse> {
  const moved = previous.bucketName !== settings.bucketName;
  let previousBucket: string | undefined;
  if (moved && previous.removalPolicy === 'destroy') {
    try {
      previousBucket = `${previous.bucketName}: ${await release(previous, claim, deps)}`;
    } catch (error) {
      previousBucket = `${previous.bucketName}: the Segments entries could not be removed (${(error as Error).message}). ` +
        `Remove the statement ${SEGMENTS_S3_POLICY_SID} and the CORS rule ${SEGMENTS_S3_CORS_RULE_ID} from it by hand, ` +
        'or give the bucket name literally so that a new name makes a new resource with its own role.';
    }
    (deps.log ?? console.log)(`Previous bucket ${previousBucket}`);
  }
  if (moved && previousBucket === undefined) {
    previousBucket = `${previous.bucketName}: left as it was (the removal policy retains the grant); remove the statement ` +
      `${SEGMENTS_S3_POLICY_SID} and the CORS rule ${SEGMENTS_S3_CORS_RULE_ID} by hand when Segments should no longer read it.`;
  }
  const data = await grant(settings, moved ? undefined : previous, claim, deps);
  return { PhysicalResourceId: physicalResourceId, Data: { ...data, [PREVIOUS_BUCKET]: capText(previousBucket ?? NO_PREVIOUS_BUCKET, MAX_DATA_VALUE_BYTES, ' …') } };
}

/**
 * Delete: removes this resource's claim, then our statement and rule only when no other resource
 * claims them (the policy or CORS configuration goes when nothing else is left), unless the removal
 * policy retains them. A deleted bucket is fine.
 */
export async function onDelete(settings: GrantSettings, physicalResourceId: string, claim: string, deps: HandlerDependencies): Promise<HandlerResponse> {
  if (settings.removalPolicy === 'destroy') {
    let released: string;
    try {
      released = await release(settings, claim, deps);
    } catch (error) {
      if (!(error instanceof BucketUnreadableError)) {
        throw error;
      }
      // The first read is refused: with ExpectedBucketOwner on every call, that is what S3 answers
      // for a bucket that another account now owns under the same name (deleted, then re-created).
      // Failing would leave the stack in DELETE_FAILED for a bucket that is no longer ours.
      released = `WARNING: treated as gone. Reading it as account ${settings.expectedBucketOwner}'s was refused (AccessDenied). ` +
        'Either another account re-created the name, and nothing of ours is on it, or a policy denies the handler\'s role, and ' +
        `${SEGMENTS_S3_POLICY_SID} and ${SEGMENTS_S3_CORS_RULE_ID} may still be on it: check with 'aws s3api get-bucket-policy ` +
        `--bucket ${settings.bucketName} --expected-bucket-owner ${settings.expectedBucketOwner}' and remove them by hand.`;
      (deps.log ?? console.log)(`Bucket ${settings.bucketName}: ${error.message}`);
    }
    (deps.log ?? console.log)(`Bucket ${settings.bucketName}: ${released}`);
    return { PhysicalResourceId: physicalResourceId, Data: { [RELEASED]: capText(released, MAX_DATA_VALUE_BYTES, ' …') } };
  }
  return { PhysicalResourceId: physicalResourceId };
}

/** The first read of a bucket was refused with AccessDenied (another owner, or a Deny on the handler's role). */
class BucketUnreadableError extends Error {}

/** What a Create replaced, per entry: the bucket's entry before our first write (undefined: there was none). */
interface Undo {
  policy?: { before?: BucketPolicyStatement };
  cors?: { before?: S3CorsRuleJson };
}

/**
 * Inserts ours, re-reads, and retries with jitter while another writer keeps removing it. When the
 * bucket already holds exactly ours (a retry, or the rollback of a failed Update), returns the
 * report without refusing or writing anything.
 */
async function grant(settings: GrantSettings, previous: GrantSettings | undefined, claim: string, deps: HandlerDependencies, undo: Undo = {}): Promise<Record<string, string>> {
  const s3 = new BucketCalls(deps.s3, settings);
  const encryption = await s3.defaultEncryption();
  const ownership = await s3.objectOwnership();
  let state = await s3.state();
  const already = holdsOurs(state, settings, claim);
  if (already.policy && already.cors) {
    return grantReport(state, settings, encryption, ownership);
  }
  if (usesAwsManagedKey(encryption)) {
    throw new AwsManagedKeyError(`Nothing was written. Bucket ${settings.bucketName} is encrypted with the AWS managed key aws/s3, whose key policy ` +
      'cannot grant another account, so Segments could not decrypt the objects. Switch its default encryption to SSE-S3 or to a ' +
      'customer managed KMS key (and re-encrypt existing objects), then deploy again.');
  }
  const wrote = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    let writes: GrantWrites;
    try {
      writes = planGrant(state, settings, previous, claim);
    } catch (error) {
      // planGrant speaks of the bucket as found; after our own writes, "Nothing was written" is untrue.
      if (wrote.size > 0 && error instanceof GrantRefusedError) {
        error.message = error.message.replace(/^Nothing was written\. /,
          `The handler wrote ${[...wrote].join(' and ')} to bucket ${settings.bucketName}, but the re-read found otherwise: `);
      }
      throw error;
    }
    if (writes.policy) {
      const before = findStatementsBySid(state.policy, SEGMENTS_S3_POLICY_SID)[0];
      await s3.putPolicy(writes.policy);
      undo.policy ??= { before };
      wrote.add(`the statement ${SEGMENTS_S3_POLICY_SID}`);
    }
    if (writes.corsRules) {
      const before = findCorsRulesById(state.corsRules, SEGMENTS_S3_CORS_RULE_ID)[0];
      await s3.putCors(writes.corsRules);
      undo.cors ??= { before };
      wrote.add(`the CORS rule ${SEGMENTS_S3_CORS_RULE_ID}`);
    }
    state = await s3.state();
    const holds = holdsOurs(state, settings, claim);
    if (holds.policy && holds.cors) {
      return grantReport(state, settings, encryption, ownership);
    }
    if (attempt === GRANT_ATTEMPTS) {
      const missing = [holds.policy ? undefined : `the statement ${SEGMENTS_S3_POLICY_SID}`, holds.cors ? undefined : `the CORS rule ${SEGMENTS_S3_CORS_RULE_ID}`]
        .filter(Boolean).join(' and ');
      throw new ConcurrentWriterError(`After ${GRANT_ATTEMPTS} writes, bucket ${settings.bucketName} still lacks ${missing}: something else keeps ` +
        'replacing its policy or CORS configuration (another stack, Terraform, a script). Let one tool manage them, ' +
        'or add the Segments entries there (segments-cloud aws-policy --merge, from the segments-cloud-cli package).');
    }
    // The last wait is the longest: S3 may take a few seconds to show a write everywhere.
    await deps.sleep(Math.round((attempt === GRANT_ATTEMPTS - 1 ? 4000 : 250 * 2 ** attempt) * (0.5 + Math.random())));
  }
}

/** After a failed Create: puts back, in place of ours, the entries the bucket had before (or none). */
async function takeBack(settings: GrantSettings, undo: Undo, deps: HandlerDependencies): Promise<void> {
  const s3 = new BucketCalls(deps.s3, settings);
  const state = await s3.state();
  if (undo.policy) {
    const before = undo.policy.before;
    const restored = before ? mergeStatementBySid(state.policy, before) : removeStatementBySid(state.policy, SEGMENTS_S3_POLICY_SID);
    await (restored ? s3.putPolicy(restored) : s3.deletePolicy());
  }
  if (undo.cors) {
    const before = undo.cors.before;
    const restored = before ? mergeCorsRuleById(state.corsRules, before) : removeCorsRuleById(state.corsRules, SEGMENTS_S3_CORS_RULE_ID);
    await (restored.length > 0 ? s3.putCors(restored) : s3.deleteCors());
  }
}

/**
 * Gives up this resource's claim on the bucket's Segments entries, and removes the statement and
 * rule when no other resource claims them. Returns what it did, for the log. A bucket that no
 * longer exists is fine.
 */
async function release(settings: GrantSettings, claim: string, deps: HandlerDependencies): Promise<string> {
  const s3 = new BucketCalls(deps.s3, settings);
  let state: BucketState;
  try {
    state = await s3.state();
  } catch (error) {
    if (errorName(error) === 'NoSuchBucket') {
      return 'the bucket no longer exists.';
    }
    if (errorName(error) === 'AccessDenied') {
      throw new BucketUnreadableError((error as Error).message);
    }
    throw error;
  }
  const rules = findCorsRulesById(state.corsRules, SEGMENTS_S3_CORS_RULE_ID);
  const claims = [...new Set(rules.flatMap(claimsOf))];
  const others = claims.filter((other) => other !== claim);
  if (others.length > 0) {
    // Another resource (a newer one after a rename or move, or the older one during a rollback) still needs the grant.
    if (claims.includes(claim)) {
      await s3.putCors(state.corsRules.map((rule) => rule.ID === SEGMENTS_S3_CORS_RULE_ID ? withClaims(rule, others) : rule));
    }
    return `kept the Segments entries, which ${others.length} other resource(s) still claim (${others.join(', ')}); removed only this resource's claim.`;
  }
  const statements = findStatementsBySid(state.policy, SEGMENTS_S3_POLICY_SID);
  if (statements.length === 0 && rules.length === 0) {
    return 'the bucket holds no Segments entry: nothing to remove.';
  }
  if (statements.length > 0) {
    const remaining = removeStatementBySid(state.policy, SEGMENTS_S3_POLICY_SID);
    await (remaining ? s3.putPolicy(remaining) : s3.deletePolicy());
  }
  if (rules.length > 0) {
    const remaining = removeCorsRuleById(state.corsRules, SEGMENTS_S3_CORS_RULE_ID);
    await (remaining.length > 0 ? s3.putCors(remaining) : s3.deleteCors());
  }
  return 'removed the Segments statement and CORS rule.';
}

/** The S3 calls on one bucket, each with ExpectedBucketOwner, and errors that name the call and the bucket. */
class BucketCalls {
  constructor(private readonly client: S3Client, private readonly settings: GrantSettings) {}

  private get target() {
    return { Bucket: this.settings.bucketName, ExpectedBucketOwner: this.settings.expectedBucketOwner };
  }

  /** The policy and CORS rules; a missing policy or CORS configuration reads as empty. */
  async state(): Promise<BucketState> {
    const policyText = await this.call('GetBucketPolicy', () => this.client.send(new GetBucketPolicyCommand(this.target)), 'NoSuchBucketPolicy');
    const cors = await this.call('GetBucketCors', () => this.client.send(new GetBucketCorsCommand(this.target)), 'NoSuchCORSConfiguration');
    return {
      policy: policyText?.Policy ? parseBucketPolicy(policyText.Policy) : undefined,
      corsRules: (cors?.CORSRules ?? []) as S3CorsRuleJson[],
    };
  }

  async defaultEncryption(): Promise<DefaultEncryption | undefined> {
    const out = await this.call('GetBucketEncryption', () => this.client.send(new GetBucketEncryptionCommand(this.target)),
      'ServerSideEncryptionConfigurationNotFoundError');
    const byDefault = out?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    return byDefault ? { sseAlgorithm: byDefault.SSEAlgorithm, kmsMasterKeyId: byDefault.KMSMasterKeyID } : undefined;
  }

  async objectOwnership(): Promise<string | undefined> {
    const out = await this.call('GetBucketOwnershipControls', () => this.client.send(new GetBucketOwnershipControlsCommand(this.target)),
      'OwnershipControlsNotFoundError');
    return out?.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
  }

  async putPolicy(policy: BucketPolicyDocument): Promise<void> {
    await this.call('PutBucketPolicy', () => this.client.send(new PutBucketPolicyCommand({ ...this.target, Policy: JSON.stringify(policy) })));
  }

  async deletePolicy(): Promise<void> {
    await this.call('DeleteBucketPolicy', () => this.client.send(new DeleteBucketPolicyCommand(this.target)));
  }

  async putCors(rules: S3CorsRuleJson[]): Promise<void> {
    await this.call('PutBucketCors', () => this.client.send(new PutBucketCorsCommand({ ...this.target, CORSConfiguration: { CORSRules: rules } })));
  }

  async deleteCors(): Promise<void> {
    await this.call('DeleteBucketCors', () => this.client.send(new DeleteBucketCorsCommand(this.target)));
  }

  /** Runs one call; `absent` names the error that means "not configured" (undefined is returned). */
  private async call<T>(name: string, send: () => Promise<T>, absent?: string): Promise<T | undefined> {
    try {
      return await send();
    } catch (error) {
      const code = errorName(error);
      if (absent !== undefined && code === absent) {
        return undefined;
      }
      const { bucketName, expectedBucketOwner } = this.settings;
      const hint = code === 'AccessDenied'
        ? ` Either bucket ${bucketName} is not owned by account ${expectedBucketOwner} (every call passes ExpectedBucketOwner, so ` +
          'a bucket of another account is refused: deploy the stack in the account that owns the bucket), or a bucket policy, ' +
          'an SCP or a permissions boundary denies this call to the handler\'s role.'
        : '';
      const failure = new Error(`${name} on bucket ${bucketName} failed: ${code}: ${(error as Error).message}${hint}`);
      failure.name = code;
      throw failure;
    }
  }
}

function errorName(error: unknown): string {
  return (error as { name?: string; Code?: string })?.name ?? (error as { Code?: string })?.Code ?? 'Error';
}
