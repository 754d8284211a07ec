#!/usr/bin/env node
// `npm run bench`: what segments-cloud-constructs costs its users, measured against writing the same
// resources by hand. Not part of `npm test`: on a shared machine timings are noisy, so this is a
// benchmark, never a timed test. Prints markdown (see README "Performance").
//
// Every comparison runs its two sides as whole node processes, alternating (A B, then B A, ...)
// after a warm-up, and reports medians and the ratio of medians. The fixtures in bench/fixtures are
// plain CommonJS loading the compiled library from dist/ (built first with `npm run build`), so
// the timings measure the library, not a TypeScript loader.
//
// Environment:
//   BENCH_RUNS=5          timed runs per side (after BENCH_WARMUP=1 untimed run per side)
//   BENCH_QUICK_RUNS=11   timed runs per side when a side's warm-up took under 1.5 s (cheap, so more runs)
//   BENCH_IMPORT_RUNS=15  timed runs per side of the import comparisons
//   BENCH_TEST_RUNS=3     runs of the test suite, cold and warm
//   BENCH_ONLY=aws,gcp,azure,import,growth,cli,install,test,cli-package   sections to run (default: all)
//   BENCH_NPX_RUNS=3      cold `npx -p <cli tarball>` runs (each with an empty npm cache) in the cli-package section
//   BENCH_GROWTH=1,10,100,500                           bucket counts of the growth section
//   BENCH_GROWTH_HALVES=aws,google                      halves of the growth section (aws alone while iterating on the AWS checks)
//   BENCH_AWS_VALIDATION=off,on                         CFN validation settings of the AWS synth section (off alone is quicker)
//   BENCH_AWS_SIZES=1,100,500                           bucket counts of the AWS synth section (validation on: those up to 100),
//                                                      followed by a control row (the hand-written process against itself)
//   BENCH_OUT=file        also write the markdown there
//   BENCH_SKIP_BUILD=1    reuse dist/ and bench/.work/compiled as they are
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench', '.work');
const FIX = path.join(ROOT, 'bench', 'fixtures');
const env = process.env;
const int = (v, d) => (v === undefined || v === '' ? d : Math.max(1, parseInt(v, 10)));
const RUNS = int(env.BENCH_RUNS, 5);
const WARMUP = env.BENCH_WARMUP === '0' ? 0 : int(env.BENCH_WARMUP, 1);
const IMPORT_RUNS = int(env.BENCH_IMPORT_RUNS, Math.max(RUNS, 15));
const QUICK_RUNS = int(env.BENCH_QUICK_RUNS, Math.max(RUNS, 11));
const TEST_RUNS = int(env.BENCH_TEST_RUNS, 3);
const GROWTH = (env.BENCH_GROWTH ?? '1,10,100,500').split(',').map(Number);
const AWS_SIZES = (env.BENCH_AWS_SIZES ?? '1,100,500').split(',').map(Number);
const ALL = ['aws', 'gcp', 'azure', 'import', 'growth', 'cli', 'install', 'test', 'cli-package'];
const ONLY = env.BENCH_ONLY ? env.BENCH_ONLY.split(',').map((s) => s.trim()) : ALL;
for (const s of ONLY) {
  if (!ALL.includes(s)) throw new Error(`BENCH_ONLY: unknown section '${s}' (known: ${ALL.join(', ')})`);
}

fs.mkdirSync(WORK, { recursive: true });
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const started = performance.now();

// ---------------------------------------------------------------- processes and statistics

/** Runs a command to completion; returns wall ms, stdout, stderr. Throws when it fails. */
function run(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts,
    env: { ...env, CHECKPOINT_DISABLE: '1', ...(opts.env ?? {}) },
  });
  const ms = performance.now() - t0;
  if (r.status !== 0 && !opts.allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  }
  return { ms, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** The JSON phase timings a fixture prints on its last stdout line. */
function phases(stdout) {
  const line = stdout.trim().split('\n').pop();
  try { return JSON.parse(line); } catch { return {}; }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Runs two sides in alternation (ABBA...) after a warm-up; each side is a function returning
 * { ms, work? } for one whole process. Returns per-side samples and medians.
 */
function compare(label, a, b, runs = RUNS) {
  const load0 = os.loadavg()[0];
  let slowest = 0;
  for (let i = 0; i < WARMUP; i++) { slowest = Math.max(slowest, a.fn().ms, b.fn().ms); }
  if (WARMUP > 0 && slowest < 1500) runs = Math.max(runs, QUICK_RUNS);
  log(`  ${label}: warm-up ${WARMUP}, ${runs} runs per side`);
  const sa = [];
  const sb = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) { sa.push(a.fn()); sb.push(b.fn()); } else { sb.push(b.fn()); sa.push(a.fn()); }
  }
  const summary = (samples) => ({
    ms: median(samples.map((s) => s.ms)),
    min: Math.min(...samples.map((s) => s.ms)),
    max: Math.max(...samples.map((s) => s.ms)),
    work: samples[0].work === undefined ? undefined : median(samples.map((s) => s.work)),
    cpu: samples[0].cpu === undefined ? undefined : median(samples.map((s) => s.cpu)),
    cpuMin: samples[0].cpu === undefined ? undefined : Math.min(...samples.map((s) => s.cpu)),
    cpuMax: samples[0].cpu === undefined ? undefined : Math.max(...samples.map((s) => s.cpu)),
  });
  const A = summary(sa);
  const B = summary(sb);
  const load = Math.max(load0, os.loadavg()[0]);
  const res = { label, a: { name: a.name, ...A }, b: { name: b.name, ...B }, ratio: A.ms / B.ms, runs, load };
  if (A.work !== undefined && B.work !== undefined) res.workRatio = A.work / B.work;
  if (A.cpu !== undefined && B.cpu !== undefined) res.cpuRatio = A.cpu / B.cpu;
  log(`    ${a.name} ${fmtMs(A.ms)} vs ${b.name} ${fmtMs(B.ms)}: ${res.ratio.toFixed(3)}`);
  return res;
}

