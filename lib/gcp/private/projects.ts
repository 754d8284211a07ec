/**
 * Which project a Google resource of this app lands in, when that is known at synth time: its own
 * literal `project`, else the literal `project` of the Google provider it is created with. Used to
 * refuse a project-level custom role granted on a bucket of another project (which apply would
 * refuse after creating the role), and to find a duplicate role ID across the stacks of one app.
 */
import { IConstruct } from 'constructs';
import { TerraformProvider, TerraformStack, Token, Tokenization } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';

function literal(value: string | undefined): string | undefined {
  return value !== undefined && !Token.isUnresolved(value) ? value : undefined;
}

/**
 * The literal project of the Google provider a resource in `scope`'s stack uses: `provider` when
 * given, else the stack's default (un-aliased) Google provider.
 */
export function providerProject(scope: IConstruct, provider?: TerraformProvider): string | undefined {
  const google = provider ?? TerraformStack.of(scope).node.children.find(
    (child): child is GoogleProvider => child instanceof GoogleProvider && child.alias === undefined);
  return google instanceof GoogleProvider ? literal(google.project) : undefined;
}

/** The project a resource created in `scope` without an explicit provider lands in, if known. */
export function effectiveProject(scope: IConstruct, project: string | undefined): string | undefined {
  return project !== undefined ? literal(project) : providerProject(scope);
}

/** A bucket this app declares, with its project when known. */
export interface DeclaredBucket {
  readonly bucket: StorageBucket;
  readonly project?: string;
}

/**
 * The `StorageBucket` of this app that `bucketName` names: a reference to its `name` attribute
 * (`storageBucket.name`, `SegmentsGcsBucket.bucket.name`), or its literal name. Undefined when the
 * bucket is not declared in this app (or not yet, at the time of the call).
 */
export function declaredBucket(scope: IConstruct, bucketName: string): DeclaredBucket | undefined {
  let found: StorageBucket | undefined;
  if (Token.isUnresolved(bucketName)) {
    const fragments = Tokenization.reverseString(bucketName);
    const reference = fragments.length === 1 ? fragments.firstToken as { identifier?: unknown; originStack?: unknown } | undefined : undefined;
    if (reference && typeof reference.identifier === 'string' && reference.originStack instanceof TerraformStack) {
      found = reference.originStack.node.findAll().find((c): c is StorageBucket =>
        c instanceof StorageBucket && `${c.terraformResourceType}.${c.friendlyUniqueId}.name` === reference.identifier);
    }
  } else {
    found = scope.node.root.node.findAll().find((c): c is StorageBucket => c instanceof StorageBucket && c.nameInput === bucketName);
  }
  if (found === undefined) {
    return undefined;
  }
  const own = found.projectInput;
  return { bucket: found, project: own !== undefined ? literal(own) : providerProject(found, found.provider) };
}
