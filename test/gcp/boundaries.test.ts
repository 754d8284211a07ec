import * as path from 'path';
import { ROOT, filesUnder, importsOf, moduleGraph, packagesOf, relativeFiles } from '../helpers/module-graph';

describe('segments-cloud-constructs/gcp stands alone', () => {
  const graph = moduleGraph(path.join(ROOT, 'lib', 'gcp', 'index.ts'));

  it('reaches the vendor facts and checks, and nothing of the AWS half', () => {
    const files = relativeFiles(graph);
    expect(files).toEqual(expect.arrayContaining(['lib/gcp/index.ts', 'lib/segments.ts', 'lib/checks/index.ts']));
    expect(files.filter((f) => !f.startsWith('lib/gcp/') && !f.startsWith('lib/checks/') && !['lib/segments.ts', 'lib/warning-ids.ts'].includes(f))).toEqual([]);
  });

  it('imports only cdktf, constructs and deep paths of @cdktf/provider-google', () => {
    const packages = packagesOf(graph);
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
