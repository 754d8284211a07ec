/** The stable IDs of the `verify aws` checks, in the order the report lists them (docs/cli.md, "Verify a bucket"). */
export const AWS_CHECK_IDS = [
  'aws.bucket',
  'aws.policy',
  'aws.public-access-block',
  'aws.cors',
  'aws.encryption',
  'aws.ownership',
  'aws.requester-pays',
  'aws.object',
  'aws.preflight',
  'aws.org-policies',
] as const;

export type AwsCheckId = (typeof AWS_CHECK_IDS)[number];
