/**
 * Judges a resource policy (a bucket policy, a key policy) for one request of Segments', with the
 * IAM policy evaluator @cloud-copilot/iam-simulate: the same evaluator the constructs' tests use
 * (test/helpers/policy-evaluation.ts), with the same model of the caller's side.
 *
 * Segments is in another account than the bucket, so AWS allows its request only if BOTH its own
 * IAM policy and the resource policy allow it. Its own side is not the customer's to write: it is
 * modelled as allowing the requested action on `*`, so an Allow here means the resource policy
 * lets the request through, and a denial can only come from the resource policy.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { SEGMENTS_AWS_ACCOUNT_ID, SEGMENTS_AWS_PRINCIPAL_ARN, SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS } from 'segments-cloud-constructs';

/** A statement that decided, named as the report names it: its `Sid`, or `#<position>` (1-based). */
export interface DecidingStatement {
  readonly name: string;
  /** Its condition keys as written (for a Deny: what to exempt Segments from). */
  readonly conditionKeys: readonly string[];
}

export interface Verdict {
  /** The evaluator's result: `Allowed`, `ExplicitlyDenied`, `ImplicitlyDenied`. */
  readonly result: string;
  readonly allowedBy: readonly DecidingStatement[];
  readonly deniedBy: readonly DecidingStatement[];
}

/**
 * The request context of Segments' presigned GET, fetched by a labeler's browser: HTTPS with
 * TLS 1.2 (the oldest a browser still speaks), signed with SigV4 in the query string, as old as
 * the URL may be (24 hours), from an address on the internet (a documentation address, outside
 * any customer's office range), through no VPC endpoint, by a principal in no organization of the
 * customer's. Conditions on keys left out (aws:SourceVpce, aws:PrincipalOrgID) see them missing,
 * as AWS does: a negated operator on a missing key matches.
 */
export const SEGMENTS_GET_CONTEXT: Readonly<Record<string, string>> = {
  'aws:SecureTransport': 'true',
  's3:TlsVersion': '1.2',
  'aws:SourceIp': '198.51.100.7',
  's3:authType': 'REST-QUERY-STRING',
  's3:signatureversion': 'AWS4-HMAC-SHA256',
  's3:signatureAge': String(SEGMENTS_PRESIGNED_URL_LIFETIME_HOURS * 3600 * 1000),
};

/** The keys AWS sets for every request of Segments' IAM user (the evaluator does not derive them from the principal). */
const SEGMENTS_PRINCIPAL_CONTEXT: Readonly<Record<string, string>> = {
  'aws:PrincipalArn': SEGMENTS_AWS_PRINCIPAL_ARN,
  'aws:PrincipalAccount': SEGMENTS_AWS_ACCOUNT_ID,
  'aws:PrincipalType': 'User',
  'aws:username': SEGMENTS_AWS_PRINCIPAL_ARN.split('/').pop()!,
};

/** The caller's account used when the resource's own account is unknown: any account but Segments'. */
const UNKNOWN_RESOURCE_ACCOUNT = '000000000000';

/** Evaluates `action` by Segments' principal on `resource` under `policy` (parsed JSON). Throws when the evaluator cannot read the policy. */
export async function evaluateForSegments(
  policy: unknown,
  action: string,
  resource: string,
  context: Readonly<Record<string, string>>,
  resourceAccount: string = UNKNOWN_RESOURCE_ACCOUNT,
): Promise<Verdict> {
  const response = await runSimulation({
    request: {
      principal: SEGMENTS_AWS_PRINCIPAL_ARN,
      action,
      resource: { resource, accountId: resourceAccount },
      contextVariables: { ...SEGMENTS_PRINCIPAL_CONTEXT, ...context },
    },
    identityPolicies: [{
      name: 'segments-own-iam-policy',
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] },
    }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  }, {});
  if (response.resultType === 'error') {
    const errors = response.errors.resourcePolicyErrors ?? [];
    throw new Error(errors.length > 0 ? errors.map((e) => e.message).join('; ') : JSON.stringify(response.errors));
  }
  if (response.resultType !== 'single') {
    throw new Error(`the evaluator gave a ${response.resultType} result for ${resource}`);
  }
  const analysis = response.result.analysis;
  const statements = statementList(policy);
  // The evaluator numbers statements from 1.
  const name = (s: { index(): number; sid(): string | undefined }) => {
    const sid = s.sid();
    return sid !== undefined && sid !== '' ? sid : `#${s.index()}`;
  };
  const deciding = (list: readonly { statement: { index(): number; sid(): string | undefined } }[] | undefined) =>
    (list ?? []).map(({ statement }) => ({ name: name(statement), conditionKeys: conditionKeys(statements[statement.index() - 1]) }));
  return {
    result: analysis.result,
    allowedBy: deciding(analysis.resourceAnalysis?.allowStatements),
    deniedBy: deciding(analysis.resourceAnalysis?.denyStatements),
  };
}

function statementList(policy: unknown): unknown[] {
  const raw = (policy as { Statement?: unknown } | undefined)?.Statement;
  return Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
}

function conditionKeys(statement: unknown): string[] {
  const condition = (statement as { Condition?: unknown } | undefined)?.Condition;
  if (typeof condition !== 'object' || condition === null) {
    return [];
  }
  return [...new Set(Object.values(condition as Record<string, unknown>).flatMap((byKey) =>
    typeof byKey === 'object' && byKey !== null ? Object.keys(byKey) : []))];
}
