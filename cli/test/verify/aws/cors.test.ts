/** aws.cors: S3's first-match CORS evaluation, with wildcard origins expanded as S3 does, and the check. */
import * as fc from 'fast-check';
import { earlierMatchingCorsRule } from 'segments-cloud-constructs';
import {
  answeringRule,
  checkCors,
  corsPatternMatches,
  fixedCorsConfiguration,
  ruleMatches,
} from '../../../src/verify/aws/cors';
import { CorsRule } from '../../../src/verify/aws/facts';
import { PROPERTY_SEED } from '../../../../test/helpers/arbitraries';
import { BUCKET, SEGMENTS_RULE, denied, facts, ok, results } from './fixtures';

describe('S3 matches an origin pattern with one * as any run of characters', () => {
  it.each<[string, string, boolean]>([
    ['https://*.segments.ai', 'https://app.segments.ai', true],
    ['https://*.segments.ai', 'https://a.b.segments.ai', true],
    ['https://*.segments.ai', 'https://segments.ai', false],
    ['https://*.segments.ai', 'https://evilsegments.ai', false],
    ['https://*.segments.ai', 'http://app.segments.ai', false],
    ['https://segments.ai', 'https://segments.ai', true],
    ['https://segments.ai', 'https://app.segments.ai', false],
    ['*', 'https://app.segments.ai', true],
    ['https://app.*', 'https://app.segments.ai', true],
    // The * matches a run of characters after the head and before the tail, never an overlap of the two.
    ['https://a*a.example', 'https://a.example', false],
    ['https://a*a.example', 'https://aa.example', true],
  ])('%s matches %s: %s', (pattern, origin, matches) => {
    expect(corsPatternMatches(pattern, origin)).toBe(matches);
  });
});

describe('S3 answers with the first rule matching origin, method and (for a preflight) every header', () => {
  const uploads: CorsRule = { ID: 'uploads', AllowedMethods: ['PUT'], AllowedOrigins: ['https://app.segments.ai'], AllowedHeaders: ['*'] };
  const publicRead: CorsRule = { ID: 'public-read', AllowedMethods: ['GET'], AllowedOrigins: ['*'] };

  it('skips a rule for another method', () => {
    expect(answeringRule([uploads, SEGMENTS_RULE], { origin: 'https://app.segments.ai', method: 'GET' })).toBe(1);
  });
  it('answers a simple GET with an earlier rule that matches, even without headers', () => {
    expect(answeringRule([publicRead, SEGMENTS_RULE], { origin: 'https://app.segments.ai', method: 'GET' })).toBe(0);
  });
  it('answers a preflight naming Range only with a rule that allows it (case-insensitively)', () => {
    expect(answeringRule([publicRead, SEGMENTS_RULE], { origin: 'https://app.segments.ai', method: 'GET', headers: ['range'] })).toBe(1);
    expect(ruleMatches({ ...publicRead, AllowedHeaders: ['Range'] }, { origin: 'https://x.example', method: 'GET', headers: ['range'] })).toBe(true);
    expect(ruleMatches({ ...publicRead, AllowedHeaders: ['x-amz-*'] }, { origin: 'https://x.example', method: 'GET', headers: ['x-amz-date'] })).toBe(true);
  });
  it('answers no rule when none matches (S3 then sends no CORS header)', () => {
    expect(answeringRule([uploads], { origin: 'https://app.segments.ai', method: 'GET' })).toBe(-1);
  });

  const origin = fc.constantFrom('https://app.segments.ai', 'https://segments.ai', 'https://a.b.segments.ai', 'https://other.example');
  const pattern = fc.constantFrom('*', 'https://*.segments.ai', 'https://segments.ai', 'https://app.segments.ai', 'https://*.example', 'https://other.example');
  const rule = fc.record({
    AllowedOrigins: fc.array(pattern, { minLength: 1, maxLength: 3 }),
    AllowedMethods: fc.subarray(['GET', 'PUT', 'HEAD'], { minLength: 1 }),
    AllowedHeaders: fc.subarray(['*', 'range', 'authorization']),
  });
  it('agrees with the library\'s shadow check: a rule before index i answers a GET exactly when earlierMatchingCorsRule finds one', () => {
    fc.assert(fc.property(fc.array(rule, { maxLength: 6 }), origin, fc.nat(6), (rules, o, own) => {
      const i = Math.min(own, rules.length);
      const first = answeringRule(rules, { origin: o, method: 'GET' });
      expect(first >= 0 && first < i).toBe(earlierMatchingCorsRule(rules, i, [o]) >= 0);
    }), { seed: PROPERTY_SEED });
  });
  it('answers with the lowest-index rule that matches, and no earlier rule matches', () => {
    fc.assert(fc.property(fc.array(rule, { maxLength: 6 }), origin, (rules, o) => {
      const request = { origin: o, method: 'GET', headers: ['range'] };
      const first = answeringRule(rules, request);
      rules.slice(0, first < 0 ? rules.length : first).forEach((r) => expect(ruleMatches(r, request)).toBe(false));
      if (first >= 0) {
        expect(ruleMatches(rules[first], request)).toBe(true);
      }
    }), { seed: PROPERTY_SEED });
  });
  it('the fixed configuration passes for every page origin, keeps every other rule in order, and puts Segments\' first', () => {
    fc.assert(fc.property(fc.array(rule, { maxLength: 6 }), fc.subarray(['https://app.segments.ai', 'https://segments.ai', 'https://labeling.acme.example'], { minLength: 1 }), (rules, origins) => {
      const fixed = fixedCorsConfiguration(rules, origins).CORSRules;
      expect(fixed[0].ID).toBe('segments-cors');
      expect(fixed.slice(1)).toEqual(rules);
      expect(checkCors(facts({ cors: ok(fixed) }), origins).map((o) => o.result)).toEqual(origins.map(() => 'pass'));
    }), { seed: PROPERTY_SEED });
  });
});

