/**
 * The handler's refusals as named errors (tests and docs match the class, not the prose), and the
 * limits that keep a response within what CloudFormation accepts.
 *
 * CloudFormation refuses a custom resource response over 4096 bytes and shows "Response object is
 * too long" instead of our message. aws-cdk-lib's entry point sends a thrown error's `stack` as the
 * Reason and the Data as returned, uncut, so the handler caps both (`responseSafe`, `capText`) and
 * logs the full text for CloudWatch.
 */

/** A refusal made before anything was written (or after taking back what was). */
export class GrantRefusedError extends Error {
  /**
   * @param message what CloudFormation shows (capped when sent)
   * @param details the whole of what the message may cut (such as both JSON versions), for the log
   */
  constructor(message: string, public readonly details?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The bucket holds a different `segments-s3-access` statement or `segments-cors` rule, and adoptExisting is false. */
export class SegmentsEntryConflictError extends GrantRefusedError {}

/** The bucket's default encryption uses the AWS managed key aws/s3, whose key policy cannot grant another account. */
export class AwsManagedKeyError extends GrantRefusedError {}

/** The merged policy or CORS configuration would exceed S3's limits (20 KB; 100 rules, 64 KB). */
export class BucketLimitError extends GrantRefusedError {}

/** Another writer kept removing ours between our write and the re-read. */
export class ConcurrentWriterError extends GrantRefusedError {}

/** The most bytes of Reason the handler sends; the rest of the response (IDs, Data) fits in what is left of 4096. */
export const MAX_REASON_BYTES = 2000;

/** The most bytes of one value of the response data. */
export const MAX_DATA_VALUE_BYTES = 500;

/** The most bytes of one JSON version shown in a conflict message. */
export const MAX_SHOWN_JSON_BYTES = 600;

/** `text` cut to at most `maxBytes` UTF-8 bytes, ending with a note of what was cut. */
export function capText(text: string, maxBytes: number, note = ' … (cut; the full text is in the handler\'s log)'): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) {
    return text;
  }
  let kept = text.slice(0, Math.max(0, maxBytes - Buffer.byteLength(note, 'utf8')));
  while (Buffer.byteLength(kept + note, 'utf8') > maxBytes) {
    kept = kept.slice(0, -1);
  }
  return kept + note;
}

/**
 * The error to throw back to aws-cdk-lib's entry point: the same error, its message capped, and its
 * stack (which the entry point sends as Reason) only that message. The full error is logged first.
 */
export function responseSafe(error: unknown, log: (...args: unknown[]) => void): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  log('Failed:', failure.stack ?? failure.message);
  if (failure instanceof GrantRefusedError && failure.details !== undefined) {
    log('In full:', failure.details);
  }
  failure.message = capText(failure.message, MAX_REASON_BYTES);
  failure.stack = failure.message;
  return failure;
}
