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
import {
  type BucketState,
  type DefaultEncryption,
  type GrantSettings,
  grantReport,
  grantSettings,
  holdsOurs,
  planGrant,
  usesAwsManagedKey,
} from './grant-plan';
import { type BucketPolicyDocument, parseBucketPolicy, removeStatementBySid } from '../../../s3-bucket-policy';
import { type S3CorsRuleJson, removeCorsRuleById } from '../../../s3-cors-configuration';
import { SEGMENTS_S3_CORS_RULE_ID, SEGMENTS_S3_POLICY_SID } from '../../../segments';
import type { ImportedBucketAccessProperties } from '../resource-properties';

/** How many times the handler writes and re-reads before giving up on a concurrent writer. */
export const GRANT_ATTEMPTS = 4;

/** What the handler needs from outside, replaceable in tests. */
export interface HandlerDependencies {
  readonly s3: S3Client;
  /** Waits before a retry; the delay grows with the attempt and is jittered. */
  readonly sleep: (ms: number) => Promise<void>;
}

/** What the response wrapper sends back to CloudFormation. */
export interface HandlerResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

let defaults: HandlerDependencies | undefined;

/** The Lambda entry point. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<HandlerResponse> {
  defaults ??= { s3: new S3Client({}), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
  return handleEvent(event, defaults);
}

/** Dispatches a CloudFormation event to onCreate, onUpdate or onDelete. */
export async function handleEvent(event: CloudFormationCustomResourceEvent, deps: HandlerDependencies): Promise<HandlerResponse> {
  const settings = grantSettings(event.ResourceProperties as unknown as ImportedBucketAccessProperties);
  switch (event.RequestType) {
    case 'Create':
      return onCreate(settings, deps);
    case 'Update':
      return onUpdate(settings, grantSettings(event.OldResourceProperties as unknown as ImportedBucketAccessProperties), deps);
    case 'Delete':
      return onDelete(settings, event.PhysicalResourceId, deps);
  }
}

/**
 * Create: inserts our statement and rule. If a write succeeded and a later step failed, takes back
 * what this call added, because CloudFormation sends no Delete after a failed Create.
 */
export async function onCreate(settings: GrantSettings, deps: HandlerDependencies): Promise<HandlerResponse> {
  const added = { policy: false, cors: false };
  try {
    return { PhysicalResourceId: settings.bucketName, Data: await grant(settings, undefined, deps, added) };
  } catch (error) {
    if (added.policy || added.cors) {
      await revoke(settings, deps, added).catch(() => undefined);
    }
    throw error;
  }
}

/**
 * Update: when the bucket changed, first removes ours from the old bucket (unless the old
 * resource retained it), then inserts ours into the new one; otherwise replaces ours in place.
 * On failure CloudFormation rolls back with another Update carrying the old properties.
 */
export async function onUpdate(settings: GrantSettings, previous: GrantSettings, deps: HandlerDependencies): Promise<HandlerResponse> {
  const moved = previous.bucketName !== settings.bucketName;
  if (moved && previous.removalPolicy === 'destroy') {
    await revoke(previous, deps).catch((error: Error) => {
      throw new Error(`Nothing was written to bucket ${settings.bucketName}: the Segments entries could not be removed from the ` +
        `previous bucket ${previous.bucketName} first (${error.message}). When the bucket name is a token, the handler's role ` +
        `names only the new bucket: remove the statement ${SEGMENTS_S3_POLICY_SID} and the CORS rule ${SEGMENTS_S3_CORS_RULE_ID} ` +
        `from ${previous.bucketName} by hand, or give the bucket name literally so that a new name makes a new resource.`);
    });
  }
  return { PhysicalResourceId: settings.bucketName, Data: await grant(settings, moved ? undefined : previous, deps) };
}

/**
 * Delete: removes only our statement and our rule (the policy or CORS configuration goes when
 * nothing else is left), unless the removal policy retains them. A deleted bucket is fine.
 */
export async function onDelete(settings: GrantSettings, physicalResourceId: string, deps: HandlerDependencies): Promise<HandlerResponse> {
  if (settings.removalPolicy === 'destroy') {
    await revoke(settings, deps);
  }
  return { PhysicalResourceId: physicalResourceId };
}

/** Inserts ours, re-reads, and retries with jitter while another writer keeps removing it. */
async function grant(
  settings: GrantSettings,
  previous: GrantSettings | undefined,
  deps: HandlerDependencies,
  added: { policy: boolean; cors: boolean } = { policy: false, cors: false },
): Promise<Record<string, string>> {
  const s3 = new BucketCalls(deps.s3, settings);
  const encryption = await s3.defaultEncryption();
  if (usesAwsManagedKey(encryption)) {
    throw new Error(`Nothing was written. Bucket ${settings.bucketName} is encrypted with the AWS managed key aws/s3, whose key policy ` +
      'cannot grant another account, so Segments could not decrypt the objects. Switch its default encryption to SSE-S3 or to a ' +
      'customer managed KMS key (and re-encrypt existing objects), then deploy again.');
  }
  const ownership = await s3.objectOwnership();
  for (let attempt = 1; ; attempt++) {
    const writes = planGrant(await s3.state(), settings, previous);
    if (writes.policy) {
      await s3.putPolicy(writes.policy);
      added.policy = true;
    }
    if (writes.corsRules) {
      await s3.putCors(writes.corsRules);
      added.cors = true;
    }
    const after = await s3.state();
    const holds = holdsOurs(after, settings);
    if (holds.policy && holds.cors) {
      return grantReport(after.policy, encryption, ownership);
    }
    if (attempt === GRANT_ATTEMPTS) {
      const missing = [holds.policy ? undefined : `the statement ${SEGMENTS_S3_POLICY_SID}`, holds.cors ? undefined : `the CORS rule ${SEGMENTS_S3_CORS_RULE_ID}`]
        .filter(Boolean).join(' and ');
      throw new Error(`After ${GRANT_ATTEMPTS} writes, bucket ${settings.bucketName} still lacks ${missing}: something else keeps ` +
        'replacing its policy or CORS configuration (another stack, Terraform, a script). Let one tool manage them, ' +
        'or add the Segments entries there (npx segments-cloud-constructs aws-policy --merge).');
    }
    await deps.sleep(Math.round((200 * 2 ** attempt) * (0.5 + Math.random())));
  }
}

/** Removes ours (or only what `only` names) from the bucket; a bucket that no longer exists is fine. */
async function revoke(settings: GrantSettings, deps: HandlerDependencies, only = { policy: true, cors: true }): Promise<void> {
  const s3 = new BucketCalls(deps.s3, settings);
  let state: BucketState;
  try {
    state = await s3.state();
  } catch (error) {
    if (errorName(error) === 'NoSuchBucket') {
      return;
    }
    throw error;
  }
  if (only.policy && state.policy?.Statement?.some((statement) => statement.Sid === SEGMENTS_S3_POLICY_SID)) {
    const remaining = removeStatementBySid(state.policy, SEGMENTS_S3_POLICY_SID);
    await (remaining ? s3.putPolicy(remaining) : s3.deletePolicy());
  }
  if (only.cors && state.corsRules.some((rule) => rule.ID === SEGMENTS_S3_CORS_RULE_ID)) {
    const remaining = removeCorsRuleById(state.corsRules, SEGMENTS_S3_CORS_RULE_ID);
    await (remaining.length > 0 ? s3.putCors(remaining) : s3.deleteCors());
  }
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
