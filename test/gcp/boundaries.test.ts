import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** The module specifiers a TypeScript file imports or re-exports. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)].map((m) => m[1]);
}

/** Every file reachable from `entry` through relative imports, with the packages each imports. */
function moduleGraph(entry: string): Map<string, string[]> {
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

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

describe('segments-cloud-constructs/gcp stands alone', () => {
  const graph = moduleGraph(path.join(ROOT, 'lib', 'gcp', 'index.ts'));

  it('reaches the vendor facts and checks, and nothing of the AWS half', () => {
    const files = [...graph.keys()].map((f) => path.relative(ROOT, f).split(path.sep).join('/'));
    expect(files).toEqual(expect.arrayContaining(['lib/gcp/index.ts', 'lib/segments.ts', 'lib/validate.ts']));
    expect(files.filter((f) => !f.startsWith('lib/gcp/') && f !== 'lib/segments.ts' && f !== 'lib/validate.ts')).toEqual([]);
  });

  it('imports only cdktf, constructs and deep paths of @cdktf/provider-google', () => {
    const packages = [...graph.values()].flat().filter((s) => !s.startsWith('.'));
    expect(packages.length).toBeGreaterThan(0);
    for (const pkg of packages) {
      expect(pkg).toMatch(/^(cdktf|constructs|@cdktf\/provider-google\/lib\/[a-z0-9-]+)$/);
    }
  });

  it('is never imported through the provider root index, in lib, bin or tests', () => {
    const files = [
      ...filesUnder(path.join(ROOT, 'lib', 'gcp')),
      ...filesUnder(path.join(ROOT, 'test', 'gcp')),
      path.join(ROOT, 'bin', 'gcp-app.ts'),
    ];
    const offenders = files.filter((f) => importsOf(f).some((s) => s === '@cdktf/provider-google' || s === '@cdktf/provider-google/lib'));
    expect(offenders).toEqual([]);
  });
});
