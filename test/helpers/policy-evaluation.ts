/**
 * Evaluates the EFFECT of the policies a synthesized CDK template declares, not their shape.
 *
 * 1. `resolvePolicies(template, deployment)` picks the bucket Segments reads, and resolves its
 *    bucket policy and (with SSE-KMS) its key's key policy for a concrete bucket name, region and
 *    account: `Ref`/`Fn::GetAtt [.., Arn]` of the bucket and key, `Fn::Join` and the pseudo
 *    parameters become plain strings, giving the IAM JSON AWS would store. Anything it cannot
 *    resolve throws, so a template change can never make a test silently vacuous.
 * 2. `evaluate(request)` / `isAllowed(request)` run one request through @cloud-copilot/iam-simulate
 *    (an offline IAM evaluator; AGPL, used by these unshipped tests only).
 *
 * How the caller's side is modelled (read this before writing a test):
 *
 * - Every caller is in ANOTHER account than the bucket (Segments, other accounts): AWS then
 *   allows a request only if BOTH the caller's own IAM policies and our resource policy allow it.
 *   The caller's side is not ours to write. Segments' own IAM policy, for example, allows
 *   `s3:GetObject`/`kms:Decrypt` on `*`. To test what OUR policies permit, each caller is given
 *   the most generous identity policy there is for the request: "Allow <the requested action> on
 *   `*`". So an Allow means our resource policy lets it through, and a denial can only come from
 *   our resource policy. If the identity policy allowed only `s3:GetObject`, a test that
 *   "Segments may not s3:PutObject" would pass whatever the bucket policy said.
 *   `callerPolicies` replaces that default, e.g. with `SEGMENTS_OWN_IAM_POLICY` (what Segments'
 *   side plausibly is) or `[]`, to show that cross-account both sides must allow.
 * - Callers in the bucket's own account are refused here (`evaluate` throws). For them an
 *   identity policy alone can grant access, so such a test would measure the identity policy and
 *   not ours.
 * - Anonymous callers (`ANONYMOUS`) have no identity policies; only the resource policy counts.
 * - S3 Block Public Access is NOT modelled: the policies are judged on their own, so a statement
 *   that is too broad fails a test even where BPA would hide it in a real account.
 * - No SCPs or RCPs (the simulator's default `RCPFullAWSAccess` applies).
 * - Context keys are evaluated exactly as given (strict mode). If the simulator ignores a context
 *   key as not applicable to the action, `evaluate` throws, so a condition can't go unchecked
 *   without anyone noticing.
 */
import {
  anonymousPrincipal,
  runSimulation,
  type AnonymousRequestPrincipal,
  type EvaluationResult,
  type Simulation,
} from '@cloud-copilot/iam-simulate';

/** A synthesized CloudFormation template, as `Template.fromStack(stack).toJSON()` returns it. */
export type CfnTemplate = Record<string, any>;

/** One statement of a resolved policy: plain IAM JSON, no CloudFormation intrinsics left. */
export type PolicyStatementJson = Record<string, any>;

/** A resolved policy document. */
export interface PolicyDocumentJson {
  readonly Version?: string;
  readonly Statement: PolicyStatementJson[];
}

/** Where the template is imagined deployed. */
export interface Deployment {
  /** The bucket's name (used for `Ref`; must equal a literal `BucketName` in the template). */
  readonly bucketName: string;
  readonly region: string;
  /** The account that owns the bucket and key: not Segments' and not a test caller's. */
  readonly account: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default '1234abcd-12ab-34cd-56ef-1234567890ab' */
  readonly keyId?: string;
  /**
   * Logical ID of the bucket to resolve.
   *
   * @default - the one bucket whose policy has the `segments-s3-access` statement (or the only bucket)
   */
  readonly bucketLogicalId?: string;
}

/** The bucket and key policies of one bucket, resolved for a concrete deployment. */
export interface ResolvedPolicies {
  readonly bucketLogicalId: string;
  readonly bucketName: string;
  /** `arn:aws:s3:::<bucket>` */
  readonly bucketArn: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** The bucket policy; undefined when the bucket has none. */
  readonly bucketPolicy?: PolicyDocumentJson;
  /** The ARN of the bucket's customer managed KMS key, if the template defines one. */
  readonly keyArn?: string;
  /** The key policy of that key. */
  readonly keyPolicy?: PolicyDocumentJson;
}

/** Segments.ai's principal, written out here (not imported from lib/) so the tests pin the fact independently. */
export const SEGMENTS_PRINCIPAL = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';

/**
 * What Segments' own IAM policy plausibly is: `s3:GetObject` and `kms:Decrypt` on every resource
 * (Segments' side, not ours; the README tells customers to tell Segments which key they use).
 */
export const SEGMENTS_OWN_IAM_POLICY: PolicyDocumentJson = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'SegmentsReadsCustomerBuckets', Effect: 'Allow', Action: ['s3:GetObject', 'kms:Decrypt'], Resource: '*' }],
};

/** An unsigned request. */
export const ANONYMOUS: AnonymousRequestPrincipal = anonymousPrincipal;

