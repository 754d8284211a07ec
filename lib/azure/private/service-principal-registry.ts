/**
 * Remembers which construct of a stack declares Segments' service principal (`servicePrincipal:
 * 'create'`). A tenant holds one service principal per application, so a second declaration would
 * adopt the same object twice; and a lookup (`'existing'`) in the same stack must wait until the
 * declared one exists.
 */
import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import type { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';

const createdByStack = new WeakMap<TerraformStack, ServicePrincipal>();

/** The service principal this stack already declares, if any. */
export function createdServicePrincipal(scope: IConstruct): ServicePrincipal | undefined {
  return createdByStack.get(TerraformStack.of(scope));
}

/** Records the service principal a construct of this stack declares. */
export function recordCreatedServicePrincipal(scope: IConstruct, servicePrincipal: ServicePrincipal): void {
  createdByStack.set(TerraformStack.of(scope), servicePrincipal);
}
