/**
 * The versions users have (issue 18, items 10, 12 and 15): the peer floors are the lowest releases
 * the whole suite passed on, the README's import table states them, and the dependency matrix
 * (scripts/check-matrix.sh, run by .ci/run) installs exactly those floors and the newest the ranges allow.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The lowest version a peer range allows, as check-matrix.sh reads it. */
const floorOf = (range: string) => /(\d+\.\d+\.\d+)/.exec(range)![1];

describe('the peer floors', () => {
  it('aws-cdk-lib: 2.275.0, the lowest release the whole suite passes on', () => {
    // Measured with the whole suite in scratch installs (never over the repo's lockfile): 2.275.0 passes, 2.274.0 fails
    // 6 tests (warnings of SegmentsAccess in another stack lost from the assembly, among others) and the type-check
    // (AppProps has no builtinCloudFormationValidation before 2.275.0). Issue 18 found more below: no handler Runtime
    // before 2.259.0, an acknowledgement on SegmentsAccess failing open before 2.271.0.
    expect(pkg.peerDependencies['aws-cdk-lib']).toBe('^2.275.0');
  });

  it('constructs: what aws-cdk-lib itself requires', () => {
    const awsCdkLib = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
    expect(pkg.peerDependencies.constructs).toBe('^10.5.0');
    expect(pkg.peerDependencies.constructs).toBe(awsCdkLib.peerDependencies.constructs);
  });

  it.each([
    ['segments-cloud-constructs/aws', ['aws-cdk-lib', 'constructs']],
    ['segments-cloud-constructs/gcp', ['cdktf', 'constructs', '@cdktf/provider-google']],
    ['segments-cloud-constructs/azure', ['cdktf', 'constructs', '@cdktf/provider-azurerm', '@cdktf/provider-azuread']],
  ])('the README\'s import table gives the floor of each library %s needs', (entry, libraries) => {
    const line = readme.split('\n').find((l) => l.startsWith(`| \`${entry}\``));
    expect(line).toBeDefined();
    for (const library of libraries) {
      expect(line).toContain(`\`${library}\` ≥ ${floorOf(pkg.peerDependencies[library])}`);
    }
  });
});

describe('the dependency matrix', () => {
  const matrix = fs.readFileSync(path.join(ROOT, 'scripts', 'check-matrix.sh'), 'utf8');

  it('runs in CI', () => {
    expect(fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^step "Node \$NODE22: dependency matrix[^"]*" .*bash scripts\/check-matrix\.sh/m);
  });

  it('has every cloud at its floors and at the newest, TypeScript 6 and 7, and an ES module and a CommonJS node10 consumer', () => {
    const projects = [...matrix.matchAll(/^ {2}"([a-z-]+)\|([^|]+)\|\$([A-Z_]+)"$/gm)].map(([, name, consumers, packages]) => ({
      name,
      packages,
      consumers: consumers.split(';').map((spec) => {
        const [consumer, kind, type, typescript, apps] = spec.split(' ');
        return { consumer, kind, type, typescript, apps };
      }),
    }));
    expect(projects.map((p) => [p.name, p.packages])).toEqual([
      ['floor-aws', 'AWS_FLOOR'], ['floor-gcp', 'GCP_FLOOR'], ['floor-azure', 'AZURE_FLOOR'], ['newest', 'ALL_NEWEST'],
    ]);
    expect(projects.flatMap((p) => p.consumers)).toEqual([
      { consumer: 'aws-floor', kind: 'node16', type: 'commonjs', typescript: 'repo', apps: 'aws' },
      { consumer: 'gcp-floor', kind: 'node16', type: 'commonjs', typescript: 'repo', apps: 'gcp' },
      { consumer: 'azure-floor', kind: 'node16', type: 'commonjs', typescript: 'repo', apps: 'azure' },
      { consumer: 'newest-node16', kind: 'node16', type: 'commonjs', typescript: 'repo', apps: 'aws,gcp,azure' },
      { consumer: 'esm-ts7', kind: 'nodenext', type: 'module', typescript: 'project', apps: 'aws,gcp,azure' },
      { consumer: 'cjs-node10-ts6', kind: 'node10', type: 'commonjs', typescript: 'repo', apps: 'aws,gcp,azure' },
    ]);
    // The newest project installs typescript 7 for esm-ts7; the others use the repo's TypeScript, which is 6.x.
    expect(matrix).toMatch(/^ALL_NEWEST=\$\(joined [^)]*(\)[^)]*)*"typescript@\^7"\)$/m);
    expect(JSON.parse(fs.readFileSync(require.resolve('typescript/package.json'), 'utf8')).version).toMatch(/^6\./);
    for (const peer of Object.keys(pkg.peerDependencies)) {
      expect(matrix).toContain(`"${peer}@$(range ${peer})"`);
    }
  });
});

describe('the README\'s Start a new app', () => {
  const section = readme.slice(readme.indexOf('### Start a new app'), readme.indexOf('\n## Quick start'));

  it('takes cdk.json\'s feature flags from aws-cdk-lib itself, whose list has every flag `cdk init` writes', () => {
    const flagsFile = 'node_modules/aws-cdk-lib/recommended-feature-flags.json';
    expect(section).toContain(flagsFile);
    const flags = JSON.parse(fs.readFileSync(path.join(ROOT, flagsFile), 'utf8')) as Record<string, unknown>;
    const cliFlags = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/aws-cdk/lib/init-templates/.recommended-feature-flags.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(flags).length).toBeGreaterThanOrEqual(85);
    expect(Object.keys(cliFlags).filter((flag) => !(flag in flags))).toEqual([]);
  });

  it('the example app\'s cdk.json sets every flag aws-cdk-lib recommends (else `cdk synth` prints a notice)', () => {
    const flags = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/aws-cdk-lib/recommended-feature-flags.json'), 'utf8')) as Record<string, unknown>;
    const context = (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
    expect(Object.keys(flags).filter((flag) => JSON.stringify(context[flag]) !== JSON.stringify(flags[flag]))).toEqual([]);
  });

  it('type-checks before tsx runs the app, for AWS and for cdktf', () => {
    expect(section).toContain('"app": "npx tsc --noEmit && npx tsx main.ts"');
    expect(section).toContain('app: "npx tsc --noEmit && npx tsx main.ts"');
    expect(section.match(/' > tsconfig\.json$/gm)).toHaveLength(2); // each recipe writes its tsconfig.json
  });

  it('prints the warnings of cdktf.out/manifest.json on the path without cdktf-cli', () => {
    expect(section).toMatch(/require\("\.\/cdktf\.out\/manifest\.json"\)\.stacks[\s\S]*annotations[\s\S]*console\.error/);
  });
});
