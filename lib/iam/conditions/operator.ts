/**
 * A condition operator's name read into its parts ("IAM JSON policy elements: Condition
 * operators"): an optional set operator (`ForAnyValue:`, `ForAllValues:`), the base operator, and
 * an optional `IfExists` suffix. Operator names are matched case-insensitively, as AWS reads them.
 */

/** The operator families of AWS's condition-operator page. */
export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

/** A parsed operator. */
export interface ParsedOperator {
  readonly set?: 'ForAnyValue' | 'ForAllValues';
  /** The base operator in AWS's spelling, such as `StringNotLike`. */
  readonly base: string;
  readonly family: OperatorFamily;
  /** A negated operator (`...Not...`): true when no policy value matches. */
  readonly negated: boolean;
  readonly ifExists: boolean;
}

const BASES: Readonly<Record<string, readonly [OperatorFamily, boolean]>> = {
  StringEquals: ['String', false],
  StringNotEquals: ['String', true],
  StringEqualsIgnoreCase: ['String', false],
  StringNotEqualsIgnoreCase: ['String', true],
  StringLike: ['String', false],
  StringNotLike: ['String', true],
  NumericEquals: ['Numeric', false],
  NumericNotEquals: ['Numeric', true],
  NumericLessThan: ['Numeric', false],
  NumericLessThanEquals: ['Numeric', false],
  NumericGreaterThan: ['Numeric', false],
  NumericGreaterThanEquals: ['Numeric', false],
  DateEquals: ['Date', false],
  DateNotEquals: ['Date', true],
  DateLessThan: ['Date', false],
  DateLessThanEquals: ['Date', false],
  DateGreaterThan: ['Date', false],
  DateGreaterThanEquals: ['Date', false],
  Bool: ['Bool', false],
  BinaryEquals: ['Binary', false],
  IpAddress: ['IpAddress', false],
  NotIpAddress: ['IpAddress', true],
  ArnEquals: ['Arn', false],
  ArnLike: ['Arn', false],
  ArnNotEquals: ['Arn', true],
  ArnNotLike: ['Arn', true],
  Null: ['Null', false],
};

const BY_LOWER = new Map(Object.keys(BASES).map((name) => [name.toLowerCase(), name]));
const CACHE = new Map<string, ParsedOperator | undefined>();

/** Reads an operator name; undefined when AWS has no such operator. */
export function parseOperator(name: string): ParsedOperator | undefined {
  if (CACHE.has(name)) {
    return CACHE.get(name);
  }
  const parsed = readOperator(name);
  CACHE.set(name, parsed);
  return parsed;
}

function readOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: ParsedOperator['set'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') {
      set = 'ForAnyValue';
    } else if (prefix === 'forallvalues') {
      set = 'ForAllValues';
    } else {
      return undefined;
    }
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'ifexists'.length);
  }
  const base = BY_LOWER.get(rest.toLowerCase());
  if (base === undefined || (base === 'Null' && (ifExists || set !== undefined))) {
    return undefined;
  }
  const [family, negated] = BASES[base];
  return { set, base, family, negated, ifExists };
}
