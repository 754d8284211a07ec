/**
 * Checks Terraform JSON against a provider's cdktf bindings, as `terraform validate` would the
 * names (it needs the providers from the registry, which this environment cannot reach): every
 * attribute and block name at any depth must be one the binding documents, and every required
 * top-level argument must be present. Each provider's test helpers say how to read its bindings.
 */

/** The blocks of a Terraform JSON document that hold resources and data sources. */
export type TerraformBlock = 'resource' | 'data';

/** How to read one provider's bindings. */
export interface BindingSchema {
  /** The attribute and block names the binding documents for a type, at any depth (empty if unknown). */
  documented(type: string, kind: TerraformBlock): Set<string>;
  /** The required top-level arguments of a type. */
  required(type: string, kind: TerraformBlock): string[];
  /** Whether the value under this key is a free-form map (labels, tags) whose keys are the user's. */
  freeForm(key: string): boolean;
}

/** Meta-arguments Terraform accepts on every resource, and cdktf's metadata key. */
const META_KEYS = new Set(['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each', 'provisioner', 'connection']);

/** Problems with the resources (and, when asked, data sources) of a Terraform JSON document. */
export function bindingSchemaProblems(
  json: { resource?: unknown; data?: unknown },
  schema: BindingSchema,
  kinds: readonly TerraformBlock[] = ['resource'],
): string[] {
  const problems: string[] = [];
  for (const kind of kinds) {
    const byType = (json[kind] ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
    for (const [type, byId] of Object.entries(byType)) {
      const label = kind === 'data' ? `data.${type}` : type;
      const known = schema.documented(type, kind);
      if (known.size === 0) {
        problems.push(`${label}: no binding documents it`);
        continue;
      }
      const required = schema.required(type, kind);
      for (const [id, body] of Object.entries(byId)) {
        const visit = (value: unknown, where: string): void => {
          if (Array.isArray(value)) {
            value.forEach((item, i) => visit(item, `${where}[${i}]`));
          } else if (value !== null && typeof value === 'object') {
            for (const [key, inner] of Object.entries(value)) {
              if ((where === '' && META_KEYS.has(key)) || key === '//') {
                continue;
              }
              if (!known.has(key)) {
                problems.push(`${label}.${id}${where}.${key}: not an attribute of ${label}`);
              }
              if (!schema.freeForm(key)) {
                visit(inner, `${where}.${key}`);
              }
            }
          }
        };
        visit(body, '');
        for (const arg of required) {
          if (!(arg in body)) {
            problems.push(`${label}.${id}: required argument ${arg} is missing`);
          }
        }
      }
    }
  }
  return problems;
}
