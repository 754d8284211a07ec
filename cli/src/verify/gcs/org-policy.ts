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
 * - `iam.managed.allowedPolicyMembers`, the managed constraint that succeeds it: a boolean
 *   constraint with parameters. Enforced, only the principals in `allowedMemberSubjects`
 *   (`serviceAccount:EMAIL`, `user:EMAIL`, ...) and those inside `allowedPrincipalSets` (an
 *   organization's principal set, `//cloudresourcemanager.googleapis.com/organizations/ORG_ID`) can
 *   be bound; it too is checked when a binding is made
 *   (https://cloud.google.com/organization-policy/docs/restricting-domains, "managed constraint").
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
      /** A managed constraint's parameters. */
      readonly parameters?: { readonly allowedMemberSubjects?: readonly string[]; readonly allowedPrincipalSets?: readonly string[] };
    }[];
  };
}

export const MEMBER_DOMAINS_CONSTRAINT = 'iam.allowedPolicyMemberDomains';
export const MANAGED_MEMBERS_CONSTRAINT = 'iam.managed.allowedPolicyMembers';
export const PUBLIC_ACCESS_PREVENTION_CONSTRAINT = 'storage.publicAccessPrevention';

/** Whom an enforced `iam.managed.allowedPolicyMembers` lets be bound. */
export interface AllowedPolicyMembers {
  readonly subjects: string[];
  readonly principalSets: string[];
  /** Every enforcing rule has a condition (tags): it restricts only the resources the condition selects. */
  readonly conditional: boolean;
}

/**
 * What the managed constraint allows, or undefined when no rule enforces it. The parameters of
 * every enforcing rule count.
 */
export function allowedPolicyMembers(policy: GcsOrgPolicy): AllowedPolicyMembers | undefined {
  const enforcing = (policy.spec?.rules ?? []).filter((rule) => rule.enforce === true);
  if (enforcing.length === 0) {
    return undefined;
  }
  return {
    subjects: enforcing.flatMap((rule) => [...(rule.parameters?.allowedMemberSubjects ?? [])]),
    principalSets: enforcing.flatMap((rule) => [...(rule.parameters?.allowedPrincipalSets ?? [])]),
    conditional: enforcing.every((rule) => rule.condition !== undefined),
  };
}

/** Whether the managed constraint names the member among its subjects (emails compared without regard to case). */
export function subjectAllowed(allowed: AllowedPolicyMembers, member: string): boolean {
  return allowed.subjects.some((subject) => subject.toLowerCase() === member.toLowerCase());
}

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
