/**
 * The folders of lib/ show the architecture: every cloud folder stands alone, the cloud-free
 * folders (checks/, s3/) import no cloud folder, and no import runs in a circle (a circle makes the
 * load order, and so `undefined` at import time, depend on which file a user imports first).
 * The CLI's cli/src/ holds to the same: no circle, counting its lazy `require('./run')` too, and
 * each cloud of `verify` stands alone below `verify/command.ts`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, filesUnder, importsOf, moduleGraph, relativeFiles } from './helpers/module-graph';

const LIB = path.join(ROOT, 'lib');
const CLI_SRC = path.join(ROOT, 'cli', 'src');

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

/** The relative specifiers a file loads with `require('./…')` at run time (the CLI's lazy loads). */
function requiresOf(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/\brequire\('(\.[^']*)'\)/g)].map((m) => m[1]);
}

/** Every cli/src/ file and the cli/src/ files it imports or requires. */
function cliGraph(): Map<string, string[]> {
  return new Map(filesUnder(CLI_SRC).map((file) =>
    [file, [...importsOf(file).filter((s) => s.startsWith('.')), ...requiresOf(file)].map((s) => resolve(file, s))]));
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

/**
 * SegmentsAccessMonitor's Lambda handler runs the checks of `segments-cloud verify aws` from the
 * CLI's source (one implementation of each check). That is a build-time edge: esbuild bundles it
 * into the handler file (scripts/build-handler.mjs), which the package ships; no module that the
 * constructs' entries load reaches cli/, so the package keeps zero runtime dependencies.
 */
describe('lib/ imports cli/ only from the monitor handler\'s entry', () => {
  const MONITOR_HANDLER = 'lib/aws/segments-access-monitor/handler/index.ts';
  const isCli = (file: string): boolean => rel(file).startsWith('cli/');

  it('has exactly the handler entry\'s edges into cli/src/verify/', () => {
    const edges = [...libGraph()].flatMap(([file, deps]) => deps.filter(isCli).map((dep) => `${rel(file)} -> ${rel(dep)}`)).sort();
    expect(edges).toEqual([
      `${MONITOR_HANDLER} -> cli/src/verify/aws/fetch.ts`,
      `${MONITOR_HANDLER} -> cli/src/verify/aws/run.ts`,
      `${MONITOR_HANDLER} -> cli/src/verify/report.ts`,
    ]);
  });

  it.each(['lib/index.ts', 'lib/aws/index.ts', 'lib/gcp/index.ts', 'lib/azure/index.ts'])('%s reaches neither cli/ nor the monitor handler', (entry) => {
    const graph = moduleGraph(path.join(ROOT, entry));
    const reached = relativeFiles(graph);
    expect(reached.length).toBeGreaterThan(3);
    expect(reached.filter((file) => file.startsWith('cli/') || file.startsWith('lib/aws/segments-access-monitor/handler/'))).toEqual([]);
  });
});

describe('cli/src has no import circle and each cloud of verify stands alone', () => {
  const VERIFY = path.join(CLI_SRC, 'verify');
  const clouds = ['aws', 'gcs', 'azure'];
  /** The cloud folder of cli/src/verify a file is in, if any. */
  const cloudOf = (file: string): string | undefined => {
    const parts = path.relative(VERIFY, file).split(path.sep);
    return parts.length > 1 && clouds.includes(parts[0]) ? parts[0] : undefined;
  };

  it('counts a lazy require as an arrow (the check itself)', () => {
    const graph = cliGraph();
    const awsIndex = path.join(VERIFY, 'aws', 'index.ts');
    expect(graph.get(awsIndex)).toContain(path.join(VERIFY, 'aws', 'run.ts'));
  });

  it('has none among the files of cli/src/', () => {
    const graph = cliGraph();
    expect(graph.size).toBeGreaterThan(40);
    expect(circles(graph).map((circle) => circle.map(rel).join(' -> '))).toEqual([]);
  });

  it.each(clouds)('verify/%s imports neither verify/command.ts nor another cloud', (cloud) => {
    const graph = cliGraph();
    const arrows = [...graph].filter(([file]) => cloudOf(file) === cloud)
      .flatMap(([file, deps]) => deps.filter((dep) => dep === path.join(VERIFY, 'command.ts') || (cloudOf(dep) !== undefined && cloudOf(dep) !== cloud))
        .map((dep) => `${rel(file)} -> ${rel(dep)}`));
    expect(graph.size).toBeGreaterThan(40);
    expect(arrows).toEqual([]);
  });
});
