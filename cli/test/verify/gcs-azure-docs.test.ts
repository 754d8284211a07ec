/**
 * docs/cli.md, the `verify gcs` and `verify azure` examples: the reports shown are what the code
 * prints for the configuration each example describes (gcs-azure-doc-examples.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { VerifyReport, renderTable } from '../../src/verify/report';
import { azureExample, gcsExample } from './gcs-azure-doc-examples';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'cli.md'), 'utf8');

/** The ```text block after a heading. */
function textBlock(heading: string): string {
  const start = doc.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const match = /```text\n([\s\S]*?)```/.exec(doc.slice(start));
  return match?.[1] ?? '';
}

const table = (report: VerifyReport) => renderTable(report, { color: false, width: 100 });
describe('docs/cli.md shows what verify gcs and verify azure print', () => {
  it('verify gcs', async () => {
    expect(textBlock('A bucket set up with the copied vendor doc\'s CORS entry')).toBe(table(await gcsExample()));
  });
  it('verify azure', async () => {
    expect(textBlock('An account whose role was assigned on one container')).toBe(table(await azureExample()));
  });
});
