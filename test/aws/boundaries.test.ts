import * as path from 'path';
import { ROOT, moduleGraph, packagesOf, relativeFiles } from '../helpers/module-graph';

describe('segments-cloud-constructs/aws stands alone', () => {
  const graph = moduleGraph(path.join(ROOT, 'lib', 'aws', 'index.ts'));

  it('reaches the vendor facts, checks, policy inspections and the IAM evaluator, and nothing of the Google half', () => {
    const files = relativeFiles(graph);
    expect(files).toEqual(expect.arrayContaining(['lib/aws/index.ts', 'lib/segments.ts', 'lib/checks/index.ts', 'lib/s3/policy-inspection.ts', 'lib/s3/bucket-policy.ts', 'lib/s3/json-text.ts',
      'lib/iam/evaluate.ts', 'lib/iam/key-space.ts']));
    expect(files.filter((f) => !f.startsWith('lib/aws/') && !/^lib\/(segments\.ts|checks\/|s3\/|iam\/)/.test(f))).toEqual([]);
  });

  it('imports only aws-cdk-lib, constructs, and the Node built-ins that find the handler asset and hash the bucket name', () => {
    const packages = packagesOf(graph);
    expect(packages.length).toBeGreaterThan(0);
    for (const pkg of packages) {
      expect(pkg).toMatch(/^(aws-cdk-lib(\/[a-z0-9-]+)?|constructs|fs|path|crypto)$/);
    }
  });
});

describe('the SegmentsImportedBucketAccess handler runs without aws-cdk-lib', () => {
  const handler = moduleGraph(path.join(ROOT, 'lib', 'aws', 'segments-imported-bucket-access', 'handler', 'index.ts'));

  it('imports only the S3 client of the Lambda runtime, Node\'s crypto (claims) and Lambda types', () => {
    expect([...new Set(packagesOf(handler))].sort()).toEqual(['@aws-sdk/client-s3', 'aws-lambda', 'crypto']);
  });

  it('shares the root entry\'s merge functions and the pure policy inspection, nothing that imports aws-cdk-lib', () => {
    expect(relativeFiles(handler)).toEqual(expect.arrayContaining(['lib/s3/bucket-policy.ts', 'lib/s3/cors-configuration.ts', 'lib/aws/private/policy-inspection.ts', 'lib/s3/policy-inspection.ts']));
  });

  it('is not loaded by segments-cloud-constructs/aws, which only points the asset at its built file', () => {
    expect(relativeFiles(moduleGraph(path.join(ROOT, 'lib', 'aws', 'index.ts'))).filter((f) => f.includes('/handler/'))).toEqual([]);
  });
});

describe('segments-cloud-constructs imports no cloud library', () => {
  it('reaches only the vendor facts, the checks, the merge functions, the policy inspection and the IAM evaluator, which import no package', () => {
    const graph = moduleGraph(path.join(ROOT, 'lib', 'index.ts'));
    const files = relativeFiles(graph).sort();
    // The IAM evaluator (lib/iam/, cloud-free: test/architecture.test.ts) is reached whole.
    expect(files.filter((f) => f.startsWith('lib/iam/'))).toEqual(expect.arrayContaining(['lib/iam/index.ts', 'lib/iam/evaluate.ts', 'lib/iam/key-space.ts', 'lib/iam/segments-request.ts']));
    expect(files.filter((f) => !f.startsWith('lib/iam/'))).toEqual([
      'lib/checks/azure-names.ts',
      'lib/checks/bucket-urls.ts',
      'lib/checks/gcs-names.ts',
      'lib/checks/index.ts',
      'lib/checks/key-prefixes.ts',
      'lib/checks/origins.ts',
      'lib/checks/problems.ts',
      // Requires the Public Suffix List's data from tldts lazily, which the build bundles into dist
      // (scripts/check-package.sh and test/aws/load-cost.test.ts check both).
      'lib/checks/public-suffixes.ts',
      'lib/checks/s3-names.ts',
      'lib/index.ts',
      'lib/s3/bucket-policy.ts',
      'lib/s3/cors-configuration.ts',
      'lib/s3/json-text.ts',
      'lib/s3/policy-inspection.ts',
      'lib/segments.ts',
    ]);
    expect(packagesOf(graph)).toEqual([]);
  });
});
