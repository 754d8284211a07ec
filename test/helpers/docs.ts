/** The project's markdown documentation, as the docs tests read it. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root. */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** README.md and every docs/*.md guide, as paths relative to the repository root. */
export function docFiles(): string[] {
  const docs = path.join(repoRoot, 'docs');
  const guides = fs.existsSync(docs)
    ? fs.readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)
    : [];
  return ['README.md', ...guides];
}
