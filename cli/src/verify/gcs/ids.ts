/** The stable IDs of the `verify gcs` checks, in the order the report lists them (docs/cli.md, "Verify a bucket"). */
export const GCS_CHECK_IDS = ['gcs.bucket', 'gcs.iam', 'gcs.cors', 'gcs.object', 'gcs.preflight'] as const;

export type GcsCheckId = (typeof GCS_CHECK_IDS)[number];
