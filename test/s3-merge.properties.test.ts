/**
 * Properties of the pure merge functions the custom resource, the CLI and the tests share
 * (lib/s3/bucket-policy.ts, lib/s3/cors-configuration.ts), over policies and CORS configurations
 * built from small arbitraries. The seed is fixed so a failure replays; shrunk counterexamples
 * belong in test/s3-merge.test.ts as ordinary examples.
 */
import fc from 'fast-check';
import {
  type BucketPolicyDocument,
  type BucketPolicyStatement,
  type S3CorsRuleJson,
  bucketPolicyBytes,
  bucketPolicySizeProblem,
  mergeCorsRuleById,
  mergeStatementBySid,
  removeCorsRuleById,
  removeStatementBySid,
  segmentsBucketPolicyStatement,
  segmentsS3CorsRuleJson,
} from '../lib';

const SID = 'segments-s3-access';
/** S3's limit on a bucket policy, 20 KB, as a literal: a test reading the library's constant could not catch a wrong one. */
const POLICY_MAX_BYTES = 20480;
const RULE_ID = 'segments-cors';
const settings = { seed: 20260709, numRuns: 150 };

const bucketName = fc.constantFrom('acme', 'acme-images', 'labeling-data-2026');
const keyPrefixes = fc.option(fc.uniqueArray(fc.constantFrom('images/', 'videos/', 'a', 'raw/2024/'), { minLength: 1, maxLength: 3 }), { nil: undefined });
const ours = fc.tuple(bucketName, keyPrefixes).map(([name, prefixes]) => segmentsBucketPolicyStatement(name, prefixes));

/** Someone else's statement: any Sid but ours (or none), with the fields people write. */
const otherStatement: fc.Arbitrary<BucketPolicyStatement> = fc.record({
  Sid: fc.option(fc.string({ minLength: 1, maxLength: 12 }).filter((sid) => sid !== SID), { nil: undefined }),
  Effect: fc.constantFrom('Allow', 'Deny'),
  Principal: fc.oneof(fc.constant('*'), fc.record({ AWS: fc.constantFrom('arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:role/up') })),
  Action: fc.oneof(fc.constantFrom('s3:PutObject', 's3:*'), fc.uniqueArray(fc.constantFrom('s3:GetObject', 's3:ListBucket', 's3:PutObject'), { minLength: 1, maxLength: 3 })),
  Resource: fc.constantFrom('arn:aws:s3:::acme/*', 'arn:aws:s3:::acme'),
  Condition: fc.option(fc.record({ Bool: fc.record({ 'aws:SecureTransport': fc.constantFrom('false', 'true') }) }), { nil: undefined }),
}, { requiredKeys: ['Effect', 'Principal', 'Action', 'Resource'] });

/** A policy without a Segments statement (possibly none at all). */
const policyWithoutOurs: fc.Arbitrary<BucketPolicyDocument | undefined> = fc.option(fc.record({
  Version: fc.constant('2012-10-17'),
  Id: fc.option(fc.constantFrom('policy-1', 'KeepMe'), { nil: undefined }),
  Statement: fc.array(otherStatement, { maxLength: 6 }),
}, { requiredKeys: ['Version', 'Statement'] }), { nil: undefined });

/** A policy that may already hold one or more (possibly different) Segments statements anywhere. */
const anyPolicy: fc.Arbitrary<BucketPolicyDocument | undefined> = fc.tuple(policyWithoutOurs, fc.array(fc.tuple(ours, fc.nat()), { maxLength: 2 }))
  .map(([policy, inserts]) => {
    if (policy === undefined) {
      return undefined;
    }
    const statements = [...policy.Statement!];
    for (const [statement, at] of inserts) {
      statements.splice(at % (statements.length + 1), 0, statement);
    }
    return { ...policy, Statement: statements };
  });

const others = (policy: BucketPolicyDocument | undefined) => (policy?.Statement ?? []).filter((s) => s.Sid !== SID);

describe('merging the Segments statement by Sid', () => {
  it('is idempotent: merging twice gives the same policy, byte for byte', () => {
    fc.assert(fc.property(anyPolicy, ours, (policy, statement) => {
      const once = mergeStatementBySid(policy, statement);
      expect(JSON.stringify(mergeStatementBySid(once, statement))).toBe(JSON.stringify(once));
    }), settings);
  });

  it('keeps every other statement deep-equal and in order, every other field, and holds ours exactly once', () => {
    fc.assert(fc.property(anyPolicy, ours, (policy, statement) => {
      const merged = mergeStatementBySid(policy, statement);
      expect(others(merged)).toEqual(others(policy));
      expect(merged.Statement!.filter((s) => s.Sid === SID)).toEqual([statement]);
      const { Statement: _merged, ...mergedFields } = merged;
      const { Statement: _original, ...originalFields } = policy ?? { Version: '2012-10-17' };
      expect(mergedFields).toEqual(originalFields);
    }), settings);
  });

  it('puts ours where the first Segments statement was, or last when there was none', () => {
    fc.assert(fc.property(anyPolicy, ours, (policy, statement) => {
      const before = (policy?.Statement ?? []).findIndex((s) => s.Sid === SID);
      const after = mergeStatementBySid(policy, statement).Statement!.findIndex((s) => s.Sid === SID);
      expect(after).toBe(before < 0 ? others(policy).length : before);
    }), settings);
  });

  it('removing after merging gives back the original policy when it had no Segments statement', () => {
    fc.assert(fc.property(policyWithoutOurs, ours, (policy, statement) => {
      const restored = removeStatementBySid(mergeStatementBySid(policy, statement), SID);
      if (policy === undefined || policy.Statement!.length === 0) {
        expect(restored).toBeUndefined();
      } else {
        expect(JSON.stringify(restored)).toBe(JSON.stringify(policy));
      }
    }), settings);
  });
});

