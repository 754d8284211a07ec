/**
 * `gcs.iam`: Segments' service account holds `storage.objects.get` on the bucket's objects.
 *
 * Google grants through allow policies on the bucket and every ancestor (project, folders,
 * organization), takes a grant back with an IAM deny policy, and, when public access prevention is
 * enforced, grants public members (allUsers, allAuthenticatedUsers) nothing. The check asks Google
 * itself first, then reads what it can:
 *
 * | source                                                | read with                                   | decides                         |
 * |-------------------------------------------------------|---------------------------------------------|---------------------------------|
 * | Policy Troubleshooter (troubleshooter.ts), per object  | the policy reads below, made as the caller | everything: CAN / CANNOT_ACCESS |
 * | the bucket's allow policy                             | `storage.buckets.getIamPolicy`              | a grant on the bucket           |
 * | the project's allow policy (the bucket's projectNumber) | `resourcemanager.projects.getIamPolicy`  | a grant on the project          |
 * | effective org policies (org-policy.ts)                | `orgpolicy.policy.get`                      | public access prevention, domain-restricted sharing |
 *
 * Without the troubleshooter's answer, folder and organization allow policies and deny policies
 * are not read, and the detail says so. No grant seen anywhere read is `fail` (exit 1): the common
 * cause is a forgotten binding, and the fix is the binding command. A read that failed is
 * `not-checked` (exit 3) only when what it would have shown could change the verdict.
 */
import { gsUrl } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass, skipped, warn } from '../report';
import { Read, isFailure, readFailureFix } from '../read';
import { GcsOrgPolicy, constraintEnforced, memberDomainsRestriction } from './org-policy';
import { GCS_OBJECT_READ_PERMISSION, GcsRoleDefinition, RoleVerdict, definitionVerdict, predefinedRoleVerdict } from './roles';
import { GcsTroubleshootResponse, denyingResources, explanation } from './troubleshooter';

/** An IAM allow policy (version 3, so that conditions are returned) as `getIamPolicy` returns it. */
export interface GcsIamPolicy {
  readonly bindings?: readonly GcsIamBinding[];
}

export interface GcsIamBinding {
  readonly role: string;
  readonly members?: readonly string[];
  readonly condition?: { readonly title?: string; readonly expression?: string; readonly description?: string };
}

const ID = 'gcs.iam';
export const PUBLIC_MEMBERS: readonly string[] = ['allUsers', 'allAuthenticatedUsers'];

/** The bindings that can apply to the service account: its own member, or (unless `publicCounts` is false) the public ones. */
export function bindingsFor(policy: GcsIamPolicy, serviceAccount: string, publicCounts = true): GcsIamBinding[] {
  const own = `serviceaccount:${serviceAccount.toLowerCase()}`;
  return (policy.bindings ?? []).filter((binding) => (binding.members ?? [])
    .some((member) => member.toLowerCase() === own || (publicCounts && PUBLIC_MEMBERS.includes(member))));
}

/** The roles whose definition must be read from the IAM API before `checkGcsIam` can judge them. */
export function rolesToRead(policies: Read<GcsIamPolicy> | readonly (Read<GcsIamPolicy> | undefined)[], serviceAccount: string): string[] {
  const list = Array.isArray(policies) ? policies as readonly (Read<GcsIamPolicy> | undefined)[] : [policies as Read<GcsIamPolicy>];
  const roles = list.flatMap((policy) => policy === undefined || isFailure(policy) ? [] : bindingsFor(policy.value, serviceAccount).map((binding) => binding.role))
    .filter((role) => predefinedRoleVerdict(role) === undefined);
  return [...new Set(roles)];
}

/** The permission the caller needs to read a role: `iam.roles.get` on the project or organization of a custom role. */
export function roleReadPermission(role: string): string {
  return role.startsWith('roles/') ? 'iam.roles.get (any authenticated caller has it for predefined roles)' : `iam.roles.get on ${role.split('/roles/')[0]}`;
}

function verdictOf(role: string, definitions: ReadonlyMap<string, Read<GcsRoleDefinition>>): RoleVerdict {
  const known = predefinedRoleVerdict(role);
  if (known !== undefined) {
    return known;
  }
  const definition = definitions.get(role);
  if (definition === undefined || isFailure(definition)) {
    return { holds: 'unknown', why: `${role} could not be read (${definition === undefined ? 'not read' : definition.message})` };
  }
  return definitionVerdict(definition.value);
}

