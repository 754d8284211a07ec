/**
 * An AWS IAM policy evaluator: one request against a resource policy, an identity side and an
 * organization's control policies, with three-valued conditions. Imports no package.
 */
export * from './request';
export * from './result';
export * from './policy-document';
export * from './evaluation-input';
export * from './evaluate';
export { matchesIamWildcard } from './wildcard';
