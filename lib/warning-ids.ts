/**
 * How the library's warnings are named in every half: `segments-cloud-constructs:<id>`. The AWS
 * half passes such an id to aws-cdk-lib's `addWarningV2`; cdktf has no warning ids, so the Google
 * and Azure halves put it in front of the message and record acknowledgements as construct
 * metadata of the type below. Nothing here imports a cloud library: the cdktf halves pass in the
 * calls that need cdktf (adding the aspect, adding the annotation).
 */
import type { IConstruct } from 'constructs';

/** The prefix of every warning id. */
export const WARNING_ID_PREFIX = 'segments-cloud-constructs:';

/** The construct metadata type (cdktf halves) that records an acknowledged warning id. */
export const ACKNOWLEDGED_WARNING_METADATA = 'segments-cloud-constructs:acknowledged-warning';

/** The full text of a cdktf warning as the CLI prints it: `[segments-cloud-constructs:<id>] <message>`. */
export function warningText(id: string, message: string): string {
  return `[${WARNING_ID_PREFIX}${id}] ${message}`;
}

/**
 * Records, for a scope and everything under it, that a warning id is acknowledged. An id that is
 * not in `known` is refused, so that a typo cannot silently acknowledge nothing.
 *
 * @param caller the public function's name, and `entry` its subpath, for the message
 */
export function acknowledgeWarningId(caller: string, entry: string, scope: IConstruct, id: string, known: readonly string[]): void {
  if (!known.includes(id)) {
    throw new Error(`${caller}: '${id}' is not a warning ID of ${entry}; use one of ${known.map((k) => `'${k}'`).join(', ')}.`);
  }
  scope.node.addMetadata(ACKNOWLEDGED_WARNING_METADATA, id);
}

/** Whether the construct or one of its scopes acknowledged the warning id (without the prefix). */
export function isWarningAcknowledged(scope: IConstruct, id: string): boolean {
  const fullId = WARNING_ID_PREFIX + id;
  return scope.node.scopes.some((s) => s.node.metadata.some(
    (entry) => entry.type === ACKNOWLEDGED_WARNING_METADATA && entry.data === fullId));
}

/**
 * An aspect (cdktf's `IAspect`, which it matches by shape) that adds one warning to one construct
 * when the stack is synthesized, unless its id is acknowledged by then: an acknowledgement works
 * whether it comes before or after the construct is created.
 */
export class DeferredWarning {
  private added = false;

  /** @param addWarning adds the text as a warning of the construct (cdktf's `Annotations.of(scope).addWarning`) */
  constructor(
    private readonly scope: IConstruct,
    private readonly id: string,
    private readonly message: string,
    private readonly addWarning: (scope: IConstruct, text: string) => void,
  ) {}

  public visit(node: IConstruct): void {
    // Aspects visit the whole subtree, and every synth visits again: add the warning once, here.
    if (node !== this.scope || this.added) {
      return;
    }
    this.added = true;
    if (!isWarningAcknowledged(this.scope, this.id)) {
      this.addWarning(this.scope, warningText(this.id, this.message));
    }
  }
}
