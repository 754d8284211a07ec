/**
 * How the library's warnings are named in every half: `segments-cloud-constructs:<id>`. The AWS
 * half passes such an id to aws-cdk-lib's `addWarningV2`; cdktf has no warning ids, so the Google
 * and Azure halves put it in front of the message and record acknowledgements as construct
 * metadata of the type below. Nothing here imports a cloud library.
 */

/** The prefix of every warning id. */
export const WARNING_ID_PREFIX = 'segments-cloud-constructs:';

/** The construct metadata type (cdktf halves) that records an acknowledged warning id. */
export const ACKNOWLEDGED_WARNING_METADATA = 'segments-cloud-constructs:acknowledged-warning';

/** The full text of a cdktf warning as the CLI prints it: `[segments-cloud-constructs:<id>] <message>`. */
export function warningText(id: string, message: string): string {
  return `[${WARNING_ID_PREFIX}${id}] ${message}`;
}

/**
 * The problem with acknowledging `id` when only `known` ids exist, or undefined: an unknown id is
 * refused, so that a typo cannot silently acknowledge nothing.
 */
export function unknownWarningIdProblem(caller: string, entry: string, id: string, known: readonly string[]): string | undefined {
  return known.includes(id)
    ? undefined
    : `${caller}: '${id}' is not a warning ID of ${entry}; use one of ${known.map((k) => `'${k}'`).join(', ')}.`;
}
