/**
 * What the `Bucket` property of an `AWS::S3::BucketPolicy` (or any property that names a bucket)
 * refers to, read from the CloudFormation JSON it renders to. Every check that asks "is this the
 * bucket's policy?" or "is this the bucket?" uses {@link bucketTargets}, so that no form of
 * reference escapes one check and not another. Pure: no aws-cdk-lib; what only the app knows
 * (a nested stack's parameters, the value of an export) the caller gives as a {@link TemplateContext}.
 *
 * | the value                                                     | it refers to                                   |
 * |---------------------------------------------------------------|------------------------------------------------|
 * | `"acme-images"`                                               | the name `acme-images`                         |
 * | `{"Ref": "Images"}`                                           | the resource `Images` (a bucket's Ref is its name) |
 * | `{"Fn::GetAtt": ["Images", "Arn"]}`                           | `arn:<partition>:s3:::` + the name of `Images` |
 * | `{"Fn::Sub": "${Images}"}`, `{"Fn::Sub": ["${B}", {"B": …}]}`   | what the variables refer to, with the text around them |
 * | `{"Fn::Join": [sep, [...]]}`                                  | the parts joined                               |
 * | `{"Fn::Select": [i, {"Fn::Split": [sep, …]}]}`                 | that part (the name out of a bucket's ARN: `Bucket.fromBucketArn`) |
 * | `{"Fn::ImportValue": name}`                                   | what the export of that name holds (the context knows the app's exports) |
 * | `{"Fn::GetStackOutput": {StackName, OutputName}}`             | what that output of that stack holds (cross-stack references without exports) |
 * | `{"Ref": parameter}`                                          | a nested stack's parameter: what its parent passes; otherwise unknown |
 * | `{"Fn::If": [c, a, b]}` (at the top)                          | both `a` and `b`                               |
 * | anything else                                                 | unknown                                        |
 */

/** What a value refers to: the name of a resource of some template, a literal name, or unknown. */
export type BucketTarget =
  | { readonly kind: 'resource'; readonly stack: string; readonly logicalId: string }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'unknown' };

/** A value together with the template it is to be read in. */
export interface ValueInTemplate {
  readonly value: unknown;
  readonly context: TemplateContext;
}

/** What the caller knows about the template a value is read in. */
export interface TemplateContext {
  /** Names the template's stack in the targets found (`resource.stack`). */
  readonly stack: string;
  /** Whether a logical ID is a parameter of the template (so a `Ref` to it is not a resource). */
  isParameter(logicalId: string): boolean;
  /** The value a parameter is given (a nested stack's, by its parent), or undefined when not known at synth. */
  parameterValue?(name: string): ValueInTemplate | undefined;
  /** The value of the export with this name (`Fn::ImportValue`), or undefined when the app has no such export. */
  exportValue?(name: string): ValueInTemplate | undefined;
  /** The value of an output of another stack of the app (`Fn::GetStackOutput`), or undefined when the app has no such output. */
  stackOutputValue?(stackName: string, outputName: string): ValueInTemplate | undefined;
}

/** One piece of a string: literal text, the name of a resource, a value with no ':' nor '/' (a pseudo parameter), or unknown text. */
type Part = string | { readonly name: { readonly stack: string; readonly logicalId: string } } | { readonly atom: true } | { readonly unknown: true };

const UNKNOWN: Part = { unknown: true };
const ATOM: Part = { atom: true };

/** How deep intrinsics (and imports of imports) are followed before the value counts as unknown. */
const MAX_DEPTH = 32;

/** The targets a value can refer to: one, or one per branch of a top-level `Fn::If`. */
export function bucketTargets(value: unknown, context: TemplateContext): BucketTarget[] {
  return targets(value, context, 0);
}

function targets(value: unknown, context: TemplateContext, depth: number): BucketTarget[] {
  const branches = intrinsic(value, 'Fn::If');
  if (Array.isArray(branches) && branches.length === 3 && depth < MAX_DEPTH) {
    return [...targets(branches[1], context, depth + 1), ...targets(branches[2], context, depth + 1)];
  }
  return [targetOf(normalized(text(value, context, depth)))];
}

function targetOf(parts: Part[]): BucketTarget {
  if (parts.length === 1 && typeof parts[0] === 'object' && 'name' in parts[0]) {
    return { kind: 'resource', ...parts[0].name };
  }
  if (parts.every((part) => typeof part === 'string')) {
    return { kind: 'name', name: parts.join('') };
  }
  return { kind: 'unknown' };
}

/** The value of a one-key object `{ [key]: value }`, else undefined. */
function intrinsic(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === key ? (value as Record<string, unknown>)[key] : undefined;
}

/** Adjacent literals merged, empty ones dropped. */
function normalized(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    if (part === '') {
      continue;
    }
    const last = out[out.length - 1];
    if (typeof part === 'string' && typeof last === 'string') {
      out[out.length - 1] = last + part;
    } else {
      out.push(part);
    }
  }
  return out;
}

