/**
 * Helpers of the Azure tests: the cloud-free helpers of the Google tests (synthesize, pick
 * resources, read warnings), plus a check of attribute names against the azurerm and azuread
 * bindings (terraform validate needs the providers from the registry, which this environment
 * cannot reach).
 */
import * as fs from 'fs';
import * as path from 'path';
import { TfJson } from '../gcp/synth';
import { bindingSchemaProblems } from '../helpers/terraform-schema';

export {
  allStrings,
  errorOf,
  newStack,
  onlyLogicalId,
  onlyResource,
  resourceTypes,
  resourcesOf,
  synthWith,
  warningsUnder,
} from '../gcp/synth';
export type { TfJson } from '../gcp/synth';

/** Where a Terraform type's binding lives, and how its JSDoc links its attributes. */
interface Binding {
  readonly dts: string;
  readonly docs: string;
}

const PROVIDERS: Record<string, string> = { azurerm: '@cdktf/provider-azurerm', azuread: '@cdktf/provider-azuread' };

function binding(type: string, kind: 'resource' | 'data'): Binding {
  const [provider, ...rest] = type.split('_');
  const pkg = PROVIDERS[provider];
  const name = rest.join('_');
  if (pkg === undefined) {
    return { dts: '', docs: name };
  }
  const dir = (kind === 'data' ? `data-${provider}-${name}` : name).replace(/_/g, '-');
  const file = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'lib', dir, 'index.d.ts');
  return { dts: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', docs: `/docs/${kind === 'data' ? 'data-sources' : 'resources'}/${name}` };
}

/** The attribute and block names a binding documents for a resource or data source type, at any depth. */
export function documentedAttributes(type: string, kind: 'resource' | 'data' = 'resource'): Set<string> {
  const { dts, docs } = binding(type, kind);
  const re = new RegExp(`${docs}#([a-z0-9_]+)`, 'g');
  return new Set([...dts.matchAll(re)].map((m) => m[1]));
}

/** The required top-level arguments of a type: the non-optional fields of its Config interface. */
export function requiredAttributes(type: string, kind: 'resource' | 'data' = 'resource'): string[] {
  const { dts } = binding(type, kind);
  const start = dts.search(/export interface \w+Config extends cdktf\.TerraformMetaArguments \{/);
  if (start < 0) {
    return [];
  }
  const body = dts.slice(start, dts.indexOf('\n}', start));
  return [...body.matchAll(/^\s+readonly (\w+): /gm)].map((m) => m[1].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
}

/** Maps whose keys are the user's. */
const FREE_FORM = new Set(['tags', 'metadata']);

/**
 * Problems with the resources and data sources of a Terraform JSON document against the
 * bindings: attribute names the binding does not know (at any depth) and missing required arguments.
 */
export function schemaProblems(json: TfJson): string[] {
  return bindingSchemaProblems(json, {
    documented: documentedAttributes,
    required: requiredAttributes,
    freeForm: (key) => FREE_FORM.has(key),
  }, ['resource', 'data']);
}

