import * as path from 'path';
import { ROOT, filesUnder, importsOf, moduleGraph, packagesOf, relativeFiles } from '../helpers/module-graph';

const AZURE_PACKAGE = /^@cdktf\/provider-azure(rm|ad)(\/|$)/;

describe('segments-cloud-constructs/azure stands alone', () => {
  const graph = moduleGraph(path.join(ROOT, 'lib', 'azure', 'index.ts'));

  it('reaches the vendor facts and checks, and nothing of the AWS or Google half', () => {
    const files = relativeFiles(graph);
    expect(files).toEqual(expect.arrayContaining(['lib/azure/index.ts', 'lib/segments.ts', 'lib/checks/index.ts']));
    expect(files.filter((f) => !f.startsWith('lib/azure/') && !f.startsWith('lib/checks/') && !['lib/segments.ts', 'lib/warning-ids.ts'].includes(f))).toEqual([]);
  });

  it('imports only cdktf, constructs and deep paths of the azurerm and azuread providers (no aws-cdk-lib, no Google provider)', () => {
    const packages = packagesOf(graph);
    expect(packages.some((p) => p.startsWith('@cdktf/provider-azurerm/lib/'))).toBe(true);
    expect(packages.some((p) => p.startsWith('@cdktf/provider-azuread/lib/'))).toBe(true);
    for (const pkg of packages) {
      expect(pkg).toMatch(/^(cdktf|constructs|@cdktf\/provider-azure(rm|ad)\/lib\/[a-z0-9-]+)$/);
    }
  });

  it('is never imported through a provider root index (270 MB of bindings), in lib, bin or tests', () => {
    const files = [
      ...filesUnder(path.join(ROOT, 'lib', 'azure')),
      ...filesUnder(path.join(ROOT, 'test', 'azure')),
      ...filesUnder(path.join(ROOT, 'bin')),
    ];
    const offenders = files.filter((f) => importsOf(f).some((s) => /^@cdktf\/provider-azure(rm|ad)(\/lib)?$/.test(s)));
    expect(offenders).toEqual([]);
  });
});

describe('the AWS and Google halves and the root never load an Azure provider', () => {
  it.each(['aws', 'gcp'])('lib/%s reaches no Azure file and no Azure provider', (half) => {
    const graph = moduleGraph(path.join(ROOT, 'lib', half, 'index.ts'));
    expect(relativeFiles(graph).filter((f) => f.startsWith('lib/azure/'))).toEqual([]);
    expect(packagesOf(graph).filter((p) => AZURE_PACKAGE.test(p))).toEqual([]);
  });

  it('lib/index.ts re-exports no Azure construct', () => {
    const graph = moduleGraph(path.join(ROOT, 'lib', 'index.ts'));
    expect(packagesOf(graph)).toEqual([]);
  });
});
