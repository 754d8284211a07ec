/**
 * A policy document read into a normalised form ("IAM JSON policy element reference"): one list
 * per element, every single value lifted into a list, and every value that is not a JSON literal
 * (a CloudFormation intrinsic such as `{"Ref": ...}` or `{"Fn::If": [...]}`) kept as an
 * `IamNonLiteral` so that evaluation treats it as unknown instead of failing.
 */
import { parseOperator } from './conditions/operator';
import type { IamPolicyKind } from './result';

/** A value of a policy that is not a JSON literal: a CloudFormation intrinsic, evaluated as unknown. */
export interface IamNonLiteral {
  readonly nonLiteral: true;
  /** The element it stands in, such as `Resource` or `Condition.StringEquals.aws:SourceIp`. */
  readonly element: string;
  /** The value as written. */
  readonly value: unknown;
}

/** A list element's entry: a literal string, or a non-literal value. */
export type IamListEntry = string | IamNonLiteral;

/** One entry of `Principal` or `NotPrincipal`. `'*'` is the bare `"*"` form. */
export interface IamPrincipalEntry {
  readonly type: '*' | 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';
  readonly value: IamListEntry;
}

/** One condition: operator, key and values, as written. */
export interface IamCondition {
  /** The operator as written, such as `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The key as written; non-literal when the operator's whole block is an intrinsic. */
  readonly key: string | IamNonLiteral;
  /** The values as written, a non-string literal (`true`, `3`) as its JSON text. */
  readonly values: readonly IamListEntry[] | IamNonLiteral;
}

/** One statement, normalised. An element the statement does not have is absent. */
export interface IamStatement {
  /** `Sid`, or `#<position>` (1-based) when it has none. */
  readonly name: string;
  /** The statement's 1-based position in the policy. */
  readonly position: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny' | IamNonLiteral;
  readonly principal?: readonly IamPrincipalEntry[] | IamNonLiteral;
  readonly notPrincipal?: readonly IamPrincipalEntry[] | IamNonLiteral;
  readonly action?: readonly IamListEntry[] | IamNonLiteral;
  readonly notAction?: readonly IamListEntry[] | IamNonLiteral;
  readonly resource?: readonly IamListEntry[] | IamNonLiteral;
  readonly notResource?: readonly IamListEntry[] | IamNonLiteral;
  /** The conditions (all must match), or a non-literal `Condition` block. */
  readonly conditions: readonly IamCondition[] | IamNonLiteral;
  /** The condition keys as written, once each. */
  readonly conditionKeys: readonly string[];
}

/** One policy, normalised. */
export interface IamPolicy {
  /** `Version` as written: `2012-10-17` enables policy variables; without it, or `2008-10-17`, `${...}` is literal text. */
  readonly version?: string;
  readonly kind: IamPolicyKind;
  /** The statements; an entry is non-literal when a whole statement is an intrinsic (`Fn::If` around it). */
  readonly statements: readonly (IamStatement | IamNonLiteral)[];
}

/** A policy that cannot be a valid policy of its kind, with the element at fault. */
export class IamPolicyError extends Error {
  /**
   * @param element the element at fault, such as `Statement #2 Effect`
   * @param problem what is wrong with it
   */
  constructor(readonly element: string, readonly problem: string) {
    super(`${element}: ${problem}`);
    this.name = 'IamPolicyError';
  }
}

/** Whether `value` is a CloudFormation intrinsic: an object of one key, `Ref`, `Condition` or `Fn::<name>`. */
export function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  let only: string | undefined;
  for (const key in value) {
    if (only !== undefined) {
      return false;
    }
    only = key;
  }
  return only === 'Ref' || only === 'Condition' || (only !== undefined && only.startsWith('Fn::'));
}

const PARSED = new WeakSet<object>();

/**
 * Reads a policy (parsed JSON, or its JSON text) of the given kind into its normalised form.
 * Throws `IamPolicyError` naming the element when it cannot be a valid policy of that kind; a
 * non-literal value (a CloudFormation intrinsic) is never an error. An `IamPolicy` this function
 * returned is returned as it is.
 *
 * | element | required | may be |
 * |---------|----------|--------|
 * | `Version` | no | `2012-10-17` or `2008-10-17` |
 * | `Statement` | yes | one statement or a list |
 * | `Effect` | yes | `Allow`, `Deny` |
 * | `Principal` / `NotPrincipal` | exactly one in a resource policy; none in an identity or service control policy; an RCP's `Principal` only | `"*"` or an object of `AWS`, `Service`, `Federated`, `CanonicalUser` |
 * | `Action` / `NotAction` | exactly one (an RCP: `Action`) | a string or a list of strings |
 * | `Resource` / `NotResource` | at most one (none: every resource) | a string or a list of strings |
 * | `Condition` | no | operator → key → a value or a list of values (strings, numbers, booleans) |
 *
 * @param kind the kind of policy it is read as
 */