/** A side that runs a fixture with node and reads its in-process timings. */
function fixture(name, file, args, workKey = 'work') {
  return {
    name,
    fn: () => {
      const r = run(process.execPath, [path.join(FIX, file), ...args.map(String)]);
      const ph = phases(r.stdout);
      return { ms: r.ms, work: ph[workKey], cpu: ph.cpu };
    },
  };
}

function fmtMs(ms) {
  if (ms === undefined) return '';
  return ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}
const fmtRatio = (r) => (r === undefined ? '' : r.toFixed(3));
/** The in-process CPU-time ratio (construction + synth, user + system), steadier than wall time when other work shares the machine. */
const cpuNote = (r) => (r.cpuRatio === undefined ? '' : `CPU ${fmtMs(r.a.cpu)} (${fmtMs(r.a.cpuMin)}-${fmtMs(r.a.cpuMax)}) vs ${fmtMs(r.b.cpu)} (${fmtMs(r.b.cpuMin)}-${fmtMs(r.b.cpuMax)}): ${r.cpuRatio.toFixed(3)}`);
/** A note when other work shared the machine: this bench alone keeps the 1-minute load near 1. */
const busy = (...rs) => {
  const load = Math.max(...rs.map((r) => r.load ?? 0));
  return load > 1.6 ? `load up to ${load.toFixed(1)}: noisy` : '';
};
/** The 1-minute load average around a comparison, always shown: on 2 cores, above about 1.6 other work shared the machine. */
const loadNote = (r) => `load ${r.load.toFixed(1)}${r.load > 1.6 ? ': noisy' : ''}`;
const fmtBytes = (b) => `${(b / 1e6).toFixed(2)} MB`;
const met = (ok) => (ok ? 'yes' : '**no**');

// ---------------------------------------------------------------- build

/** A hash of what the timings depend on, to notice when someone edits the tree during a run. */
function fingerprint() {
  const hash = createHash('sha1');
  const walk = (rel) => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) {
      for (const e of fs.readdirSync(abs).sort()) walk(path.join(rel, e));
    } else {
      hash.update(rel).update(fs.readFileSync(abs));
    }
  };
  for (const rel of ['lib', 'bin', 'test', 'package.json', 'package-lock.json', 'cdk.json', 'cdktf.json', 'jest.config.js', 'tsconfig.json']) walk(rel);
  return hash.digest('hex');
}
const warnings = [];
let treeAtBuild;
function checkTree(when) {
  if (treeAtBuild !== undefined && fingerprint() !== treeAtBuild) {
    const w = `**The working tree (lib, bin, test, configs) changed during the run (noticed ${when}): later sections measured other code than earlier ones; run again.**`;
    if (!warnings.includes(w)) { warnings.push(w); log(w); }
  }
}

function build() {
  treeAtBuild = fingerprint();
  if (env.BENCH_SKIP_BUILD === '1') return;
  log('building dist/ (npm run build) and the example apps (bench/tsconfig.bin.json)');
  run('npm', ['run', 'build', '--silent']);
  fs.rmSync(path.join(WORK, 'compiled'), { recursive: true, force: true });
  run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'bench/tsconfig.bin.json']);
  // The precompiled example app needs the handlers where the constructs look for them.
  run(process.execPath, ['scripts/build-handler.mjs', path.join(WORK, 'compiled/lib/aws/segments-imported-bucket-access/handler/dist'),
    path.join(WORK, 'compiled/lib/aws/segments-access-monitor/handler/dist')]);
}

/** Refuses to time two sides that do not produce the same output. */
function sameOutput(what, fileA, fileB) {
  const a = fs.readFileSync(fileA, 'utf8');
  const b = fs.readFileSync(fileB, 'utf8');
  if (a !== b) {
    throw new Error(`${what}: the library and the hand-written fixture synthesize different output (${fileA} vs ${fileB}); fix the fixture before timing`);
  }
}

// ---------------------------------------------------------------- sections

const rows = []; // the main table: { n, what, a, b, ratio, goal, ok, note }
const details = []; // extra markdown blocks

function sectionAws() {
  log('== 1. AWS synth: SegmentsBucket vs hand-written aws-cdk-lib');
  const dumps = ['lib', 'hand'].map((s) => path.join(WORK, `aws-${s}.template.json`));
  ['lib', 'hand'].forEach((s, i) => run(process.execPath, [path.join(FIX, 'aws-synth.cjs'), s, '3', 'off', dumps[i]]));
  sameOutput('AWS', ...dumps);
  const res = [];
  // Validation on costs seconds a synth whatever the library does, so it is timed at 1 and 100 buckets only.
  const sizes = { off: AWS_SIZES, on: AWS_SIZES.filter((n) => n <= 100) };
  for (const validation of (env.BENCH_AWS_VALIDATION ?? 'off,on').split(',').map((v) => v.trim())) {
    for (const n of sizes[validation] ?? AWS_SIZES) {
      const r = compare(`AWS ${n} bucket(s), validation ${validation}`,
        fixture('SegmentsBucket', 'aws-synth.cjs', ['lib', n, validation]),
        fixture('hand-written', 'aws-synth.cjs', ['hand', n, validation]));
      res.push(r);
      rows.push({ n: 1, what: `AWS synth, ${n} bucket${n > 1 ? 's' : ''}, CFN validation ${validation}`, a: fmtMs(r.a.ms), b: fmtMs(r.b.ms), ratio: r.ratio, goal: 1.05, ok: r.ratio <= 1.05 && (r.cpuRatio ?? 0) <= 1.05, note: [cpuNote(r), loadNote(r)].filter(Boolean).join('; ') });
    }
  }
  // The control: the same hand-written process on both sides. Its ratio is what the machine's noise
  // alone makes of a comparison in this run; a row above that differs from 1 by less is noise.
  const n = AWS_SIZES.includes(100) ? 100 : AWS_SIZES[AWS_SIZES.length - 1];
  const control = compare(`AWS control: ${n} bucket(s) hand-written vs the same`,
    fixture('hand-written', 'aws-synth.cjs', ['hand', n, 'off']),
    fixture('hand-written (again)', 'aws-synth.cjs', ['hand', n, 'off']));
  res.push(control);
  rows.push({ n: 1, what: `control: AWS synth, ${n} buckets, hand-written vs the same process`, a: fmtMs(control.a.ms), b: fmtMs(control.b.ms), ratio: control.ratio, goal: undefined, note: [cpuNote(control), loadNote(control)].filter(Boolean).join('; ') });
  return res;
}