/** The request context of an HTTPS request with TLS 1.3, as S3 sets it. */
export const OVER_TLS: Readonly<Record<string, string>> = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };

const DEFAULT_KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const SEGMENTS_S3_SID = 'segments-s3-access';

/** Resolves the bucket policy and key policy of the bucket Segments reads, for a concrete deployment. */
export function resolvePolicies(template: CfnTemplate, deployment: Deployment): ResolvedPolicies {
  const resources: Record<string, any> = template.Resources ?? {};
  const partition = deployment.partition ?? 'aws';
  const bucketLogicalId = deployment.bucketLogicalId ?? findSegmentsBucket(resources);
  const bucket = resources[bucketLogicalId];
  if (bucket?.Type !== 'AWS::S3::Bucket') {
    throw new Error(`resolvePolicies: ${bucketLogicalId} is not an AWS::S3::Bucket of the template`);
  }
  const literalName = bucket.Properties?.BucketName;
  if (literalName !== undefined && literalName !== deployment.bucketName) {
    throw new Error(`resolvePolicies: the template names the bucket ${JSON.stringify(literalName)}, not '${deployment.bucketName}'`);
  }
  const bucketArn = `arn:${partition}:s3:::${deployment.bucketName}`;

  const keyRef = bucket.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]
    ?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
  const keyLogicalId: string | undefined = keyRef?.['Fn::GetAtt']?.[0] ?? keyRef?.Ref;
  if (keyRef !== undefined && (keyLogicalId === undefined || resources[keyLogicalId]?.Type !== 'AWS::KMS::Key')) {
    throw new Error(`resolvePolicies: the bucket's KMSMasterKeyID ${JSON.stringify(keyRef)} is not a key of this template`);
  }
  const keyId = deployment.keyId ?? DEFAULT_KEY_ID;
  const keyArn = keyLogicalId ? `arn:${partition}:kms:${deployment.region}:${deployment.account}:key/${keyId}` : undefined;

  const refs: Record<string, string> = {
    'AWS::Region': deployment.region,
    'AWS::AccountId': deployment.account,
    'AWS::Partition': partition,
    'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    [bucketLogicalId]: deployment.bucketName,
  };
  const arns: Record<string, string> = { [bucketLogicalId]: bucketArn };
  if (keyLogicalId && keyArn) {
    refs[keyLogicalId] = keyId;
    arns[keyLogicalId] = keyArn;
  }
  const resolve = (value: unknown, path: string) => resolveIntrinsics(value, path, refs, arns);

  const policies = Object.entries(resources).filter(([, resource]) =>
    resource.Type === 'AWS::S3::BucketPolicy' && resource.Properties?.Bucket?.Ref === bucketLogicalId);
  if (policies.length > 1) {
    throw new Error(`resolvePolicies: ${bucketLogicalId} has ${policies.length} AWS::S3::BucketPolicy resources; S3 keeps only one`);
  }
  const bucketPolicy = policies.length === 1
    ? resolve(policies[0][1].Properties.PolicyDocument, `${policies[0][0]}.PolicyDocument`) as PolicyDocumentJson
    : undefined;
  const keyPolicy = keyLogicalId
    ? resolve(resources[keyLogicalId].Properties?.KeyPolicy, `${keyLogicalId}.KeyPolicy`) as PolicyDocumentJson
    : undefined;

  return {
    bucketLogicalId,
    bucketName: deployment.bucketName,
    bucketArn,
    account: deployment.account,
    region: deployment.region,
    partition,
    bucketPolicy,
    keyArn,
    keyPolicy,
  };
}

/** The ARN of an object of the resolved bucket. */
export function objectArn(policies: ResolvedPolicies, key: string): string {
  return `${policies.bucketArn}/${key}`;
}

/** One request to evaluate. */
export interface EvaluationRequest {
  /** An IAM ARN in another account than the bucket's, or `ANONYMOUS`. */
  readonly principal: string | AnonymousRequestPrincipal;
  /** Such as `s3:GetObject` or `kms:Decrypt`; `s3:` is judged by the bucket policy, `kms:` by the key policy. */
  readonly action: string;
  /** A concrete ARN: an object, the bucket, or the key (no wildcards). */
  readonly resource: string;
  readonly policies: ResolvedPolicies;
  /** Request context keys, such as `OVER_TLS` or `{ 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }`. */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /**
   * The caller's own identity policies, to model a specific caller side (such as
   * `SEGMENTS_OWN_IAM_POLICY`, or `[]` for none).
   *
   * @default - one policy allowing the requested action on `*` (see the top of this file)
   */
  readonly callerPolicies?: PolicyDocumentJson[];
}

/** The simulator's decision, with the resource policy statements that made it. */
export interface Decision {
  readonly result: EvaluationResult;
  /** Resource policy statements that allowed the request. */
  readonly allowedBy: PolicyStatementJson[];
  /** Resource policy statements that explicitly denied the request. */
  readonly deniedBy: PolicyStatementJson[];
}

