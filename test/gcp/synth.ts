/**
 * Helpers of the Google Cloud tests: synthesize a scope to parsed Terraform JSON, pick resources,
 * read warnings, and check attribute names against the provider bindings (terraform validate
 * needs the provider from the registry, which this environment cannot reach).
 */
import * as fs from 'fs';
import * as path from 'path';
import { IConstruct, Construct } from 'constructs';
import { Testing, TerraformStack } from 'cdktf';
import { bindingSchemaProblems } from '../helpers/terraform-schema';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';

/** Synthesized Terraform JSON, parsed. */
export interface TfJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
  readonly provider?: Record<string, unknown[]>;
  readonly [key: string]: unknown;
}

/** A fresh stack in a fresh testing app (no validations, no stack traces). */
export function newStack(id = 'stack'): TerraformStack {
  return new TerraformStack(Testing.app(), id);
}

/** The Terraform JSON text of a stack, as Testing.synth writes it (metadata removed, keys sorted). */
export function synthText(stack: TerraformStack): string {
  return Testing.synth(stack);
}

/** The parsed Terraform JSON of a stack. */
export function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** Builds constructs in a fresh stack and returns its parsed Terraform JSON and the stack. */
export function synthWith(build: (scope: Construct) => void): { json: TfJson; text: string; stack: TerraformStack } {
  const stack = newStack();
  build(stack);
  const text = Testing.synth(stack);
  return { json: JSON.parse(text) as TfJson, text, stack };
}

/** The resources of one type, by logical ID. */
export function resourcesOf(json: TfJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type; fails when there are none or several. */
export function onlyResource(json: TfJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${all.length}`);
  }
  return all[0];
}

/** The logical ID of the only resource of a type. */
export function onlyLogicalId(json: TfJson, type: string): string {
  const ids = Object.keys(resourcesOf(json, type));
  if (ids.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${ids.length}`);
  }
  return ids[0];
}

/** The resource types present in the JSON. */
export function resourceTypes(json: TfJson): string[] {
  return Object.keys(json.resource ?? {}).sort();
}

/** The messages of the warnings added to a construct or anything under it. */
export function warningsUnder(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((entry) => entry.type === '@cdktf/warn')
    .map((entry) => String(entry.data));
}

/** Runs a build and returns the thrown error's message ('' when nothing was thrown). */
export function errorOf(build: (scope: Construct) => void): string {
  try {
    build(newStack());
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

/**
 * Builds constructs in a fresh stack with a Google provider (of unknown project) and synthesizes it
 * with validations, as `app.synth()` and `cdktf synth` do: the checks that read the whole app run
 * there, and `Testing.synth(stack)` skips them. Returns the error thrown ('' when none).
 */
export function synthErrorOf(build: (scope: Construct) => void): string {
  try {
    const stack = newStack();
    new GoogleProvider(stack, 'google');
    build(stack);
    Testing.synth(stack, true);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

function bindingDts(resourceType: string): string {
  const dir = resourceType.replace(/^google_/, '').replace(/_/g, '-');
  const file = path.join(path.dirname(require.resolve('@cdktf/provider-google/package.json')), 'lib', dir, 'index.d.ts');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/**
 * The attribute and block names the provider binding documents for a resource type, at any depth
 * (each is linked as `.../docs/resources/<type>#<name>` in the binding's JSDoc).
 */
export function documentedAttributes(resourceType: string): Set<string> {
  const name = resourceType.replace(/^google_/, '');
  const re = new RegExp(`/docs/resources/${name}#([a-z0-9_]+)`, 'g');
  return new Set([...bindingDts(resourceType).matchAll(re)].map((m) => m[1]));
}

/** The required top-level arguments of a resource type: the non-optional fields of its Config interface. */
export function requiredAttributes(resourceType: string): string[] {
  const dts = bindingDts(resourceType);
  const start = dts.search(/export interface \w+Config extends cdktf\.TerraformMetaArguments \{/);
  const body = dts.slice(start, dts.indexOf('\n}', start));
  return [...body.matchAll(/^\s+readonly (\w+): /gm)].map((m) => m[1].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
}

/**
 * Problems with the resources of a Terraform JSON document against the provider bindings:
 * attribute names the binding does not know (at any depth) and missing required arguments.
 */
export function schemaProblems(json: TfJson): string[] {
  return bindingSchemaProblems(json, {
    documented: (type) => documentedAttributes(type),
    required: (type) => requiredAttributes(type),
    freeForm: (key) => key.endsWith('labels'),
  });
}

/** Every string anywhere in a JSON value. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(allStrings);
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...allStrings(v)]);
  }
  return [];
}
