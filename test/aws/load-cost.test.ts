import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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

/**
 * The package's `/aws` (scripts/build-aws.mjs, as `npm run build` writes it) is index.js plus a file
 * for SegmentsImportedBucketAccess and one for SegmentsAccessMonitor, each required on first use.
 * Built here into a temp dir by the build's own function; the apps run in a child process that
 * requires the built files, never the sources.
 */
describe('the built segments-cloud-constructs/aws loads what the app uses, each module once', () => {
  let dir: string;
  let built: Record<string, string[]>;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'built-aws-'));
    const aws = path.join(dir, 'lib', 'aws');
    const script = `
      import { buildAws } from ${JSON.stringify(path.join(ROOT, 'scripts', 'build-aws.mjs'))};
      const external = { name: 'external', setup(b) { b.onResolve({ filter: /^[^./]/ }, (a) => ({ path: a.path, external: true })); } };
      console.log(JSON.stringify(await buildAws(${JSON.stringify(aws)}, { target: 'node22', logLevel: 'warning' }, () => [external])));
    `;
    built = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }).trim());
    // Where the installed package keeps the handler, next to the bundle (scripts/build.mjs); jest's global setup built it.
    for (const folder of ['segments-imported-bucket-access', 'segments-access-monitor']) {
      fs.cpSync(path.join(ROOT, 'lib', 'aws', folder, 'handler', 'dist'), path.join(aws, folder, 'handler'), { recursive: true });
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `body` in a node process with `aws` the built index.js; `files()` names the built files loaded so far. */
  function run(body: string): unknown {
    const script = `
      const path = require('path');
      const dir = ${JSON.stringify(path.join(dir, 'lib', 'aws'))};
      const files = () => Object.keys(require.cache).filter((f) => f.startsWith(dir + path.sep)).map((f) => path.relative(dir, f)).sort();
      const cdkModules = () => ['/aws-lambda/', '/aws-events/', '/aws-logs/', '/custom-resource-provider']
        .filter((part) => Object.keys(require.cache).some((f) => f.includes('aws-cdk-lib') && f.includes(part)));
      const aws = require(path.join(dir, 'index.js'));
      const { App, Stack } = require('aws-cdk-lib');
      const s3 = require('aws-cdk-lib/aws-s3');
      ${body}
    `;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') } });
    return JSON.parse(out.trim().split('\n').pop()!);
  }

  it('bundles no module in two files', () => {
    expect(Object.keys(built).sort()).toEqual(['access-monitor.js', 'imported-bucket-access.js', 'index.js']);
    expect(built['imported-bucket-access.js']).toContain('lib/aws/segments-imported-bucket-access/index.ts');
    expect(built['access-monitor.js']).toContain('lib/aws/segments-access-monitor/index.ts');
    const all = Object.values(built).flat();
    expect(all.filter((input, i) => all.indexOf(input) !== i)).toEqual([]);
    for (const shared of ['lib/aws/private/separate-bucket-policy-check.ts', 'lib/aws/private/access-input.ts', 'lib/aws/segments-access.ts']) {
      expect(built['index.js']).toContain(shared);
    }
  });

  it('an app of SegmentsBucket loads index.js alone, and no module of the imported-bucket construct or the monitor', () => {
    expect(run(`
      const app = new App();
      new aws.SegmentsBucket(new Stack(app, 'S'), 'Data');
      const template = app.synth().getStackByName('S').template;
      console.log(JSON.stringify({ files: files(), cdk: cdkModules(), buckets: Object.values(template.Resources).filter((r) => r.Type === 'AWS::S3::Bucket').length }));
    `)).toEqual({ files: ['index.js'], cdk: [], buckets: 1 });
  });

  it('loads the imported-bucket construct on first use, sharing the app-wide check with SegmentsBucket', () => {
    expect(run(`
      const before = files();
      const Imported = aws.SegmentsImportedBucketAccess;
      const stack = new Stack(new App(), 'S');
      new aws.SegmentsBucket(stack, 'Data');
      new Imported(stack, 'Grant', { bucket: s3.Bucket.fromBucketName(stack, 'B', 'acme-images') });
      // One check for the app, the one index.js holds: it has both the bucket and the import.
      const { SeparateBucketPolicyCheck } = aws[Symbol.for('segments-cloud-constructs/aws:shared-modules')]['lib/aws/private/separate-bucket-policy-check.ts'];
      const check = SeparateBucketPolicyCheck.of(stack);
      console.log(JSON.stringify({ before, after: files(), sameClass: Imported === require(path.join(dir, 'imported-bucket-access.js')).SegmentsImportedBucketAccess,
        registered: check.registered.length, imports: check.imports.length }));
    `)).toEqual({ before: ['index.js'], after: ['imported-bucket-access.js', 'index.js'], sameClass: true, registered: 1, imports: 1 });
  });

  it('gives an ES module app every export by name (Node finds them in the CommonJS file by its getters\' form)', () => {
    const script = `
      import * as aws from ${JSON.stringify(path.join(dir, 'lib', 'aws', 'index.js'))};
      import { SegmentsImportedBucketAccess, SegmentsAccessMonitor, SegmentsBucket } from ${JSON.stringify(path.join(dir, 'lib', 'aws', 'index.js'))};
      console.log(JSON.stringify({ classes: [SegmentsImportedBucketAccess, SegmentsAccessMonitor, SegmentsBucket].map((c) => typeof c),
        names: ['SegmentsImportedBucketAccessWarnings', 'SegmentsAccessMonitorMessages', 'SegmentsAccessWarnings'].filter((name) => name in aws) }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') } });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
      classes: ['function', 'function', 'function'], names: ['SegmentsImportedBucketAccessWarnings', 'SegmentsAccessMonitorMessages', 'SegmentsAccessWarnings'],
    });
  });

  it('loads the monitor on the first monitor prop, and its exports by name', () => {
    expect(run(`
      const stack = new Stack(new App(), 'S');
      new aws.SegmentsBucket(stack, 'Data', { monitor: { sampleKeys: ['a.jpg'] } });
      console.log(JSON.stringify({ files: files(), names: Object.keys(aws).includes('SegmentsAccessMonitor') && Object.keys(aws).includes('SegmentsImportedBucketAccess') }));
    `)).toEqual({ files: ['access-monitor.js', 'index.js'], names: true });
  });
});