function sectionGcp() {
  log('== 2. Google synth: SegmentsGcsBucket vs hand-written cdktf');
  const dumps = ['lib', 'hand'].map((s) => path.join(WORK, `gcp-${s}.cdk.tf.json`));
  ['lib', 'hand'].forEach((s, i) => run(process.execPath, [path.join(FIX, 'gcp-synth.cjs'), s, '3', dumps[i]]));
  sameOutput('Google', ...dumps);
  const res = [];
  for (const n of [1, 100]) {
    const r = compare(`Google ${n} bucket(s)`,
      fixture('SegmentsGcsBucket', 'gcp-synth.cjs', ['lib', n]),
      fixture('hand-written', 'gcp-synth.cjs', ['hand', n]));
    res.push(r);
    rows.push({ n: 2, what: `Google synth, ${n} bucket${n > 1 ? 's' : ''}`, a: fmtMs(r.a.ms), b: fmtMs(r.b.ms), ratio: r.ratio, goal: 1.05, ok: r.ratio <= 1.05, note: busy(r) });
  }
  return res;
}

function sectionAzure() {
  log('== 2b. Azure synth: SegmentsAzureStorageAccount vs hand-written cdktf');
  const dumps = ['lib', 'hand'].map((s) => path.join(WORK, `azure-${s}.cdk.tf.json`));
  ['lib', 'hand'].forEach((s, i) => run(process.execPath, [path.join(FIX, 'azure-synth.cjs'), s, '3', dumps[i]]));
  sameOutput('Azure', ...dumps);
  const res = [];
  for (const n of [1, 100]) {
    const r = compare(`Azure ${n} account(s)`,
      fixture('SegmentsAzureStorageAccount', 'azure-synth.cjs', ['lib', n]),
      fixture('hand-written', 'azure-synth.cjs', ['hand', n]));
    res.push(r);
    rows.push({ n: 2, what: `Azure synth, ${n} storage account${n > 1 ? 's' : ''}`, a: fmtMs(r.a.ms), b: fmtMs(r.b.ms), ratio: r.ratio, goal: 1.05, ok: r.ratio <= 1.05, note: busy(r) });
  }
  return res;
}

function synthDetails(aws, gcp, azure) {
  const all = [...(aws ?? []), ...(gcp ?? []), ...(azure ?? [])];
  if (all.length === 0) return;
  const lines = [
    '#### Synth, whole process and in-process',
    '',
    'In-process is construction plus `app.synth()`, measured inside the fixture (without node startup and `require`).',
    '',
    '| comparison | library: process (min-max) | hand: process (min-max) | ratio | library: in-process | hand: in-process | in-process ratio |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of all) {
    lines.push(`| ${r.label} | ${fmtMs(r.a.ms)} (${fmtMs(r.a.min)}-${fmtMs(r.a.max)}) | ${fmtMs(r.b.ms)} (${fmtMs(r.b.min)}-${fmtMs(r.b.max)}) | ${fmtRatio(r.ratio)} | ${fmtMs(r.a.work)} | ${fmtMs(r.b.work)} | ${fmtRatio(r.workRatio)} |`);
  }
  details.push(lines.join('\n'));
}

async function sectionImport() {
  log('== 3. Import cost');
  const res = [];
  const sides = [
    ['segments-cloud-constructs/aws', 'lib-aws', 'aws-cdk-lib, /aws-s3, /aws-iam, constructs', 'direct-aws'],
    ['segments-cloud-constructs/gcp', 'lib-gcp', 'cdktf, constructs, 3 provider deep paths', 'direct-gcp'],
    ['segments-cloud-constructs/azure', 'lib-azure', 'cdktf, constructs, 5 azurerm/azuread deep paths', 'direct-azure'],
  ];
  const node = compare('node startup', fixture('node', 'import.cjs', ['node'], 'import'), fixture('node', 'import.cjs', ['node'], 'import'), Math.min(IMPORT_RUNS, 5));
  for (const [an, a, bn, b] of sides) {
    const r = compare(`import ${an}`, fixture(an, 'import.cjs', [a], 'import'), fixture(bn, 'import.cjs', [b], 'import'), IMPORT_RUNS);
    res.push(r);
    rows.push({ n: 3, what: `import \`${an}\` vs ${bn}`, a: fmtMs(r.a.ms), b: fmtMs(r.b.ms), ratio: r.ratio, goal: 1.1, ok: r.ratio <= 1.1, note: [`\`require\` alone: ${fmtMs(r.a.work)} vs ${fmtMs(r.b.work)}`, busy(r)].filter(Boolean).join('; ') });
  }
  const lines = [
    '#### Import cost',
    '',
    `Whole process (${IMPORT_RUNS} runs per side); a bare \`node\` process takes ${fmtMs(node.a.ms)}. \`require\` alone is timed inside the process. ` +
    'The package ships one bundled file per subpath (scripts/build.mjs), which loads about 10 ms faster than one file per module.',
    '',
    '| import | process | `require` alone | vs | process | `require` alone | ratio | `require` ratio |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of res) {
    lines.push(`| \`${r.a.name}\` | ${fmtMs(r.a.ms)} | ${fmtMs(r.a.work)} | ${r.b.name} | ${fmtMs(r.b.ms)} | ${fmtMs(r.b.work)} | ${fmtRatio(r.ratio)} | ${fmtRatio(r.workRatio)} |`);
  }
  details.push(lines.join('\n'));
}