describe('S3\'s 20 KB limit on a bucket policy', () => {
  /** Policies around the limit: many padded statements. */
  const sizedPolicy = fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 100, max: 400 }), ours).map(([count, pad, statement]) =>
    mergeStatementBySid({ Version: '2012-10-17', Statement: Array.from({ length: count }, (_, i) => ({
      Sid: `S${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::111122223333:role/${'r'.repeat(pad)}` }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme/*',
    })) }, statement));

  it('is reported exactly when the policy\'s compact JSON is over 20,480 UTF-8 bytes', () => {
    const seen = { over: 0, under: 0 };
    fc.assert(fc.property(sizedPolicy, (policy) => {
      const bytes = Buffer.byteLength(JSON.stringify(policy), 'utf8');
      seen[bytes > POLICY_MAX_BYTES ? 'over' : 'under']++;
      expect(bucketPolicyBytes(policy)).toBe(bytes);
      const problem = bucketPolicySizeProblem(policy);
      expect(problem === undefined).toBe(bytes <= POLICY_MAX_BYTES);
      if (problem !== undefined) {
        expect(problem).toContain(`would be ${bytes} bytes, over S3's 20480-byte limit`);
      }
    }), { ...settings, numRuns: 60 });
    expect(seen.over).toBeGreaterThan(5);
    expect(seen.under).toBeGreaterThan(5);
  });

  it('counts multi-byte characters as S3 does, in bytes', () => {
    const policy = { Statement: [{ Sid: 'é'.repeat(10_300), Effect: 'Allow' }] };
    expect(JSON.stringify(policy).length).toBeLessThan(POLICY_MAX_BYTES);
    expect(bucketPolicySizeProblem(policy)).toMatch(/over S3's 20480-byte limit/);
  });
});

/** Someone else's CORS rule: any ID but ours (or none). */
const otherRule: fc.Arbitrary<S3CorsRuleJson> = fc.record({
  ID: fc.option(fc.string({ minLength: 1, maxLength: 12 }).filter((id) => id !== RULE_ID), { nil: undefined }),
  AllowedMethods: fc.uniqueArray(fc.constantFrom('GET', 'PUT', 'POST', 'HEAD'), { minLength: 1, maxLength: 3 }),
  AllowedOrigins: fc.uniqueArray(fc.constantFrom('*', 'https://app.example.com', 'https://*.segments.ai'), { minLength: 1, maxLength: 2 }),
  MaxAgeSeconds: fc.option(fc.integer({ min: 0, max: 86_400 }), { nil: undefined }),
}, { requiredKeys: ['AllowedMethods', 'AllowedOrigins'] });
const ourRule = fc.uniqueArray(fc.constantFrom('https://segments.ai', 'https://app.segments.ai', 'https://*.segments.ai'), { minLength: 1, maxLength: 3 })
  .map((origins) => segmentsS3CorsRuleJson(origins));
const rulesWithoutOurs = fc.array(otherRule, { maxLength: 6 });
const anyRules = fc.tuple(rulesWithoutOurs, fc.array(fc.tuple(ourRule, fc.nat()), { maxLength: 2 })).map(([rules, inserts]) => {
  const all = [...rules];
  for (const [rule, at] of inserts) {
    all.splice(at % (all.length + 1), 0, rule);
  }
  return all;
});

describe('merging the Segments CORS rule by ID', () => {
  it('is idempotent', () => {
    fc.assert(fc.property(anyRules, ourRule, (rules, rule) => {
      const once = mergeCorsRuleById(rules, rule);
      expect(JSON.stringify(mergeCorsRuleById(once, rule))).toBe(JSON.stringify(once));
    }), settings);
  });

  it('keeps every other rule deep-equal and in order (S3 applies the first rule that matches), and holds ours once', () => {
    fc.assert(fc.property(anyRules, ourRule, (rules, rule) => {
      const merged = mergeCorsRuleById(rules, rule);
      expect(merged.filter((r) => r.ID !== RULE_ID)).toEqual(rules.filter((r) => r.ID !== RULE_ID));
      expect(merged.filter((r) => r.ID === RULE_ID)).toEqual([rule]);
    }), settings);
  });

  it('removing after merging gives back the original rules when they had no Segments rule', () => {
    fc.assert(fc.property(rulesWithoutOurs, ourRule, (rules, rule) => {
      expect(removeCorsRuleById(mergeCorsRuleById(rules, rule), RULE_ID)).toEqual(rules);
    }), settings);
  });
});
