/**
 * The facts the docs state that the code or CI also holds: warning IDs, the storage classes the
 * refusal accepts, and the Node.js versions CI runs. A change on one side fails here until the
 * other side follows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers/docs';
import { SegmentsAccessMonitorMessages, SegmentsAccessWarnings, SegmentsBucketWarnings } from '../lib/aws';
import { SegmentsGcsWarnings } from '../lib/gcp';
import { GCS_LEGACY_STORAGE_CLASSES, GCS_STORAGE_CLASSES } from '../lib/gcp/private/checks';

const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8');

describe('the guides list every warning ID', () => {
  it.each(Object.values({ ...SegmentsBucketWarnings, ...SegmentsAccessWarnings, ...SegmentsAccessMonitorMessages }))('docs/aws.md lists %s', (id) => {
    expect(read('docs/aws.md')).toContain(`\`${id}\``);
  });
  it.each(Object.values(SegmentsGcsWarnings))('docs/gcp.md lists %s', (id) => {
    expect(read('docs/gcp.md')).toContain(`\`${id}\``);
  });
});

describe('the API reference of storageClass lists exactly the storage classes the refusal accepts', () => {
  it('names the same classes in the storageClass section of docs/api (the TSDoc)', () => {
    const page = read('docs/api/segments-cloud-constructs/gcp/interfaces/SegmentsGcsBucketProps.md');
    const section = page.split(/\n(?=### )/).find((part) => part.startsWith('### storageClass?'));
    const named = new Set([...(section ?? '').matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual([...GCS_STORAGE_CLASSES, ...GCS_LEGACY_STORAGE_CLASSES].sort());
  });
});

describe('the README states the Node.js versions CI runs, and engines admits them', () => {
  const ci = read('.ci/run');
  const pinned = ['NODE22', 'NODE24'].map((name) => new RegExp(`^${name}=(\\d+\\.\\d+\\.\\d+)$`, 'm').exec(ci)?.[1]);
  const engines: string = JSON.parse(read('package.json')).engines.node;

  /** Whether a version satisfies a range made of `^x.y.z` and `>=x.y.z` alternatives. */
  function satisfies(version: string, range: string): boolean {
    const v = version.split('.').map(Number);
    const atLeast = (min: number[]) => v[0] !== min[0] ? v[0] > min[0] : v[1] !== min[1] ? v[1] > min[1] : v[2] >= min[2];
    return range.split('||').map((alt) => alt.trim()).some((alt) => {
      const match = /^(\^|>=)(\d+)\.(\d+)\.(\d+)$/.exec(alt);
      if (!match) {
        throw new Error(`engines alternative '${alt}' is not ^x.y.z or >=x.y.z`);
      }
      const min = match.slice(2).map(Number);
      return atLeast(min) && (match[1] === '>=' || v[0] === min[0]);
    });
  }

  it('pins Node.js 22 and 24 in .ci/run', () => {
    expect(pinned.map((v) => v?.split('.')[0])).toEqual(['22', '24']);
  });
  it.each(pinned.map((v) => [v!]))('names %s in the README, and engines admits it', (version) => {
    expect(read('README.md')).toContain(version);
    expect(satisfies(version, engines)).toBe(true);
  });
  it('quotes engines in the README', () => {
    expect(read('README.md')).toContain(`\`${engines}\``);
  });
  it('admits Node.js 22.12 and 24, and no Node.js 20 (end of life), no 22 before 22.12 and none of the untested odd lines', () => {
    expect(['22.12.0', '24.0.0', '26.0.0'].every((v) => satisfies(v, engines))).toBe(true);
    expect(['20.20.2', '21.7.0', '22.11.0', '23.11.0'].filter((v) => satisfies(v, engines))).toEqual([]);
  });
  it.each(['package.json', 'cli/package.json'])('%s has the same engines', (file) => {
    expect(JSON.parse(read(file)).engines).toEqual({ node: engines });
  });
  it.each(['README.md', 'CONTRIBUTING.md', 'docs/aws.md', 'docs/gcp.md', 'docs/azure.md', 'docs/cli.md', 'cli/README.md'])('%s names no Node.js 20 as supported or tested', (file) => {
    expect(read(file)).not.toMatch(/Node(\.js)? 20\b|\b20\.(9|20)\.\d/);
  });
});

describe('the README reads in five minutes', () => {
  const readme = read('README.md');

  it('is at most 220 lines', () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(220);
  });

  it('leaves contributors\' matters and the bench tables to CONTRIBUTING.md and bench/RESULTS.md, and links to both', () => {
    expect(readme).toContain('](CONTRIBUTING.md)');
    expect(readme).toContain('](bench/RESULTS.md)');
    expect(readme).not.toMatch(/^## (Layout|Tests and CI)$/m);
  });

  it('keeps Performance to at most 8 lines', () => {
    const section = /<!-- perf:start -->\n([\s\S]*?)<!-- perf:end -->/.exec(readme)?.[1] ?? '';
    expect(section.trim().split('\n').filter((line) => line.trim() !== '').length).toBeGreaterThan(1);
    expect(section.trim().split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(8);
  });
});
