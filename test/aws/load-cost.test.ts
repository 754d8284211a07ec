import { execFileSync } from 'child_process';
import { ROOT } from '../helpers/module-graph';

/**
 * aws-cdk-lib loads its submodules lazily, on first use. Reading one of its exports at load time
 * (an enum value in a module-level constant, a class that `extends` one) loads that submodule for
 * every user of `/aws`. CustomResourceProvider's brings fs-extra and more: about 27 ms, which made
 * `require('segments-cloud-constructs/aws')` 3× the cost of aws-cdk-lib itself (bench, import row).
 */
describe('loading segments-cloud-constructs/aws costs what it uses', () => {
  it('does not load aws-cdk-lib\'s custom resource provider until a SegmentsImportedBucketAccess is created', () => {
    const script = `
      require('tsx/cjs');
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('custom-resource-provider-base'));
      const aws = require('./lib/aws');
      const atLoad = loaded();
      const { App, Stack } = require('aws-cdk-lib');
      const s3 = require('aws-cdk-lib/aws-s3');
      const stack = new Stack(new App(), 'S');
      new aws.SegmentsImportedBucketAccess(stack, 'Grant', { bucket: s3.Bucket.fromBucketName(stack, 'B', 'acme-images') });
      console.log(JSON.stringify({ atLoad, afterUse: loaded() }));
    `;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ atLoad: false, afterUse: true });
  });
});

/**
 * SegmentsAccessMonitor uses aws-cdk-lib's Lambda, EventBridge, SNS, SQS, SSM and CloudWatch
 * modules: it loads them on the first monitor, so that `/aws` costs nothing more for apps without one.
 */
describe('loading segments-cloud-constructs/aws does not load the monitor\'s aws-cdk-lib modules', () => {
  it('loads aws-cdk-lib/aws-lambda and aws-events only when a SegmentsAccessMonitor is created', () => {
    const script = `
      require('tsx/cjs');
      const loaded = () => ['/aws-lambda/', '/aws-events/', '/aws-sns/', '/aws-cloudwatch/']
        .filter((dir) => Object.keys(require.cache).some((f) => f.includes('aws-cdk-lib' + dir)));
      const aws = require('./lib/aws');
      const { App, Stack } = require('aws-cdk-lib');
      const s3 = require('aws-cdk-lib/aws-s3');
      const stack = new Stack(new App(), 'S');
      new aws.SegmentsBucket(stack, 'Data');
      const withoutMonitor = loaded();
      new aws.SegmentsAccessMonitor(stack, 'Watch', { bucket: s3.Bucket.fromBucketName(stack, 'B', 'acme-images') });
      console.log(JSON.stringify({ withoutMonitor, afterMonitor: loaded() }));
    `;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
      withoutMonitor: [], afterMonitor: ['/aws-lambda/', '/aws-events/', '/aws-sns/', '/aws-cloudwatch/'],
    });
  });
});

/**
 * The Public Suffix List (about 140 KB of data, bundled from tldts) is read on the first wildcard
 * origin checked, not when the package loads: most apps list exact origins only.
 */
describe('loading segments-cloud-constructs reads the Public Suffix List only for a wildcard origin', () => {
  it('loads tldts\'s trie on the first wildcard origin, and not for exact ones', () => {
    const script = `
      require('tsx/cjs');
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('tldts'));
      const root = require('./lib');
      require('./lib/aws');
      const atLoad = loaded();
      root.httpsOriginProblems('o', ['https://segments.ai', 'https://app.segments.ai:8443'], root.OriginWildcard.LEADING_SUBDOMAIN);
      const afterExact = loaded();
      const problems = root.httpsOriginProblems('o', ['https://*.windows.net'], root.OriginWildcard.LEADING_SUBDOMAIN);
      console.log(JSON.stringify({ atLoad, afterExact, afterWildcard: loaded(), refused: problems.length }));
    `;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ atLoad: false, afterExact: false, afterWildcard: true, refused: 1 });
  });
});
