/**
 * Pure inspections of a bucket policy and CORS configuration as CloudFormation renders them, as
 * S3 returns them for a deployed bucket, or as the CLI reads them from a `--merge` file. No cloud
 * library here: the AWS constructs (through lib/aws/private/policy-inspection.ts), a deploy-time
 * Lambda handler and the CLI report lock-outs by the same rule.
 */
import { evaluateIamStatement } from '../iam/evaluate';
import { judgeKeySpace } from '../iam/key-space';
import { parseIamPolicy } from '../iam/policy-document';
import type { IamNonLiteral, IamStatement } from '../iam/policy-document';
import type { IamRequest } from '../iam/request';
import { segmentsGetMoments, segmentsGetRequest } from '../iam/segments-request';
import { SEGMENTS_AWS_ACCOUNT_ID, SEGMENTS_AWS_PRINCIPAL_ARN, SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS, SEGMENTS_S3_POLICY_SID } from '../segments';

/** A Deny statement that can match Segments' `s3:GetObject` on the granted objects. */
export interface LockoutDeny {
  /** The statement's `Sid`, or `#<position>` (1-based) when it has none. */
  readonly sid: string;
  /** Its condition keys as written (empty when the Deny has no condition at all). */
  readonly keys: string[];
  /** The `NotPrincipal`, `NotAction` and `NotResource` elements it uses, if any. */
  readonly notElements?: string[];
  /** True when its `NotPrincipal` lists Segments' user or account: AWS still denies Segments in cases ({@link lockoutDenyDescription}). */
  readonly notPrincipalListsSegments?: true;
  /** Parts only known at deploy time (`Fn::If`): `statement`, `Effect` or `Principal`, treated as matching Segments. */
  readonly unknownElements?: string[];
}

/** An Allow statement other than the Segments statement that can apply to Segments' user and grants more than `s3:GetObject`. */
export interface WiderSegmentsAllow {
  /** The statement's `Sid`, or `#<position>` (1-based) when it has none. */
  readonly sid: string;
  /** What it grants beyond `s3:GetObject`, as written: its other actions (`s3:*`, `s3:PutObject`), or `NotAction ...`. */
  readonly grants: string[];
  /** The principals that can be Segments' user, as written (`*`, Segments' ARN or account, or a value only known at deploy time). */
  readonly principals: string[];
}

