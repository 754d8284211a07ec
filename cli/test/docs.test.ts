/** docs/cli.md, "Verify a bucket": what it shows is what the code does. */
import * as fs from 'fs';
import * as path from 'path';
import { AWS_CHECK_IDS } from '../src/verify/aws/ids';
import { judgeAws } from '../src/verify/aws/run';
import { renderJson, renderTable } from '../src/verify/report';
import { EXAMPLE_OPTIONS, FAILING, PASSING } from './verify/aws/doc-examples';

const ROOT = path.join(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Verify a bucket'));

/** The fenced blocks of a language after a heading of the section. */
function blocks(language: string, after: string): string[] {
  const start = section.indexOf(after);
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = section.slice(start, section.indexOf('\n### ', start + 1) < 0 ? undefined : section.indexOf('\n### ', start + 1));
  return [...rest.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

describe('docs/cli.md, Verify a bucket', () => {
  it('shows the passing report verify aws prints for a bucket as SegmentsBucket makes it', async () => {
    const report = await judgeAws(PASSING, EXAMPLE_OPTIONS, false);
    expect(blocks('console', '### Example: a bucket as')[0]).toBe(`$ segments-cloud verify aws --bucket my-images --key images/cat.jpg\n${renderTable(report, { color: false, width: 100 })}`);
  });

  it('shows the failing report, and its JSON', async () => {
    const report = await judgeAws(FAILING, EXAMPLE_OPTIONS, false);
    expect(blocks('console', '### Example: the same bucket')[0]).toBe(`$ segments-cloud verify aws --bucket my-images --key images/cat.jpg\n${renderTable(report, { color: false, width: 100 })}`);
    expect(blocks('json', '### Example: the same bucket')[0]).toBe(renderJson({ subject: report.subject, checks: report.checks.slice(0, 2) }));
  });

  it('lists exactly the permissions the SDK edge names, as a policy', () => {
    const fetch = fs.readFileSync(path.join(ROOT, 'cli', 'src', 'verify', 'aws', 'fetch.ts'), 'utf8');
    const needed = new Set([...fetch.matchAll(/'((?:s3|kms|sts|organizations):[A-Za-z]+)'/g)].map((m) => m[1]));
    const policy = JSON.parse(blocks('json', '### The permissions it needs')[0]);
    const listed = (policy.Statement as { Action: string | string[] }[]).flatMap((s) => [s.Action].flat());
    expect(new Set(listed)).toEqual(needed);
    expect(listed).toHaveLength(needed.size);
    // Read permissions only.
    for (const action of listed) {
      expect(action).toMatch(/^(s3:(Get|List)|kms:(Describe|Get)|sts:Get|organizations:(List|Describe))/);
    }
  });

  it('has a row for every check ID, in the order of the report', () => {
    const rows = [...section.matchAll(/^\| `(aws\.[a-z-]+)`/gm)].map((m) => m[1]);
    expect(rows).toEqual([...AWS_CHECK_IDS]);
  });
});
