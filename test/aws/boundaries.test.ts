import * as path from 'path';
import { ROOT, moduleGraph, packagesOf, relativeFiles } from '../helpers/module-graph';

describe('segments-cloud-constructs/aws stands alone', () => {
  const graph = moduleGraph(path.join(ROOT, 'lib', 'aws', 'index.ts'));

  it('reaches the vendor facts and checks, and nothing of the Google half', () => {
    const files = relativeFiles(graph);
    expect(files).toEqual(expect.arrayContaining(['lib/aws/index.ts', 'lib/segments.ts', 'lib/validate.ts']));
    expect(files.filter((f) => !f.startsWith('lib/aws/') && f !== 'lib/segments.ts' && f !== 'lib/validate.ts')).toEqual([]);
  });

  it('imports only aws-cdk-lib and constructs', () => {
    const packages = packagesOf(graph);
    expect(packages.length).toBeGreaterThan(0);
    for (const pkg of packages) {
      expect(pkg).toMatch(/^(aws-cdk-lib(\/[a-z0-9-]+)?|constructs)$/);
    }
  });
});

describe('segments-cloud-constructs imports no cloud library', () => {
  it('reaches only the vendor facts and checks, which import no package', () => {
    const graph = moduleGraph(path.join(ROOT, 'lib', 'index.ts'));
    expect(relativeFiles(graph).sort()).toEqual([
      'lib/index.ts',
      'lib/s3-bucket-policy.ts',
      'lib/s3-cors-configuration.ts',
      'lib/segments.ts',
      'lib/validate.ts',
    ]);
    expect(packagesOf(graph)).toEqual([]);
  });
});
