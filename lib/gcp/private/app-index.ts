/**
 * What a whole app declares that the Google constructs' cross-tree checks read: its
 * `StorageBucket`s, by literal name and by reference, and each stack's default Google provider.
 *
 * The checks that need it (a custom role granted on a bucket of another project, a custom role ID
 * created twice in one project) run as construct validations, at synth, when the whole tree exists:
 * their verdict does not depend on the order in which the app declares its constructs and
 * providers. The index is built with one walk of the app at the first check of a synth and shared
 * by every check of that synth, so checking n constructs costs one walk, not n.
 */
import { IConstruct } from 'constructs';
import { TerraformProvider, TerraformStack, Token, Tokenization } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';

/** A value known at synth, or undefined. */
export function literal(value: string | undefined): string | undefined {
  return value !== undefined && !Token.isUnresolved(value) ? value : undefined;
}

/** A bucket this app declares, with its project when known at synth. */
export interface DeclaredBucket {
  readonly bucket: StorageBucket;
  readonly project?: string;
}

/** The app's buckets and stacks' default providers, as they are when the index is built. */
export class AppIndex {
  /** The first bucket (in tree order) of each literal name. */
  private readonly bucketsByName = new Map<string, StorageBucket>();
  /** Each stack's buckets by the identifier their attributes reference (`google_storage_bucket.<id>`). */
  private readonly bucketsByStack = new Map<TerraformStack, StorageBucket[]>();
  private readonly referencesByStack = new Map<TerraformStack, Map<string, StorageBucket>>();
  /** Each stack's default (un-aliased) Google provider: the first among the stack's children. */
  private readonly defaultProviders = new Map<TerraformStack, GoogleProvider>();

  /** The constructs whose checks have read this index (a second read means a new synth). */
  public readonly readers = new WeakSet<IConstruct>();

  constructor(root: IConstruct, public readonly registeredAtBuild: number) {
    for (const node of root.node.findAll()) {
      if (node instanceof StorageBucket) {
        const name = node.nameInput;
        if (name !== undefined && !Token.isUnresolved(name) && !this.bucketsByName.has(name)) {
          this.bucketsByName.set(name, node);
        }
        const stack = TerraformStack.of(node);
        const inStack = this.bucketsByStack.get(stack);
        if (inStack === undefined) {
          this.bucketsByStack.set(stack, [node]);
        } else {
          inStack.push(node);
        }
      } else if (node instanceof GoogleProvider && node.alias === undefined) {
        const scope = node.node.scope;
        if (scope !== undefined && TerraformStack.isStack(scope) && !this.defaultProviders.has(scope)) {
          this.defaultProviders.set(scope, node);
        }
      }
    }
  }

  /**
   * The literal project of the Google provider a resource in `scope`'s stack uses: `provider` when
   * given, else the stack's default (un-aliased) Google provider.
   */
  public providerProject(scope: IConstruct, provider?: TerraformProvider): string | undefined {
    const google = provider ?? this.defaultProviders.get(TerraformStack.of(scope));
    return google instanceof GoogleProvider ? literal(google.project) : undefined;
  }

  /** The project a resource created in `scope` without an explicit provider lands in, if known. */
  public effectiveProject(scope: IConstruct, project: string | undefined): string | undefined {
    return project !== undefined ? literal(project) : this.providerProject(scope);
  }

  /**
   * The `StorageBucket` of this app that `bucketName` names: a reference to its `name` attribute
   * (`storageBucket.name`, `SegmentsGcsBucket.bucket.name`), or its literal name. Undefined when the
   * app does not declare it.
   */
  public declaredBucket(bucketName: string): DeclaredBucket | undefined {
    const found = Token.isUnresolved(bucketName) ? this.referencedBucket(bucketName) : this.bucketsByName.get(bucketName);
    if (found === undefined) {
      return undefined;
    }
    const own = found.projectInput;
    return { bucket: found, project: own !== undefined ? literal(own) : this.providerProject(found, found.provider) };
  }

  /** The bucket whose `name` attribute the token is, alone (not inside a longer string). */
  private referencedBucket(bucketName: string): StorageBucket | undefined {
    const fragments = Tokenization.reverseString(bucketName);
    const reference = fragments.length === 1 ? fragments.firstToken as { identifier?: unknown; originStack?: unknown } | undefined : undefined;
    if (!reference || typeof reference.identifier !== 'string' || !(reference.originStack instanceof TerraformStack)) {
      return undefined;
    }
    const stack = reference.originStack;
    let byIdentifier = this.referencesByStack.get(stack);
    if (byIdentifier === undefined) {
      // Logical IDs are only computed for stacks whose buckets are referenced, once each.
      byIdentifier = new Map((this.bucketsByStack.get(stack) ?? []).map((b) => [`${b.terraformResourceType}.${b.friendlyUniqueId}.name`, b]));
      this.referencesByStack.set(stack, byIdentifier);
    }
    return byIdentifier.get(reference.identifier);
  }
}

/** Per app: how many constructs registered a cross-tree check, and the index of the current synth. */
interface AppState {
  registered: number;
  index?: AppIndex;
}

/** Keyed by the app (the root of the construct tree), so every stack of one app shares one index. */
const states = new WeakMap<IConstruct, AppState>();

function stateOf(root: IConstruct): AppState {
  let state = states.get(root);
  if (state === undefined) {
    state = { registered: 0 };
    states.set(root, state);
  }
  return state;
}

/** Records, at construction, that `scope` will read the app index when validated. */
export function registerAppCheck(scope: IConstruct): void {
  stateOf(scope.node.root).registered += 1;
}

/**
 * The index of `reader`'s app for this synth. It is rebuilt when `reader` has read it before (a
 * new synth: `app.synth()`, like `Testing.synth(stack, true)`, validates each construct once) or
 * when constructs registered since it was built. What this cannot see: a `StorageBucket` added,
 * with no Segments construct, between two `Testing.synth(stack, true)` calls on different stacks
 * of one app, before a construct that has not yet been validated; `app.synth()` runs no user code
 * between its stacks, so it always reads the finished tree.
 */
export function appIndexOf(reader: IConstruct): AppIndex {
  const root = reader.node.root;
  const state = stateOf(root);
  let index = state.index;
  if (index === undefined || index.readers.has(reader) || index.registeredAtBuild !== state.registered) {
    index = new AppIndex(root, state.registered);
    state.index = index;
  }
  index.readers.add(reader);
  return index;
}
