/**
 * What an evaluation reports beside its decision (lib/iam/decision.ts): whether the request is in
 * the resource's account, the unknown keys the decision depends on (only when it does, once each),
 * and each policy's own verdict. Each case was a surviving Stryker mutant.
 */
import { evaluateIamRequest } from '../../lib';
import { allowsEverything, OBJECT, policy, SEGMENTS, segmentsGet } from './helpers';

const ALLOW_SEGMENTS = { Sid: 'Segments', Effect: 'Allow', Principal: { AWS: SEGMENTS }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*' };
const REFERER_ONLY = { Sid: 'RefererOnly', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringLike: { 'aws:Referer': 'https://app.segments.ai/*' } } };

describe('sameAccount', () => {
  it('is false for a service principal or a principal without an account, even without a resource account', () => {
    // A service principal is in no customer account ("AWS JSON policy elements: Principal", AWS services).
    expect(evaluateIamRequest({ request: { principal: 'cloudfront.amazonaws.com', action: 's3:GetObject', resource: OBJECT } }).sameAccount).toBe(false);
    expect(evaluateIamRequest({ request: { principal: 'anonymous', action: 's3:GetObject', resource: OBJECT } }).sameAccount).toBe(false);
    expect(evaluateIamRequest({ request: { principal: SEGMENTS, action: 's3:GetObject', resource: OBJECT } }).sameAccount).toBe('unknown');
    expect(segmentsGet(policy(ALLOW_SEGMENTS)).sameAccount).toBe(false);
  });
});

describe('unknownKeys', () => {
  it('are empty when the decision is certain, though a statement is undetermined', () => {
    const denyAll = { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' };
    const result = segmentsGet(policy(REFERER_ONLY, denyAll), { unknown: ['aws:Referer'] });
    expect(result.decision).toBe('explicit deny');
    expect(result.undetermined.map((s) => s.name)).toEqual(['RefererOnly']);
    expect(result.unknownKeys).toEqual([]);
  });
  it('name a key two statements depend on once', () => {
    const other = { ...REFERER_ONLY, Sid: 'RefererToo', Condition: { StringLike: { 'aws:Referer': 'https://*.segments.ai/*' } } };
    expect(segmentsGet(policy(REFERER_ONLY, other), { unknown: ['aws:Referer'] }).unknownKeys).toEqual(['aws:Referer']);
  });
  it('do not name aws:ResourceAccount when same- and cross-account evaluation agree', () => {
    // The resource policy grants Segments' user itself and its own policy allows: allowed in either
    // case, so only the Referer decides.
    const result = evaluateIamRequest({
      request: { principal: SEGMENTS, action: 's3:GetObject', resource: OBJECT, context: { unknown: ['aws:Referer'] } },
      resourcePolicy: policy(ALLOW_SEGMENTS, { ...REFERER_ONLY, Effect: 'Deny' }),
      identityPolicies: allowsEverything(),
    });
    expect(result.sameAccount).toBe('unknown');
    expect(result.possibleDecisions).toEqual(['allowed', 'explicit deny']);
    expect(result.unknownKeys).toEqual(['aws:Referer']);
  });
});

describe('each policy\'s own verdict', () => {
  it('the resource policy, the identity policies and each RCP level with its policies', () => {
    const rcp = { name: 'DataPerimeter', policy: policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }) };
    const result = segmentsGet(policy(ALLOW_SEGMENTS), {}, { resourceControlPolicies: [{ name: 'root', policies: [rcp] }] });
    expect(result.decision).toBe('allowed');
    expect(result.resourcePolicy && [result.resourcePolicy.name, result.resourcePolicy.allows, result.resourcePolicy.denies]).toEqual(['resource policy', true, false]);
    expect(result.identityPolicies.map((p) => [p.name, p.allows])).toEqual([['own', true]]);
    expect(result.resourceControlPolicies.map((l) => [l.name, l.allows, l.policies.map((p) => p.name)])).toEqual([['root', true, ['DataPerimeter']]]);
  });
  it('no resourcePolicy entry without a resource policy', () => {
    expect('resourcePolicy' in segmentsGet(undefined)).toBe(false);
  });
});