function conditionText(binding: GcsIamBinding): string {
  const condition = binding.condition;
  return condition === undefined ? '' : `'${condition.title ?? ''}': ${condition.expression ?? ''}`;
}

/** What `gcs.iam` reads besides the bucket's allow policy and the role definitions. */
export interface GcsGrantContext {
  /** The bucket's `iamConfiguration.publicAccessPrevention`. */
  readonly publicAccessPrevention?: string;
  /** The troubleshooter's answer per object name; absent or empty: not asked. */
  readonly troubleshoot?: ReadonlyMap<string, Read<GcsTroubleshootResponse>>;
  /** The project's allow policy; absent when the bucket's project number is unknown. */
  readonly project?: { readonly number: string; readonly policy: Read<GcsIamPolicy> };
  /** The project's effective `iam.allowedPolicyMemberDomains`; absent: not read. */
  readonly memberDomains?: Read<GcsOrgPolicy>;
  /** The project's effective `storage.publicAccessPrevention`; absent: not read. */
  readonly orgPublicAccessPrevention?: Read<GcsOrgPolicy>;
}

interface Judged {
  readonly binding: GcsIamBinding;
  /** `the bucket` or `project 123`. */
  readonly on: string;
  readonly verdict: RoleVerdict;
}

/**
 * `policy` is the bucket's allow policy; `definitions` the roles the bindings (on the bucket and
 * the project) name that the predefined table does not know.
 */
