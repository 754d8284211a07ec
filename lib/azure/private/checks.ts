/**
 * Input checks of the Azure constructs, built on the pure checks in `../../validate`.
 *
 * Each function returns problems (empty when the input is fine) and skips values that are
 * unresolved tokens: those are only known at apply time. The constructs collect the problems of
 * every prop and throw once.
 */
import { Token } from 'cdktf';
import {
  OriginWildcard,
  azureContainerNameProblems,
  azureStorageAccountIdProblems,
  azureStorageAccountNameProblems,
  httpsOriginProblems,
  literalElementProblems,
} from '../../checks';
import { SEGMENTS_AZURE_DEFAULT_ORIGINS } from '../../segments';
import { REPLICATION_TYPES } from './defaults';

/** Whether a value is known at synth time (not a token and not undefined). */
export function isLiteral(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}

/**
 * Problems with `allowedOrigins`; list elements that are tokens are not checked. The one place
 * the Azure half calls the shared origin check: Azure matches an allowed origin exactly (or a lone
 * `*`, refused as every website), so a subdomain pattern such as `https://*.example.com` is refused
 * (`OriginWildcard.AZURE_EXACT`, the rule `verify azure` judges rules by).
 */
export function originProblems(origins: readonly string[] | undefined): string[] {
  return literalElementProblems(origins, Token.isUnresolved, (literal) => [
    ...httpsOriginProblems('allowedOrigins', literal, OriginWildcard.AZURE_EXACT, SEGMENTS_AZURE_DEFAULT_ORIGINS),
    ...blobCorsLimitProblems(origins!, literal),
  ]);
}

/** The Blob service's limits on a CORS rule: at most 64 allowed origins, each at most 256 characters. */
function blobCorsLimitProblems(origins: readonly string[], literal: readonly string[]): string[] {
  const problems: string[] = [];
  if (origins.length > MAX_CORS_ORIGINS) {
    problems.push(`allowedOrigins lists ${origins.length} origins: a Blob service CORS rule holds at most ${MAX_CORS_ORIGINS}.`);
  }
  literal.forEach((origin) => {
    if (origin.length > MAX_CORS_ORIGIN_LENGTH) {
      problems.push(`allowedOrigins[${origins.indexOf(origin)}] is ${origin.length} characters long: the Blob service accepts at most ${MAX_CORS_ORIGIN_LENGTH} per origin.`);
    }
  });
  return problems;
}

/** The most allowed origins a Blob service CORS rule holds. */
export const MAX_CORS_ORIGINS = 64;

/** The longest allowed origin a Blob service CORS rule accepts, in characters. */
export const MAX_CORS_ORIGIN_LENGTH = 256;

/** The values `servicePrincipal` takes. */
export const SERVICE_PRINCIPAL_MODES: readonly string[] = ['existing', 'create'];

/** The values `scope` takes. */
export const SCOPES: readonly string[] = ['account', 'container'];

/** The access props, as they arrive (JavaScript callers may pass anything). */
export interface AccessInput {
  readonly storageAccountId?: string;
  readonly servicePrincipal?: string;
  readonly scope?: string;
  readonly containerName?: string;
}

/**
 * Problems with the props that say where to grant and to whom.
 *
 * | scope       | containerName | result                                                   |
 * |-------------|---------------|----------------------------------------------------------|
 * | 'account'   | -             | granted on the account (the vendor doc's step)           |
 * | 'account'   | given         | refused: containerName would be ignored                  |
 * | 'container' | given         | granted on that container, with a warning               |
 * | 'container' | -             | refused: which container?                                |
 */