/** Evaluates one request against our resource policy and a generous caller side (see the top of this file). */
export async function evaluate(request: EvaluationRequest): Promise<Decision> {
  const { principal, action, resource, policies } = request;
  const service = action.split(':')[0].toLowerCase();
  const resourcePolicy = service === 's3' ? policies.bucketPolicy : service === 'kms' ? policies.keyPolicy : undefined;
  if (service === 'kms' && !resourcePolicy) {
    throw new Error(`evaluate: ${action} needs a key policy, and the bucket ${policies.bucketLogicalId} has no KMS key in the template`);
  }
  if (service !== 's3' && service !== 'kms') {
    throw new Error(`evaluate: only s3: and kms: actions are modelled, not ${action}`);
  }
  if (resource.includes('*') || resource.includes('?')) {
    throw new Error(`evaluate: resource must be a concrete ARN, not ${resource}`);
  }
  const anonymous = typeof principal !== 'string';
  if (anonymous && request.callerPolicies) {
    throw new Error('evaluate: an anonymous caller has no identity policies');
  }
  if (!anonymous && principal.split(':')[4] === policies.account) {
    throw new Error(`evaluate: ${principal} is in the bucket's own account ${policies.account}, where an identity policy alone can allow access; ` +
      'use a caller in another account so the test measures the resource policy');
  }

  const simulation: Simulation = {
    request: {
      principal,
      action,
      resource: { resource, accountId: policies.account },
      contextVariables: { ...(request.context ?? {}) },
    },
    identityPolicies: anonymous ? [] : (request.callerPolicies ?? [{
      Version: '2012-10-17',
      Statement: [{ Sid: 'CallerSideAllowsThisRequest', Effect: 'Allow', Action: action, Resource: '*' }],
    }]).map((policy, index) => ({ name: `caller-own-iam-policy-${index + 1}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resourcePolicy ?? undefined,
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') {
    throw new Error(`evaluate: the simulator refused the request: ${JSON.stringify(response.errors, undefined, 2)}`);
  }
  if (response.resultType !== 'single') {
    throw new Error(`evaluate: expected one result for ${resource}, got ${response.resultType}`);
  }
  const { analysis, ignoredContextKeys } = response.result;
  if (ignoredContextKeys && ignoredContextKeys.length > 0) {
    throw new Error(`evaluate: the simulator ignored context keys ${ignoredContextKeys.join(', ')} for ${action} on ${resource}; ` +
      'they would not be checked, so the test would not mean what it says');
  }
  return {
    result: analysis.result,
    allowedBy: (analysis.resourceAnalysis?.allowStatements ?? []).map((statement) => statement.statement.toJSON()),
    deniedBy: (analysis.resourceAnalysis?.denyStatements ?? []).map((statement) => statement.statement.toJSON()),
  };
}

/** Whether the simulator allows the request (see `evaluate`). */
export async function isAllowed(request: EvaluationRequest): Promise<boolean> {
  return (await evaluate(request)).result === 'Allowed';
}

/** The bucket whose policy holds the `segments-s3-access` statement, or the template's only bucket. */
function findSegmentsBucket(resources: Record<string, any>): string {
  const buckets = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::S3::Bucket');
  const withSegments = Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::S3::BucketPolicy' &&
      (resource.Properties?.PolicyDocument?.Statement ?? []).some((statement: PolicyStatementJson) => statement.Sid === SEGMENTS_S3_SID))
    .map((resource) => resource.Properties.Bucket?.Ref as string);
  if (withSegments.length === 1) {
    return withSegments[0];
  }
  if (withSegments.length === 0 && buckets.length === 1) {
    return buckets[0];
  }
  throw new Error(`resolvePolicies: cannot tell which bucket to resolve (buckets: ${buckets.join(', ')}); pass bucketLogicalId`);
}

/** Replaces the CloudFormation intrinsics the bucket and key policies use; throws on anything else. */
function resolveIntrinsics(value: unknown, path: string, refs: Record<string, string>, arns: Record<string, string>): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) => resolveIntrinsics(item, `${path}[${index}]`, refs, arns));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
    const [name, argument] = entries[0];
    if (name === 'Ref' && typeof argument === 'string' && argument in refs) {
      return refs[argument];
    }
    if (name === 'Fn::GetAtt' && Array.isArray(argument) && argument[1] === 'Arn' && argument[0] in arns) {
      return arns[argument[0]];
    }
    if (name === 'Fn::Join' && Array.isArray(argument) && typeof argument[0] === 'string' && Array.isArray(argument[1])) {
      const parts = argument[1].map((part: unknown, index: number) => resolveIntrinsics(part, `${path}.Fn::Join[${index}]`, refs, arns));
      if (parts.some((part: unknown) => typeof part !== 'string')) {
        throw new Error(`resolvePolicies: Fn::Join at ${path} has a part that is not a string: ${JSON.stringify(parts)}`);
      }
      return parts.join(argument[0]);
    }
    throw new Error(`resolvePolicies: cannot resolve ${JSON.stringify(value)} at ${path}`);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, `${path}.${key}`, refs, arns)]));
}
