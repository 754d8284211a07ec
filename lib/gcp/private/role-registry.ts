/**
 * Remembers which custom roles each app creates, so that a second construct creating the same
 * role ID in the same project, in any stack of the app, is refused at synth instead of failing at
 * apply with "already exists" after the first one was created.
 *
 * Constructs record their role at construction, in declaration order; which project each lands in
 * is judged at synth (a stack's Google provider may be declared after the construct), once per
 * synth for the whole app.
 */
import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { AppIndex } from './app-index';

/** A construct that creates a custom role. */
interface RoleRecord {
  readonly scope: IConstruct;
  readonly project: string | undefined;
  readonly roleId: string;
}

/** Keyed by the app (the root of the construct tree), so every stack of one app shares a registry. */
const rolesByApp = new WeakMap<IConstruct, RoleRecord[]>();

/** The first creator of each role key, per app index (so per synth). */
const firstCreators = new WeakMap<AppIndex, Map<string, RoleCreator>>();

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
function key(index: AppIndex, { scope, project, roleId }: RoleRecord): { key: string; where: string } {
  const known = index.effectiveProject(scope, project);
  // A token project is only the same as itself (the same token string).
  const where = known ?? project ?? `<provider default project of ${TerraformStack.of(scope).node.path}>`;
  const described = known !== undefined ? `project '${known}'`
    : project !== undefined ? 'the same project (the same token)' : "the provider's default project";
  return { key: `${where}\u0000${roleId}`, where: described };
}

/** Records, at construction, that `scope` creates this role. */
export function recordRoleCreator(scope: IConstruct, project: string | undefined, roleId: string): void {
  const root = scope.node.root;
  let roles = rolesByApp.get(root);
  if (!roles) {
    roles = [];
    rolesByApp.set(root, roles);
  }
  roles.push({ scope, project, roleId });
}

/**
 * The construct of `scope`'s app declared before `scope` that creates the same role in the same
 * project, if any.
 */
export function earlierRoleCreator(index: AppIndex, scope: IConstruct, project: string | undefined, roleId: string): RoleCreator | undefined {
  let first = firstCreators.get(index);
  if (first === undefined) {
    first = new Map();
    for (const record of rolesByApp.get(scope.node.root) ?? []) {
      const { key: k, where } = key(index, record);
      if (!first.has(k)) {
        first.set(k, { path: record.scope.node.path, where });
      }
    }
    firstCreators.set(index, first);
  }
  const creator = first.get(key(index, { scope, project, roleId }).key);
  return creator !== undefined && creator.path !== scope.node.path ? creator : undefined;
}
