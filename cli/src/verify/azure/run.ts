/**
 * Runs `verify azure`: reads the account (fetch.ts), then every check on what was read.
 *
 * | credentials                                   | management-plane checks        | data plane            |
 * |-----------------------------------------------|--------------------------------|-----------------------|
 * | DefaultAzureCredential (no connection string) | run                            | the credential        |
 * | AZURE_STORAGE_CONNECTION_STRING               | not-checked (could not run: exit 3) | the connection string |
 * | AZURE_STORAGE_CONNECTION_STRING and --subscription (or AZURE_SUBSCRIPTION_ID) | run (DefaultAzureCredential) | the connection string |
 *
 * With a connection string the credential chain is not even tried unless a subscription says the
 * caller has management credentials: a chain that probes for a managed identity takes seconds.
 */
import { SEGMENTS_AZURE_CORS_METHODS, segmentsAzureCorsRule } from 'segments-cloud-constructs';
import type { VerifyRuntime } from '../target';
import { PREFLIGHT_KINDS, PreflightAnswer, judgePreflights, sendPreflight } from '../preflight-answer';
import { Read, isFailure } from '../read';
import { CheckOutcome, VerifyReport, couldNotRun, skipped } from '../report';
import { checkAzureBlob } from './blob';
import { checkAzureCors } from './cors';
import {
  AzureData, AzureManagement, azureData, azureManagement, azureSdkClients, blobServiceFromConnectionString,
  blobServiceWithCredential, defaultAzureCredential,
} from './fetch';
import type { AzureVerifyOptions } from './options';
import { checkAzureNetwork } from './network';
import { AzureRoleDefinition, checkAzureRole } from './role';
import { scopePlace } from './scope';
import { checkAzureServicePrincipal } from './service-principal';

/** What the run talks to; tests hand in fakes. */
export interface AzureDeps {
  /** Absent: the management-plane checks are not-checked (connection string without credentials). */
  readonly management?: AzureManagement;
  readonly data: AzureData;
  /** Why `management` is absent, shown in the not-checked rows. */
  readonly managementSkipped?: string;
  readonly preflight: (url: string, origin: string, requestHeaders: readonly string[]) => Promise<PreflightAnswer>;
}

const preflight = (url: string, origin: string, headers: readonly string[]) => sendPreflight(url, origin, headers);

export function defaultAzureDeps(options: AzureVerifyOptions, env: NodeJS.ProcessEnv = process.env): AzureDeps {
  const connectionString = env.AZURE_STORAGE_CONNECTION_STRING;
  const subscription = options.subscription ?? (env.AZURE_SUBSCRIPTION_ID || undefined);
  if (connectionString !== undefined && connectionString !== '') {
    const data = azureData(blobServiceFromConnectionString(connectionString));
    if (subscription === undefined) {
      return { data, preflight, managementSkipped: 'AZURE_STORAGE_CONNECTION_STRING is set and no --subscription is given: the management-plane checks need Azure credentials (give --subscription to run them with DefaultAzureCredential).' };
    }
    const credential = defaultAzureCredential();
    return { data, management: azureManagement(azureSdkClients(credential, subscription)), preflight };
  }
  const credential = defaultAzureCredential();
  return {
    data: azureData(blobServiceWithCredential(options.account, credential)),
    management: azureManagement(azureSdkClients(credential, subscription)),
    preflight,
  };
}

export async function verifyAzure(options: AzureVerifyOptions, runtime: VerifyRuntime, deps: AzureDeps = defaultAzureDeps(options)): Promise<VerifyReport> {
  const management = deps.management;
  const checks: CheckOutcome[] = [];
  let account: Read<Awaited<ReturnType<AzureManagement['findAccount']>> extends Read<infer A> ? A : never> | undefined;
  if (management === undefined) {
    // Segments' grant was not established: never exit 0 for it (docs/cli.md, exit codes).
    const why = deps.managementSkipped ?? 'No management-plane credentials.';
    const fix = 'Run with Azure credentials (az login) and --subscription S (or AZURE_SUBSCRIPTION_ID) to check Segments\' service principal, role and network.';
    checks.push(couldNotRun('azure.service-principal', why, fix), couldNotRun('azure.role', why, fix), couldNotRun('azure.network', why, fix));
  } else {
    const [principal, found] = await Promise.all([management.servicePrincipal(), management.findAccount(options.account)]);
    account = found;
    checks.push(checkAzureServicePrincipal(principal));
    if (isFailure(found)) {
      checks.push(skipped('azure.role', `The account could not be found (see azure.network).`));
    } else {
      const [assignments, denyAssignments] = await Promise.all([management.roleAssignments(found.value.id), management.denyAssignments(found.value.id)]);
      const ids = isFailure(assignments) ? [] : [...new Set(assignments.value
        .filter((a) => scopePlace(a.scope, found.value.id).kind !== 'unrelated')
        .map((a) => a.roleDefinitionId.toLowerCase()))];
      const definitions = new Map<string, Read<AzureRoleDefinition>>(await Promise.all(ids.map(async (id) => [id, await management.roleDefinition(id)] as const)));
      checks.push(checkAzureRole(principal, { accountId: found.value.id, assignments, definitions, denyAssignments, container: options.container }));
    }
    checks.push(checkAzureNetwork(options.account, isFailure(found) ? undefined : found.value.resourceGroup, found));
  }
  const cors = management === undefined ? await deps.data.corsRules()
    : account !== undefined && !isFailure(account) ? await management.corsRules(account.value)
      : account ?? { failed: 'error' as const, message: 'the account was not read' };
  checks.push(...checkAzureCors(options.account, cors, options.origins));
  if (options.blobs.length === 0) {
    checks.push(skipped('azure.blob', 'No --blob given: give a sample blob or two (container/path) to check they exist and are online.'));
  } else {
    checks.push(...await Promise.all(options.blobs.map(async (blob) => checkAzureBlob(options.account, blob, await deps.data.blobProperties(blob)))));
  }
  checks.push(...await preflights(options, runtime, deps));
  return { subject: { account: options.account }, checks };
}

async function preflights(options: AzureVerifyOptions, runtime: VerifyRuntime, deps: AzureDeps): Promise<CheckOutcome[]> {
  if (runtime.offline) {
    return [skipped('azure.preflight', '--offline: no request to the blob endpoint.')];
  }
  const blob = options.blobs[0];
  if (blob === undefined) {
    return [skipped('azure.preflight', 'No --blob given: the preflight goes to the first blob.')];
  }
  const url = deps.data.blobUrl(blob);
  return Promise.all(options.origins.map(async (origin) => {
    const rule = segmentsAzureCorsRule([origin]);
    const answers = await Promise.all(PREFLIGHT_KINDS.map((kind) => deps.preflight(url, origin, kind.headers)));
    // The vendor's rule allows no header, so Azure refuses a Range preflight with it: a warning, not a failure.
    return judgePreflights('azure.preflight', url, origin, answers,
      `az storage cors add --services b --methods ${SEGMENTS_AZURE_CORS_METHODS.join(' ')} --origins ${origin} --max-age ${rule.maxAgeInSeconds} --account-name ${options.account} (see azure.cors).`, 'warn');
  }));
}
