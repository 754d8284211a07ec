import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * At synth, warns (with `id`) when `construct` is in another stack than its bucket and that stack
 * holds no resource: the grant's resources all go to the bucket's stack, so the construct's own
 * stack renders an empty `Resources`, which CloudFormation refuses ("At least one Resources member
 * must be defined") and aws-cdk-lib's template validation reports.
 */
export function warnWhenOwnStackIsEmpty(construct: IConstruct, bucket: IConstruct, id: string): void {
  const own = Stack.of(construct);
  const bucketStack = Stack.of(bucket);
  if (own === bucketStack) {
    return;
  }
  construct.node.addValidation({
    validate: () => {
      if (!own.node.findAll().some((child) => CfnResource.isCfnResource(child) && Stack.of(child) === own)) {
        Annotations.of(construct).addWarningV2(id,
          `this construct is in stack '${own.stackName}' but its bucket ('${bucket.node.path}') is in stack '${bucketStack.stackName}', ` +
          'where every resource of the grant goes (the bucket policy, the CORS rule). That leaves ' +
          `'${own.stackName}' with no resources, which CloudFormation refuses to deploy: create the construct in the bucket's stack ` +
          `(new SegmentsAccess(Stack.of(bucket), ...)), or remove the empty stack.`);
      }
      return [];
    },
  });
}
