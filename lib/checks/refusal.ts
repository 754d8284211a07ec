import { formatProblems } from './problems';

/**
 * The error a CDK for Terraform construct throws when it refuses its input: the construct's path,
 * then every problem, and no stack frames. The frames would point into this library, not at the prop
 * to fix, and `cdktf synth` shows the app's whole error output: with no frames it shows the sentence
 * alone, as the AWS CDK CLI shows a refusal of the AWS constructs.
 */
export function refusalError(constructPath: string, constructName: string, problems: readonly string[]): Error {
  const error = new Error(`${constructPath}: ${formatProblems(constructName, problems)}`);
  error.stack = `${error.name}: ${error.message}`;
  return error;
}
