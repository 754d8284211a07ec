/** The stable IDs of the `verify azure` checks, in the order the report lists them (docs/cli.md, "Verify a bucket"). */
export const AZURE_CHECK_IDS = [
  'azure.service-principal',
  'azure.role',
  'azure.network',
  'azure.cors',
  'azure.blob',
  'azure.preflight',
] as const;

export type AzureCheckId = (typeof AZURE_CHECK_IDS)[number];
