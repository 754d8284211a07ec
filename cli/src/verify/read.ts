/**
 * What fetch.ts hands the checks: the value it read, or why it could not read it. The checks are
 * pure functions of these, so every result can be produced without a cloud.
 */

/** A read that failed: `denied` (403, naming the permission), `missing` (404), or `error` (network, anything else). */
export interface ReadFailure {
  readonly failed: 'denied' | 'missing' | 'error';
  /** The service's own words, shown in the detail. */
  readonly message: string;
}

/** The value read, or the failure. */
export type Read<T> = { readonly value: T } | ReadFailure;

export function isFailure<T>(read: Read<T>): read is ReadFailure {
  return (read as ReadFailure).failed !== undefined;
}

/**
 * The fix of a read that failed: the permission when it was refused; when it never got an answer
 * (network, no credentials), that first, then the permission it will need.
 */
export function readFailureFix(failure: ReadFailure, permission: string): string {
  return failure.failed === 'error'
    ? `Check the network and the credentials (the read got no answer); then: ${permission[0].toLowerCase()}${permission.slice(1)}`
    : permission;
}
