/**
 * What a new user meets in the first ten minutes, read from the docs as they read them: shell
 * blocks that work as pasted, one install per cloud, and statements about the repository that
 * match it (which app `cdktf synth` runs, which clouds the CLI checks).
 * scripts/check-package.sh runs the README's "Start a new app" blocks word for word besides.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers/docs';
import { VERIFY_TARGETS } from '../cli/src/verify/command';

const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8');
const DOCS = ['README.md', 'CONTRIBUTING.md', 'cli/README.md',
  ...fs.readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The ```sh blocks of a markdown text (fences may be indented, as in a list). */
function shellBlocks(text: string): string[] {
  const blocks: string[] = [];
  let open: { indent: string; lines: string[]; shell: boolean } | undefined;
  for (const line of text.split('\n')) {
    const fence = /^(\s*)```(\w*)\s*$/.exec(line);
    if (fence && !open) {
      open = { indent: fence[1], lines: [], shell: ['sh', 'bash', 'shell'].includes(fence[2]) };
    } else if (fence && open) {
      if (open.shell) {
        blocks.push(open.lines.join('\n'));
      }
      open = undefined;
    } else if (open) {
      open.lines.push(line.startsWith(open.indent) ? line.slice(open.indent.length) : line);
    }
  }
  return blocks;
}

/** A shell line without its comment (a `#` at the start or after a blank, outside quotes). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      quote = c === quote ? undefined : quote;
    } else if (c === '\'' || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i);
    }
  }
  return line;
}

/** `<word>` outside quotes: bash reads it as a redirection from a file `word`. */
function placeholders(line: string): string[] {
  const code = withoutComment(line).replace(/'[^']*'|"[^"]*"/g, '');
  return [...code.matchAll(/<[^<>\s=|&;()]*[A-Za-z][^<>]*>/g)].map((m) => m[0]);
}

describe('shell blocks work as pasted', () => {
  it('finds a placeholder when there is one, outside comments and quotes (the check itself)', () => {
    expect(placeholders('pkg=../x/segments-cloud-constructs-<version>.tgz')).toEqual(['<version>']);
    expect(placeholders('npx -p ./segments-cloud-cli-<version>.tgz segments-cloud --help')).toEqual(['<version>']);
    expect(placeholders('npm pack   # writes x-<version>.tgz')).toEqual([]);
    expect(placeholders('echo \'{"a": "<b>"}\' > f.json')).toEqual([]);
    expect(shellBlocks('a\n  ```sh\n  ls <x>\n  ```\n```ts\nconst a = 1;\n```\n')).toEqual(['ls <x>']);
  });

  // The clone URL is the one value a reader must fill in: this repository names no public URL yet.
  const exempt = (line: string) => /^git clone /.test(line.trim());

  it.each(DOCS)('%s has no <placeholder> in a command', (file) => {
    const found = shellBlocks(read(file)).flatMap((block) => block.split('\n'))
      .filter((line) => !exempt(line) && placeholders(line).length > 0);
    expect(found).toEqual([]);
  });
});

describe('each install command installs one cloud\'s libraries', () => {
  const CLOUD_LIBRARIES: Record<string, RegExp> = {
    aws: /\baws-cdk-lib\b/,
    google: /@cdktf\/provider-google\b/,
    azure: /@cdktf\/provider-azurerm\b/,
  };

  it.each(DOCS)('%s: no shell block installs two clouds\' libraries', (file) => {
    const mixed = shellBlocks(read(file)).filter((block) => {
      const installs = block.split('\n').map(withoutComment).filter((line) => /\bnpm (install|i|add)\b/.test(line)).join('\n');
      return Object.values(CLOUD_LIBRARIES).filter((library) => library.test(installs)).length > 1;
    });
    expect(mixed).toEqual([]);
  });
});

describe('the docs say what the repository does', () => {
  it('names the app cdktf.json runs wherever a guide says what `cdktf synth` runs', () => {
    const app = /\bbin\/[\w-]+\.ts\b/.exec(JSON.parse(read('cdktf.json')).app as string)?.[0];
    expect(app).toBe('bin/cdktf-app.ts');
    for (const file of DOCS) {
      for (const match of read(file).matchAll(/`cdktf synth` runs the example app `(bin\/[\w-]+\.ts)`/g)) {
        expect({ file, runs: match[1] }).toEqual({ file, runs: app });
      }
      for (const line of read(file).split('\n').filter((l) => /cdktf\.json"? "?app"? command/.test(l) && /npx tsx bin\//.test(l))) {
        expect({ file, line }).toEqual({ file, line: expect.stringContaining(`npx tsx ${app}`) });
      }
    }
  });

  // What each cloud of `verify` is called in prose.
  const PROSE: Record<string, RegExp> = { aws: /\bS3\b/, gcs: /\bCloud Storage\b/, azure: /\bAzure\b/ };

  it('knows every cloud of verify', () => {
    expect(VERIFY_TARGETS.map((t) => t.cloud).sort()).toEqual(Object.keys(PROSE).sort());
  });

  it.each(VERIFY_TARGETS.map((t) => [t.cloud]))('the CLI\'s package description and cli/README.md\'s first paragraph name what verify %s checks', (cloud) => {
    const description = JSON.parse(read('cli/package.json')).description as string;
    const intro = read('cli/README.md').split(/\n\s*\n/)[1];
    expect({ description: PROSE[cloud].test(description), intro: PROSE[cloud].test(intro) }).toEqual({ description: true, intro: true });
  });

  it('the README says how long `npm test` took, measured how and on what, not "about N minutes"', () => {
    const line = read('README.md').split('\n').find((l) => l.startsWith('- `npm test`')) ?? '';
    expect(line).toMatch(/`time npm test`/);            // how
    expect(line).toMatch(/Node\.js 22\.\d+\.\d+/);        // on which Node
    expect(line).toMatch(/\d+ cores?/);                  // on what machine
    expect(line).toMatch(/\b\d+ s\b/);                   // what it measured, in seconds
    expect(line).not.toMatch(/\babout \d+ minutes\b/);
  });
});
