/**
 * `segments-cloud-constructs`: the vendor's facts and pure helpers. Imports no cloud library.
 * The constructs live in `segments-cloud-constructs/aws`, `/gcp` and `/azure`; the CLI
 * (`segments-cloud-cli`) bundles this entry and nothing else of the package.
 *
 * @module segments-cloud-constructs
 */
export * from './segments';
export * from './checks';
export * from './s3/bucket-policy';
export * from './s3/cors-configuration';
export * from './s3/policy-inspection';
export * from './iam';
export * from './iam/resource-patterns';
export * from './iam/key-space';
export * from './iam/segments-request';
