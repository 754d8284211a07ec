/**
 * The project's effective organization policies that decide whether Segments can be granted at
 * all, read with the Organization Policy API v2
 * (`GET https://orgpolicy.googleapis.com/v2/projects/P/policies/C:getEffectivePolicy`, permission
 * `orgpolicy.policy.get`).
 *
 * - `iam.allowedPolicyMemberDomains` (domain-restricted sharing): a list constraint whose allowed
 *   values are Google Workspace / Cloud Identity customer IDs (`C0abc123`) or principal sets. While
 *   it restricts, binding a principal of another organization, such as Segments' service account,
 *   is refused (https://cloud.google.com/resource-manager/docs/organization-policy/restricting-domains).
 *   It is checked when a binding is made, so an existing binding keeps working.
 * - `storage.publicAccessPrevention`: a boolean constraint; enforced, it makes every bucket whose
 *   `publicAccessPrevention` is `inherited` refuse public members
 *   (https://cloud.google.com/storage/docs/public-access-prevention).
 */

/** An effective policy (the fields used). */
export interface GcsOrgPolicy {
  readonly spec?: {
    readonly rules?: readonly {
      readonly allowAll?: boolean;
      readonly denyAll?: boolean;
      readonly enforce?: boolean;
      readonly values?: { readonly allowedValues?: readonly string[]; readonly deniedValues?: readonly string[] };
      readonly condition?: { readonly expression?: string };
    }[];
  };
}

export const MEMBER_DOMAINS_CONSTRAINT = 'iam.allowedPolicyMemberDomains';
export const PUBLIC_ACCESS_PREVENTION_CONSTRAINT = 'storage.publicAccessPrevention';

/**
 * The values domain-restricted sharing allows, or undefined when it does not restrict (no rule, or
 * a rule that allows all). `denyAll` restricts to nothing.
 */
export function memberDomainsRestriction(policy: GcsOrgPolicy): string[] | undefined {
  const rules = policy.spec?.rules ?? [];
  if (rules.length === 0 || rules.some((rule) => rule.allowAll === true)) {
    return undefined;
  }
  return rules.flatMap((rule) => rule.denyAll === true ? [] : [...(rule.values?.allowedValues ?? [])]);
}

/** Whether the effective boolean constraint is enforced (an unconditional rule with `enforce: true`). */
export function constraintEnforced(policy: GcsOrgPolicy): boolean {
  return (policy.spec?.rules ?? []).some((rule) => rule.enforce === true && rule.condition === undefined);
}
