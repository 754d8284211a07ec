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
 * | effective org policies (org-policy.ts)                | `orgpolicy.policy.get`                      | public access prevention, domain-restricted sharing (legacy and managed) |
 *
 * Without the troubleshooter's answer, folder and organization allow policies and deny policies
 * are not read, and the detail says so: a binding found then is a `warn`, never a `pass` (a deny
 * policy would take it back, and the fix names what lets verify read them; only the troubleshooter's
 * CAN_ACCESS passes). No grant seen anywhere read is `fail` (exit 1): the common
 * cause is a forgotten binding, and the fix is the binding command. A read that failed is
 * `not-checked` (exit 3) only when what it would have shown could change the verdict.
 */
import { gsUrl } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass, skipped, warn } from '../report';
import { Read, ReadFailure, isFailure, readFailureFix } from '../read';
import {
  GcsOrgPolicy, MANAGED_MEMBERS_CONSTRAINT, MEMBER_DOMAINS_CONSTRAINT, allowedPolicyMembers, constraintEnforced, memberDomainsRestriction, subjectAllowed,
} from './org-policy';
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

/** What lets `verify gcs` weigh deny policies: Google's Policy Troubleshooter, asked as a caller who may read them. */
export const DENY_POLICIES_FIX = 'Let verify read the deny policies through Google\'s Policy Troubleshooter: enable policytroubleshooter.googleapis.com on the project ' +
  'and grant the caller iam.denypolicies.get and iam.denypolicies.list (roles/iam.denyReviewer) with the allow-policy reads ' +
  '(roles/iam.securityReviewer) on the organization, then run verify again. Or list them yourself at each attachment point (project, folders, organization): ' +
  'gcloud iam policies list --attachment-point=cloudresourcemanager.googleapis.com/projects/PROJECT_ID --kind=denypolicies';
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
  /** The project's effective `iam.managed.allowedPolicyMembers`; absent: not read. */
  readonly managedMembers?: Read<GcsOrgPolicy>;
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
  const refusals = bindingRefusals(inputs, member);
  const failFix = [grantFix, ...refusals.map((r) => r.fix)].join('\n');
  const domainsSaid = refusals.map((r) => ` ${r.said}`).join('');

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
  const constraintsUnread = [[MEMBER_DOMAINS_CONSTRAINT, inputs.memberDomains], [MANAGED_MEMBERS_CONSTRAINT, inputs.managedMembers]]
    .flatMap(([name, read]) => read !== undefined && isFailure(read as Read<GcsOrgPolicy>) ? [`${name as string} (${(read as ReadFailure).message})`] : []);
  const refusalsUnread = constraintsUnread.length === 0 ? ''
    : ` Not read either, so not known to refuse a new binding of ${member}: the project's organization policies ${constraintsUnread.join(', ')} (the caller needs orgpolicy.policy.get).`;
  const notRead = ` Not read: ${unread.join('; ')}.`;
  const judged: Judged[] = sources.flatMap(({ on, policy: p }) => bindingsFor(p, serviceAccount, publicCounts.counts)
    .map((binding) => ({ binding, on, verdict: verdictOf(binding.role, definitions) })));
  const granting = judged.filter((j) => j.verdict.holds === true);
  const unconditional = granting.filter((j) => j.binding.condition === undefined);
  const own = (j: Judged) => (j.binding.members ?? []).some((m) => m.toLowerCase() === member.toLowerCase());
  const ownUnconditional = unconditional.find(own);
  if (ownUnconditional !== undefined) {
    // Never a pass: an IAM deny policy on the project, a folder or the organization takes an allow grant back, and none was read.
    return warn(ID, `${member} is bound to ${ownUnconditional.binding.role} on ${ownUnconditional.on}, which holds ${GCS_OBJECT_READ_PERMISSION}, ` +
      `but the grant is not established: an IAM deny policy on the project, a folder or the organization would take it back, and none was read.${notRead}`,
      DENY_POLICIES_FIX);
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
      `${judged.map((j) => j.verdict.holds === false ? j.verdict.why : '').join('; ')}.${ignoredPublic}${notRead}${domainsSaid}${refusalsUnread}`, failFix);
  }
  const deleted = sources.flatMap(({ on, policy: p }) => (p.bindings ?? [])
    .filter((binding) => (binding.members ?? []).some((m) => m.toLowerCase().startsWith(`deleted:${member.toLowerCase()}?`)))
    .map((binding) => `${binding.role} on ${on}`));
  if (deleted.length > 0) {
    return fail(ID, `${deleted.join(', ')} is bound to a deleted service account of the same email (deleted:${member}): a re-created account is a new principal and has no access.${notRead}${domainsSaid}${refusalsUnread}`, failFix);
  }
  return fail(ID, `No binding for ${member} that holds ${GCS_OBJECT_READ_PERMISSION} on ${sources.map((s) => s.on).join(' or ')}.${ignoredPublic}${notRead} ` +
    `A grant on a folder or the organization would be inherited; if Segments has none, bind the role on the bucket.${domainsSaid}${refusalsUnread}`, failFix);
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