describe('aws.cors, per page origin', () => {
  const origins = ['https://app.segments.ai', 'https://segments.ai'];
  const check = (rules: CorsRule[] | undefined, o = origins) => checkCors(facts({ cors: ok(rules) }), o);

  it('passes with the Segments rule, naming the rule that answers', () => {
    const outcomes = check([{ ID: 'uploads', AllowedMethods: ['PUT'], AllowedOrigins: ['https://app.segments.ai'] }, SEGMENTS_RULE]);
    expect(results(outcomes)).toEqual(['aws.cors https://app.segments.ai: pass', 'aws.cors https://segments.ai: pass']);
    expect(outcomes[0].detail).toContain("rule #2 ('segments-cors')");
  });

  it('fails without a CORS configuration, with the put-bucket-cors command that adds the rule', () => {
    const [outcome] = check(undefined);
    expect(outcome).toMatchObject({ id: 'aws.cors', result: 'fail' });
    expect(outcome.fix).toMatch(new RegExp(`^aws s3api put-bucket-cors --bucket ${BUCKET} --cors-configuration '\\{"CORSRules":\\[\\{"ID":"segments-cors"`));
    expect(JSON.parse(/'(.*)'$/.exec(outcome.fix!)![1]).CORSRules[0].AllowedOrigins).toEqual(['https://segments.ai', 'https://*.segments.ai']);
  });

  it('fails for app.segments.ai when the only rule has the apex origin (no https://*.segments.ai)', () => {
    const outcomes = check([{ ...SEGMENTS_RULE, AllowedOrigins: ['https://segments.ai'] }]);
    expect(results(outcomes)).toEqual(['aws.cors https://app.segments.ai: fail', 'aws.cors https://segments.ai: pass']);
    expect(outcomes[0].detail).toMatch(/No CORS rule allows GET from https:\/\/app\.segments\.ai.*'segments-cors' rule \(#1\) does not match it/);
  });

  it('warns (not fails) when an earlier rule answers GETs but allows no Range: S3 answers the Range preflight with the Segments rule', () => {
    // Fails on the old code, which took the GET's rule as the one answering every preflight. AWS's
    // doc: S3 uses the first rule matching origin, method AND every requested header.
    const outcomes = check([{ ID: 'public-read', AllowedMethods: ['GET'], AllowedOrigins: ['*'] }, SEGMENTS_RULE]);
    expect(results(outcomes)).toEqual(['aws.cors https://app.segments.ai: warn', 'aws.cors https://segments.ai: warn']);
    expect(outcomes[0].detail).toMatch(/with rule #1 \('public-read'\), before the 'segments-cors' rule \(#2\), which it shadows\. A preflight naming Range skips it .* gets rule #2 \('segments-cors'\)/);
    expect(JSON.parse(/'(.*)'$/.exec(outcomes[0].fix!)![1]).CORSRules.map((r: CorsRule) => r.ID)).toEqual(['segments-cors', 'public-read']);
  });

  it('fails when no rule answers a preflight naming Range, naming the rule that answers GETs', () => {
    const outcomes = check([{ ID: 'public-read', AllowedMethods: ['GET'], AllowedOrigins: ['*'] }, { ...SEGMENTS_RULE, AllowedHeaders: [] }]);
    expect(results(outcomes)).toEqual(['aws.cors https://app.segments.ai: fail', 'aws.cors https://segments.ai: fail']);
    expect(outcomes[0].detail).toMatch(/with rule #1 \('public-read'\), before the 'segments-cors' rule \(#2\), which it shadows, and no rule answers a preflight naming Range/);
  });

  it('warns when an earlier rule answers and allows every header: it works, but Segments depends on it', () => {
    const outcomes = check([{ ID: 'all', AllowedMethods: ['GET'], AllowedOrigins: ['*'], AllowedHeaders: ['*'] }, SEGMENTS_RULE]);
    expect(results(outcomes)).toEqual(['aws.cors https://app.segments.ai: warn', 'aws.cors https://segments.ai: warn']);
  });

  it('warns when the answering rule allows Range but not every header', () => {
    const outcomes = check([{ ...SEGMENTS_RULE, AllowedHeaders: ['Range'] }], ['https://app.segments.ai']);
    expect(results(outcomes)).toEqual(['aws.cors https://app.segments.ai: warn']);
    expect(outcomes[0].detail).toContain('["Range"]');
  });

  it('passes a rule that is not Segments\' when none of Segments\' exists and it answers fully', () => {
    expect(results(check([{ AllowedMethods: ['GET'], AllowedOrigins: ['https://*.segments.ai', 'https://segments.ai'], AllowedHeaders: ['*'] }])))
      .toEqual(['aws.cors https://app.segments.ai: pass', 'aws.cors https://segments.ai: pass']);
  });

  it('is not-checked, naming s3:GetBucketCORS, when the read is denied', () => {
    const [outcome] = checkCors(facts({ cors: denied('GetBucketCors', 's3:GetBucketCORS') }), origins);
    expect(outcome).toMatchObject({ id: 'aws.cors', result: 'not-checked', couldNotRun: true });
    expect(outcome.fix).toContain('s3:GetBucketCORS');
  });

  it('is not-checked (not a failure of its own) when the bucket does not exist', () => {
    expect(checkCors(facts({ location: ok({ exists: false }) }), origins)).toEqual([expect.objectContaining({ result: 'not-checked' })]);
    expect(checkCors(facts({ location: ok({ exists: false }) }), origins)[0].couldNotRun).toBeUndefined();
  });
});
