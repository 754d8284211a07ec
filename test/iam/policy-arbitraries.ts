/**
 * A grammar of IAM policies and requests for the differential tests: every element the evaluator
 * handles (Principal/NotPrincipal in each form, Action/NotAction, Resource/NotResource with `*`, `?`
 * and policy variables, every condition operator family with `IfExists` and the set operators,
 * case-varied key names), over a small vocabulary so that matches and near-misses both occur often.
 */
import * as fc from 'fast-check';
import type { IamContextValue, IamEvaluationInput, IamNamedPolicy, IamPolicyLevel } from '../../lib';

export const SEGMENTS = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';
export const SEGMENTS_ACCOUNT = '931508227573';
export const CUSTOMER_ACCOUNT = '111122223333';
export const ALICE = `arn:aws:iam::${CUSTOMER_ACCOUNT}:user/alice`;
export const KEY_ARN = `arn:aws:kms:eu-west-1:${CUSTOMER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const SESSION = `arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/reader/session-1`;
export const SERVICE = 'cloudfront.amazonaws.com';
const PRINCIPALS = [SEGMENTS, SEGMENTS, ALICE, ALICE, SESSION, SERVICE];
const KEYS = ['photos/a.jpg', 'masks/x.png', 'Photos/b.JPG', 'photos/alice/c.jpg', 'segmentsai-prod-user/d.jpg', 'x?y.jpg'];

/** The keys of the request context, each with a type and a pool of values. */
const CONTEXT_KEYS: Readonly<Record<string, { readonly type: 'string' | 'number' | 'date' | 'epoch' | 'bool' | 'ip' | 'arn' | 'multi'; readonly values: readonly string[] }>> = {
  'aws:PrincipalTag/team': { type: 'string', values: ['photos', 'Photos', 'masks', 'photo*', 'alice'] },
  'aws:Referer': { type: 'string', values: ['https://app.segments.ai/', 'https://evil.example/', 'https://app.segments.ai/x?y'] },
  's3:ExistingObjectTag/class': { type: 'string', values: ['public', 'secret', 'Public'] },
  's3:signatureAge': { type: 'number', values: ['600000', '86400000', '1', '0.5'] },
  's3:TlsVersion': { type: 'number', values: ['1.2', '1.3', '1.0'] },
  'aws:CurrentTime': { type: 'date', values: ['2026-12-07T23:00:00Z', '2019-06-01T00:00:00Z', '2030-01-01T00:00:00Z', '2026-12-07'] },
  'aws:EpochTime': { type: 'epoch', values: ['1765148400', '1577836800', '1893456000'] },
  'aws:SecureTransport': { type: 'bool', values: ['true', 'false'] },
  'aws:SourceIp': { type: 'ip', values: ['10.1.2.3', '198.51.100.7', '203.0.113.9', '2001:db8::1', '2001:db8:1::7', '::ffff:10.0.0.1'] },
  'aws:PrincipalArn': { type: 'arn', values: [SEGMENTS, ALICE, `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/reader`] },
  'aws:SourceArn': { type: 'arn', values: ['arn:aws:cloudfront::111122223333:distribution/E1', 'arn:aws:s3:::bucket'] },
  'aws:PrincipalOrgPaths': { type: 'multi', values: ['o-a1/r-ab/ou-1/', 'o-a1/r-ab/ou-2/', 'o-b2/r-cd/'] },
};

/** Policy values per type: matches and near misses of the context pool, wildcards and variables. */
const POLICY_VALUES: Readonly<Record<string, readonly (string | boolean | number)[]>> = {
  string: ['photos', 'Photos', 'photo*', 'pho?os', 'public', 'https://app.segments.ai/*', '${aws:PrincipalTag/team}', '${aws:username}', "${aws:PrincipalTag/team, 'photos'}", 'a${*}b', 'secret'],
  number: ['600000', '86400000', '1.2', '1.3', '1', 604800000],
  date: ['2026-01-01T00:00:00Z', '2026-12-07T23:00:00Z', '2020-01-01', '2028-06-30T12:00:00Z'],
  epoch: ['1765148400', '1700000000', '1800000000'],
  bool: ['true', 'false', true, false, 'TRUE'],
  ip: ['10.0.0.0/8', '198.51.100.0/24', '203.0.113.9', '0.0.0.0/1', '128.0.0.0/1', '2001:db8::/32', '2001:db8::/48', '::/0', '10.1.2.3/32'],
  arn: [SEGMENTS, 'arn:aws:iam::931508227573:user/*', 'arn:aws:iam::*:role/reader', 'arn:aws:iam::111122223333:*', 'arn:aws:cloudfront::111122223333:distribution/*', 'arn:aws:iam::931508227573:user/${aws:username}', 'arn:aws:s3:::buck?t'],
  multi: ['o-a1/*', 'o-a1/r-ab/ou-1/', 'o-b2/r-cd/', 'o-*/r-ab/ou-2/'],
};

const OPERATORS: Readonly<Record<string, readonly string[]>> = {
  string: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
  number: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
  date: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  epoch: ['DateLessThan', 'DateGreaterThanEquals', 'DateEquals', 'NumericLessThan'],
  bool: ['Bool'],
  ip: ['IpAddress', 'NotIpAddress'],
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
  multi: ['StringLike', 'StringEquals', 'StringNotLike'],
};

/** A key name with its case possibly changed (AWS matches key names case-insensitively). */
const casedKey = (key: string) => fc.constantFrom(key, key.toUpperCase(), key.toLowerCase());

const conditionArb = fc.constantFrom(...Object.keys(CONTEXT_KEYS)).chain((key) => {
  const { type } = CONTEXT_KEYS[key];
  const values = POLICY_VALUES[type];
  const value = fc.oneof(fc.constantFrom(...values), fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }));
  const operator = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(
      type === 'multi' ? fc.constantFrom('ForAnyValue:', 'ForAllValues:') : fc.constantFrom('', '', '', 'ForAnyValue:', 'ForAllValues:'),
      fc.constantFrom(...OPERATORS[type]),
      fc.constantFrom('', '', 'IfExists'),
    ).map(([set, base, ifExists]) => `${set}${base}${ifExists}`) },
    { weight: 1, arbitrary: fc.constant('Null') },
  );
  return fc.tuple(operator, casedKey(key)).chain(([op, k]) =>
    (op === 'Null' ? fc.constantFrom<unknown>('true', 'false', true) : (value as fc.Arbitrary<unknown>)).map((v) => ({ op, key: k, value: v })));
});

const principalArb = fc.oneof(
  fc.constant<unknown>('*'),
  fc.constant<unknown>({ AWS: '*' }),
  fc.constantFrom(SEGMENTS_ACCOUNT, CUSTOMER_ACCOUNT, `arn:aws:iam::${SEGMENTS_ACCOUNT}:root`, `arn:aws:iam::${CUSTOMER_ACCOUNT}:root`, SEGMENTS, ALICE,
    `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/reader`, `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/writer`, SESSION).map((v) => ({ AWS: v })),
  fc.uniqueArray(fc.constantFrom(SEGMENTS, ALICE, CUSTOMER_ACCOUNT, `arn:aws:iam::${SEGMENTS_ACCOUNT}:root`), { minLength: 1, maxLength: 3 }).map((v) => ({ AWS: v })),
  fc.constantFrom<unknown>({ Service: SERVICE }, { Service: 'logging.s3.amazonaws.com' }),
  fc.constant<unknown>({ CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }),
);

const notPrincipalArb = fc.oneof(
  fc.constant<unknown>({ AWS: [SEGMENTS, `arn:aws:iam::${SEGMENTS_ACCOUNT}:root`] }),
  fc.constant<unknown>({ AWS: [ALICE, `arn:aws:iam::${CUSTOMER_ACCOUNT}:root`] }),
  fc.constant<unknown>({ AWS: `arn:aws:iam::${CUSTOMER_ACCOUNT}:root` }),
);

const ACTIONS = ['s3:GetObject', 's3:Get*', 's3:*', '*', 's3:getobject', 'S3:GETOBJECT', 's3:PutObject', 's3:Get?bject', 's3:*Object', 'kms:Decrypt', 'kms:*'];
const RCP_ACTIONS = ACTIONS.filter((a) => a !== '*');
const RESOURCES = [
  'arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/photos/*', 'arn:aws:s3:::bucket/*.jpg', 'arn:aws:s3:::bucket/photos/?.jpg', '*',
  'arn:aws:s3:::bucket', 'arn:aws:s3:::other/*', 'arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/${aws:username}/*',
  "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'photos'}/*", 'arn:aws:s3:::bucket/x${?}y.jpg', 'arn:aws:s3:::*/photos/*',
  'arn:aws:kms:*:111122223333:key/*', KEY_ARN, 'arn:aws:kms:eu-west-1:111122223333:alias/*',
];

const listOf = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.uniqueArray(arb, { minLength: 1, maxLength: 3 }));

/** One statement of a resource policy (`withPrincipal`) or of an identity or control policy. */
const statementArb = (kind: 'resource' | 'identity' | 'rcp') => fc.record({
  sid: fc.option(fc.constantFrom('A', 'B', 'segments-s3-access'), { nil: undefined }),
  effect: kind === 'rcp' ? fc.constant('Deny') : fc.constantFrom('Allow', 'Allow', 'Deny'),
  principal: kind === 'resource' ? fc.oneof({ weight: 5, arbitrary: principalArb.map((p) => ({ Principal: p })) }, { weight: 1, arbitrary: notPrincipalArb.map((p) => ({ NotPrincipal: p })) })
    : kind === 'rcp' ? fc.constant({ Principal: '*' }) : fc.constant({}),
  // AWS refuses an RCP whose Action is "*" (only the managed RCPFullAWSAccess has it).
  action: fc.oneof({ weight: 4, arbitrary: listOf(fc.constantFrom(...(kind === 'rcp' ? RCP_ACTIONS : ACTIONS))).map((a) => ({ Action: a })) }, { weight: kind === 'rcp' ? 0 : 1, arbitrary: listOf(fc.constantFrom(...ACTIONS)).map((a) => ({ NotAction: a })) }),
  resource: fc.oneof({ weight: 4, arbitrary: listOf(fc.constantFrom(...RESOURCES)).map((r) => ({ Resource: r })) }, { weight: 1, arbitrary: listOf(fc.constantFrom(...RESOURCES)).map((r) => ({ NotResource: r })) }),
  conditions: fc.array(conditionArb, { maxLength: 3 }),
}).map(({ sid, effect, principal, action, resource, conditions }) => {
  const statement: Record<string, unknown> = { ...(sid ? { Sid: sid } : {}), Effect: effect, ...principal, ...action, ...resource };
  if (conditions.length > 0) {
    const block: Record<string, Record<string, unknown>> = {};
    for (const c of conditions) {
      (block[c.op] ??= {})[c.key] = c.value;
    }
    statement.Condition = block;
  }
  return statement;
});

const policyArb = (kind: 'resource' | 'identity' | 'rcp', version: fc.Arbitrary<string | undefined>) =>
  fc.record({ version, statements: fc.array(statementArb(kind), { minLength: 1, maxLength: 4 }) })
    .map(({ version: v, statements }) => ({ ...(v ? { Version: v } : {}), Statement: statements }));

const FULL_ACCESS: IamNamedPolicy = { name: 'RCPFullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] } };

/** A full, known context: each key of the pool present (with a pool value) or absent. */
const contextArb: fc.Arbitrary<Record<string, IamContextValue | undefined>> = fc.record(Object.fromEntries(Object.entries(CONTEXT_KEYS).map(([key, { type, values }]) => [key,
  fc.option<IamContextValue>(type === 'multi' ? fc.uniqueArray(fc.constantFrom(...values), { maxLength: 3 }) : fc.constantFrom(...values), { nil: undefined })])) as Record<string, fc.Arbitrary<IamContextValue | undefined>>);

/** A request and everything it is judged against, with a fully known context. */
export const evaluationInputArb: fc.Arbitrary<IamEvaluationInput> = fc.record({
  principal: fc.constantFrom(...PRINCIPALS),
  kms: fc.boolean(),
  key: fc.constantFrom(...KEYS),
  resourceAccount: fc.constantFrom(CUSTOMER_ACCOUNT, CUSTOMER_ACCOUNT, SEGMENTS_ACCOUNT),
  context: contextArb,
  version: fc.oneof({ weight: 8, arbitrary: fc.constant<string | undefined>('2012-10-17') }, { weight: 1, arbitrary: fc.constantFrom<string | undefined>('2008-10-17', undefined) }),
  resourcePolicy: fc.option(fc.constant(0), { nil: undefined, freq: 8 }),
  identity: fc.oneof(
    { weight: 3, arbitrary: fc.constant<'model' | 'none' | 'generated'>('model') },
    { weight: 1, arbitrary: fc.constant<'model' | 'none' | 'generated'>('none') },
    { weight: 2, arbitrary: fc.constant<'model' | 'none' | 'generated'>('generated') },
  ),
  rcpLevels: fc.integer({ min: 0, max: 2 }),
}).chain((base) => fc.record({
  base: fc.constant(base),
  resourcePolicy: policyArb('resource', fc.constant(base.version)),
  identityPolicy: policyArb('identity', fc.constant(base.version)),
  rcps: fc.array(fc.option(policyArb('rcp', fc.constant('2012-10-17')), { nil: undefined }), { minLength: base.rcpLevels, maxLength: base.rcpLevels }),
})).map(({ base, resourcePolicy, identityPolicy, rcps }) => {
  const action = base.kms ? 'kms:Decrypt' : 's3:GetObject';
  const values: Record<string, IamContextValue> = {};
  for (const [key, value] of Object.entries(base.context)) {
    // A KMS request carries no s3: keys (iam-simulate would ignore them).
    if (value !== undefined && !(base.kms && key.startsWith('s3:'))) {
      values[key] = value;
    }
  }
  // The keys AWS derives from the principal, given explicitly to both evaluators.
  const isService = base.principal === SERVICE;
  if (isService) {
    values['aws:PrincipalServiceName'] = SERVICE;
    delete values['aws:PrincipalArn'];
  } else {
    values['aws:PrincipalAccount'] = base.principal.split(':')[4];
    values['aws:PrincipalArn'] ??= base.principal === SESSION ? `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/reader` : base.principal;
    if (base.principal.includes(':user/')) {
      values['aws:username'] = base.principal.split('/').pop()!;
    }
  }
  // A service principal has no identity policies.
  const identityPolicies: IamNamedPolicy[] = base.identity === 'none' || isService ? []
    : base.identity === 'model' ? [{ name: 'own', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] } }]
    : [{ name: 'own', policy: identityPolicy }];
  const levels: IamPolicyLevel[] = rcps.map((rcp, index) => ({ name: `level-${index + 1}`, policies: rcp ? [FULL_ACCESS, { name: `rcp-${index + 1}`, policy: rcp }] : [FULL_ACCESS] }));
  return {
    request: {
      principal: base.principal,
      action,
      resource: base.kms ? KEY_ARN : `arn:aws:s3:::bucket/${base.key}`,
      resourceAccount: base.resourceAccount,
      context: { values },
    },
    resourcePolicy: base.resourcePolicy === undefined ? undefined : resourcePolicy,
    resourcePolicyType: base.kms ? 'kms-key' : 'resource',
    identityPolicies,
    resourceControlPolicies: levels,
  } satisfies IamEvaluationInput;
});
