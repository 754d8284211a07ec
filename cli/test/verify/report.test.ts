/** The cloud-neutral result model of `verify`: exit codes, the --json schema, the table. */
import * as fc from 'fast-check';
import {
  CheckOutcome,
  CheckResult,
  couldNotRun,
  exitCodeOf,
  fail,
  pass,
  renderJson,
  renderTable,
  sayEachFixOnce,
  skipped,
  warn,
  wrap,
} from '../../src/verify/report';
import { PROPERTY_SEED } from '../../../test/helpers/arbitraries';

const ok = pass('aws.bucket', 'The bucket exists.');
const warned = warn('aws.ownership', 'ACLs are on.', 'aws s3api put-bucket-ownership-controls ...');
const failed = fail('aws.policy', 'No statement allows Segments.', 'segments-cloud aws-policy --bucket b');
const denied = couldNotRun('aws.cors', 'GetBucketCors was denied.', 'Allow s3:GetBucketCORS.');
const byDesign = skipped('aws.org-policies', 'Resource control policies cannot be seen from here.');

describe('the exit code says what a script needs to know', () => {
  it.each<[string, CheckOutcome[], number]>([
    ['every check passed', [ok], 0],
    ['warnings only', [ok, warned], 0],
    ['a check not run on purpose (by design or --offline)', [ok, byDesign], 0],
    ['a failed check', [ok, warned, failed], 1],
    ['a check that could not run', [ok, denied], 3],
    ['a failed check and one that could not run: the failure is what to fix first', [denied, failed], 1],
  ])('%s', (_, checks, code) => {
    expect(exitCodeOf(checks)).toBe(code);
  });

  it('is 0 exactly when nothing failed and nothing could not run, for any mix', () => {
    const outcome = fc.constantFrom<CheckOutcome>(ok, warned, failed, denied, byDesign);
    fc.assert(fc.property(fc.array(outcome), (checks) => {
      const code = exitCodeOf(checks);
      const anyFail = checks.some((c) => c.result === 'fail');
      const anyCouldNotRun = checks.some((c) => c.couldNotRun === true);
      expect(code).toBe(anyFail ? 1 : anyCouldNotRun ? 3 : 0);
    }), { seed: PROPERTY_SEED });
  });
});

describe('--json is a stable schema', () => {
  it('puts the subject first, then every check with id, target, result, detail and fix (null when absent)', () => {
    const text = renderJson({ subject: { bucket: 'acme-images' }, checks: [ok, { ...failed, target: 'images/a.jpg' }] });
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      bucket: 'acme-images',
      checks: [
        { id: 'aws.bucket', target: null, result: 'pass', detail: 'The bucket exists.', fix: null },
        { id: 'aws.policy', target: 'images/a.jpg', result: 'fail', detail: 'No statement allows Segments.', fix: 'segments-cloud aws-policy --bucket b' },
      ],
    });
    expect(Object.keys(JSON.parse(text).checks[0])).toEqual(['id', 'target', 'result', 'detail', 'fix']);
  });

  it('leaves out the internal couldNotRun marker (the result and the exit code carry it)', () => {
    expect(JSON.parse(renderJson({ subject: { bucket: 'b' }, checks: [denied] })).checks[0]).toEqual(
      { id: 'aws.cors', target: null, result: 'not-checked', detail: 'GetBucketCors was denied.', fix: 'Allow s3:GetBucketCORS.' });
  });
});

