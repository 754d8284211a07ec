/**
 * The folders of lib/ show the architecture: every cloud folder stands alone, the cloud-free
 * folders (checks/, s3/) import no cloud folder, and no import runs in a circle (a circle makes the
 * load order, and so `undefined` at import time, depend on which file a user imports first).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, filesUnder, importsOf } from './helpers/module-graph';

const LIB = path.join(ROOT, 'lib');

/** The file a relative specifier of `from` names. */
function resolve(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  const found = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
  if (!found) {
    throw new Error(`${from}: cannot resolve '${spec}'`);
  }
  return found;
}

/** Every lib/ file and the lib/ files it imports (type-only imports included: they are circles for a reader too). */
function libGraph(): Map<string, string[]> {
  return new Map(filesUnder(LIB).map((file) => [file, importsOf(file).filter((s) => s.startsWith('.')).map((s) => resolve(file, s))]));
}

const rel = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');

/** The import circles of a graph, each as the list of files around it (depth-first search, one per back edge). */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        found.push([...stack.slice(stack.indexOf(next)), next]);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) {
    if (!state.has(file)) {
      visit(file);
    }
  }
  return found;
}

describe('lib/ has no import circle', () => {
  it('finds a circle when there is one (the check itself)', () => {
    expect(circles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
    expect(circles(new Map([['a', ['b']], ['b', []], ['c', ['a', 'b']]]))).toEqual([]);
  });

  it('has none among the files of lib/', () => {
    const graph = libGraph();
    expect(graph.size).toBeGreaterThan(40);
    expect(circles(graph).map((circle) => circle.map(rel).join(' -> '))).toEqual([]);
  });
});

describe('lib/ is a folder per concept', () => {
  it('keeps at its root only the vendor facts, the public index and what every cloud shares', () => {
    const rootFiles = fs.readdirSync(LIB, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
    expect(rootFiles).toEqual(['index.ts', 'segments.ts', 'warning-ids.ts']);
  });

  const clouds = ['aws', 'gcp', 'azure'];
  const folderOf = (file: string): string => rel(file).split('/')[1];

  it.each(clouds)('lib/%s imports no other cloud folder', (cloud) => {
    const graph = libGraph();
    const crossings = [...graph].filter(([file]) => folderOf(file) === cloud)
      .flatMap(([file, deps]) => deps.filter((dep) => clouds.includes(folderOf(dep)) && folderOf(dep) !== cloud).map((dep) => `${rel(file)} -> ${rel(dep)}`));
    expect(crossings).toEqual([]);
  });

  it.each(['checks', 's3', 'iam'])('lib/%s is cloud-free: no cloud folder, no package but Node built-ins', (folder) => {
    const graph = libGraph();
    const files = [...graph.keys()].filter((file) => folderOf(file) === folder);
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      expect({ file: rel(file), clouds: graph.get(file)!.map(folderOf).filter((f) => clouds.includes(f)) }).toEqual({ file: rel(file), clouds: [] });
      expect({ file: rel(file), packages: importsOf(file).filter((s) => !s.startsWith('.')) }).toEqual({ file: rel(file), packages: [] });
    }
  });
});
