/**
 * Remembers which custom roles each stack creates, so that a second construct creating the same
 * role ID in the same project is refused at synth instead of failing at apply with "already
 * exists" after the first one was created.
 */
import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';

const rolesByStack = new WeakMap<TerraformStack, Map<string, string>>();

function key(project: string | undefined, roleId: string): string {
  return `${project ?? '<provider default project>'}\u0000${roleId}`;
}

/** The path of the construct in `scope`'s stack that already creates this role, if any. */
export function existingRoleCreator(scope: IConstruct, project: string | undefined, roleId: string): string | undefined {
  return rolesByStack.get(TerraformStack.of(scope))?.get(key(project, roleId));
}

/** Records that `scope` creates this role. */
export function recordRoleCreator(scope: IConstruct, project: string | undefined, roleId: string): void {
  const stack = TerraformStack.of(scope);
  let roles = rolesByStack.get(stack);
  if (!roles) {
    roles = new Map();
    rolesByStack.set(stack, roles);
  }
  roles.set(key(project, roleId), scope.node.path);
}