export function checkGcsIam(
  bucket: string,
  serviceAccount: string,
  policy: Read<GcsIamPolicy>,
  definitions: ReadonlyMap<string, Read<GcsRoleDefinition>>,
  inputs: GcsGrantContext = {},
): CheckOutcome {
  const member = `serviceAccount:${serviceAccount}`;
  const grantFix = `gcloud iam roles create segmentsObjectReader --project=PROJECT --permissions=${GCS_OBJECT_READ_PERMISSION}\n` +
    `gcloud storage buckets add-iam-policy-binding ${gsUrl(bucket)} --member=${member} --role=projects/PROJECT/roles/segmentsObjectReader`;
  if (isFailure(policy)) {
    if (policy.failed === 'missing') {
      return skipped(ID, `The bucket ${bucket} does not exist (see gcs.bucket).`);
    }
    return couldNotRun(ID, `Could not read the IAM policy of ${bucket} (${policy.message}).`, readFailureFix(policy, 'The caller needs storage.buckets.getIamPolicy on the bucket.'));
  }
  const domains = domainNote(inputs.memberDomains, member);
  const failFix = domains === '' ? grantFix : `${grantFix}\n${domains}`;
  const domainsSaid = domains === '' ? '' : ' Domain-restricted sharing (iam.allowedPolicyMemberDomains) is on for the project and would refuse the binding: see the fix.';

  // 1. Google's own answer: a refusal for any object decides; a grant only when every object's question got a verdict.
  const google = troubleshooterVerdict(inputs.troubleshoot, member, failFix, domainsSaid);
  if (typeof google !== 'string') {
    return google;
  }
  const troubleshooterUnread = google;

  // 2. The allow policies read: the bucket's, and the project's.
  const publicCounts = publicGrantsCount(inputs);
  const sources: { on: string; policy: GcsIamPolicy }[] = [{ on: 'the bucket', policy: policy.value }];
  const unread = [troubleshooterUnread];
  if (inputs.project === undefined) {
    unread.push('the project\'s allow policy (the bucket\'s project number is unknown)');
  } else if (isFailure(inputs.project.policy)) {
    unread.push(`the allow policy of project ${inputs.project.number} (${inputs.project.policy.message})`);
  } else {
    sources.push({ on: `project ${inputs.project.number}`, policy: inputs.project.policy.value });
  }
  unread.push('the folder and organization allow policies', 'IAM deny policies');
  const notRead = ` Not read: ${unread.join('; ')}.`;
  const judged: Judged[] = sources.flatMap(({ on, policy: p }) => bindingsFor(p, serviceAccount, publicCounts.counts)
    .map((binding) => ({ binding, on, verdict: verdictOf(binding.role, definitions) })));
  const granting = judged.filter((j) => j.verdict.holds === true);
  const unconditional = granting.filter((j) => j.binding.condition === undefined);
  const own = (j: Judged) => (j.binding.members ?? []).some((m) => m.toLowerCase() === member.toLowerCase());
  const ownUnconditional = unconditional.find(own);
  if (ownUnconditional !== undefined) {
    return pass(ID, `${member} is bound to ${ownUnconditional.binding.role} on ${ownUnconditional.on}, which holds ${GCS_OBJECT_READ_PERMISSION}.${notRead}`);
  }
  const publicGrant = unconditional.find((j) => !own(j));
  if (publicGrant !== undefined) {
    return warn(ID, `${publicGrant.binding.role} is bound to ${publicGrant.binding.members?.filter((m) => PUBLIC_MEMBERS.includes(m)).join(', ')} on ${publicGrant.on}: ` +
      `anyone can read the objects, Segments included${publicCounts.why}.${notRead}`,
      `Remove the public binding and grant Segments alone:\n${grantFix}`);
  }
  if (granting.length > 0) {
    const shown = granting.map((j) => `${j.binding.role} on ${j.on} under condition ${conditionText(j.binding)}`).join('; ');
    return warn(ID, `${member} holds ${GCS_OBJECT_READ_PERMISSION} only under a condition: ${shown}. Segments reads only what the condition admits.${notRead}`,
      'Check that the condition admits every object Segments reads, or bind the role without a condition.');
  }
  const unknown = judged.filter((j) => j.verdict.holds === 'unknown');
  if (unknown.length > 0) {
    return couldNotRun(ID, `${member} is bound to ${unknown.map((j) => `${j.binding.role} on ${j.on}`).join(', ')}, whose permissions could not be read: ${unknown.map((j) => j.verdict.holds === 'unknown' ? j.verdict.why : '').join('; ')}.`,
      `The caller needs ${unknown.map((j) => roleReadPermission(j.binding.role)).join(', ')}.`);
  }
  const ignoredPublic = publicCounts.counts ? '' : publicBindingNote(sources, serviceAccount);
  if (judged.length > 0) {
    return fail(ID, `${member} is bound on ${[...new Set(judged.map((j) => j.on))].join(' and ')}, but no role of it holds ${GCS_OBJECT_READ_PERMISSION}: ` +
      `${judged.map((j) => j.verdict.holds === false ? j.verdict.why : '').join('; ')}.${ignoredPublic}${notRead}${domainsSaid}`, failFix);
  }
  const deleted = sources.flatMap(({ on, policy: p }) => (p.bindings ?? [])
    .filter((binding) => (binding.members ?? []).some((m) => m.toLowerCase().startsWith(`deleted:${member.toLowerCase()}?`)))
    .map((binding) => `${binding.role} on ${on}`));
  if (deleted.length > 0) {
    return fail(ID, `${deleted.join(', ')} is bound to a deleted service account of the same email (deleted:${member}): a re-created account is a new principal and has no access.${notRead}${domainsSaid}`, failFix);
  }
  return fail(ID, `No binding for ${member} that holds ${GCS_OBJECT_READ_PERMISSION} on ${sources.map((s) => s.on).join(' or ')}.${ignoredPublic}${notRead} ` +
    `A grant on a folder or the organization would be inherited; if Segments has none, bind the role on the bucket.${domainsSaid}`, failFix);
}

/**
 * The outcome Google's Policy Troubleshooter decides, or why it decides nothing (what the detail
 * then says was not read). CANNOT_ACCESS for any object fails, whatever the other answers; a pass
 * needs CAN_ACCESS for every object.
 */
