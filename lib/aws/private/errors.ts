import * as cdk from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { formatProblems } from '../../checks';

/**
 * Throws one error listing every problem, scoped to the construct so the CDK CLI prints its path.
 *
 * aws-cdk-lib's `ValidationError` is what its own constructs throw; it is marked internal, so fall
 * back to a plain Error carrying the construct path when a future version stops exporting it.
 */
export function throwProblems(scope: IConstruct, constructName: string, problems: readonly string[]): never {
  const message = formatProblems(constructName, problems);
  const ValidationError = (cdk as unknown as { ValidationError?: new (name: string, msg: string, scope: IConstruct) => Error }).ValidationError;
  if (ValidationError) {
    throw new ValidationError('SegmentsValidation', message, scope);
  }
  throw new Error(`${scope.node.path}: ${message}`);
}
