/**
 * Remembers which custom roles each app creates, so that a second construct creating the same
 * role ID in the same project, in any stack of the app, is refused at synth instead of failing at
 * apply with "already exists" after the first one was created.
 */
import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { effectiveProject } from './projects';

/** Keyed by the app (the root of the construct tree), so every stack of one app shares a registry. */
const rolesByApp = new WeakMap<IConstruct, Map<string, RoleCreator>>();

/** Who creates a role, and in which project as far as synth can tell. */
export interface RoleCreator {
  /** The construct path of the creator. */
  readonly path: string;
  /** The project, for a message: `project 'id'`, or what is known of it. */
  readonly where: string;
}

/**
 * A role lands in its literal `project`, else in its stack's Google provider's literal project.
 * When neither is known, only roles of the same stack are known to share the project: two stacks
 * may configure their providers differently. A token `project` matches only the same token.
 */
function key(scope: IConstruct, project: string | undefined, roleId: string): { key: string; where: string } {
  const known = effectiveProject(scope, project);
  // A token project is only the same as itself (the same token string).
  const where = known ?? project ?? `<provider default project of ${TerraformStack.of(scope).node.path}>`;
  const described = known !== undefined ? `project '${known}'`
    : project !== undefined ? 'the same project (the same token)' : "the provider's default project";
  return { key: `${where}\u0000${roleId}`, where: described };
}

/** The construct of `scope`'s app that already creates this role in the same project, if any. */
export function existingRoleCreator(scope: IConstruct, project: string | undefined, roleId: string): RoleCreator | undefined {
  return rolesByApp.get(scope.node.root)?.get(key(scope, project, roleId).key);
}

/** Records that `scope` creates this role. */
export function recordRoleCreator(scope: IConstruct, project: string | undefined, roleId: string): void {
  const root = scope.node.root;
  let roles = rolesByApp.get(root);
  if (!roles) {
    roles = new Map();
    rolesByApp.set(root, roles);
  }
  const { key: k, where } = key(scope, project, roleId);
  roles.set(k, { path: scope.node.path, where });
}