function sectionGrowth() {
  log('== 4. Growth');
  const lines = [
    '#### Growth (CFN validation off)',
    '',
    'Per bucket = in-process time (construction + synth) / buckets; marginal = extra in-process time per added bucket since the previous size.',
    '',
    '| half | buckets | library: process (min-max) | hand: process (min-max) | ratio | CPU ratio | library in-process | per bucket | marginal per bucket | hand per bucket |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const checks = [];
  const halves = (env.BENCH_GROWTH_HALVES ?? 'aws,google').split(',').map((h) => h.trim().toLowerCase());
  for (const [half, file, args] of [['AWS', 'aws-synth.cjs', ['off']], ['Google', 'gcp-synth.cjs', []]].filter(([h]) => halves.includes(h.toLowerCase()))) {
    const byN = [];
    for (const n of GROWTH) {
      const r = compare(`${half} growth ${n}`, fixture('library', file, ['lib', n, ...args]), fixture('hand', file, ['hand', n, ...args]));
      byN.push({ n, r });
    }
    byN.forEach(({ n, r }, i) => {
      const prev = byN[i - 1];
      const marginal = prev ? (r.a.work - prev.r.a.work) / (n - prev.n) : undefined;
      byN[i].marginal = marginal;
      lines.push(`| ${half} | ${n} | ${fmtMs(r.a.ms)} (${fmtMs(r.a.min)}-${fmtMs(r.a.max)}) | ${fmtMs(r.b.ms)} (${fmtMs(r.b.min)}-${fmtMs(r.b.max)}) | ${fmtRatio(r.ratio)} | ${fmtRatio(r.cpuRatio)} | ${fmtMs(r.a.work)} | ${(r.a.work / n).toFixed(2)} ms | ${marginal === undefined ? '' : `${marginal.toFixed(2)} ms`} | ${(r.b.work / n).toFixed(2)} ms |`);
    });
    const last = byN[byN.length - 1];
    const before = byN[byN.length - 2];
    if (last && before && last.marginal !== undefined && before.marginal !== undefined) {
      const factor = last.marginal / before.marginal;
      checks.push({ half, factor, from: before.n, to: last.n });
      rows.push({ n: 4, what: `${half} growth: marginal per-bucket time ${before.n}→${last.n} vs up to ${before.n}`, a: `${last.marginal.toFixed(2)} ms`, b: `${before.marginal.toFixed(2)} ms`, ratio: factor, goal: 1.5, ok: factor <= 1.5, note: ['linear if ≤ 1.5', busy(...byN.map((x) => x.r))].filter(Boolean).join('; ') });
      rows.push({ n: 4, what: `${half} synth, ${last.n} buckets, library vs hand`, a: fmtMs(last.r.a.ms), b: fmtMs(last.r.b.ms), ratio: last.r.ratio, goal: 1.05, ok: last.r.ratio <= 1.05, note: [cpuNote(last.r), busy(last.r)].filter(Boolean).join('; ') });
    }
  }
  lines.push('');
  for (const c of checks) {
    lines.push(`${c.half}: marginal cost per bucket from ${c.from} to ${c.to} buckets is ${c.factor.toFixed(2)}× the marginal cost below ${c.from} (${c.factor <= 1.5 ? 'linear' : '**superlinear**'}).`);
  }
  details.push(lines.join('\n'));
}

/** How much of a synth aws-cdk-lib's built-in CloudFormation validation takes (from section 1). */
function validationNote(aws) {
  const on = aws?.find((r) => r.label.startsWith('AWS 1 ') && r.label.endsWith('on'));
  const off = aws?.find((r) => r.label.startsWith('AWS 1 ') && r.label.endsWith('off'));
  if (!on || !off) return [];
  return ['', `Most of \`cdk synth\`'s time is aws-cdk-lib's built-in CloudFormation validation (on by default), with or without the library: one SegmentsBucket synthesizes in ${fmtMs(on.a.ms)} with it and ${fmtMs(off.a.ms)} without (\`new App({ builtinCloudFormationValidation: false })\`; section 1).`];
}

function sectionCli(aws) {
  log('== 5. Example apps through the CLIs');
  checkTree('before the CLI section');
  const out = path.join(WORK, 'cli');
  fs.rmSync(out, { recursive: true, force: true });
  const side = (name, cmd, args) => ({ name, fn: () => ({ ms: run(cmd, args).ms }) });
  const cdk = (o, extra = []) => ['cdk', 'synth', '-q', '-o', path.join(out, o), ...extra];
  const cdktf = (o, extra = []) => ['cdktf', 'synth', '-o', path.join(out, o), ...extra];
  const a = compare('npx cdk synth -q',
    side('tsx (cdk.json)', 'npx', cdk('cdk-tsx')),
    side('node, precompiled', 'npx', cdk('cdk-js', ['--app', 'node bench/.work/compiled/bin/aws-app.js'])));
  sameOutput('cdk synth', path.join(out, 'cdk-tsx', 'LabelingDataStack.template.json'), path.join(out, 'cdk-js', 'LabelingDataStack.template.json'));
  const g = compare('npx cdktf synth',
    side('tsx (cdktf.json)', 'npx', cdktf('cdktf-tsx')),
    side('node, precompiled', 'npx', cdktf('cdktf-js', ['--app', 'node bench/.work/compiled/bin/cdktf-app.js'])));
  for (const stackName of ['segments-gcs', 'segments-azure']) {
    sameOutput(`cdktf synth ${stackName}`, path.join(out, 'cdktf-tsx', 'stacks', stackName, 'cdk.tf.json'), path.join(out, 'cdktf-js', 'stacks', stackName, 'cdk.tf.json'));
  }
  rows.push({ n: 5, what: '`npx cdk synth -q`: tsx (cdk.json) vs `--app "node <precompiled>"`', a: fmtMs(a.a.ms), b: fmtMs(a.b.ms), ratio: a.ratio, goal: undefined, note: [`runner costs ${fmtMs(a.a.ms - a.b.ms)}`, busy(a)].filter(Boolean).join('; ') });
  rows.push({ n: 5, what: '`npx cdktf synth`: tsx (cdktf.json) vs `--app "node <precompiled>"`', a: fmtMs(g.a.ms), b: fmtMs(g.b.ms), ratio: g.ratio, goal: undefined, note: [`runner costs ${fmtMs(g.a.ms - g.b.ms)}`, busy(g)].filter(Boolean).join('; ') });
  details.push([
    '#### The example apps through the CLIs',
    '',
    '| command | tsx (as configured) | node, precompiled | ratio | tsx costs |',
    '|---|---|---|---|---|',
    `| \`npx cdk synth -q\` (bin/aws-app.ts) | ${fmtMs(a.a.ms)} | ${fmtMs(a.b.ms)} | ${fmtRatio(a.ratio)} | ${fmtMs(a.a.ms - a.b.ms)} |`,
    `| \`CHECKPOINT_DISABLE=1 npx cdktf synth\` (bin/cdktf-app.ts: Google and Azure stacks) | ${fmtMs(g.a.ms)} | ${fmtMs(g.b.ms)} | ${fmtRatio(g.ratio)} | ${fmtMs(g.a.ms - g.b.ms)} |`,
    ...validationNote(aws),
  ].join('\n'));
}

/** Apparent size in bytes (`du -sb`) and package count of a node_modules tree. */
function footprint(dir) {
  const nm = path.join(dir, 'node_modules');
  const bytes = Number(run('du', ['-sb', nm]).stdout.split(/\s/)[0]);
  const lock = JSON.parse(fs.readFileSync(path.join(nm, '.package-lock.json'), 'utf8'));
  const pkgs = Object.keys(lock.packages).filter((k) => k.startsWith('node_modules/')).map((k) => k.slice('node_modules/'.length));
  return { bytes, pkgs: new Set(pkgs) };
}

function sectionInstall() {
  log('== 6. Install footprint (scripts/check-package.sh + baselines)');
  const pkg = path.join(WORK, 'pkg');
  // The script needs an absolute work dir: it `cd`s into each consumer before installing the tarball.
  run('bash', ['scripts/check-package.sh', pkg]);
  const version = (p) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', p, 'package.json'), 'utf8')).version;
  const baseline = (dir, pkgs) => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    run('npm', ['init', '-y'], { cwd: dir });
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...pkgs.map((p) => `${p}@${version(p)}`)], { cwd: dir });
  };
  baseline(path.join(pkg, 'aws-baseline'), ['aws-cdk-lib', 'constructs']);
  baseline(path.join(pkg, 'gcp-baseline'), ['cdktf', 'constructs', '@cdktf/provider-google']);
  baseline(path.join(pkg, 'azure-baseline'), ['cdktf', 'constructs', '@cdktf/provider-azurerm', '@cdktf/provider-azuread']);
  const lines = [
    '#### Install footprint',
    '',
    'Apparent size (`du -sb`) of `node_modules` of a fresh consumer (`scripts/check-package.sh`) and of the same install without the tarball, same versions as the repo.',
    '',
    '| consumer | with the package | without | ratio | the package itself | added packages | other cloud\'s libraries |',
    '|---|---|---|---|---|---|---|',
  ];
  const azureProviders = ['@cdktf/provider-azurerm', '@cdktf/provider-azuread'];
  const forbidden = {
    aws: ['cdktf', '@cdktf/provider-google', 'cdktf-cli', ...azureProviders],
    gcp: ['aws-cdk-lib', 'aws-cdk', ...azureProviders],
    azure: ['aws-cdk-lib', '@cdktf/provider-google', 'aws-cdk'],
  };
  for (const [half, label] of [['aws', 'AWS-only'], ['gcp', 'Google-only'], ['azure', 'Azure-only']]) {
    const c = footprint(path.join(pkg, `${half}-consumer`));
    const b = footprint(path.join(pkg, `${half}-baseline`));
    const own = Number(run('du', ['-sb', path.join(pkg, `${half}-consumer`, 'node_modules', 'segments-cloud-constructs')]).stdout.split(/\s/)[0]);
    const added = [...c.pkgs].filter((p) => !b.pkgs.has(p));
    const removed = [...b.pkgs].filter((p) => !c.pkgs.has(p));
    const other = [...c.pkgs].filter((p) => forbidden[half].some((f) => p === f || p.startsWith(`${f}/`) || p.includes(`node_modules/${f}`)));
    const ratio = c.bytes / b.bytes;
    const onlyItself = added.length === 1 && added[0] === 'segments-cloud-constructs' && removed.length === 0;
    lines.push(`| ${label} | ${fmtBytes(c.bytes)} (${c.pkgs.size} packages) | ${fmtBytes(b.bytes)} (${b.pkgs.size}) | ${ratio.toFixed(4)} | ${(own / 1e3).toFixed(0)} kB | ${added.join(', ') || 'none'}${removed.length ? `; missing: ${removed.join(', ')}` : ''} | ${other.join(', ') || 'none'} |`);
    rows.push({ n: 6, what: `install footprint, ${label} consumer`, a: fmtBytes(c.bytes), b: fmtBytes(b.bytes), ratio, goal: 1.01, ok: ratio <= 1.01 && onlyItself && other.length === 0, note: other.length ? `has ${other.join(', ')}` : `adds only itself: ${onlyItself ? 'yes' : 'no'}; no ${forbidden[half][0]}` });
  }
  details.push(lines.join('\n'));
}

