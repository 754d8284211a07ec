/**
 * docs/api/ is the one full text of every exported construct, prop, constant and warning ID (and of
 * the CLI's `verify --json` report and exit codes): it is generated from the TSDoc by TypeDoc
 * (typedoc.json, `npm run docs:api`) and committed. Here it is generated again into a temporary
 * directory and compared file by file, so a TSDoc edit without `npm run docs:api` fails, and so
 * does a hand edit of docs/api/.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './helpers/docs';

const API = path.join(repoRoot, 'docs', 'api');

/** Every file under a directory, as sorted paths relative to it. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

let generated: string;
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'api-docs-'));
  generated = path.join(tmp, 'api');
  const typedoc = spawnSync(process.execPath,
    [path.join(repoRoot, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--options', 'typedoc.json', '--out', generated],
    { cwd: repoRoot, encoding: 'utf8' });
  if (typedoc.status !== 0) {
    throw new Error(`typedoc failed (${typedoc.status ?? typedoc.signal}):\n${typedoc.stdout}\n${typedoc.stderr}`);
  }
}, 180_000);

afterAll(() => {
  if (tmp) {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

describe('docs/api/ is what TypeDoc generates from the TSDoc (run `npm run docs:api` after a TSDoc change)', () => {
  it('has the same files', () => {
    expect(filesUnder(API)).toEqual(filesUnder(generated));
  });

  it('every file has the same text', () => {
    const stale = filesUnder(generated).filter((file) =>
      !fs.existsSync(path.join(API, file)) ||
      fs.readFileSync(path.join(API, file), 'utf8') !== fs.readFileSync(path.join(generated, file), 'utf8'));
    expect(stale).toEqual([]);
  });
});

describe('docs/api/ covers the public API', () => {
  const entries = ['segments-cloud-constructs', 'segments-cloud-constructs/aws', 'segments-cloud-constructs/gcp', 'segments-cloud-constructs/azure', 'segments-cloud-cli'];

  it.each(entries)('has a page for %s', (entry) => {
    expect(fs.existsSync(path.join(API, entry, 'README.md'))).toBe(true);
  });

  it.each([
    ['segments-cloud-constructs/aws', 'classes', 'SegmentsBucket'],
    ['segments-cloud-constructs/aws', 'interfaces', 'SegmentsBucketProps'],
    ['segments-cloud-constructs/aws', 'variables', 'SegmentsAccessWarnings'],
    ['segments-cloud-constructs/gcp', 'interfaces', 'SegmentsGcsBucketProps'],
    ['segments-cloud-constructs/azure', 'variables', 'SegmentsAzureWarnings'],
    ['segments-cloud-constructs', 'variables', 'SEGMENTS_DEFAULT_ORIGINS'],
    ['segments-cloud-cli', 'interfaces', 'VerifyReport'],
  ])('%s: %s/%s.md', (entry, kind, name) => {
    expect(fs.existsSync(path.join(API, entry, kind, `${name}.md`))).toBe(true);
  });

  it('states a default for every optional prop', () => {
    const missing = filesUnder(API).filter((file) => /\/interfaces\/\w+Props\.md$/.test(file)).flatMap((file) =>
      fs.readFileSync(path.join(API, file), 'utf8').split(/\n(?=### )/).slice(1)
        .filter((section) => /^### \w+\?$/m.test(section.split('\n')[0]) && !section.includes('#### Default'))
        .map((section) => `${file}: ${section.split('\n')[0]}`));
    expect(missing).toEqual([]);
  });
});

describe('the guides\' props tables are short and link to the API reference', () => {
  const guides = ['docs/aws.md', 'docs/aws-existing-bucket.md', 'docs/gcp.md', 'docs/azure.md'];
  /** Rows `| [\`prop\`](api/…/XProps.md#prop) | one line |` of a guide, by the API page they link to. */
  const rowsByPage = (guide: string) => {
    const byPage = new Map<string, { prop: string; anchor: string; line: string }[]>();
    for (const match of fs.readFileSync(path.join(repoRoot, guide), 'utf8')
      .matchAll(/^\| \[`(\w+)`\]\((api\/[^)#]+Props\.md)#([\w-]+)\) \| (.*) \|$/gm)) {
      const page = path.join('docs', match[2]);
      byPage.set(page, [...(byPage.get(page) ?? []), { prop: match[1], anchor: match[3], line: match[4] }]);
    }
    return byPage;
  };

  it.each(guides)('%s lists every prop of each interface it links, and only those', (guide) => {
    const byPage = rowsByPage(guide);
    expect(byPage.size).toBeGreaterThan(0);
    for (const [page, rows] of byPage) {
      const props = [...fs.readFileSync(path.join(repoRoot, page), 'utf8').matchAll(/^### (\w+)\??$/gm)].map((m) => m[1]);
      expect({ page, props: rows.map((row) => row.prop).sort() }).toEqual({ page, props: props.sort() });
      expect(rows.filter((row) => row.anchor !== row.prop.toLowerCase())).toEqual([]);
    }
  });

  it.each(guides)('%s gives each prop one short line, not its full description', (guide) => {
    const long = [...rowsByPage(guide).values()].flat().filter((row) => row.line.length > 110);
    expect(long).toEqual([]);
  });
});
