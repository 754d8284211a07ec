/**
 * Principal and NotPrincipal forms that surviving mutants of lib/iam/principal.ts showed untested
 * ("AWS JSON policy elements: Principal",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html;
 * "...: NotPrincipal", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html).
 */
import { evaluateIamRequest } from '../../lib';
import { allowsEverything, CUSTOMER, OBJECT, policy, SEGMENTS, segmentsGet } from './helpers';

const get = { action: 's3:GetObject', resource: OBJECT, resourceAccount: CUSTOMER };
const grant = (Principal: unknown) => policy({ Effect: 'Allow', Principal, Action: 's3:GetObject', Resource: '*' });
const ALLOW_SEGMENTS = { Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: '*' };
const denyAllBut = (NotPrincipal: unknown) => policy(ALLOW_SEGMENTS, { Effect: 'Deny', NotPrincipal, Action: 's3:*', Resource: '*' });

describe('Principal', () => {
  it('a Service entry names a service principal only, never an IAM user with that text', () => {
    expect(segmentsGet(grant({ Service: SEGMENTS }), {}, { identityPolicies: allowsEverything() }).decision).toBe('implicit deny');
  });
  it('a Federated entry names that identity provider\'s principal', () => {
    const request = { principal: 'accounts.google.com', ...get };
    expect(evaluateIamRequest({ request, resourcePolicy: grant({ Federated: 'accounts.google.com' }) }).decision).toBe('allowed');
    expect(evaluateIamRequest({ request, resourcePolicy: grant({ Federated: 'graph.facebook.com' }) }).decision).toBe('implicit deny');
  });
  it('the account\'s root user is the account principal itself: a grant to the account suffices in its own account', () => {
    // "Policy evaluation for requests within a single account": a resource policy naming the
    // principal allows it with no identity policy; the account ID names the root user.
    const request = { principal: `arn:aws:iam::${CUSTOMER}:root`, ...get };
    expect(evaluateIamRequest({ request, resourcePolicy: grant({ AWS: CUSTOMER }) }).decision).toBe('allowed');
    // A user of that account is granted only at account level: its own policy must allow too.
    expect(evaluateIamRequest({ request: { ...request, principal: `arn:aws:iam::${CUSTOMER}:user/alice` }, resourcePolicy: grant({ AWS: CUSTOMER }) }).decision).toBe('implicit deny');
  });
  it('a role ARN names that account\'s role only: a same-named role of another account is another principal', () => {
    const session = { principal: 'arn:aws:sts::931508227573:assumed-role/reader/labeler-1', ...get };
    const identityPolicies = allowsEverything();
    expect(evaluateIamRequest({ request: session, identityPolicies, resourcePolicy: grant({ AWS: 'arn:aws:iam::931508227573:role/reader' }) }).decision).toBe('allowed');
    expect(evaluateIamRequest({ request: session, identityPolicies, resourcePolicy: grant({ AWS: 'arn:aws:iam::444455556666:role/reader' }) }).decision).toBe('implicit deny');
  });
});

describe('NotPrincipal', () => {
  it('{"AWS": "*"} leaves everyone out of a Deny', () => {
    expect(segmentsGet(denyAllBut({ AWS: '*' })).decision).toBe('allowed');
  });
  it('the account ID leaves the account\'s root user out of a Deny', () => {
    const request = { principal: `arn:aws:iam::${CUSTOMER}:root`, ...get };
    const resourcePolicy = policy({ Effect: 'Allow', Principal: { AWS: CUSTOMER }, Action: 's3:GetObject', Resource: '*' }, { Effect: 'Deny', NotPrincipal: { AWS: CUSTOMER }, Action: 's3:*', Resource: '*' });
    expect(evaluateIamRequest({ request, resourcePolicy }).decision).toBe('allowed');
  });
  it('an intrinsic beside another principal may or may not list Segments: undetermined', () => {
    const result = segmentsGet(denyAllBut({ AWS: [{ 'Fn::GetAtt': ['Role', 'Arn'] }, 'arn:aws:iam::444455556666:root'] }));
    expect(result.possibleDecisions).toEqual(['allowed', 'explicit deny']);
  });
});