export function parseIamPolicy(policy: unknown, kind: IamPolicyKind = 'resource'): IamPolicy {
  if (typeof policy === 'object' && policy !== null && PARSED.has(policy)) {
    return policy as IamPolicy;
  }
  let document = policy;
  if (typeof policy === 'string') {
    try {
      document = JSON.parse(policy);
    } catch (e) {
      throw new IamPolicyError('policy', `is not JSON (${(e as Error).message})`);
    }
  }
  const parsed = readPolicy(document, kind);
  PARSED.add(parsed);
  return parsed;
}

function nonLiteral(element: string, value: unknown): IamNonLiteral {
  return { nonLiteral: true, element, value };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const POLICY_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

function readPolicy(document: unknown, kind: IamPolicyKind): IamPolicy {
  if (isIntrinsic(document)) {
    return { kind, statements: [nonLiteral('policy', document)] };
  }
  if (!isObject(document)) {
    throw new IamPolicyError('policy', 'must be a JSON object with a Statement');
  }
  for (const key of Object.keys(document)) {
    if (!POLICY_KEYS.has(key)) {
      throw new IamPolicyError(key, 'is not a policy element (Version, Id, Statement)');
    }
  }
  const version = document.Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17' && !isIntrinsic(version)) {
    throw new IamPolicyError('Version', `must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(version)}`);
  }
  const raw = document.Statement;
  if (raw === undefined) {
    throw new IamPolicyError('Statement', 'is missing');
  }
  const list = Array.isArray(raw) ? raw : [raw];
  const statements = list.map((statement, index) => readStatement(statement, index + 1, kind));
  return { version: typeof version === 'string' ? version : isIntrinsic(version) ? '2012-10-17' : undefined, kind, statements };
}

function readStatement(raw: unknown, position: number, kind: IamPolicyKind): IamStatement | IamNonLiteral {
  const where = `Statement #${position}`;
  if (isIntrinsic(raw)) {
    return nonLiteral(where, raw);
  }
  if (!isObject(raw)) {
    throw new IamPolicyError(where, 'must be an object');
  }
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(key)) {
      throw new IamPolicyError(`${where} ${key}`, 'is not a statement element');
    }
  }
  const sid = typeof raw.Sid === 'string' ? raw.Sid : undefined;
  if (raw.Sid !== undefined && sid === undefined && !isIntrinsic(raw.Sid)) {
    throw new IamPolicyError(`${where} Sid`, 'must be a string');
  }
  const name = sid !== undefined && sid !== '' ? sid : `#${position}`;
  const at = (element: string) => `Statement ${sid ? `"${sid}"` : `#${position}`} ${element}`;

  const effect = raw.Effect;
  let readEffect: IamStatement['effect'];
  if (effect === 'Allow' || effect === 'Deny') {
    readEffect = effect;
  } else if (isIntrinsic(effect)) {
    readEffect = nonLiteral('Effect', effect);
  } else {
    throw new IamPolicyError(at('Effect'), effect === undefined ? 'is missing' : `must be "Allow" or "Deny", not ${JSON.stringify(effect)}`);
  }

  const pair = (a: string, b: string, required: boolean): void => {
    if (raw[a] !== undefined && raw[b] !== undefined) {
      throw new IamPolicyError(at(a), `and ${b} cannot both be in one statement`);
    }
    if (required && raw[a] === undefined && raw[b] === undefined) {
      throw new IamPolicyError(at(a), `is missing (or ${b})`);
    }
  };
  pair('Action', 'NotAction', true);
  pair('Resource', 'NotResource', false);
  if (kind === 'resource-control') {
    // "Resource control policies (RCPs)": an RCP's statement has Principal "*", and supports neither
    // NotAction nor NotPrincipal.
    for (const element of ['NotAction', 'NotPrincipal']) {
      if (raw[element] !== undefined) {
        throw new IamPolicyError(at(element), 'is not supported in a resource control policy');
      }
    }
  }
  if (kind === 'resource') {
    pair('Principal', 'NotPrincipal', true);
  } else if (kind !== 'resource-control') {
    for (const element of ['Principal', 'NotPrincipal']) {
      if (raw[element] !== undefined) {
        throw new IamPolicyError(at(element), `is not allowed in ${kind === 'identity' ? 'an identity' : 'a service control'} policy`);
      }
    }
  }

  const statement: { -readonly [K in keyof IamStatement]: IamStatement[K] } = {
    name,
    position,
    effect: readEffect,
    conditions: [],
    conditionKeys: [],
  };
  if (sid !== undefined) {
    statement.sid = sid;
  }
  for (const [element, prop] of [['Action', 'action'], ['NotAction', 'notAction'], ['Resource', 'resource'], ['NotResource', 'notResource']] as const) {
    if (raw[element] !== undefined) {
      statement[prop] = readStringList(raw[element], element, at(element));
    }
  }
  for (const [element, prop] of [['Principal', 'principal'], ['NotPrincipal', 'notPrincipal']] as const) {
    if (raw[element] !== undefined) {
      statement[prop] = readPrincipal(raw[element], element, at(element));
    }
  }
  if (raw.Condition !== undefined) {
    const { conditions, keys } = readConditions(raw.Condition, at('Condition'));
    statement.conditions = conditions;
    statement.conditionKeys = keys;
  }
  return statement;
}

