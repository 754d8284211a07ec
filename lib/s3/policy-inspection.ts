/**
 * Pure inspections of a bucket policy and CORS configuration as CloudFormation renders them, as
 * S3 returns them for a deployed bucket, or as the CLI reads them from a `--merge` file. No cloud
 * library here: the AWS constructs (through lib/aws/private/policy-inspection.ts), a deploy-time
 * Lambda handler and the CLI report lock-outs by the same rule.
 */
import { SEGMENTS_AWS_ACCOUNT_ID, SEGMENTS_AWS_PRINCIPAL_ARN, SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS } from '../segments';

/** A Deny statement that can match Segments' `s3:GetObject` on the granted objects. */
export interface LockoutDeny {
  /** The statement's `Sid`, or `#<position>` (1-based) when it has none. */
  readonly sid: string;
  /** Its condition keys as written (empty when the Deny has no condition at all). */
  readonly keys: string[];
  /** The `NotPrincipal`, `NotAction` and `NotResource` elements it uses, if any. */
  readonly notElements?: string[];
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
 * default: any object), by an allow-list. A Deny stays quiet only when it cannot apply to
 * Segments' presigned GETs:
 *
 * | the Deny                                                         | why it cannot apply                       |
 * |------------------------------------------------------------------|-------------------------------------------|
 * | names principals, actions or resources that exclude Segments' GET | it does not match the request              |
 * | `Bool` `aws:SecureTransport` `false`                             | Segments' URLs are HTTPS                   |
 * | `NumericLessThan` `s3:TlsVersion` ≤ 1.2                          | Segments and browsers use TLS 1.2 or later |
 * | `ArnNotEquals`/`ArnNotLike`/`StringNotEquals`/`StringNotLike` `aws:PrincipalArn` listing Segments' ARN | Segments is exempted |
 *
 * Every other Deny is reported, with no condition, with any other condition key (source IP, VPC,
 * VPC endpoint, signature age, principal org/account/tag/ARN...), and with `NotPrincipal`,
 * `NotAction` or `NotResource`.
 */
export function lockoutDenyStatements(document: unknown, grantedObjectResources?: readonly unknown[]): LockoutDeny[] {
  const raw = (document as { Statement?: unknown } | undefined)?.Statement;
  const statements: Statement[] = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Statement[];
  const found: LockoutDeny[] = [];
  const opaque = new OpaqueValues();
  const granted = (grantedObjectResources ?? ANY_OBJECT).map((resource) => opaque.pattern(resource));
  statements.forEach((statement, i) => {
    if (statement?.Effect !== 'Deny') {
      return;
    }
    const conditions = conditionEntries(statement.Condition);
    if (conditions.some(cannotHoldForSegments) || !principalCanBeSegments(statement) || !actionCanBeGetObject(statement) ||
      !resourceCanBeGranted(statement, granted, opaque)) {
      return;
    }
    const notElements = (['NotPrincipal', 'NotAction', 'NotResource'] as const).filter((element) => statement[element] !== undefined);
    found.push({
      sid: typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : `#${i + 1}`,
      keys: [...new Set(conditions.map((entry) => entry.key))],
      ...(notElements.length > 0 ? { notElements } : {}),
    });
  });
  return found;
}

/**
 * One sentence on a lock-out Deny and how to exempt Segments, after `<what> statement <sid> `
 * (such as "bucket policy statement OfficeOnly "), as `SegmentsAccess` and the CLI word it.
 */
