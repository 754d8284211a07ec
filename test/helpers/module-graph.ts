import * as fs from 'fs';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..');

/** The module specifiers a TypeScript file imports or re-exports. */
export function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)].map((m) => m[1]);
}

/** Every file reachable from `entry` through relative imports, with the specifiers each imports. */
export function moduleGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) {
      return;
    }
    const specifiers = importsOf(file);
    graph.set(file, specifiers);
    for (const spec of specifiers.filter((s) => s.startsWith('.'))) {
      const base = path.resolve(path.dirname(file), spec);
      const resolved = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (!resolved) {
        throw new Error(`${file}: cannot resolve '${spec}'`);
      }
      visit(resolved);
    }
  };
  visit(entry);
  return graph;
}

/** The files of a graph, relative to the repository root with `/` separators. */
export function relativeFiles(graph: Map<string, string[]>): string[] {
  return [...graph.keys()].map((f) => path.relative(ROOT, f).split(path.sep).join('/'));
}

/** The package specifiers (not relative paths) a graph imports. */
export function packagesOf(graph: Map<string, string[]>): string[] {
  return [...graph.values()].flat().filter((s) => !s.startsWith('.'));
}

/** Every .ts file under a folder. */
export function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}
