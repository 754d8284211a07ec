/**
 * A bucket policy (or a resource control policy) judged for one request of Segments' on EVERY key
 * under a prefix, or on one key: each statement is judged by the evaluator apart from its resource
 * (principal, action, conditions, at each moment of the presigned URL's life), and its
 * `Resource`/`NotResource` over the whole key space by pattern containment and intersection
 * (resource-patterns.ts). Never by sample keys.
 *
 * A key is allowed when an Allow applies to it and no Deny does; the prefix passes only when every
 * key under it is, for certain. Where a statement's truth depends on something unknown (a labeler's
 * address, an intrinsic of a template, an object tag not read), the answer is undetermined and
 * names it.
 */
import { evaluateIamStatement } from './evaluate';
import { IamListEntry, IamNonLiteral, IamPolicy, IamStatement, parseIamPolicy } from './policy-document';
import type { IamContextValue, IamRequest } from './request';
import { KeySpaceAnswer, KeySpaceClass, PatternTruth, ResourceElement, ResourceVariables, keySpaceMatches } from './resource-patterns';
import type { IamPolicyKind, IamStatementVerdict, IamTruth } from './result';

/** Which keys are judged: every key that starts with `prefix` (the whole bucket for ''), or exactly `key`. */
export type KeySpace = { readonly prefix: string } | { readonly key: string };

/** What a judgment needs. */
export interface KeySpaceInput {
  /** The policy: parsed JSON, its JSON text, or an `IamPolicy`. */
  readonly policy: unknown;
  /** @default 'resource' */
  readonly kind?: IamPolicyKind;
  /** The policy's name in the verdicts. @default 'resource policy' */
  readonly policyName?: string;
  /**
   * The request at each moment it is judged (each a full request; its `resource` is replaced by
   * every key's ARN). A Deny that applies at any moment denies; an Allow must apply at every one.
   */
  readonly requests: readonly IamRequest[];
  /** The bucket's ARN, `arn:<partition>:s3:::<bucket>`. */
  readonly bucketArn: string;
  readonly keys: KeySpace;
  /**
   * Only the keys whose ARN (`<bucketArn>/<key>`) also matches this resource pattern are judged
   * (such as the `Resource` of a grant, `arn:aws:s3:::bucket/images/*`).
   *
   * @default - every key of `keys`
   */
  readonly within?: string;
  /**
   * The ARN text every judged key's ARN starts with, instead of `<bucketArn>/<prefix>` (such as
   * `arn:aws:s3:::` with a `within` of every object ARN: every object of every bucket). Only with `keys.prefix`.
   *
   * @default - `<bucketArn>/<prefix>`
   */
  readonly arnPrefix?: string;
  /**
   * Renders a non-literal `Resource` entry (a CloudFormation `Fn::Join` of the bucket's ARN) as
   * pattern text; undefined leaves it unknown.
   *
   * @default - every non-literal entry is unknown
   */
  readonly resourceText?: (value: unknown) => string | undefined;
}

/** One statement's part in a judgment. */
export interface KeySpaceStatement {
  /** The evaluator's verdict on the statement apart from its resource, at the moment that decides. */
  readonly verdict: IamStatementVerdict;
  /** Its `Resource` (or `NotResource`, prefixed `not `) as written, literal entries only. */
  readonly resources: readonly string[];
  /** A key (the part after the prefix, or the key itself) it applies to, the shortest. */
  readonly example: string;
  /** True when it applies to `example` for certain; false when it might (an unknown decides). */
  readonly certain: boolean;
  /** The moment that decides (`signed` or `expiring`), when the moments differ. */
  readonly moment?: number;
}

/** The judgment of a key space. */
export interface KeySpaceJudgment {
  /** `allowed`: every key is allowed for certain. `denied`: some key is refused for certain. Else `undetermined`. */
  readonly decision: 'allowed' | 'denied' | 'undetermined';
  /** The Deny statements (and those of unknown effect) that apply, or might, to some key. */
  readonly denies: readonly KeySpaceStatement[];
  /** The Allow statements that apply for certain to some key. */
  readonly allows: readonly KeySpaceStatement[];
  /**
   * A key that no Allow covers for certain, when there is one: `certain` when no Allow can cover it,
   * else the Allows that might (`maybe`).
   */
  readonly uncovered?: { readonly example: string; readonly certain: boolean; readonly maybe: readonly KeySpaceStatement[] };
  /** False when the patterns were too many to decide: the decision is then `undetermined`. */
  readonly complete: boolean;
}

/** The policy variable standing for a non-literal resource entry: always unknown. */
const NON_LITERAL_VARIABLE = 'segments-cloud:non-literal';

function and3(a: IamTruth, b: IamTruth): IamTruth {
  return a === false || b === false ? false : a === true && b === true ? true : 'unknown';
}
function or3(a: IamTruth, b: IamTruth): IamTruth {
  return a === true || b === true ? true : a === false && b === false ? false : 'unknown';
}