/** User + system CPU time of a child process (bash's `times`), in ms, and its wall time. */
function cpuOf(cmd, args, opts = {}) {
  const quoted = [cmd, ...args].map((a) => `'${String(a).replace(/'/g, "'\\''")}'`).join(' ');
  const r = run('bash', ['-c', `${quoted} >/dev/null 2>&1; status=$?; times; exit $status`], { ...opts, allowFail: true });
  const [user, system] = r.stdout.trim().split('\n').pop().split(/\s+/).map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : NaN;
  });
  return { ms: r.ms, cpu: user + system, status: r.status };
}

/**
 * segments-cloud-cli as its users get it (issue 23): the packed tarball, what it installs, a cold
 * `npx` (empty folder, empty npm cache), and how fast its commands start against `node -e 0`.
 * The figures before the CLI was bundled (2026-12-07, /work/shared/MEASURED.md) are in the notes.
 */
function sectionCliPackage() {
  log('== 8. segments-cloud-cli: tarball, install, cold npx, command start');
  // Outside the repository: inside it, the installed CLI would find packages in the repository's node_modules.
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-cli-package-'));
  const tgzName = run('npm', ['pack', '-w', 'cli', '--silent', '--pack-destination', out]).stdout.trim().split('\n').pop();
  const tgz = path.join(out, tgzName);
  const tgzBytes = fs.statSync(tgz).size;
  rows.push({ n: 8, what: 'segments-cloud-cli: packed tarball', a: fmtBytes(tgzBytes), b: '0.09 MB', ratio: undefined, goal: 1.5, goalText: '≤ 1.5 MB', ok: tgzBytes <= 1.5e6, note: 'before: 93 KB (the SDKs were dependencies)' });

  // What the package is once issue 21's evaluator replaces its one remaining dependency: the same tarball without `dependencies`.
  const bare = path.join(out, 'bare');
  fs.mkdirSync(bare);
  run('tar', ['-xzf', tgz, '-C', bare]);
  const manifest = JSON.parse(fs.readFileSync(path.join(bare, 'package', 'package.json'), 'utf8'));
  const pending = Object.keys(manifest.dependencies ?? {});
  delete manifest.dependencies;
  fs.writeFileSync(path.join(bare, 'package', 'package.json'), JSON.stringify(manifest, null, 2));
  const bareTgz = path.join(out, 'segments-cloud-cli-bare.tgz');
  run('tar', ['-czf', bareTgz, '-C', bare, 'package']);

  const install = (name, tarball) => {
    const dir = path.join(out, name);
    fs.mkdirSync(dir);
    run('npm', ['init', '-y'], { cwd: dir });
    run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], { cwd: dir });
    const f = footprint(dir);
    const own = Number(run('du', ['-sb', path.join(dir, 'node_modules', 'segments-cloud-cli')]).stdout.split(/\s/)[0]);
    return { dir, ...f, own };
  };
  const inst = install('installed', tgz);
  const instBare = install('installed-bare', bareTgz);
  rows.push({ n: 8, what: 'segments-cloud-cli: installed (`npm install --omit=dev <tarball>`)', a: `${fmtBytes(inst.bytes)} (${inst.pkgs.size} packages)`, b: '160 MB (171)', ratio: undefined, goal: 8, goalText: '≤ 8 MB', ok: inst.bytes <= 8e6,
    note: `the package itself ${fmtBytes(inst.own)}; ${pending.length ? `the rest is ${pending.join(', ')} and its dependencies (until issue 21); without them: ${fmtBytes(instBare.bytes)} (${instBare.pkgs.size} package)` : 'no dependency'}` });

  // Cold npx: an empty folder and an empty npm cache each time.
  const npxRuns = int(env.BENCH_NPX_RUNS, 3);
  const coldNpx = (tarball) => {
    const samples = [];
    for (let i = 0; i < npxRuns; i++) {
      // Outside the repository: inside it, npm would take the repository's package.json as the project.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-npx-'));
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-npm-cache-'));
      fs.copyFileSync(tarball, path.join(dir, path.basename(tarball)));
      const r = run('npx', ['--yes', '-p', `./${path.basename(tarball)}`, 'segments-cloud', '--help'], { cwd: dir, env: { npm_config_cache: cache, npm_config_update_notifier: 'false' } });
      if (!/verify aws/.test(r.stdout)) throw new Error(`cold npx printed no help: ${r.stdout}${r.stderr}`);
      samples.push(r.ms);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    }
    return { ms: median(samples), min: Math.min(...samples), max: Math.max(...samples), load: os.loadavg()[0] };
  };
  const npx = coldNpx(tgz);
  const npxBare = coldNpx(bareTgz);
  rows.push({ n: 8, what: '`npx -p ./segments-cloud-cli-*.tgz segments-cloud --help`, empty folder, empty npm cache', a: fmtMs(npx.ms), b: '28.5 s', ratio: undefined, goal: 5, goalText: '≤ 5 s', ok: npx.ms <= 5000,
    note: `${npxRuns} runs (${fmtMs(npx.min)}-${fmtMs(npx.max)}); ${pending.length ? `fetches ${pending.join(', ')} from the registry; without it: ${fmtMs(npxBare.ms)} (${fmtMs(npxBare.min)}-${fmtMs(npxBare.max)})` : ''}; load ${npx.load.toFixed(1)}` });

  // Command starts, whole processes against `node -e 0`, wall and CPU (user + system, steadier on a shared machine).
  const cliJs = path.join(inst.dir, 'node_modules', 'segments-cloud-cli', 'dist', 'cli.js');
  const bareNode = { name: 'node -e 0', fn: () => cpuOf(process.execPath, ['-e', '0']) };
  const startRows = [];
  for (const args of [['aws-cors'], ['aws-policy', '--bucket', 'my-images'], ['gcs-cors']]) {
    const r = compare(`segments-cloud ${args[0]}`, { name: args.join(' '), fn: () => cpuOf(process.execPath, [cliJs, ...args]) }, bareNode, QUICK_RUNS);
    startRows.push(r);
    rows.push({ n: 8, what: `\`segments-cloud ${args.join(' ')}\` vs \`node -e 0\``, a: fmtMs(r.a.ms), b: fmtMs(r.b.ms), ratio: r.ratio, goal: 20, goalText: '≤ +20 ms', ok: r.a.ms - r.b.ms <= 20,
      note: `+${fmtMs(r.a.ms - r.b.ms)} wall; CPU +${fmtMs(r.a.cpu - r.b.cpu)} (${fmtMs(r.a.cpu)} vs ${fmtMs(r.b.cpu)}); before: +20 ms (aws-cors); ${loadNote(r)}` });
  }
  // verify aws up to its first request: the process ends at its first TCP connection (bench/fixtures/exit-at-first-connection.cjs).
  const hook = path.join(FIX, 'exit-at-first-connection.cjs');
  const awsEnv = {
    HOME: out, AWS_CONFIG_FILE: path.join(out, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(out, 'none'), AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const verifyArgs = ['--require', hook, cliJs, 'verify', 'aws', '--bucket', 'my-images', '--offline'];
  const first = run(process.execPath, verifyArgs, { cwd: inst.dir, env: awsEnv });
  if (!/"work"/.test(first.stdout)) throw new Error(`verify aws made no request: ${first.stdout}${first.stderr}`);
  const v = compare('verify aws to its first request',
    { name: 'verify aws', fn: () => ({ ...cpuOf(process.execPath, verifyArgs, { cwd: inst.dir, env: awsEnv }) }) },
    { name: 'node -e 0', fn: () => cpuOf(process.execPath, ['--require', hook, '-e', '0']) }, QUICK_RUNS);
  rows.push({ n: 8, what: '`segments-cloud verify aws` to its first request vs `node -e 0`', a: fmtMs(v.a.ms), b: fmtMs(v.b.ms), ratio: v.ratio, goal: 150, goalText: '≤ +150 ms', ok: v.a.ms - v.b.ms <= 150,
    note: `+${fmtMs(v.a.ms - v.b.ms)} wall; CPU +${fmtMs(v.a.cpu - v.b.cpu)} (${fmtMs(v.a.cpu)} vs ${fmtMs(v.b.cpu)}); ${loadNote(v)}` });
  // The same from the tarball without dependencies, the evaluator a stub that is never called
  // before the first request: what verify aws costs once issue 21's evaluator (lib/iam/, bundled) replaces it.
  if (pending.length > 0) {
    const stub = path.join(out, 'stub-modules');
    for (const name of pending) {
      fs.mkdirSync(path.join(stub, name), { recursive: true });
      fs.writeFileSync(path.join(stub, name, 'index.js'), "module.exports = new Proxy({}, { get: () => () => { throw new Error('stub'); } });\n");
    }
    const bareCli = path.join(instBare.dir, 'node_modules', 'segments-cloud-cli', 'dist', 'cli.js');
    const bareArgs = ['--require', hook, bareCli, 'verify', 'aws', '--bucket', 'my-images', '--offline'];
    const stubEnv = { ...awsEnv, NODE_PATH: stub };
    if (!/"work"/.test(run(process.execPath, bareArgs, { cwd: instBare.dir, env: stubEnv }).stdout)) throw new Error('verify aws (evaluator stubbed) made no request');
    const w = compare('verify aws to its first request, evaluator stubbed',
      { name: 'verify aws', fn: () => cpuOf(process.execPath, bareArgs, { cwd: instBare.dir, env: stubEnv }) },
      { name: 'node -e 0', fn: () => cpuOf(process.execPath, ['--require', hook, '-e', '0']) }, QUICK_RUNS);
    rows.push({ n: 8, what: `the same, ${pending.join(', ')} a stub (what issue 21 leaves)`, a: fmtMs(w.a.ms), b: fmtMs(w.b.ms), ratio: w.ratio, goal: 150, goalText: '≤ +150 ms', ok: w.a.ms - w.b.ms <= 150,
      note: `+${fmtMs(w.a.ms - w.b.ms)} wall; CPU +${fmtMs(w.a.cpu - w.b.cpu)} (${fmtMs(w.a.cpu)} vs ${fmtMs(w.b.cpu)}); ${loadNote(w)}` });
  }
  fs.rmSync(out, { recursive: true, force: true });
  details.push([
    '#### segments-cloud-cli',
    '',
    `Tarball ${fmtBytes(tgzBytes)} (${tgzName}); installed with \`--omit=dev\` into an empty folder: ${fmtBytes(inst.bytes)} in ${inst.pkgs.size} packages (${[...inst.pkgs].join(', ')}).`,
    `Command starts: whole processes, alternating with \`node -e 0\`, ${QUICK_RUNS} runs per side after a warm-up; CPU is user + system time of the child (bash \`times\`).`,
    `\`verify aws\` runs with made-up credentials and \`AWS_ENDPOINT_URL_S3=http://127.0.0.1:9\`, preloading bench/fixtures/exit-at-first-connection.cjs, which ends the process at its first TCP connection (\`node -e 0\` preloads it too).`,
  ].join('\n'));
}

function sectionTest() {
  log('== 7. npm test (typecheck + jest --ci)');
  const cache = path.join(WORK, 'jest-cache'); // not the repo's .jest-cache: others' runs keep theirs
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const sample = (cold) => {
    if (cold) fs.rmSync(cache, { recursive: true, force: true });
    const t = run('npm', ['run', 'typecheck', '--silent'], { allowFail: true });
    const j = run(process.execPath, [jest, '--ci', '--cacheDirectory', cache], { allowFail: true });
    const summary = (j.stderr.match(/^Tests:.*$/m) ?? ['Tests: ?'])[0];
    return { typecheck: t.ms, jest: j.ms, total: t.ms + j.ms, ok: t.status === 0 && j.status === 0, summary, suites: (j.stderr.match(/^Test Suites:.*$/m) ?? [''])[0] };
  };
  const cold = [];
  const warm = [];
  for (let i = 0; i < TEST_RUNS; i++) {
    cold.push(sample(true));
    warm.push(sample(false));
    log(`  run ${i + 1}: cold ${fmtMs(cold[i].total)} (jest ${fmtMs(cold[i].jest)}), warm ${fmtMs(warm[i].total)} (jest ${fmtMs(warm[i].jest)})`);
  }
  const m = (xs, k) => median(xs.map((x) => x[k]));
  const status = [...cold, ...warm].every((s) => s.ok) ? 'all passed' : '**some runs failed** (tests or types were being edited?)';
  rows.push({ n: 7, what: '`npm test` cold (empty jest cache): typecheck + jest', a: fmtMs(m(cold, 'total')), b: '', ratio: undefined, goal: 60, goalText: '< 60 s', ok: m(cold, 'total') < 60000, note: `typecheck ${fmtMs(m(cold, 'typecheck'))} + jest ${fmtMs(m(cold, 'jest'))}` });
  rows.push({ n: 7, what: '`npm test` warm', a: fmtMs(m(warm, 'total')), b: '', ratio: undefined, goal: undefined, note: `typecheck ${fmtMs(m(warm, 'typecheck'))} + jest ${fmtMs(m(warm, 'jest'))}` });
  details.push([
    '#### npm test',
    '',
    `${TEST_RUNS} runs each, cold (jest cache emptied: a fresh \`--cacheDirectory\` under bench/.work) and warm; the OS file cache is warm in both. \`npm test\` is \`npm run typecheck && jest --ci\`; the two are timed separately and summed.`,
    '',
    '| | typecheck (`tsc --noEmit`) | `jest --ci` | total |',
    '|---|---|---|---|',
    `| cold | ${fmtMs(m(cold, 'typecheck'))} | ${fmtMs(m(cold, 'jest'))} | ${fmtMs(m(cold, 'total'))} |`,
    `| warm | ${fmtMs(m(warm, 'typecheck'))} | ${fmtMs(m(warm, 'jest'))} | ${fmtMs(m(warm, 'total'))} |`,
    '',
    `Results: ${status}; ${warm[warm.length - 1].suites.replace(/\s+/g, ' ')}; ${warm[warm.length - 1].summary.replace(/\s+/g, ' ')}.`,
  ].join('\n'));
}

// ---------------------------------------------------------------- main

function header() {
  const cpus = os.cpus();
  const git = run('git', ['rev-parse', '--short', 'HEAD'], { allowFail: true }).stdout.trim();
  const dirty = run('git', ['status', '--porcelain', '--', 'lib', 'bin', 'test', 'package.json'], { allowFail: true }).stdout.trim() ? ' (with uncommitted changes in lib/bin/test)' : '';
  const npmV = run('npm', ['--version'], { allowFail: true }).stdout.trim();
  return [
    `Machine: ${os.availableParallelism?.() ?? cpus.length} cores (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}; Node.js ${process.version}, npm ${npmV}; ` +
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; commit ${git}${dirty}; load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
    '',
    `Runs: ${RUNS} per side after ${WARMUP} warm-up (${QUICK_RUNS} when a warm-up run took under 1.5 s; imports: ${IMPORT_RUNS}; npm test: ${TEST_RUNS} cold + ${TEST_RUNS} warm), alternating, whole node processes; medians. Fixtures are plain CommonJS loading the compiled library (dist/).`,
  ].join('\n');
}

const head = header();
build();
let aws;
let gcp;
if (ONLY.includes('aws')) aws = sectionAws();
if (ONLY.includes('gcp')) gcp = sectionGcp();
let azure;
if (ONLY.includes('azure')) azure = sectionAzure();
synthDetails(aws, gcp, azure);
if (ONLY.includes('import')) await sectionImport();
if (ONLY.includes('growth')) sectionGrowth();
if (ONLY.includes('cli')) sectionCli(aws);
if (ONLY.includes('install')) sectionInstall();
if (ONLY.includes('test')) sectionTest();
if (ONLY.includes('cli-package')) sectionCliPackage();

checkTree('at the end');
const table = [
  '| # | comparison | library / measured | baseline | ratio | goal | met | note |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.n} | ${r.what} | ${r.a} | ${r.b} | ${r.ratio === undefined ? '' : fmtRatio(r.ratio)} | ${r.goalText ?? (r.goal === undefined ? '' : `≤ ${r.goal}`)} | ${r.goal === undefined ? '' : met(r.ok)} | ${r.note ?? ''} |`),
].join('\n');
const total = (performance.now() - started) / 1000;
const md = [
  head,
  '',
  ...warnings.flatMap((w) => [w, '']),
  table,
  '',
  ...details.flatMap((d) => [d, '']),
  `Bench took ${Math.floor(total / 60)} min ${Math.round(total % 60)} s; load average at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
  '',
].join('\n');
process.stdout.write(md);
if (env.BENCH_OUT) fs.writeFileSync(env.BENCH_OUT, md);
