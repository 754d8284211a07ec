/**
 * `segments-cloud verify azure`: its flags, help and options. Light on purpose: the Azure SDKs and
 * the checks load only when it runs (`./run`), so `--help` starts without them.
 */
import {
  SEGMENTS_AZURE_CLIENT_ID, SEGMENTS_AZURE_DEFAULT_ORIGINS, SEGMENTS_AZURE_ROLE_NAME,
  azureContainerNameProblems, azureStorageAccountNameProblems,
} from 'segments-cloud-constructs';
import { ParsedFlags, all, single } from '../../args';
import { usageError } from '../../errors';
import type { VerifyTarget } from '../target';
import { verifyInputError } from '../target';
import { pageOriginProblems } from '../origin-flags';
import { AZURE_CHECK_IDS } from './ids';
import type { AzureVerifyOptions } from './options';

export type { AzureVerifyOptions } from './options';

const COMMAND = 'verify azure';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseAzureVerifyFlags(flags: ParsedFlags): AzureVerifyOptions {
  const account = single(flags, 'account');
  if (account === undefined) {
    throw usageError(`${COMMAND} needs --account NAME`, COMMAND);
  }
  const subscription = single(flags, 'subscription');
  const container = single(flags, 'container');
  const blobs = all(flags, 'blob');
  const origins = all(flags, 'origin');
  const problems = [
    ...azureStorageAccountNameProblems('--account', account),
    ...(subscription !== undefined && !GUID.test(subscription) ? [`--subscription ('${subscription}') is not a subscription ID: give its GUID, as 'az account show --query id' prints it.`] : []),
    ...(container !== undefined ? azureContainerNameProblems('--container', container) : []),
    ...blobs.flatMap((blob, i) => {
      const slash = blob.indexOf('/');
      if (slash <= 0 || slash === blob.length - 1) {
        return [`--blob[${i}] ('${blob}') must be CONTAINER/PATH, such as images/cat.jpg.`];
      }
      return [
        ...azureContainerNameProblems(`--blob[${i}]'s container`, blob.slice(0, slash)),
        ...(blobs.indexOf(blob) !== i ? [`--blob[${i}] ('${blob}') is listed twice: remove the duplicate.`] : []),
      ];
    }),
    ...(origins.length > 0 ? pageOriginProblems(origins, SEGMENTS_AZURE_DEFAULT_ORIGINS[0]) : []),
  ];
  if (problems.length > 0) {
    throw verifyInputError(COMMAND, problems);
  }
  return {
    account,
    ...(subscription !== undefined ? { subscription } : {}),
    ...(container !== undefined ? { container } : {}),
    blobs,
    origins: origins.length > 0 ? origins : [...SEGMENTS_AZURE_DEFAULT_ORIGINS],
  };
}

export const azureVerifyTarget: VerifyTarget<AzureVerifyOptions> = {
  cloud: 'azure',
  summary: 'Checks a live Azure storage account: Segments\' service principal, its role, network, CORS, blobs, the preflight.',
  synopsis: 'verify azure --account NAME [--subscription S] [--container C] [--blob C/PATH]... [--origin O]... [--json] [--offline]',
  flags: { account: { repeatable: false }, subscription: { repeatable: false }, container: { repeatable: false }, blob: { repeatable: true }, origin: { repeatable: true } },
  example: 'verify azure --account acmeimages --blob images/cat.jpg',
  help: () => `Reads the storage account's configuration with DefaultAzureCredential ('az login', environment,
managed identity) and judges it the way Segments' app (${SEGMENTS_AZURE_CLIENT_ID})
and its web app's browsers will read it. It never writes. The caller needs Reader plus
${SEGMENTS_AZURE_ROLE_NAME} on the account (docs/cli.md).

With AZURE_STORAGE_CONNECTION_STRING set (Azurite, or an account key), CORS and blobs are read
with it, and azure.service-principal, azure.role and azure.network could not run (exit 3: Segments'
grant is not established) unless --subscription (or AZURE_SUBSCRIPTION_ID) says there are Azure
credentials for them too.

Flags:
  --account NAME      the storage account (required).
  --subscription S    its subscription ID. Default: AZURE_SUBSCRIPTION_ID, else every subscription you see.
  --container C       the container Segments reads (for a role assigned on containers only).
  --blob C/PATH       a blob to check: it exists and is not archived (repeat for a few). The
                      preflights (no header, and naming Range) go to the first.
  --origin O          a page origin a browser sends, 'https://host' (repeat for several).
                      Default: ${SEGMENTS_AZURE_DEFAULT_ORIGINS.join(', ')}.
  --json              print the report as JSON instead of a table.
  --offline           skip azure.preflight (no request to the blob endpoint).

Checks: ${AZURE_CHECK_IDS.join(', ')}.

Exit status: 0 every check passed (warnings allowed), 1 at least one failed, 2 usage error,
3 a check could not run (credentials missing, access denied on a read, network down).
`,
  parse: parseAzureVerifyFlags,
  async run(options, runtime) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { verifyAzure } = require('./run') as typeof import('./run');
    return verifyAzure(options, runtime);
  },
};