/** A string value as parts. */
function text(value: unknown, context: TemplateContext, depth: number): Part[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (typeof value === 'number') {
    return [String(value)];
  }
  if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length !== 1) {
    return [UNKNOWN];
  }
  const [key, arg] = Object.entries(value)[0];
  switch (key) {
    case 'Ref':
      return typeof arg === 'string' ? ref(arg, context, depth) : [UNKNOWN];
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = typeof arg === 'string' ? arg.split(/\.(.*)/s) : Array.isArray(arg) ? arg : [];
      return typeof logicalId === 'string' ? getAtt(logicalId, attribute, context) : [UNKNOWN];
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string') {
        return [UNKNOWN];
      }
      const items = list(arg[1], context, depth + 1);
      return items === undefined ? [UNKNOWN] : items.flatMap((item, i) => (i === 0 ? item : [arg[0], ...item]));
    }
    case 'Fn::Sub':
      return sub(arg, context, depth + 1);
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) {
        return [UNKNOWN];
      }
      const index = typeof arg[0] === 'number' ? arg[0] : typeof arg[0] === 'string' && /^\d+$/.test(arg[0]) ? Number(arg[0]) : NaN;
      const items = list(arg[1], context, depth + 1);
      return items !== undefined && Number.isInteger(index) && index < items.length ? items[index] : [UNKNOWN];
    }
    case 'Fn::ImportValue': {
      const name = normalized(text(arg, context, depth + 1));
      const exported = name.length === 1 && typeof name[0] === 'string' ? context.exportValue?.(name[0]) : undefined;
      return exported ? text(exported.value, exported.context, depth + 1) : [UNKNOWN];
    }
    case 'Fn::GetStackOutput': {
      const { StackName: stackName, OutputName: outputName } = (typeof arg === 'object' && arg !== null ? arg : {}) as Record<string, unknown>;
      const output = typeof stackName === 'string' && typeof outputName === 'string' ? context.stackOutputValue?.(stackName, outputName) : undefined;
      return output ? text(output.value, output.context, depth + 1) : [UNKNOWN];
    }
    default:
      return [UNKNOWN];
  }
}

function ref(logicalId: string, context: TemplateContext, depth: number): Part[] {
  if (logicalId.startsWith('AWS::')) {
    return logicalId === 'AWS::NoValue' ? [UNKNOWN] : [ATOM];
  }
  if (context.isParameter(logicalId)) {
    const given = context.parameterValue?.(logicalId);
    return given ? text(given.value, given.context, depth + 1) : [UNKNOWN];
  }
  return [{ name: { stack: context.stack, logicalId } }];
}

/** A bucket's attributes in terms of its name; any other attribute is unknown. */
function getAtt(logicalId: string, attribute: unknown, context: TemplateContext): Part[] {
  if (context.isParameter(logicalId)) {
    return [UNKNOWN];
  }
  const name: Part = { name: { stack: context.stack, logicalId } };
  return attribute === 'Arn' ? ['arn:', ATOM, ':s3:::', name] : [UNKNOWN];
}

/** `Fn::Sub` with its string form (variables are logical IDs, `Id.Attribute` or pseudo parameters) or its `[string, map]` form. */
function sub(arg: unknown, context: TemplateContext, depth: number): Part[] {
  const [body, variables] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? arg : [undefined, undefined];
  if (typeof body !== 'string' || typeof variables !== 'object' || variables === null) {
    return [UNKNOWN];
  }
  const parts: Part[] = [];
  const pattern = /\$\{([^}]*)\}/g;
  let at = 0;
  for (let match = pattern.exec(body); match !== null; match = pattern.exec(body)) {
    parts.push(body.slice(at, match.index));
    at = match.index + match[0].length;
    const variable = match[1].trim();
    if (variable.startsWith('!')) {
      parts.push(`\${${variable.slice(1)}}`);
    } else if (Object.prototype.hasOwnProperty.call(variables, variable)) {
      parts.push(...text((variables as Record<string, unknown>)[variable], context, depth + 1));
    } else if (variable.includes('.') && !variable.startsWith('AWS::')) {
      const dot = variable.indexOf('.');
      parts.push(...getAtt(variable.slice(0, dot), variable.slice(dot + 1), context));
    } else {
      parts.push(...ref(variable, context, depth + 1));
    }
  }
  parts.push(body.slice(at));
  return parts;
}

/** A list value as the parts of each item, or undefined when its length is not known at synth. */
function list(value: unknown, context: TemplateContext, depth: number): Part[][] | undefined {
  if (Array.isArray(value)) {
    return value.map((item) => text(item, context, depth + 1));
  }
  const split = intrinsic(value, 'Fn::Split');
  if (!Array.isArray(split) || typeof split[0] !== 'string' || split[0] === '') {
    return undefined;
  }
  const separator = split[0];
  const source = normalized(text(split[1], context, depth + 1));
  // A name, a pseudo parameter or unknown text may hold the separator, except ':' and '/' for names and pseudo parameters
  // (bucket names, partitions, regions and account IDs have neither).
  const atomic = separator === ':' || separator === '/';
  if (source.some((part) => typeof part !== 'string' && ('unknown' in part || !atomic))) {
    return undefined;
  }
  const items: Part[][] = [[]];
  for (const part of source) {
    if (typeof part !== 'string') {
      items[items.length - 1].push(part);
      continue;
    }
    part.split(separator).forEach((piece, i) => {
      if (i > 0) {
        items.push([]);
      }
      items[items.length - 1].push(piece);
    });
  }
  return items;
}
