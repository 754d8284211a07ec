/**
 * The guides' shape, as a new user meets it (issue 23, item 5): each guide opens with the task most
 * readers came for (the command to paste, the construct in an app), and the exhaustive tables come
 * after it; no table row is so long that the table can no longer be scanned.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers/docs';

const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8');
const GUIDES = fs.readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);

/**
 * The longest table row, in characters as rendered: a link counts its text, not its target (the
 * props tables link each prop to its API page, a path the reader never sees).
 *
 * Why 200: GitHub renders a guide about 100 characters wide, so a row of 200 fills at most two lines
 * in a two-column table, three in its wider cell. A longer row is a paragraph in a cell: the eye can
 * no longer run down a column, which is what a table is for. Rows past it (up to 1,562 characters in
 * docs/cli.md) now keep a short cell, with the explanation in a list or paragraph under the table.
 */
const ROW_LIMIT = 200;

/** Table rows outside code fences, with their line numbers and rendered length. */
export function tableRows(text: string): { line: number; length: number }[] {
  const rows: { line: number; length: number }[] = [];
  let fence = false;
  text.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) {
      fence = !fence;
    } else if (!fence && /^\s*\|/.test(line)) {
      rows.push({ line: i + 1, length: line.trim().replace(/\]\([^)\s]*\)/g, ']').length });
    }
  });
  return rows;
}

/** The text of a guide before its first table row (outside code fences). */
export function beforeFirstTable(text: string): string {
  const first = tableRows(text)[0];
  return first === undefined ? text : text.split('\n').slice(0, first.line - 1).join('\n');
}

/** The fenced blocks of the given languages that open within the first `lines` lines of a text. */
function fenced(text: string, languages: string[], lines: number): string {
  return [...text.matchAll(/^\s*```(\w*)\n([\s\S]*?)^\s*```/gm)]
    .filter((m) => languages.includes(m[1]) && text.slice(0, m.index).split('\n').length <= lines)
    .map((m) => m[2]).join('\n');
}

/** What each guide's reader came to do: code that must be in the guide's opening, before any table. */
const TASKS: Record<string, { sh?: RegExp[]; ts?: RegExp[] }> = {
  'docs/cli.md': {
    sh: [
      /^npx -p \.\/segments-cloud-cli-\*\.tgz segments-cloud verify aws --bucket /m,
      /segments-cloud verify gcs --bucket /,
      /segments-cloud verify azure --account /,
    ],
  },
  'docs/aws.md': { ts: [/new SegmentsBucket\(/] },
  'docs/gcp.md': { ts: [/new SegmentsGcsBucket\(/], sh: [/npx cdktf synth/] },
  'docs/azure.md': { ts: [/new SegmentsAzureStorageAccount\(/], sh: [/npx cdktf synth/] },
};
/** How far down the task's code may open: a guide that has no table until line 400 has not led with its task. */
const OPENING_LINES = 60;

describe('the guides\' shape', () => {
  it('measures a row as rendered, and finds the opening before the first table (the checks themselves)', () => {
    expect(tableRows('| [`a`](api/x/Y.md#a) | b |\n```\n| in a fence |\n```\n')).toEqual([{ line: 1, length: 13 }]);
    expect(beforeFirstTable('# T\n\n```sh\nnpx cdktf synth\n```\n\n| a | b |\n|---|---|\n')).toContain('npx cdktf synth');
    expect(beforeFirstTable('# T\n\n| a | b |\n\n```sh\nnpx cdktf synth\n```\n')).not.toContain('npx cdktf synth');
  });

  it.each(GUIDES)(`%s has no table row longer than ${ROW_LIMIT} characters`, (guide) => {
    const long = tableRows(read(guide)).filter((row) => row.length > ROW_LIMIT).map((row) => `${guide}:${row.line} (${row.length})`);
    expect(long).toEqual([]);
  });

  it.each(Object.keys(TASKS))('%s opens with its task, before any table', (guide) => {
    const opening = beforeFirstTable(read(guide));
    const { sh = [], ts = [] } = TASKS[guide];
    const missing = [
      ...sh.filter((pattern) => !pattern.test(fenced(opening, ['sh', 'bash', 'shell'], OPENING_LINES))).map((p) => `sh ${p}`),
      ...ts.filter((pattern) => !pattern.test(fenced(opening, ['ts', 'typescript'], OPENING_LINES))).map((p) => `ts ${p}`),
    ];
    expect(missing).toEqual([]);
  });
});
