/**
 * Pure checks of user input, shared by every cloud, the handler and the CLI: one file per concept.
 *
 * Each function returns a list of problems (empty when the input is fine). Every problem names the
 * prop it is about and says how to fix it, so a construct can collect all of them and fail once at
 * synth time. Callers skip values that are unresolved tokens: those are only known at deploy time.
 */

export * from './problems';
export * from './origins';
export * from './key-prefixes';
export * from './s3-names';
export * from './gcs-names';
export * from './azure-names';