function isNonLiteral(value: unknown): value is IamNonLiteral {
  return typeof value === 'object' && value !== null && (value as IamNonLiteral).nonLiteral === true;
}

/** The context value of a key, case-insensitively: text, `null` when unknown, undefined when missing. */
function variablesOf(request: IamRequest): ResourceVariables {
  const context = request.context ?? {};
  const values = new Map(Object.entries(context.values ?? {}).map(([k, v]) => [k.toLowerCase(), v] as [string, IamContextValue]));
  const unknown = (context.unknown ?? []).map((k) => k.toLowerCase());
  const missing = new Set((context.missing ?? []).map((k) => k.toLowerCase()));
  return (key) => {
    const k = key.toLowerCase();
    if (k === NON_LITERAL_VARIABLE) {
      return null;
    }
    const value = values.get(k);
    if (value !== undefined) {
      // A multivalued key cannot stand in a resource ("Variables and tags"): no value.
      return typeof value === 'string' ? value : undefined;
    }
    if (unknown.some((u) => (u.endsWith('*') ? k.startsWith(u.slice(0, -1)) : u === k))) {
      return null;
    }
    if (missing.has(k)) {
      return undefined;
    }
    return context.unlisted === 'unknown' ? null : undefined;
  };
}

/** A statement's resource element as patterns for resource-patterns.ts. */
function resourceElement(statement: IamStatement, variablesOn: boolean, resourceText: (value: unknown) => string | undefined): ResourceElement {
  const not = statement.resource === undefined && statement.notResource !== undefined;
  const element = not ? statement.notResource : statement.resource;
  if (element === undefined) {
    return { patterns: ['*'] };
  }
  const literal = (text: string) => (variablesOn ? text : text.replace(/\$/g, '${$}'));
  const entry = (value: IamListEntry): string => {
    if (!isNonLiteral(value)) {
      return literal(value);
    }
    const text = resourceText(value.value);
    return text !== undefined ? literal(text) : `\${${NON_LITERAL_VARIABLE}}`;
  };
  if (isNonLiteral(element)) {
    // The whole element is one intrinsic (an Fn::Join of the bucket's ARN), or a list holding some.
    const values = Array.isArray(element.value) ? element.value : [element.value];
    return { not, patterns: values.map((value) => entry(typeof value === 'string' ? value : { nonLiteral: true, element: element.element, value })) };
  }
  return { not, patterns: element.map(entry) };
}

function writtenResources(statement: IamStatement): string[] {
  const not = statement.resource === undefined && statement.notResource !== undefined;
  const element = not ? statement.notResource : statement.resource;
  const shown = (value: IamListEntry) => (isNonLiteral(value) ? JSON.stringify(value.value) : value);
  const list = element === undefined ? ['*'] : isNonLiteral(element) ? [JSON.stringify(element.value)] : element.map(shown);
  return list.map((text) => (not ? `not ${text}` : text));
}

/**
 * Judges every key of `input.keys` under the policy. Throws `IamPolicyError` when the policy cannot
 * be valid.
 */