/** A string or a list of strings (each entry may be an intrinsic; so may the whole). */
function readStringList(value: unknown, element: string, where: string): readonly IamListEntry[] | IamNonLiteral {
  if (isIntrinsic(value)) {
    return nonLiteral(element, value);
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    throw new IamPolicyError(where, 'is an empty list');
  }
  return list.map((entry) => {
    if (typeof entry === 'string') {
      return entry;
    }
    if (isIntrinsic(entry)) {
      return nonLiteral(element, entry);
    }
    throw new IamPolicyError(where, `must hold strings, not ${JSON.stringify(entry)}`);
  });
}

function readPrincipal(value: unknown, element: string, where: string): readonly IamPrincipalEntry[] | IamNonLiteral {
  if (value === '*') {
    return [{ type: '*', value: '*' }];
  }
  if (isIntrinsic(value)) {
    return nonLiteral(element, value);
  }
  if (!isObject(value)) {
    throw new IamPolicyError(where, 'must be "*" or an object of AWS, Service, Federated or CanonicalUser');
  }
  const entries: IamPrincipalEntry[] = [];
  for (const [type, list] of Object.entries(value)) {
    if (!PRINCIPAL_TYPES.has(type)) {
      throw new IamPolicyError(`${where} ${type}`, 'is not a principal type (AWS, Service, Federated, CanonicalUser)');
    }
    const values = readStringList(list, element, `${where} ${type}`);
    if (!Array.isArray(values)) {
      entries.push({ type: type as IamPrincipalEntry['type'], value: values as IamNonLiteral });
      continue;
    }
    for (const v of values as readonly IamListEntry[]) {
      entries.push({ type: type as IamPrincipalEntry['type'], value: v });
    }
  }
  return entries;
}

/** A condition value as its text: strings as they are, numbers and booleans as JSON. */
function conditionValue(value: unknown, where: string): IamListEntry {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  if (isIntrinsic(value)) {
    return nonLiteral(where, value);
  }
  throw new IamPolicyError(where, `must be a string, number or boolean, not ${JSON.stringify(value)}`);
}

function readConditions(value: unknown, where: string): { conditions: readonly IamCondition[] | IamNonLiteral; keys: string[] } {
  if (isIntrinsic(value)) {
    return { conditions: nonLiteral('Condition', value), keys: [] };
  }
  if (!isObject(value)) {
    throw new IamPolicyError(where, 'must be an object of condition operators');
  }
  const conditions: IamCondition[] = [];
  const keys: string[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (parseOperator(operator) === undefined) {
      throw new IamPolicyError(`${where} ${operator}`, 'is not a condition operator');
    }
    if (isIntrinsic(block)) {
      conditions.push({ operator, key: nonLiteral(`Condition.${operator}`, block), values: nonLiteral(`Condition.${operator}`, block) });
      continue;
    }
    if (!isObject(block)) {
      throw new IamPolicyError(`${where} ${operator}`, 'must be an object of condition keys');
    }
    for (const [key, raw] of Object.entries(block)) {
      const element = `Condition.${operator}.${key}`;
      if (!keys.includes(key)) {
        keys.push(key);
      }
      if (isIntrinsic(raw)) {
        conditions.push({ operator, key, values: nonLiteral(element, raw) });
        continue;
      }
      const list = Array.isArray(raw) ? raw : [raw];
      conditions.push({ operator, key, values: list.map((v) => conditionValue(v, `${where} ${operator} ${key}`)) });
    }
  }
  return { conditions, keys };
}
