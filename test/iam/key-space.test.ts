/**
 * lib/iam/key-space.ts: a prefix judged for every key under it. Property: on random policies
 * (Allow and Deny statements with random Resource/NotResource patterns, some with a condition on
 * the labeler's unknown aws:SourceIp) and random prefixes, the verdict equals brute force: the
 * evaluator's own decision (evaluateIamRequest, its own resource matching) on every key of up to
 * three characters, and on each example key the judgment names.
 */
import fc from 'fast-check';
import { PROPERTY_SEED } from '../helpers/arbitraries';
import { evaluateIamRequest } from '../../lib/iam';
import { judgeKeySpace } from '../../lib/iam/key-space';
import { segmentsGetMoments, segmentsGetRequest } from '../../lib/iam/segments-request';

const NOW = new Date('2026-12-07T12:00:00Z');
const BUCKET_ARN = 'arn:aws:s3:::B';
const SEGMENTS = 'arn:aws:iam::931508227573:user/segmentsai-prod-user';

/** The evaluator's decision on one key at every moment: denied at some moment wins, then undetermined, then allowed at all. */
function bruteForce(policy: unknown, key: string): 'allowed' | 'denied' | 'undetermined' {
  const decisions = segmentsGetMoments(NOW).map((moment) => evaluateIamRequest({
    request: segmentsGetRequest(`${BUCKET_ARN}/${key}`, moment),
    resourcePolicy: policy,
    identityPolicies: [{ name: 'segments', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }],
  }).possibleDecisions);
  // Refused for certain at some moment: 'allowed' is not a possible decision there.
  if (decisions.some((possible) => !possible.includes('allowed'))) {
    return 'denied';
  }
  return decisions.every((possible) => possible.length === 1) ? 'allowed' : 'undetermined';
}

const CHARS = ['a', '/', '.'];
const body = fc.array(fc.oneof(fc.constantFrom(...CHARS), fc.constantFrom('*', '?', '${aws:username}', '${*}')), { maxLength: 4 }).map((p) => p.join(''));
const pattern = fc.oneof({ weight: 9, arbitrary: body.map((b) => `${BUCKET_ARN}/${b}`) }, { weight: 1, arbitrary: fc.constantFrom('*', 'arn:aws:s3:::C/*') });
const statement = fc.record({
  Effect: fc.constantFrom('Allow', 'Deny'),
  Principal: fc.constantFrom<unknown>('*', { AWS: SEGMENTS }, { AWS: 'arn:aws:iam::111122223333:root' }),
  Action: fc.constant('s3:GetObject'),
  resources: fc.array(pattern, { minLength: 1, maxLength: 2 }),
  not: fc.boolean(),
  condition: fc.constantFrom<Record<string, unknown> | undefined>(undefined, undefined, { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }),
}).map(({ resources, not, condition, ...rest }) => ({ ...rest, [not ? 'NotResource' : 'Resource']: resources, ...(condition ? { Condition: condition } : {}) }));
const policy = fc.array(statement, { minLength: 1, maxLength: 3 }).map((statements) => ({ Version: '2012-10-17', Statement: statements }));
const prefix = fc.array(fc.constantFrom(...CHARS), { maxLength: 2 }).map((p) => p.join(''));

function keysUpTo(length: number): string[] {
  const out = [''];
  let frontier = [''];
  for (let n = 0; n < length; n++) {
    frontier = frontier.flatMap((s) => [...CHARS, 'x'].map((c) => s + c));
    out.push(...frontier);
  }
  return out;
}
const SUFFIXES = keysUpTo(3);

describe('judgeKeySpace: every key under a prefix', () => {
  it('property: the verdict equals the evaluator\'s, key by key', () => {
    fc.assert(fc.property(policy, prefix, (doc, p) => {
      const judgment = judgeKeySpace({ policy: doc, requests: segmentsGetMoments(NOW).map((m) => segmentsGetRequest('', m)), bucketArn: BUCKET_ARN, keys: { prefix: p } });
      const keys = SUFFIXES.filter((s) => p !== '' || s !== '').map((s) => p + s);
      const brute = keys.map((key) => bruteForce(doc, key));
      if (judgment.decision === 'allowed') {
        expect(brute.every((d) => d === 'allowed')).toBe(true);
      } else if (judgment.decision === 'denied') {
        const witnesses = [...judgment.denies.filter((d) => d.certain).map((d) => d.example), ...(judgment.uncovered?.certain ? [judgment.uncovered.example] : [])];
        expect(witnesses.length).toBeGreaterThan(0);
        for (const example of witnesses) {
          expect(bruteForce(doc, p + example)).toBe('denied');
        }
      } else {
        expect(brute.includes('denied')).toBe(false);
        const examples = [...judgment.denies.map((d) => d.example), ...(judgment.uncovered ? [judgment.uncovered.example] : [])];
        expect(examples.some((example) => bruteForce(doc, p + example) === 'undetermined')).toBe(true);
      }
    }), { seed: PROPERTY_SEED, numRuns: 60 });
  });

  it('an exact key is judged like the evaluator judges it', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET_ARN}/*.jpg` }] };
    const judge = (key: string) => judgeKeySpace({ policy: doc, requests: [segmentsGetRequest('', segmentsGetMoments(NOW)[0])], bucketArn: BUCKET_ARN, keys: { key } }).decision;
    expect(judge('a.jpg')).toBe('allowed');
    expect(judge('a.png')).toBe('denied');
  });
});
