/** Azure names: storage accounts, containers, storage account resource IDs. */

/** Problems with an Azure storage account name: 3 to 24 lowercase letters and digits, nothing else. */
export function azureStorageAccountNameProblems(prop: string, name: string): string[] {
  if (/^[a-z0-9]{3,24}$/.test(name)) {
    return [];
  }
  const fixed = name.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 24);
  const hint = fixed.length >= 3 ? ` Try '${fixed}'.` : '';
  return [`${prop} ('${name}') must be 3 to 24 lowercase letters and digits (no '-', '_', '.' or uppercase): Azure storage account names are globally unique DNS labels.${hint}`];
}

/**
 * Problems with a blob container name: 3 to 63 lowercase letters, digits and single hyphens,
 * starting and ending with a letter or digit. The special containers (`$root`, `$web`, `$logs`)
 * are refused: `$web` serves a static website publicly.
 */
export function azureContainerNameProblems(prop: string, name: string): string[] {
  const where = `${prop} ('${name}')`;
  if (name.startsWith('$')) {
    return [`${where} is a special container ($root, $web, $logs): give a private container of your own, such as 'images'.`];
  }
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push(`${where} is ${name.length} characters long: container names have 3 to 63.`);
  }
  if (!/^[a-z0-9-]*$/.test(name)) {
    // 'Raw_Data' -> 'raw-data': offered only when the suggestion passes this check itself.
    const suggestion = azureContainerNameSuggestion(name);
    const hint = suggestion !== undefined && azureContainerNameProblems(prop, suggestion).length === 0 ? ` Try '${suggestion}'.` : '';
    problems.push(`${where} may only contain lowercase letters, digits and '-'.${hint}`);
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push(`${where} must start and end with a lowercase letter or a digit.`);
  }
  if (name.includes('--')) {
    problems.push(`${where} has consecutive hyphens, which Azure refuses; try '${name.replace(/-+/g, '-')}'.`);
  }
  return problems;
}

/** A container name in Azure's alphabet: lowercase, other characters as single hyphens, none at the ends. */
function azureContainerNameSuggestion(name: string): string | undefined {
  const fixed = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return fixed === name ? undefined : fixed;
}

const ARM_STORAGE_ACCOUNT_ID =
  /^\/subscriptions\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Storage\/storageAccounts\/([^/]+)$/i;

/**
 * Problems with the ARM ID of a storage account:
 * `/subscriptions/<subscription-guid>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>`.
 */
export function azureStorageAccountIdProblems(prop: string, id: string): string[] {
  const where = `${prop} ('${id}')`;
  const container = /^(.*)\/blobServices\/default\/containers\/([^/]+)\/?$/i.exec(id);
  if (container) {
    return [`${where} is a container's ID: give the storage account's ID, '${container[1]}', with scope: 'container' and containerName: '${container[2]}'.`];
  }
  const match = ARM_STORAGE_ACCOUNT_ID.exec(id);
  if (!match) {
    const hint = /^[a-z0-9]{3,24}$/.test(id)
      ? ` It looks like an account name: pass storageAccount.id, or the output of 'az storage account show --name ${id} --query id --output tsv'.`
      : '';
    return [`${where} is not the ARM ID of a storage account: it has the form '/subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.Storage/storageAccounts/<name>'.${hint}`];
  }
  return azureStorageAccountNameProblems(`${prop}'s account name`, match[1]);
}

/** The storage account name at the end of a storage account's ARM ID (undefined when it is not one). */
export function azureStorageAccountNameOf(id: string): string | undefined {
  return ARM_STORAGE_ACCOUNT_ID.exec(id)?.[1];
}