interface Statement {
  readonly Sid?: unknown;
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

/** Object ARNs in general, when the caller does not say which objects Segments is granted. */
const ANY_OBJECT = ['arn:*:s3:::*/*'];

/**
 * The Deny statements of a bucket policy that can match Segments' `s3:GetObject` on the granted
 * objects (`grantedObjectResources`, the `Resource` of the Segments statement as rendered;
 * default: any object), judged by the IAM evaluator (lib/iam) for Segments' real request
 * (lib/iam/segments-request.ts: a presigned GET by Segments' user from a labeler's browser, HTTPS,
 * TLS 1.2, at both ends of the URL's 24 hours, from an unknown address), every statement as it
 * is rendered, however it got there (`addToResourcePolicy`, `addPropertyOverride`, an assignment
 * to the policy document).
 *
 * A Deny stays quiet only when the evaluator finds it cannot apply: its principal, action or
 * conditions exclude Segments' GET (`Bool aws:SecureTransport false`, `NumericLessThan
 * s3:TlsVersion 1.2`, an `ArnNotEquals aws:PrincipalArn` exemption of Segments...), or its
 * resources cannot meet the granted objects (decided on the patterns, for every key). Every other
 * Deny is reported: one that applies for certain, and one that depends on what is not known at
 * synth (the labeler's aws:SourceIp, aws:Referer or aws:UserAgent, an object's tags, a value only
 * known at deploy time such as an `Fn::If` Effect, a parameter in a condition). A statement given
 * as `Fn::If` is judged by each branch.
 *
 * SegmentsAccess (on the rendered template), the CLI (`aws-policy --merge`) and the imported-bucket
 * handler (on the bucket's policy) all call this, with the objects their statement grants.
 */
export function lockoutDenyStatements(document: unknown, grantedObjectResources?: readonly unknown[], now: Date = runTime()): LockoutDeny[] {
  const found: LockoutDeny[] = [];
  const version = (document as { Version?: unknown } | undefined)?.Version;
  const granted = (grantedObjectResources ?? ANY_OBJECT).map(resourceText);
  const requests = segmentsGetMoments(now, [document]).map((moment) => segmentsGetRequest('', moment));
  for (const { statement, sid, conditional } of policyStatements(document)) {
    // Unknown (an intrinsic, such as Fn::If) counts as possibly Deny; a literal other than Deny does not.
    const effectUnknown = typeof statement.Effect !== 'string';
    if (!effectUnknown && statement.Effect !== 'Deny') {
      continue;
    }
    // As a Deny, whatever its Effect: an unknown Effect may be Deny. A NotPrincipal that lists Segments
    // still denies it when its user has a permissions boundary (AWS's IAM docs, NotPrincipal), which
    // cannot be seen from here: judged as if it named everyone.
    const listsSegments = statement.NotPrincipal !== undefined && principalValues(statement.NotPrincipal).some((value) => namesSegments(value, false));
    const { NotPrincipal: _notPrincipal, ...rest } = statement;
    const asDeny = listsSegments ? { ...rest, Effect: 'Deny', Principal: '*' } : { ...statement, Effect: 'Deny' };
    if (!denyCanMatchGranted({ Version: version ?? '2012-10-17', Statement: [asDeny] }, granted, requests)) {
      continue;
    }
    const conditions = conditionEntries(statement.Condition);
    const notElements = (['NotPrincipal', 'NotAction', 'NotResource'] as const).filter((element) => statement[element] !== undefined);
    const unknownElements = [
      ...(conditional ? ['statement'] : []),
      ...(effectUnknown ? ['Effect'] : []),
      ...(isIntrinsic(statement.Principal) ? ['Principal'] : []),
    ];
    found.push({
      sid,
      keys: [...new Set(conditions.map((entry) => entry.key))],
      ...(notElements.length > 0 ? { notElements } : {}),
      ...(statement.NotPrincipal !== undefined && principalValues(statement.NotPrincipal).some((value) => namesSegments(value, false))
        ? { notPrincipalListsSegments: true as const } : {}),
      ...(unknownElements.length > 0 ? { unknownElements } : {}),
    });
  }
  return found;
}

let RUN_TIME: Date | undefined;

/**
 * The time of the checks: one clock for a synth's many buckets, taken again after a minute (a warm
 * Lambda handler checks again days later).
 */
function runTime(): Date {
  if (RUN_TIME === undefined || Date.now() - RUN_TIME.getTime() > 60_000) {
    RUN_TIME = new Date();
  }
  return RUN_TIME;
}

/**
 * Whether a one-statement Deny policy can apply to Segments' GET of some granted object. A
 * statement the evaluator cannot read counts as one that can (it is reported, not hidden).
 */
function denyCanMatchGranted(policy: { Version: unknown; Statement: Record<string, unknown>[] }, granted: readonly (string | undefined)[], requests: readonly IamRequest[]): boolean {
  try {
    // Most Denies (the TLS and HTTPS guards) cannot apply to Segments' GET whatever the key: the
    // evaluator says so first, and their resources are then not looked at.
    if (!canApplyApartFromResource(policy, requests)) {
      return false;
    }
    return granted.some((grant) => {
      const space = grantedKeySpace(grant);
      const judgment = judgeKeySpace({
        policy,
        requests,
        bucketArn: space.bucketArn,
        keys: { prefix: space.prefix },
        ...(space.within !== undefined ? { within: space.within } : {}),
        ...(space.arnPrefix !== undefined ? { arnPrefix: space.arnPrefix } : {}),
        resourceText: (value) => resourceText(value),
      });
      return !judgment.complete || judgment.denies.length > 0;
    });
  } catch {
    return true;
  }
}

/**
 * Whether a one-statement policy's statement can apply to one of the requests, its resource left
 * aside. Remembered by the statement's text without its resources and the requests' times: a
 * template of many buckets repeats the same guards, which differ only by the bucket they name.
 */
function canApplyApartFromResource(policy: { Version: unknown; Statement: Record<string, unknown>[] }, requests: readonly IamRequest[]): boolean {
  const { Resource: _resource, NotResource: _notResource, ...rest } = policy.Statement[0];
  const key = JSON.stringify([policy.Version, rest, requests.map((request) => request.context?.values?.['aws:CurrentTime'])]);
  let known = APPLIES_APART_FROM_RESOURCE.get(key);
  if (known === undefined) {
    const parsed = parseIamPolicy({ Version: policy.Version, Statement: [{ ...rest, Resource: '*' }] });
    const statement = parsed.statements[0];
    known = statement === undefined || isNonLiteralStatement(statement) ||
      requests.some((request) => evaluateIamStatement(statement, parsed, { ...request, resource: ANY_OBJECT_ARN }).applies !== false);
    if (APPLIES_APART_FROM_RESOURCE.size > 1000) {
      APPLIES_APART_FROM_RESOURCE.clear();
    }
    APPLIES_APART_FROM_RESOURCE.set(key, known);
  }
  return known;
}

const APPLIES_APART_FROM_RESOURCE = new Map<string, boolean>();

/** An object ARN for the checks that do not look at the resource. */
const ANY_OBJECT_ARN = 'arn:aws:s3:::segments-cloud-any-bucket/x';

function isNonLiteralStatement(statement: IamStatement | IamNonLiteral): statement is IamNonLiteral {
  return (statement as IamNonLiteral).nonLiteral === true;
}

/**
 * The key space a granted resource pattern stands for: `<bucket ARN>/<prefix>*` is every key under
 * the prefix; another pattern with a literal bucket, the keys under its literal start that it
 * matches (`within`); anything else (a wildcard in the bucket, a value only known at deploy time),
 * every object of every bucket.
 */
function grantedKeySpace(grant: string | undefined): { bucketArn: string; prefix: string; within?: string; arnPrefix?: string } {
  const simple = grant === undefined ? null : /^(arn:[^:*?$]+:s3:::[^/*?$]+)\/([^*?$]*)\*$/.exec(grant);
  if (simple) {
    return { bucketArn: simple[1], prefix: simple[2] };
  }
  if (grant !== undefined && /^arn:[^:*?$]+:s3:::[^/*?$]+\//.test(grant)) {
    const bucketArn = grant.slice(0, grant.indexOf('/'));
    const literal = /^[^*?$]*/.exec(grant.slice(bucketArn.length + 1))![0];
    return { bucketArn, prefix: literal, within: grant };
  }
  return { bucketArn: 'arn:aws:s3:::', prefix: '', arnPrefix: 'arn:aws:s3:::', within: grant ?? ANY_OBJECT[0] };
}

/**
 * A resource value as pattern text: a literal, or an `Fn::Join` of literals, the partition
 * (rendered `aws`) and a bucket of the template (`Fn::GetAtt [id, Arn]` as the ARN of a bucket
 * named after its logical ID, `Ref id` as that name); undefined when only known at deploy time.
 */
function resourceText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  const getAtt = intrinsicValue(value, 'Fn::GetAtt');
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && getAtt[1] === 'Arn') {
    return `arn:aws:s3:::cfn-${getAtt[0].toLowerCase()}`;
  }
  const ref = intrinsicValue(value, 'Ref');
  if (ref === 'AWS::Partition') {
    return 'aws';
  }
  if (typeof ref === 'string' && !ref.startsWith('AWS::')) {
    return `cfn-${ref.toLowerCase()}`;
  }
  const join = intrinsicValue(value, 'Fn::Join');
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(resourceText);
    return parts.every((part) => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

/**
 * What makes a lock-out Deny match Segments, as a phrase after "statement <sid> " (such as "uses
 * NotPrincipal and denies on aws:SourceIp", "denies with no condition"): SegmentsAccess's warning,
 * the CLI's and the handler's report all word it so.
 */
export function lockoutDenyDescription(deny: LockoutDeny): string {
  const unknown = deny.unknownElements ?? [];
  return [
    ...(unknown.length > 0 ? [`has ${unknown.map((element) => (element === 'statement' ? 'the statement itself' : `its ${element}`)).join(', ')} ` +
      'given as Fn::If (only known at deploy time, so treated as a Deny that matches Segments)'] : []),
    ...(deny.notElements ?? []).map((element) => element === 'NotPrincipal' && deny.notPrincipalListsSegments
      ? 'uses NotPrincipal, which lists Segments but still denies it: AWS\'s IAM docs say a Deny with NotPrincipal must also list ' +
        `the account ARN (arn:aws:iam::${SEGMENTS_AWS_ACCOUNT_ID}:root), and always denies principals with a permissions boundary`
      : `uses ${element}`),
    deny.keys.length > 0 ? `denies on ${deny.keys.join(', ')}` : 'denies with no condition',
  ].join(' and ');
}

/**
 * The Allow statements of a bucket policy, other than the Segments statement (Sid
 * `segments-s3-access`, which each caller compares exactly), that can apply to Segments' user and
 * grant it more than `s3:GetObject`:
 *
 * | element     | can apply to Segments' user when                                                   |
 * |-------------|-------------------------------------------------------------------------------------|
 * | `Effect`    | `Allow`, or only known at deploy time (`Fn::If`)                                    |
 * | `Principal` | `*`, Segments' user ARN, its account's root ARN or ID, or a value only known at deploy time (a parameter, an import, `Fn::If`); conditions are not judged |
 * | `NotPrincipal` | it does not list Segments' user or account                                       |
 * | `Action`    | an action other than `s3:GetObject` (`s3:*`, `s3:Get*`, `s3:PutObject`), or a value only known at deploy time |
 * | `NotAction` | always (it grants every action but those listed)                                    |
 *
 * A principal that is a resource of the same template (`Fn::GetAtt` of a role) or of the stack's
 * own account (`AWS::AccountId`) is not Segments' user. A statement given as `Fn::If` is judged by
 * each branch.
 */
export function widerSegmentsAllows(document: unknown): WiderSegmentsAllow[] {
  const found: WiderSegmentsAllow[] = [];
  for (const { statement, sid } of policyStatements(document)) {
    if ((typeof statement.Effect === 'string' && statement.Effect !== 'Allow') || statement.Sid === SEGMENTS_S3_POLICY_SID) {
      continue;
    }
    const principals = allowPrincipalsThatCanBeSegments(statement);
    const grants = statement.NotAction !== undefined
      ? [`NotAction ${JSON.stringify(statement.NotAction)}`]
      : asList(statement.Action).filter((action) => typeof action !== 'string' || action.toLowerCase() !== 's3:getobject')
        .map((action) => (typeof action === 'string' ? action : JSON.stringify(action)));
    if (principals.length > 0 && grants.length > 0) {
      found.push({ sid, grants, principals });
    }
  }
  return found;
}

/** One sentence on a wider Allow, after `<what> statement <sid> `, as SegmentsAccess, the CLI and the handler word it. */
export function widerSegmentsAllowAdvice(allow: WiderSegmentsAllow): string {
  return `allows ${allow.principals.join(', ')} ${allow.grants.join(', ')}, which can apply to Segments' user (${SEGMENTS_AWS_PRINCIPAL_ARN}) ` +
    'and grants it more than s3:GetObject, the read-only access the Segments statement promises. Name another principal, ' +
    'or exclude Segments (Principal of your own account, or a condition such as "ArnNotEquals": { "aws:PrincipalArn": ' +
    `"${SEGMENTS_AWS_PRINCIPAL_ARN}" }).`;
}

/** A statement of a policy, with its `Sid` or position, and whether it is one branch of an `Fn::If`. */
interface PolicyStatement {
  readonly statement: Statement;
  readonly sid: string;
  readonly conditional: boolean;
}

/** The statements of a policy document: a single statement object counts as a list of one; each branch of an `Fn::If` counts. */
function policyStatements(document: unknown): PolicyStatement[] {
  const raw = (document as { Statement?: unknown } | undefined)?.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return statements.flatMap((item: unknown, i: number) => {
    const branches = intrinsicValue(item, 'Fn::If');
    const conditional = Array.isArray(branches);
    const candidates = conditional ? (branches as unknown[]).slice(1) : [item];
    return candidates
      .filter((candidate): candidate is Statement => typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate) && !isIntrinsic(candidate))
      .map((statement) => ({
        statement,
        sid: typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : `#${i + 1}`,
        conditional,
      }));
  });
}

/**
 * One sentence on a lock-out Deny and how to exempt Segments, after `<what> statement <sid> `
 * (such as "bucket policy statement OfficeOnly "), as `SegmentsAccess` and the CLI word it.
 */
export function lockoutDenyAdvice(deny: LockoutDeny): string {
  return `${lockoutDenyDescription(deny)}, and can match Segments' s3:GetObject on the objects it reads. Segments reads ` +
    `through presigned URLs that labelers' browsers fetch from anywhere for up to ${SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS} hours, ` +
    `so this Deny may lock Segments out. Exempt Segments in the Deny's condition: "ArnNotEquals": { "aws:PrincipalArn": "${SEGMENTS_AWS_PRINCIPAL_ARN}" }.`;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** The AWS principals of a Principal element (`"*"` stands for everyone). */
function principalValues(principal: unknown): unknown[] {
  if (principal === '*') {
    return ['*'];
  }
  if (typeof principal !== 'object' || principal === null) {
    return [principal];
  }
  return asList((principal as Record<string, unknown>).AWS);
}

/** Whether a principal value covers Segments' user: `*`, its ARN, its account, or (when `unknownMatches`) a value not known at synth. */
function namesSegments(value: unknown, unknownMatches: boolean): boolean {
  const text = principalText(value);
  if (text === undefined) {
    return unknownMatches;
  }
  return text === '*' || text === SEGMENTS_AWS_PRINCIPAL_ARN || text === SEGMENTS_AWS_ACCOUNT_ID ||
    text === `arn:aws:iam::${SEGMENTS_AWS_ACCOUNT_ID}:root`;
}

/**
 * A principal value as text: a literal, or an `Fn::Join` of literals and the partition (rendered
 * `aws`, where Segments' user lives); `this-account` for a value of the stack's own account or a
 * resource of the template (`AWS::AccountId`, `Fn::GetAtt`), which is never Segments' user;
 * undefined when only known at deploy time.
 */
function principalText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (intrinsicValue(value, 'Fn::GetAtt') !== undefined) {
    return 'this-account';
  }
  const ref = intrinsicValue(value, 'Ref');
  if (ref === 'AWS::Partition') {
    return 'aws';
  }
  if (ref === 'AWS::AccountId') {
    return 'this-account';
  }
  const join = intrinsicValue(value, 'Fn::Join');
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(principalText);
    if (parts.includes('this-account')) {
      return 'this-account';
    }
    return parts.every((part) => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

/** The principals of an Allow that can be Segments' user, as written (empty when none can). */
function allowPrincipalsThatCanBeSegments(statement: Statement): string[] {
  const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  if (statement.NotPrincipal !== undefined) {
    return principalValues(statement.NotPrincipal).some((value) => namesSegments(value, false)) ? [] : [`NotPrincipal ${shown(statement.NotPrincipal)}`];
  }
  if (statement.Principal === undefined || isIntrinsic(statement.Principal)) {
    return [shown(statement.Principal ?? '(no Principal)')];
  }
  return principalValues(statement.Principal).filter((value) => namesSegments(value, true)).map(shown);
}

/** The value of a one-key object `{ [key]: value }`, else undefined. */
function intrinsicValue(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === key ? (value as Record<string, unknown>)[key] : undefined;
}

/** Whether a value is a CloudFormation intrinsic (`Ref`, `Fn::If`, `Fn::ImportValue`...): known at deploy time only. */
function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  readonly values: unknown[];
}

function conditionEntries(condition: unknown): ConditionEntry[] {
  if (typeof condition !== 'object' || condition === null) {
    return [];
  }
  return Object.entries(condition as Record<string, unknown>).flatMap(([operator, byKey]) =>
    Object.entries((byKey ?? {}) as Record<string, unknown>).map(([key, values]) => ({ operator, key, values: asList(values) })));
}

/** A CORS rule as CloudFormation renders it (`AllowedHeaders`, `AllowedMethods`, ..., `Id`, `MaxAge`). */
export type RenderedCorsRule = Readonly<Record<string, unknown>>;

/** Whether two rendered CORS rules are the same in every field (`Id` and `MaxAge` included); an absent list equals an empty one. */
export function sameCorsRule(a: RenderedCorsRule, b: RenderedCorsRule): boolean {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  const norm = (value: unknown) => JSON.stringify(value === undefined ? [] : value);
  return [...fields].every((field) => {
    const x = a[field];
    const y = b[field];
    if (Array.isArray(x) || Array.isArray(y) || x === undefined || y === undefined) {
      return norm(x) === norm(y);
    }
    return JSON.stringify(x) === JSON.stringify(y);
  });
}

function originMatches(pattern: string, origin: string): boolean {
  if (!pattern.includes('*')) {
    return pattern === origin;
  }
  const [head, tail] = pattern.split('*', 2);
  return origin.length >= head.length + tail.length && origin.startsWith(head) && origin.endsWith(tail);
}

/**
 * The index of the first CORS rule before `ownIndex` that S3 would apply to a GET from one of
 * `origins` (S3 applies the first matching rule), or -1.
 */
export function earlierMatchingCorsRule(
  rules: readonly { readonly AllowedMethods?: unknown; readonly AllowedOrigins?: unknown }[],
  ownIndex: number,
  origins: readonly string[],
): number {
  return rules.slice(0, ownIndex).findIndex((rule) =>
    asList(rule.AllowedMethods).includes('GET') &&
    asList(rule.AllowedOrigins).some((pattern) => typeof pattern === 'string' && origins.some((origin) => originMatches(pattern, origin))));
}
