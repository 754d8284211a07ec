/**
 * The oracle of the differential tests: @cloud-copilot/iam-simulate (AGPL, a devDependency only),
 * run on the same inputs as our evaluator. Its result is mapped onto our three decisions.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { IamDecision, IamEvaluationInput } from '../../lib';

/** What the oracle decided, or why it could not. */
export type OracleAnswer = { readonly decision: IamDecision } | { readonly error: string };

const RESULTS: Record<string, IamDecision> = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'explicit deny',
  ImplicitlyDenied: 'implicit deny',
};

/** Runs the oracle on an input whose context is fully known (every listed key has a value). */
export async function oracleDecision(input: IamEvaluationInput): Promise<OracleAnswer> {
  const { request } = input;
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount ?? '000000000000' },
      contextVariables: Object.fromEntries(Object.entries(request.context?.values ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]])),
    },
    identityPolicies: (input.identityPolicies ?? []).map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: (input.serviceControlPolicies ?? []).map((level) => ({ orgIdentifier: level.name, policies: level.policies.map((p) => ({ name: p.name, policy: p.policy })) })),
    // iam-simulate adds RCPFullAWSAccess to every level itself; our inputs list it, as AWS's ListPoliciesForTarget does.
    resourceControlPolicies: (input.resourceControlPolicies ?? []).map((level) => ({
      orgIdentifier: level.name,
      policies: level.policies.filter((p) => p.name !== 'RCPFullAWSAccess').map((p) => ({ name: p.name, policy: p.policy })),
    })),
    resourcePolicy: input.resourcePolicy,
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') {
    return { error: JSON.stringify(response.errors) };
  }
  if (response.resultType !== 'single') {
    return { error: `result type ${response.resultType}` };
  }
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    return { error: `ignored context keys ${ignored.join(', ')}` };
  }
  return { decision: RESULTS[response.result.analysis.result] ?? (response.result.analysis.result as IamDecision) };
}
