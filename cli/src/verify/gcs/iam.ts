/**
 * `gcs.iam`: the bucket's IAM policy binds Segments' service account to a role that holds
 * `storage.objects.get`. Only the bucket's own policy is read: a grant on the project or a folder
 * is inherited but cannot be seen from the bucket, so no binding here is `not-checked`, not `fail`.
 */
import { gsUrl } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass, skipped, warn } from '../report';
import { Read, isFailure, readFailureFix } from '../read';
import { GCS_OBJECT_READ_PERMISSION, GcsRoleDefinition, RoleVerdict, definitionVerdict, predefinedRoleVerdict } from './roles';

/** A bucket IAM policy (version 3, so that conditions are returned) as `getIamPolicy` returns it. */
export interface GcsIamPolicy {
  readonly bindings?: readonly GcsIamBinding[];
}

export interface GcsIamBinding {
  readonly role: string;
  readonly members?: readonly string[];
  readonly condition?: { readonly title?: string; readonly expression?: string; readonly description?: string };
}

const ID = 'gcs.iam';
const PUBLIC_MEMBERS = ['allUsers', 'allAuthenticatedUsers'];

/** The bindings that can apply to the service account: its own member, or the public ones. */
export function bindingsFor(policy: GcsIamPolicy, serviceAccount: string): GcsIamBinding[] {
  const own = `serviceaccount:${serviceAccount.toLowerCase()}`;
  return (policy.bindings ?? []).filter((binding) => (binding.members ?? []).some((member) => member.toLowerCase() === own || PUBLIC_MEMBERS.includes(member)));
}

/** The roles whose definition must be read from the IAM API before `checkGcsIam` can judge them. */
export function rolesToRead(policy: Read<GcsIamPolicy>, serviceAccount: string): string[] {
  if (isFailure(policy)) {
    return [];
  }
  const roles = bindingsFor(policy.value, serviceAccount).map((binding) => binding.role).filter((role) => predefinedRoleVerdict(role) === undefined);
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

export function checkGcsIam(
  bucket: string,
  serviceAccount: string,
  policy: Read<GcsIamPolicy>,
  definitions: ReadonlyMap<string, Read<GcsRoleDefinition>>,
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
  const deleted = (policy.value.bindings ?? []).filter((binding) => (binding.members ?? []).some((m) => m.toLowerCase().startsWith(`deleted:${member.toLowerCase()}?`)));
  const bindings = bindingsFor(policy.value, serviceAccount);
  const judged = bindings.map((binding) => ({ binding, verdict: verdictOf(binding.role, definitions) }));
  const granting = judged.filter((j) => j.verdict.holds === true);
  const unconditional = granting.filter((j) => j.binding.condition === undefined);
  const own = (j: { binding: GcsIamBinding }) => (j.binding.members ?? []).some((m) => m.toLowerCase() === member.toLowerCase());
  const ownUnconditional = unconditional.find(own);
  if (ownUnconditional !== undefined) {
    return pass(ID, `${member} is bound to ${ownUnconditional.binding.role} on the bucket, which holds ${GCS_OBJECT_READ_PERMISSION}.`);
  }
  const publicGrant = unconditional.find((j) => !own(j));
  if (publicGrant !== undefined) {
    return warn(ID, `${publicGrant.binding.role} is bound to ${publicGrant.binding.members?.filter((m) => PUBLIC_MEMBERS.includes(m)).join(', ')}: anyone can read the objects, Segments included.`,
      `Remove the public binding and grant Segments alone:\n${grantFix}`);
  }
  if (granting.length > 0) {
    const shown = granting.map((j) => `${j.binding.role} under condition ${conditionText(j.binding)}`).join('; ');
    return warn(ID, `${member} holds ${GCS_OBJECT_READ_PERMISSION} only under a condition: ${shown}. Segments reads only what the condition admits.`,
      'Check that the condition admits every object Segments reads, or bind the role without a condition.');
  }
  const unknown = judged.filter((j) => j.verdict.holds === 'unknown');
  if (unknown.length > 0) {
    return couldNotRun(ID, `${member} is bound to ${unknown.map((j) => j.binding.role).join(', ')}, whose permissions could not be read: ${unknown.map((j) => j.verdict.holds === 'unknown' ? j.verdict.why : '').join('; ')}.`,
      `The caller needs ${unknown.map((j) => roleReadPermission(j.binding.role)).join(', ')}.`);
  }
  if (judged.length > 0) {
    return fail(ID, `${member} is bound on the bucket, but no role of it holds ${GCS_OBJECT_READ_PERMISSION}: ${judged.map((j) => j.verdict.holds === false ? j.verdict.why : '').join('; ')}.`, grantFix);
  }
  if (deleted.length > 0) {
    return fail(ID, `The bucket binds ${deleted.map((b) => b.role).join(', ')} to a deleted service account of the same email (deleted:${member}): a re-created account is a new principal and has no access.`, grantFix);
  }
  return { ...skipped(ID, `No binding on the bucket names ${member}. A grant on the project, folder or organization is inherited, but cannot be seen from the bucket.`), fix: `If Segments has no such grant, bind the role on the bucket:\n${grantFix}` };
}
