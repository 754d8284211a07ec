import { type CfnResource, Stack } from 'aws-cdk-lib';

/**
 * The CloudFormation properties of a resource as they will be deployed, escape hatches
 * (`addPropertyOverride`, L1 property assignments) included, with tokens resolved.
 * Undefined if aws-cdk-lib no longer offers the renderer this relies on.
 */
export function renderedProperties(resource: CfnResource): Record<string, any> | undefined {
  const render = (resource as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
  if (typeof render !== 'function') {
    return undefined;
  }
  const rendered = Stack.of(resource).resolve(render.call(resource)) as { Resources?: Record<string, { Properties?: Record<string, any> }> };
  return Object.values(rendered.Resources ?? {})[0]?.Properties ?? {};
}
