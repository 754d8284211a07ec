/**
 * The "Tested in a browser" tables of docs/aws.md and docs/azure.md say what the browser tier
 * asserts (test/browser/matrix.ts). Runs without a browser, so the docs are checked everywhere.
 */
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../helpers/docs';
import { EXPECTED, KIND_NAMES, ORIGINS, type StorageId } from './matrix';
import { REQUEST_KINDS } from './page';

/** The rows of the first table after the heading `Tested in a browser`, as cells without bold markers. */
function browserTable(file: string): string[][] {
  const lines = fs.readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
  const start = lines.findIndex((line) => /^#+ Tested in a browser$/.test(line));
  if (start < 0) {
    throw new Error(`${file} has no "Tested in a browser" heading`);
  }
  const first = lines.findIndex((line, i) => i > start && line.startsWith('|'));
  const rows: string[][] = [];
  for (let i = first; i >= 0 && i < lines.length && lines[i].startsWith('|'); i++) {
    rows.push(lines[i].slice(1, -1).split(' | ').map((cell) => cell.trim().replace(/^\*\*(.*)\*\*$/, '$1')));
  }
  return rows;
}

describe.each([['docs/aws.md', 's3'], ['docs/azure.md', 'azure']] as [string, StorageId][])('%s "Tested in a browser"', (file, storage) => {
  const rows = browserTable(file);

  it('has one column per origin of the matrix', () => {
    expect(rows[0]).toEqual(['Request from the page', ...ORIGINS.map((origin) => `\`${origin}\``)]);
  });

  it('has one row per request kind, saying what the browser tier asserts', () => {
    expect(rows.slice(2)).toEqual(REQUEST_KINDS.map((kind) => [KIND_NAMES[kind], ...ORIGINS.map((origin) => EXPECTED[storage][origin][kind])]));
  });
});