export function judgeKeySpace(input: KeySpaceInput): KeySpaceJudgment {
  const kind = input.kind ?? 'resource';
  const parsed: IamPolicy = isParsedPolicy(input.policy) ? input.policy : parseIamPolicy(input.policy, kind);
  const policyName = input.policyName ?? 'resource policy';
  const variablesOn = parsed.version === '2012-10-17';
  const statements = parsed.statements.filter((s): s is IamStatement => !isNonLiteral(s));
  const keyArn = 'key' in input.keys ? `${input.bucketArn}/${input.keys.key}` : input.arnPrefix ?? `${input.bucketArn}/${input.keys.prefix}`;

  // Each statement apart from its resource, at each moment.
  const judged = statements.map((statement) => {
    const apart: IamStatement = { ...statement, resource: ['*'], notResource: undefined };
    const verdicts = input.requests.map((request) => evaluateIamStatement(apart, parsed, { ...request, resource: keyArn }, policyName));
    const effect = statement.effect;
    const denyRole = isNonLiteral(effect) || effect === 'Deny';
    const allowRole = isNonLiteral(effect) || effect === 'Allow';
    // As a Deny: applies at some moment. As an Allow: applies at every moment.
    const asDeny = pick(verdicts, true);
    const asAllow = pick(verdicts, false);
    return { statement, denyRole, allowRole, effectKnown: !isNonLiteral(effect), asDeny, asAllow };
  });

  const variables = variablesOf(input.requests[0]);
  // A statement that applies to no request of these (in either role) matches no key: its patterns
  // are left out of the automaton, which is then often not needed at all.
  const idle = judged.map((j) => (!j.denyRole || j.asDeny.verdict.applies === false) && (!j.allowRole || j.asAllow.verdict.applies === false));
  const elements: ResourceElement[] = statements.map((s, i) => (idle[i] ? { patterns: [] } : resourceElement(s, variablesOn, input.resourceText ?? (() => undefined))));
  if (input.within !== undefined) {
    elements.push({ patterns: [input.within] });
  }
  const spaceOptions = 'key' in input.keys ? { exact: true } : { nonEmptySuffix: input.keys.prefix === '' && input.arnPrefix === undefined };
  const answer: KeySpaceAnswer = idle.every(Boolean) && input.within === undefined
    ? { complete: true, classes: [{ matches: elements.map(() => false), example: spaceOptions.nonEmptySuffix ? 'x' : '' }] }
    : keySpaceMatches(keyArn, elements, variables, spaceOptions);
  if (!answer.complete) {
    return { decision: 'undetermined', denies: [], allows: [], complete: false };
  }
  // Keys outside `within` are not judged (one it might hold is).
  const classes = input.within === undefined ? answer.classes : answer.classes.filter((c) => c.matches[statements.length] !== false);

  const denies = new Map<number, KeySpaceStatement>();
  const allows = new Map<number, KeySpaceStatement>();
  let uncovered: { example: string; certain: boolean; maybe: KeySpaceStatement[] } | undefined;
  let denied = false;
  let allAllowed = true;
  const shown = (i: number, verdict: { verdict: IamStatementVerdict; moment: number }, c: KeySpaceClass, certain: boolean): KeySpaceStatement => ({
    verdict: verdict.verdict,
    resources: writtenResources(statements[i]),
    example: c.example,
    certain,
    ...(input.requests.length > 1 ? { moment: verdict.moment } : {}),
  });
  for (const c of classes) {
    let denyTruth = false as IamTruth;
    let allowTruth = false as IamTruth;
    const maybeAllows: KeySpaceStatement[] = [];
    for (const [i, j] of judged.entries()) {
      const resource: PatternTruth = c.matches[i];
      if (j.denyRole) {
        const m = and3(j.asDeny.verdict.applies, resource);
        const t: IamTruth = j.effectKnown ? m : (m === false ? false : 'unknown');
        denyTruth = or3(denyTruth, t);
        const known = denies.get(i);
        if (t !== false && (!known || (!known.certain && t === true))) {
          denies.set(i, shown(i, j.asDeny, c, t === true));
        }
      }
      if (j.allowRole) {
        const m = and3(j.asAllow.verdict.applies, resource);
        const t: IamTruth = j.effectKnown ? m : (m === false ? false : 'unknown');
        allowTruth = or3(allowTruth, t);
        if (t === true && !allows.has(i)) {
          allows.set(i, shown(i, j.asAllow, c, true));
        }
        if (t === 'unknown') {
          maybeAllows.push(shown(i, j.asAllow, c, false));
        }
      }
    }
    if (denyTruth === true || allowTruth === false) {
      denied = true;
    }
    if (denyTruth !== false || allowTruth !== true) {
      allAllowed = false;
    }
    if (allowTruth !== true && (!uncovered || (!uncovered.certain && allowTruth === false))) {
      uncovered = { example: c.example, certain: allowTruth === false, maybe: allowTruth === false ? [] : maybeAllows };
    }
  }
  // A whole statement only known at deploy time (Fn::If around it) might deny any key.
  const opaque = parsed.statements.filter(isNonLiteral);
  const opaqueDenies = opaque.map((value): KeySpaceStatement => ({
    verdict: {
      name: `#${parsed.statements.indexOf(value) + 1}`, policy: policyName, effect: 'unknown', conditionKeys: [],
      applies: 'unknown', unknownKeys: [], unknownConditions: [], unknownElements: ['Statement'],
    },
    resources: [JSON.stringify(value.value)],
    example: classes[0]?.example ?? '',
    certain: false,
  }));
  if (opaque.length > 0) {
    allAllowed = false;
  }
  return {
    decision: denied ? 'denied' : allAllowed ? 'allowed' : 'undetermined',
    denies: [...[...denies.entries()].sort(([a], [b]) => a - b).map(([, s]) => s), ...opaqueDenies],
    allows: [...allows.entries()].sort(([a], [b]) => a - b).map(([, s]) => s),
    ...(uncovered ? { uncovered } : {}),
    complete: true,
  };
}

/**
 * The verdict that decides over the moments: as a Deny (`deny`), the first where it applies, else
 * the first where it might; as an Allow, the first where it does not apply, else the first where it
 * might not. Its `applies` is the combined truth.
 */
function pick(verdicts: readonly IamStatementVerdict[], deny: boolean): { verdict: IamStatementVerdict; moment: number } {
  const decisive = deny ? true : false;
  let index = verdicts.findIndex((v) => v.applies === decisive);
  if (index < 0) {
    index = verdicts.findIndex((v) => v.applies === 'unknown');
  }
  if (index < 0) {
    index = 0;
  }
  return { verdict: verdicts[index], moment: index };
}

function isParsedPolicy(value: unknown): value is IamPolicy {
  return typeof value === 'object' && value !== null && Array.isArray((value as IamPolicy).statements) && typeof (value as IamPolicy).kind === 'string';
}