/**
 * What the project's effective organization policies mean for the binding command: one entry per
 * constraint that would refuse binding `member` (none when a constraint does not restrict, allows the
 * member, or was not read).
 *
 * | constraint                         | refuses when                                                                  |
 * |------------------------------------|-------------------------------------------------------------------------------|
 * | `iam.allowedPolicyMemberDomains`   | it restricts (its allowed customer IDs cannot be matched to Segments' here)   |
 * | `iam.managed.allowedPolicyMembers` | enforced, and `allowedMemberSubjects` does not name the member                |
 */
export function bindingRefusals(inputs: Pick<GcsGrantContext, 'memberDomains' | 'managedMembers'>, member: string): { said: string; fix: string }[] {
  const refusals: { said: string; fix: string }[] = [];
  const legacy = inputs.memberDomains;
  const allowed = legacy === undefined || isFailure(legacy) ? undefined : memberDomainsRestriction(legacy.value);
  if (allowed !== undefined) {
    refusals.push({
      said: `Domain-restricted sharing (${MEMBER_DOMAINS_CONSTRAINT}) is on for the project and would refuse the binding: see the fix.`,
      fix: `The project's organization policy ${MEMBER_DOMAINS_CONSTRAINT} (domain-restricted sharing) allows only ${allowed.length === 0 ? 'no outside principal' : JSON.stringify(allowed)}: ` +
        `binding ${member} is refused unless Segments' organization is among them. Ask Segments for its Google customer ID and add it to the allowed values, ` +
        'or override the constraint on this project (gcloud org-policies set-policy with a rule that allows it); then bind.',
    });
  }
  const managed = inputs.managedMembers;
  const members = managed === undefined || isFailure(managed) ? undefined : allowedPolicyMembers(managed.value);
  if (members !== undefined && !subjectAllowed(members, member)) {
    const sets = members.principalSets.length === 0 ? 'no principal set' : `the principal sets ${JSON.stringify(members.principalSets)}`;
    refusals.push({
      said: `${MANAGED_MEMBERS_CONSTRAINT} is enforced for the project${members.conditional ? ' under a condition' : ''} and does not name ${member} among its allowedMemberSubjects: ` +
        `it would refuse the binding${members.principalSets.length === 0 ? '' : ' unless one of its principal sets holds Segments\' service account'}: see the fix.`,
      fix: `The project's organization policy ${MANAGED_MEMBERS_CONSTRAINT} allows only the subjects ${JSON.stringify(members.subjects)} and ${sets}: ` +
        `add ${member} to parameters.allowedMemberSubjects of an enforcing rule (on the project: gcloud org-policies set-policy with a policy for ` +
        `projects/PROJECT_ID/policies/${MANAGED_MEMBERS_CONSTRAINT} that keeps the parent's subjects and principal sets and adds it); then bind.`,
    });
  }
  return refusals;
}