describe('the table is for people', () => {
  const report = { subject: { bucket: 'acme-images' }, checks: [ok, failed, denied, byDesign] };

  it('has a row per check with its result, the fix under the detail, and a summary with the exit code', () => {
    const table = renderTable(report, { color: false, width: 100 });
    const lines = table.split('\n');
    expect(lines[0]).toBe('bucket: acme-images');
    expect(lines[2]).toMatch(/^CHECK +RESULT +DETAIL$/);
    expect(table).toMatch(/^aws\.bucket +pass +The bucket exists\.$/m);
    expect(table).toMatch(/^aws\.policy +FAIL +No statement allows Segments\.\n +fix: segments-cloud aws-policy --bucket b$/m);
    expect(table).toMatch(/^aws\.cors +not checked +GetBucketCors was denied\.\n +fix: Allow s3:GetBucketCORS\.$/m);
    expect(lines[lines.length - 2]).toBe('1 pass, 0 warn, 1 fail, 2 not checked: exit 1, Segments cannot read as it must: see the FAIL rows.');
  });

  it('has no colour unless asked (stdout not a terminal), and colours only the result when asked', () => {
    expect(renderTable(report, { color: false })).not.toMatch(/\u001b/);
    const coloured = renderTable(report, { color: true });
    expect(coloured).toContain('\u001b[31mFAIL');
    expect(coloured).toContain('\u001b[32mpass');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderTable(report, { color: false }));
  });

  it('wraps a long detail to the width and never wraps a fix (a command must stay copyable)', () => {
    const long = fail('aws.cors', 'word '.repeat(60).trim(), `aws s3api put-bucket-cors --bucket acme-images --cors-configuration file://${'x'.repeat(120)}.json`);
    const table = renderTable({ subject: { bucket: 'b' }, checks: [long] }, { color: false, width: 80 });
    const rows = table.split('\n').filter((line) => !line.includes('fix:') && !line.startsWith('0 pass') && !line.startsWith('1 pass'));
    expect(Math.max(...rows.map((line) => line.length))).toBeLessThanOrEqual(80);
    expect(table).toContain(long.fix);
  });

  it('shows the target of a repeated check before its detail', () => {
    expect(renderTable({ subject: { bucket: 'b' }, checks: [pass('aws.object', 'It exists.', 'images/a.jpg')] }, { color: false }))
      .toMatch(/^aws\.object +pass +images\/a\.jpg: It exists\.$/m);
  });
});

describe('wrap', () => {
  it('keeps every word, in order, in lines no longer than the width unless one word is longer', () => {
    const word = fc.stringMatching(/^[a-z]{1,30}$/);
    fc.assert(fc.property(fc.array(word, { maxLength: 40 }), fc.integer({ min: 10, max: 120 }), (words, width) => {
      const lines = wrap(words.join(' '), width);
      expect(lines.join(' ').split(' ').filter((w) => w !== '')).toEqual(words);
      for (const line of lines) {
        expect(line.length <= width || !line.includes(' ')).toBe(true);
      }
    }), { seed: PROPERTY_SEED });
  });
});

// Every result has a label and colour (a new result without them would print 'undefined').
it.each<CheckResult>(['pass', 'warn', 'fail', 'not-checked'])('the table labels %s', (result) => {
  const table = renderTable({ subject: { bucket: 'b' }, checks: [{ id: 'x', result, detail: 'd' }] }, { color: true });
  expect(table).not.toContain('undefined');
});

describe('a fix said once', () => {
  it('keeps the first of identical could-not-run fixes and points the others to it; other rows and the exit code are untouched', () => {
    const same = 'Give AWS credentials the SDK finds.';
    const checks = [
      couldNotRun('x.bucket', 'HeadBucket failed.', same),
      fail('x.cors', 'No rule.', 'Add the rule.'),
      couldNotRun('x.policy', 'GetBucketPolicy failed.', same),
      couldNotRun('x.object', 'HeadObject failed.', 'Allow s3:GetObject.', 'a.jpg'),
      couldNotRun('x.object', 'HeadObject failed.', same, 'b.jpg'),
    ];
    const once = sayEachFixOnce(checks);
    expect(once.map((c) => c.fix)).toEqual([same, 'Add the rule.', undefined, 'Allow s3:GetObject.', undefined]);
    expect(once[2]).toMatchObject({ result: 'not-checked', couldNotRun: true, detail: 'GetBucketPolicy failed. (fix: see x.bucket)' });
    expect(once[4]).toMatchObject({ target: 'b.jpg', detail: 'HeadObject failed. (fix: see x.bucket)' });
    expect(exitCodeOf(once)).toBe(exitCodeOf(checks));
  });
});
