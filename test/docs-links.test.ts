/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file exists and, when the
 * link names a section (`docs/aws.md#deploying`), the file has a heading with that GitHub anchor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { docFiles, repoRoot as root } from './helpers/docs';

/** The text outside code fences, where links and headings count. */
function prose(text: string): string[] {
  let inFence = false;
  return text.split('\n').filter((line) => {
    if (line.startsWith('```')) {
      inFence = !inFence;
      return false;
    }
    return !inFence;
  });
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const lines = prose(fs.readFileSync(file, 'utf8'));
  return new Set(lines.filter((l) => /^#{1,6} /.test(l)).map((l) => anchorOf(l.replace(/^#+ /, ''))));
}

/** Problems with the relative links of one markdown file (path relative to the repository). */
export function brokenLinks(file: string): string[] {
  const problems: string[] = [];
  const lines = prose(fs.readFileSync(path.join(root, file), 'utf8'));
  for (const line of lines) {
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = match[1];
      if (/^[a-z]+:/i.test(link)) {
        continue; // https:, mailto:
      }
      const [target, anchor] = link.split('#');
      const resolved = target === '' ? path.join(root, file) : path.resolve(root, path.dirname(file), target);
      if (!fs.existsSync(resolved)) {
        problems.push(`${file}: ${link}: no such file`);
      } else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) {
        problems.push(`${file}: ${link}: no heading with that anchor`);
      }
    }
  }
  return problems;
}

describe('the docs links', () => {
  it('every relative link leads to a file and section that exist', () => {
    expect(docFiles().flatMap(brokenLinks)).toEqual([]);
  });

  it('the README links to each guide, and each guide back to the README', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const guide of docFiles().filter((f) => f.startsWith('docs/'))) {
      expect(readme).toContain(`](${guide}`);
      expect(fs.readFileSync(path.join(root, guide), 'utf8')).toContain('](../README.md)');
    }
  });

  it('anchors follow GitHub: `SegmentsAccess` in "A bucket you already define: `SegmentsAccess`"', () => {
    expect(anchorOf('A bucket you already define: `SegmentsAccess`')).toBe('a-bucket-you-already-define-segmentsaccess');
    expect(anchorOf('What it refuses, and why')).toBe('what-it-refuses-and-why');
  });
});
