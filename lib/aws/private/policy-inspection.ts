/**
 * The pure policy and CORS inspections, which live at the root (lib/s3/policy-inspection.ts)
 * because the CLI uses them too and must not load aws-cdk-lib. The AWS constructs and the
 * imported-bucket handler import them from here.
 */
export * from '../../s3/policy-inspection';
