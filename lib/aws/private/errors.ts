// Not `import * as cdk`: the bundle of '/aws' would copy every export of aws-cdk-lib into a namespace object at load
// (esbuild's __toESM); this is the package's own exports object. The submodules come from its root too
// (`import { aws_s3 as s3 } from 'aws-cdk-lib'`), which spares resolving 'aws-cdk-lib/aws-s3' once more (README, Performance).
import cdk = require('aws-cdk-lib');
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
