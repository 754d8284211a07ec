/**
 * Judges a resource policy (a bucket policy, a key policy) for one request of Segments', with the
 * constructs package's own IAM policy evaluator (lib/iam, exported from the root entry): the same
 * evaluator the constructs' lock-out warnings use.
 *
 * Segments is in another account than the bucket, so AWS allows its request only if BOTH its own
 * IAM policy and the resource policy allow it. Its own side is not the customer's to write: it is
 * modelled as allowing the requested action on `*`, so an Allow here means the resource policy
 * lets the request through, and a denial can only come from the resource policy.
 *
 * Three-valued: the keys verify cannot know for Segments' real request (lib/iam/segments-request.ts,
 * SEGMENTS_GET_UNKNOWN_KEYS: the labeler's aws:SourceIp, aws:Referer, aws:UserAgent, object tags not
 * read...) are unknown, and a decision that depends on one is `Undetermined`, never `Allowed`.
 */
import {
  IamDecision,
  IamStatementVerdict,
  SEGMENTS_AWS_PRINCIPAL_ARN,
  SEGMENTS_GET_KNOWN_VALUES,
  SEGMENTS_GET_UNKNOWN_KEYS,
  evaluateIamRequest,
} from 'segments-cloud-constructs';

/** A statement that decided, named as the report names it: its `Sid`, or `#<position>` (1-based). */
export interface DecidingStatement {
  readonly name: string;
  /** Its condition keys as written (for a Deny: what to exempt Segments from). */
  readonly conditionKeys: readonly string[];
}

export interface Verdict {
  /** `Allowed`, `ExplicitlyDenied`, `ImplicitlyDenied`, or `Undetermined` (it depends on a key verify cannot know). */
  readonly result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Undetermined';
  readonly allowedBy: readonly DecidingStatement[];
  readonly deniedBy: readonly DecidingStatement[];
  /** The statements that might apply, with the unknown conditions they depend on (empty unless `Undetermined`). */
  readonly undetermined: readonly IamStatementVerdict[];
}

/** The caller's account used when the resource's own account is unknown: any account but Segments'. */
const UNKNOWN_RESOURCE_ACCOUNT = '000000000000';

const RESULTS: Record<IamDecision | 'undetermined', Verdict['result']> = {
  'allowed': 'Allowed',
  'explicit deny': 'ExplicitlyDenied',
  'implicit deny': 'ImplicitlyDenied',
  'undetermined': 'Undetermined',
};

/**
 * Evaluates `action` by Segments' principal on `resource` under `policy` (parsed JSON), with the
 * context keys in `context` known, those of Segments' principal known, the labeler's side unknown,
 * and every other key missing. Throws when the evaluator cannot read the policy.
 */
export async function evaluateForSegments(
  policy: unknown,
  action: string,
  resource: string,
  context: Readonly<Record<string, string>>,
  resourceAccount: string = UNKNOWN_RESOURCE_ACCOUNT,
): Promise<Verdict> {
  const principalKeys = Object.fromEntries(Object.entries(SEGMENTS_GET_KNOWN_VALUES).filter(([key]) => /^aws:(Principal|username)/i.test(key)));
  const known = new Set(Object.keys(context).map((key) => key.toLowerCase()));
  const evaluation = evaluateIamRequest({
    request: {
      principal: SEGMENTS_AWS_PRINCIPAL_ARN,
      action,
      resource,
      resourceAccount,
      context: {
        values: { ...principalKeys, ...context },
        unknown: SEGMENTS_GET_UNKNOWN_KEYS.filter((key) => !known.has(key.toLowerCase())),
        unlisted: 'missing',
      },
    },
    resourcePolicy: policy,
    resourcePolicyType: action.toLowerCase().startsWith('kms:') ? 'kms-key' : 'resource',
    identityPolicies: [{
      name: 'segments-own-iam-policy',
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] },
    }],
  });
  const ofResourcePolicy = (list: readonly { name: string; policy: string; conditionKeys: readonly string[] }[]) =>
    list.filter((s) => s.policy !== 'segments-own-iam-policy').map(({ name, conditionKeys }) => ({ name, conditionKeys }));
  return {
    result: RESULTS[evaluation.decision],
    allowedBy: ofResourcePolicy(evaluation.allowedBy),
    deniedBy: ofResourcePolicy(evaluation.deniedBy),
    undetermined: evaluation.undetermined.filter((s) => s.policy !== 'segments-own-iam-policy'),
  };
}

/**
 * The conditions an undetermined statement depends on, as a phrase: `NotIpAddress aws:SourceIp
 * ["10.0.0.0/8"]`, joined with "and".
 */
export function unknownConditionsText(verdict: IamStatementVerdict): string {
  const conditions = verdict.unknownConditions.map((c) => `${c.operator} ${c.key} ${JSON.stringify(c.values)}`);
  const elements = verdict.unknownElements.map((element) => `its ${element} (not a literal)`);
  const keys = verdict.unknownKeys.filter((key) => !verdict.unknownConditions.some((c) => c.key.toLowerCase() === key.toLowerCase()));
  return [...conditions, ...elements, ...keys].join(' and ') || 'a value verify cannot know';
}
