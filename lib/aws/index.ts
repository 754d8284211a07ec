/**
 * `segments-cloud-constructs/aws`: AWS CDK constructs that give Segments.ai read-only access to
 * an S3 bucket. Needs `aws-cdk-lib` and `constructs`; never loads cdktf or the Google provider.
 *
 * @module segments-cloud-constructs/aws
 */
export * from './segments-access';
export * from './segments-access-monitor';
export * from './segments-bucket';
export * from './segments-bucket-defaults';
export * from './segments-imported-bucket-access';
export * from './segments-statements';
