/**
 * `azure.network`: Segments reads from the internet, from addresses it does not publish, so the
 * account must take public traffic: `publicNetworkAccess` not `Disabled`, and a firewall whose
 * default action is `Allow` (IP rules cannot list addresses nobody publishes).
 */
import { CheckOutcome, couldNotRun, fail, pass, warn } from '../report';
import { Read, isFailure, readFailureFix } from '../read';

/** The storage account's network settings, as `@azure/arm-storage` returns them (the fields used). */
export interface AzureAccountNetwork {
  /** `Enabled`, `Disabled`, `SecuredByPerimeter`; absent on older accounts, which means enabled. */
  readonly publicNetworkAccess?: string;
  readonly networkRuleSet?: {
    readonly defaultAction?: string;
    readonly ipRules?: readonly unknown[];
    readonly virtualNetworkRules?: readonly unknown[];
  };
}

const ID = 'azure.network';

export function checkAzureNetwork(account: string, resourceGroup: string | undefined, network: Read<AzureAccountNetwork>): CheckOutcome {
  if (isFailure(network)) {
    return couldNotRun(ID, `Could not read the storage account ${account} (${network.message}).`,
      readFailureFix(network, 'The caller needs Microsoft.Storage/storageAccounts/read on the account (Reader holds it).'));
  }
  const update = `az storage account update --name ${account}${resourceGroup === undefined ? '' : ` --resource-group ${resourceGroup}`}`;
  const access = network.value.publicNetworkAccess;
  if (access === 'Disabled') {
    return fail(ID, `publicNetworkAccess is Disabled: only private endpoints reach ${account}, and Segments reads from the internet.`, `${update} --public-network-access Enabled`);
  }
  const rules = network.value.networkRuleSet;
  if (rules?.defaultAction === 'Deny') {
    const listed = `${rules.ipRules?.length ?? 0} IP rule(s) and ${rules.virtualNetworkRules?.length ?? 0} virtual network rule(s)`;
    return fail(ID, `The firewall's default action is Deny (${listed}): Segments reads from addresses it does not publish, so no rule can admit it.`, `${update} --default-action Allow`);
  }
  if (access !== undefined && access !== 'Enabled') {
    return warn(ID, `publicNetworkAccess is ${access}: a network security perimeter decides who reaches the account, which this check cannot read.`,
      'Make sure the perimeter admits inbound traffic from the internet to the blob service.');
  }
  return pass(ID, `publicNetworkAccess is ${access ?? 'not set (enabled)'} and the firewall's default action is ${rules?.defaultAction ?? 'Allow'}.`);
}