function troubleshooterVerdict(troubleshoot: GcsGrantContext['troubleshoot'], member: string, failFix: string, domainsSaid: string): CheckOutcome | string {
  const answers = [...(troubleshoot ?? new Map<string, Read<GcsTroubleshootResponse>>()).entries()];
  const read = answers.flatMap(([object, answer]) => isFailure(answer) ? [] : [{ object, answer: answer.value }]);
  const weighed = 'Google\'s Policy Troubleshooter, which weighs the allow policies of the bucket, project, folders and organization, deny policies and conditions,';
  const refused = read.find((r) => r.answer.overallAccessState === 'CANNOT_ACCESS');
  if (refused !== undefined) {
    const denying = denyingResources(refused.answer);
    const fix = denying.length > 0
      ? `A deny policy attached to ${denying.join(', ')} denies ${GCS_OBJECT_READ_PERMISSION} to ${member}: add the service account to that rule's exceptionPrincipals, or narrow its deniedPrincipals (gcloud iam policies list --attachment-point=ATTACHMENT_POINT --kind=denypolicies).`
      : failFix;
    return fail(ID, `${weighed} says ${member} cannot get ${refused.object} (${explanation(refused.answer)}).${denying.length > 0 ? '' : domainsSaid}`, fix);
  }
  if (answers.length === 0) {
    return 'the Policy Troubleshooter was not asked';
  }
  const failed = answers.find(([, answer]) => isFailure(answer));
  if (failed !== undefined) {
    return `the Policy Troubleshooter could not answer for ${failed[0]} (${(failed[1] as { message: string }).message})`;
  }
  if (read.some((r) => r.answer.overallAccessState !== 'CAN_ACCESS' && r.answer.overallAccessState !== 'UNKNOWN_CONDITIONAL')) {
    return 'the Policy Troubleshooter lacked information (UNKNOWN_INFO: the caller cannot read every policy it weighs)';
  }
  const conditional = read.find((r) => r.answer.overallAccessState === 'UNKNOWN_CONDITIONAL');
  if (conditional !== undefined) {
    return warn(ID, `${weighed} says ${member} can get ${conditional.object} only where a condition holds (${explanation(conditional.answer)}). Segments reads only what the condition admits.`,
      'Check that the condition admits every object Segments reads, or grant the role without a condition.');
  }
  return pass(ID, `${weighed} says ${member} can get ${read.map((r) => r.object).join(', ')} (${GCS_OBJECT_READ_PERMISSION}).`);
}

/** Whether public members count, and why (public access prevention on the bucket or by the organization). */
function publicGrantsCount(inputs: GcsGrantContext): { counts: boolean; why: string } {
  if (inputs.publicAccessPrevention === 'enforced') {
    return { counts: false, why: '' };
  }
  const org = inputs.orgPublicAccessPrevention;
  if (org !== undefined && !isFailure(org) && constraintEnforced(org.value)) {
    return { counts: false, why: '' };
  }
  const unknown = org === undefined || isFailure(org);
  return { counts: true, why: unknown ? ' (unless the organization policy storage.publicAccessPrevention, which could not be read, enforces public access prevention: then the binding grants nothing)' : '' };
}

function publicBindingNote(sources: readonly { on: string; policy: GcsIamPolicy }[], serviceAccount: string): string {
  const publicOnly = sources.flatMap(({ on, policy }) => bindingsFor(policy, serviceAccount, true)
    .filter((binding) => !bindingsFor({ bindings: [binding] }, serviceAccount, false).length)
    .map((binding) => `${binding.role} bound to ${(binding.members ?? []).filter((m) => PUBLIC_MEMBERS.includes(m)).join(', ')} on ${on}`));
  return publicOnly.length === 0 ? '' : ` ${publicOnly.join('; ')} grants nothing: public access prevention is enforced.`;
}

/** What domain-restricted sharing means for the binding command, or '' when it does not restrict (or was not read). */
function domainNote(policy: Read<GcsOrgPolicy> | undefined, member: string): string {
  if (policy === undefined || isFailure(policy)) {
    return '';
  }
  const allowed = memberDomainsRestriction(policy.value);
  if (allowed === undefined) {
    return '';
  }
  return `The project's organization policy iam.allowedPolicyMemberDomains (domain-restricted sharing) allows only ${allowed.length === 0 ? 'no outside principal' : JSON.stringify(allowed)}: ` +
    `binding ${member} is refused unless Segments' organization is among them. Ask Segments for its Google customer ID and add it to the allowed values, ` +
    'or override the constraint on this project (gcloud org-policies set-policy with a rule that allows it); then bind.';
}