export function accessProblems(input: AccessInput): string[] {
  const problems: string[] = [];
  const { storageAccountId, servicePrincipal, scope, containerName } = input;
  if (storageAccountId === undefined || storageAccountId === '') {
    problems.push(`storageAccountId is missing: give the storage account's ARM ID, such as storageAccount.id.`);
  } else if (isLiteral(storageAccountId)) {
    problems.push(...azureStorageAccountIdProblems('storageAccountId', storageAccountId));
  }
  if (servicePrincipal !== undefined && !SERVICE_PRINCIPAL_MODES.includes(servicePrincipal)) {
    problems.push(`servicePrincipal ('${servicePrincipal}') must be 'existing' (run 'az ad sp create --id ...' once per tenant) or 'create'.`);
  }
  if (scope !== undefined && !SCOPES.includes(scope)) {
    problems.push(`scope ('${scope}') must be 'account' or 'container'.`);
  }
  if (scope === 'container' && containerName === undefined) {
    problems.push(`scope is 'container' but containerName is not set: give the container to grant on, or use scope 'account'.`);
  }
  if (scope !== 'container' && containerName !== undefined) {
    problems.push(`containerName is set but scope is not 'container': the grant would cover the whole account; set scope: 'container' or remove containerName.`);
  }
  if (isLiteral(containerName)) {
    problems.push(...azureContainerNameProblems('containerName', containerName));
  }
  return problems;
}

/** The storage account props, as they arrive. */
export interface StorageAccountInput {
  readonly name?: string;
  readonly resourceGroupName?: string;
  readonly location?: string;
  readonly containerNames?: readonly string[];
  readonly accountReplicationType?: string;
  readonly blobSoftDeleteDays?: number;
}

/** Problems with a required string prop that must not be blank. */
function requiredProblems(prop: string, value: string | undefined, example: string): string[] {
  if (value !== undefined && Token.isUnresolved(value)) {
    return [];
  }
  if (value === undefined || value.trim() === '') {
    return [`${prop} is empty: give ${example}.`];
  }
  if (value !== value.trim()) {
    return [`${prop} ('${value}') has leading or trailing spaces.`];
  }
  return [];
}

/** Problems with the props of a new storage account. */
export function storageAccountProblems(input: StorageAccountInput): string[] {
  const problems: string[] = [];
  if (input.name === undefined) {
    problems.push(`name is missing: give a storage account name of 3 to 24 lowercase letters and digits.`);
  } else if (isLiteral(input.name)) {
    problems.push(...azureStorageAccountNameProblems('name', input.name));
  }
  problems.push(...requiredProblems('resourceGroupName', input.resourceGroupName, "the resource group to create the account in, such as 'segments-labeling'"));
  problems.push(...requiredProblems('location', input.location, "an Azure region such as 'westeurope'"));
  const containers = input.containerNames ?? [];
  if (!Token.isUnresolved(containers)) {
    containers.forEach((container, i) => {
      if (isLiteral(container)) {
        problems.push(...azureContainerNameProblems(`containerNames[${i}]`, container));
        if (containers.indexOf(container) !== i) {
          problems.push(`containerNames[${i}] ('${container}') is listed twice: remove the duplicate.`);
        }
      }
    });
  }
  const replication = input.accountReplicationType;
  if (isLiteral(replication) && !REPLICATION_TYPES.includes(replication)) {
    // 'Standard_LRS' is the SKU as the portal and ARM write it; azurerm takes the tier separately (here: Standard).
    const unprefixed = replication.replace(/^(Standard|Premium)_/i, '');
    const hint = unprefixed !== replication && REPLICATION_TYPES.includes(unprefixed)
      ? ` Try '${unprefixed}': the '${replication.slice(0, replication.length - unprefixed.length - 1)}' in the SKU is its tier, which this construct sets itself.`
      : '';
    problems.push(`accountReplicationType ('${replication}') must be one of ${REPLICATION_TYPES.map((t) => `'${t}'`).join(', ')}.${hint}`);
  }
  const days = input.blobSoftDeleteDays;
  if (days !== undefined && !Token.isUnresolved(days) && (!Number.isInteger(days) || days < 1 || days > 365)) {
    problems.push(`blobSoftDeleteDays (${days}) must be a whole number of days from 1 to 365: Azure keeps deleted blobs and containers that long.`);
  }
  return problems;
}