export function lockoutDenyAdvice(deny: LockoutDeny): string {
  const what = [
    ...(deny.notElements ?? []).map((element) => `uses ${element}`),
    deny.keys.length > 0 ? `denies on ${deny.keys.join(', ')}` : 'denies with no condition',
  ].join(' and ');
  return `${what}, and can match Segments' s3:GetObject on the objects it reads. Segments reads ` +
    `through presigned URLs that labelers' browsers fetch from anywhere for up to ${SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS} hours, ` +
    `so this Deny may lock Segments out. Exempt Segments in the Deny's condition: "ArnNotEquals": { "aws:PrincipalArn": "${SEGMENTS_AWS_PRINCIPAL_ARN}" }.`;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Whether the principal of a statement can be Segments' IAM user. Unknown (non-literal) values can. */
function principalCanBeSegments(statement: Statement): boolean {
  if (statement.NotPrincipal !== undefined) {
    return !principalValues(statement.NotPrincipal).some((value) => namesSegments(value, false));
  }
  if (statement.Principal === undefined) {
    return true;
  }
  return principalValues(statement.Principal).some((value) => namesSegments(value, true));
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
  if (typeof value !== 'string') {
    return unknownMatches;
  }
  return value === '*' || value === SEGMENTS_AWS_PRINCIPAL_ARN || value === SEGMENTS_AWS_ACCOUNT_ID ||
    value === `arn:aws:iam::${SEGMENTS_AWS_ACCOUNT_ID}:root`;
}

function actionCanBeGetObject(statement: Statement): boolean {
  if (statement.NotAction !== undefined) {
    return !asList(statement.NotAction).some((action) => typeof action === 'string' && globMatches(action.toLowerCase(), 's3:getobject'));
  }
  if (statement.Action === undefined) {
    return true;
  }
  return asList(statement.Action).some((action) => typeof action !== 'string' || globMatches(action.toLowerCase(), 's3:getobject'));
}

function resourceCanBeGranted(statement: Statement, granted: string[], opaque: OpaqueValues): boolean {
  if (statement.NotResource !== undefined || statement.Resource === undefined) {
    return true;
  }
  return asList(statement.Resource).some((resource) => {
    const pattern = opaque.pattern(resource);
    return granted.some((grant) => opaque.patternsIntersect(pattern, grant));
  });
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

/** The allow-list: condition entries known to be false for Segments' presigned GETs (so the Deny never applies to them). */
function cannotHoldForSegments({ operator, key, values }: ConditionEntry): boolean {
  const k = key.toLowerCase();
  if (k === 'aws:securetransport' && operator === 'Bool') {
    return values.length > 0 && values.every((value) => value === false || value === 'false');
  }
  if (k === 's3:tlsversion' && (operator === 'NumericLessThan' || operator === 'NumericLessThanEquals')) {
    return values.length > 0 && values.every((value) => {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return operator === 'NumericLessThan' ? n <= 1.2 : n < 1.2;
    });
  }
  if (k === 'aws:principalarn') {
    if (operator === 'ArnNotEquals' || operator === 'StringNotEquals') {
      return values.includes(SEGMENTS_AWS_PRINCIPAL_ARN);
    }
    if (operator === 'ArnNotLike' || operator === 'StringNotLike') {
      return values.some((value) => typeof value === 'string' && globMatches(value, SEGMENTS_AWS_PRINCIPAL_ARN));
    }
  }
  return false;
}

/** IAM wildcard matching (`*` any run, `?` one character) of a whole string. */
function globMatches(pattern: string, text: string): boolean {
  if (!/[*?]/.test(pattern)) {
    return pattern === text;
  }
  const regex = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
  return regex.test(text);
}

/**
 * Resource patterns with CloudFormation intrinsics (`Fn::GetAtt`, `Ref`...) in them: each distinct
 * intrinsic becomes one private-use character. Two patterns may share a character (the same
 * bucket ARN); a character only one side has stands for any text, so the answer errs on "can match".
 */
class OpaqueValues {
  private readonly chars = new Map<string, string>();

  public pattern(value: unknown): string {
    if (typeof value === 'string') {
      return value;
    }
    const join = (value as Record<string, unknown> | null)?.['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map((part: unknown) => this.pattern(part)).join(join[0]);
    }
    const key = JSON.stringify(value);
    let char = this.chars.get(key);
    if (char === undefined) {
      char = String.fromCharCode(0xe000 + this.chars.size);
      this.chars.set(key, char);
    }
    return char;
  }

  /** Whether some string matches both IAM patterns. */
  public patternsIntersect(a: string, b: string): boolean {
    const onlyIn = (x: string, y: string) => [...x].map((c) => (isOpaque(c) && !y.includes(c) ? '*' : c)).join('');
    const p = onlyIn(a, b);
    const q = onlyIn(b, a);
    const memo = new Map<number, boolean>();
    const go = (i: number, j: number): boolean => {
      const id = i * (q.length + 1) + j;
      const known = memo.get(id);
      if (known !== undefined) {
        return known;
      }
      let result: boolean;
      if (i === p.length && j === q.length) {
        result = true;
      } else if (i < p.length && p[i] === '*') {
        result = go(i + 1, j) || (j < q.length && go(i, j + 1));
      } else if (j < q.length && q[j] === '*') {
        result = go(i, j + 1) || (i < p.length && go(i + 1, j));
      } else if (i < p.length && j < q.length) {
        result = (p[i] === q[j] || p[i] === '?' || q[j] === '?') && go(i + 1, j + 1);
      } else {
        result = false;
      }
      memo.set(id, result);
      return result;
    };
    return go(0, 0);
  }
}

function isOpaque(c: string): boolean {
  const code = c.charCodeAt(0);
  return code >= 0xe000 && code <= 0xf8ff;
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
