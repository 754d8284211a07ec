/**
 * Differential test: our evaluator (lib/iam) against @cloud-copilot/iam-simulate on generated
 * policies and requests (test/iam/policy-arbitraries.ts). Every request's context is fully known, so
 * both give a decision; they must agree wherever both are defined. Where AWS's documentation shows
 * the oracle wrong, that shape is left out of the comparison below, with the page that settles it,
 * and our behaviour is pinned in test/iam/doc-cases.test.ts.
 *
 * `npm test` runs IAM_FUZZ_RUNS (default 1,500) cases; `npm run fuzz:evaluator` runs 100,000.
 * IAM_FUZZ_SEED (default PROPERTY_SEED) picks another sequence of cases, so a long run can be split
 * into chunks with different seeds.
 */
import * as fc from 'fast-check';
import { evaluateIamRequest, IamPolicyError, type IamEvaluationInput } from '../../lib';
import { PROPERTY_SEED } from '../helpers/arbitraries';
import { oracleDecision } from './oracle';
import { evaluationInputArb } from './policy-arbitraries';

const RUNS = Number(process.env.IAM_FUZZ_RUNS ?? 1500);
const SEED = Number(process.env.IAM_FUZZ_SEED ?? PROPERTY_SEED);

/** Statements of every policy of an input. */
function statementsOf(input: IamEvaluationInput): Record<string, any>[] {
  const policies = [input.resourcePolicy, ...(input.identityPolicies ?? []).map((p) => p.policy),
    ...(input.resourceControlPolicies ?? []).flatMap((l) => l.policies.map((p) => p.policy))];
  return policies.flatMap((p: any) => (p === undefined ? [] : Array.isArray(p.Statement) ? p.Statement : [p.Statement]));
}

/**
 * Shapes where iam-simulate 0.1.173 departs from AWS's documentation; each is pinned in
 * doc-cases.test.ts with the page that settles it.
 */
function excludedShape(input: IamEvaluationInput): string | undefined {
  const present = new Set(Object.keys(input.request.context?.values ?? {}).map((key) => key.toLowerCase()));
  const single = new Map(Object.entries(input.request.context?.values ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
  const policies = [input.resourcePolicy, ...(input.identityPolicies ?? []).map((p) => p.policy)] as any[];
  // "If you don't include the Version element and set it to an appropriate version date, variables
  // like ${aws:username} are treated as literal strings in the policy" (IAM policy elements:
  // Variables and tags); iam-simulate resolves them in every version.
  if (policies.some((p) => p !== undefined && p.Version !== '2012-10-17' && JSON.stringify(p).includes('${'))) {
    return 'policy variables before 2012-10-17';
  }
  const hasNoValueVariable = (text: string) => text.match(/\$\{[^}]*\}/g)?.some((v) => {
    const [key, fallback] = v.slice(2, -1).split(',');
    return !['*', '?', '$'].includes(key.trim()) && fallback === undefined && typeof single.get(key.trim().toLowerCase()) !== 'string';
  }) ?? false;
  for (const statement of statementsOf(input)) {
    // "If AWS cannot resolve a variable, this might cause the entire statement to be invalid"; a
    // NotResource holding one then applies to nothing. iam-simulate lets it apply in an Allow.
    if (statement.NotResource !== undefined && hasNoValueVariable(JSON.stringify(statement.NotResource))) {
      return 'a policy variable with no value in NotResource';
    }
    // An IPv4 block of prefix length 0 holds every IPv4 address (RFC 4632; the IP address condition
    // operators "use the standard CIDR format"); iam-simulate's 32-bit shift by 32 makes it hold
    // only 0.0.0.0.
    if (/"\d+\.\d+\.\d+\.\d+\/0"/.test(JSON.stringify(statement.Condition ?? {}))) {
      return 'IPv4 /0';
    }
    // A single address is the block of that address alone (/32), so an IPv6 request is outside it
    // as it is outside any IPv4 block; iam-simulate instead makes the comparison fail, so that
    // NotIpAddress "203.0.113.9" does not match 2001:db8::1 while NotIpAddress "203.0.113.9/32" does.
    const sourceIp = Object.entries(input.request.context?.values ?? {}).find(([key]) => key.toLowerCase() === 'aws:sourceip')?.[1];
    if (typeof sourceIp === 'string' && sourceIp.includes(':') && /"\d+\.\d+\.\d+\.\d+"/.test(JSON.stringify(statement.Condition ?? {}))) {
      return 'a single IPv4 address against an IPv6 request';
    }
    for (const [operator, block] of Object.entries<Record<string, unknown>>(statement.Condition ?? {})) {
      // "...IfExists: If the key is not present, evaluate the condition element as true" (Condition
      // operators page) holds for ForAnyValue too; iam-simulate gives false on a missing key.
      // An ARN operator's value is split into its six components after its policy variables are
      // replaced ("each of the six colon-delimited components of the ARN is checked separately");
      // iam-simulate splits first, so `${aws:PrincipalAccount}` (a key with a colon) in the account
      // component breaks the ARN apart.
      if (/^(ForAnyValue:|ForAllValues:)?Arn/i.test(operator) && JSON.stringify(block).split('"').some((v) => v.includes('${') && v.slice(0, v.indexOf('${')).split(':').length < 6)) {
        return 'policy variable in an ARN value before its resource part';
      }
      // A variable with no value: "any attempt to match it fails" (IAM policy elements: Variables and
      // tags, "Principal key values"), negated operators included, as iam-simulate does for String
      // operators; for ARN operators it makes the negated match succeed.
      if (/^(ForAnyValue:|ForAllValues:)?ArnNot/i.test(operator) && hasNoValueVariable(JSON.stringify(block))) {
        return 'a policy variable with no value in a negated ARN operator';
      }
      if (/^ForAnyValue:.*IfExists$/i.test(operator) && Object.keys(block).some((key) => !present.has(key.toLowerCase()))) {
        return 'ForAnyValue:...IfExists on a missing key';
      }
    }
  }
  return undefined;
}

describe('our evaluator agrees with iam-simulate on generated policies and requests', () => {
  it(`gives the same decision in ${RUNS} generated cases where both are defined`, async () => {
    let compared = 0;
    let skipped = 0;
    const reasons: Record<string, number> = {};
    await fc.assert(fc.asyncProperty(evaluationInputArb, async (input) => {
      const excluded = excludedShape(input);
      if (excluded !== undefined) {
        reasons[excluded] = (reasons[excluded] ?? 0) + 1;
        skipped++;
        return;
      }
      let ours;
      try {
        ours = evaluateIamRequest(input);
      } catch (e) {
        if (e instanceof IamPolicyError) {
          const oracle = await oracleDecision(input);
          expect({ oracleRefusedToo: 'error' in oracle, ours: e.message }).toEqual({ oracleRefusedToo: true, ours: e.message });
          skipped++;
          return;
        }
        throw e;
      }
      if (ours.decision === 'undetermined') {
        reasons.undetermined = (reasons.undetermined ?? 0) + 1;
        skipped++;
        return;
      }
      const oracle = await oracleDecision(input);
      if ('error' in oracle) {
        throw new Error(`the oracle failed: ${oracle.error}`);
      }
      compared++;
      expect({ decision: ours.decision, input }).toEqual({ decision: oracle.decision, input });
    }), { seed: SEED, numRuns: RUNS });
    // The comparison must not be vacuous: most cases are compared.
    expect({ compared: compared > RUNS * 0.7, reasons }).toEqual({ compared: true, reasons });
    expect(compared + skipped).toBe(RUNS);
  }, Math.max(600_000, RUNS * 100));
});
