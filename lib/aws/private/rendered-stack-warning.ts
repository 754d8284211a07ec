import { Annotations, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** aws-cdk-lib's registry of acknowledged warnings, kept on the app under this symbol (internal, so read defensively). */
const ACKNOWLEDGEMENTS = Symbol.for('@aws-cdk/core.Acknowledgements');

/**
 * Adds a warning of `owner` (a SegmentsAccess) found while the template of `bucket`'s stack
 * renders, where the cloud assembly will still see it.
 *
 * aws-cdk-lib collects a stack's warnings when it writes that stack's artifact, stacks in the order
 * of the construct tree. When the owner is in the bucket's stack, that comes after the render, and
 * the warning goes on the owner. When it is in another stack, that stack may have been written
 * already, and a warning added to the owner then would never reach `manifest.json` (nor
 * `cdk synth`'s output), so it goes on the bucket, naming the owner. Either way a warning
 * acknowledged on the owner or any scope above it stays quiet, as on the bucket or its scopes.
 */
export function warnInRenderedStack(owner: IConstruct, bucket: IConstruct, id: string, message: string): void {
  if (Stack.of(owner) === Stack.of(bucket)) {
    Annotations.of(owner).addWarningV2(id, message);
  } else if (!acknowledged(owner, id)) {
    Annotations.of(bucket).addWarningV2(id, `${message} (from ${owner.node.path})`);
  }
}

/** Whether `id` was acknowledged on `scope` or a scope above it (false when aws-cdk-lib keeps its registry elsewhere). */
function acknowledged(scope: IConstruct, id: string): boolean {
  const registry = (scope.node.root as unknown as Record<symbol, { has?: (node: IConstruct, id: string) => boolean } | undefined>)[ACKNOWLEDGEMENTS];
  return typeof registry?.has === 'function' && registry.has(scope, id);
}
