/**
 * Every ```ts sample in README.md and docs/*.md compiles against this library's source, with the
 * project's strict compiler options: a sample a reader copies must not carry a type error.
 *
 * Each sample is its own module, importing the package by its public name
 * (`segments-cloud-constructs/aws`, ...), mapped here to `lib/`. An HTML comment on the line just
 * before the fence gives a sample the context its text leaves out:
 *
 *   <!-- sample: continues the previous one -->   compiled appended to the previous ts sample of the file
 *   <!-- sample: inside a Stack's constructor -->  its statements run in an aws-cdk-lib Stack's constructor (`this`)
 *
 * There is no opt-out: nothing in the docs is a sample that no test compiles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { docFiles, repoRoot } from './helpers/docs';

const root = repoRoot;

/** One compilable unit: a sample, or a sample with the ones that continue it. */
export interface Sample {
  /** `README.md:42`: the file and the line of the opening fence. */
  readonly where: string;
  readonly code: string;
}

const CONTINUES = '<!-- sample: continues the previous one -->';
const IN_STACK = "<!-- sample: inside a Stack's constructor -->";

/** Splits a sample's import declarations (which must stay at module level) from its statements. */
function splitImports(code: string): { imports: string; body: string } {
  const imports: string[] = [];
  const body: string[] = [];
  for (const line of code.split('\n')) {
    (/^import\s/.test(line) ? imports : body).push(line);
  }
  return { imports: imports.join('\n'), body: body.join('\n') };
}

function inStackConstructor(code: string): string {
  const { imports, body } = splitImports(code);
  return [
    "import { Stack as SampleStackBase } from 'aws-cdk-lib';",
    "import type { Construct as SampleScope } from 'constructs';",
    imports,
    'export class SampleStack extends SampleStackBase {',
    '  constructor(scope: SampleScope, id: string) {',
    '    super(scope, id);',
    body,
    '  }',
    '}',
  ].join('\n');
}

/** The ```ts samples of one markdown text, with their context applied. */
export function extractSamples(file: string, text: string): Sample[] {
  const lines = text.split('\n');
  const samples: { where: string; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) {
      continue;
    }
    const start = i;
    const code: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) {
      code.push(lines[i]);
    }
    const marker = start > 0 ? lines[start - 1].trim() : '';
    let source = code.join('\n');
    if (marker === IN_STACK) {
      source = inStackConstructor(source);
    }
    if (marker === CONTINUES) {
      const previous = samples.pop();
      if (!previous) {
        throw new Error(`${file}:${start + 1}: '${CONTINUES}' but no earlier ts sample in the file`);
      }
      samples.push({ where: previous.where, code: `${previous.code}\n${source}` });
    } else {
      samples.push({ where: `${file}:${start + 1}`, code: source });
    }
  }
  return samples;
}

/** Type-checks the samples in one program; returns the diagnostics, each prefixed with its sample's place. */
export function typeCheck(samples: readonly Sample[]): string[] {
  const virtual = new Map<string, Sample>();
  samples.forEach((sample, n) => virtual.set(path.join(root, 'test', '.docs-samples', `sample${n}.ts`), sample));

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    baseUrl: root,
    paths: {
      'segments-cloud-constructs': ['lib/index.ts'],
      'segments-cloud-constructs/*': ['lib/*/index.ts'],
    },
  };
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const sample = virtual.get(path.resolve(fileName));
    return sample
      ? ts.createSourceFile(fileName, sample.code, languageVersion, true)
      : getSourceFile(fileName, languageVersion, onError, shouldCreate);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => virtual.has(path.resolve(fileName)) || fileExists(fileName);

  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && virtual.has(path.resolve(d.file.fileName)))
    .map((d) => {
      const sample = virtual.get(path.resolve(d.file!.fileName))!;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${sample.where} (sample line ${line + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe('the docs samples', () => {
  const samples = docFiles().flatMap((file) => extractSamples(file, fs.readFileSync(path.join(root, file), 'utf8')));
  // A sample with a type error, checked in the same program (one program costs about 5 s): the
  // check must be able to fail.
  const broken = extractSamples('broken.md', [
    'text',
    '```ts',
    "import { SegmentsBucket } from 'segments-cloud-constructs/aws';",
    "import { App, Stack } from 'aws-cdk-lib';",
    "new SegmentsBucket(new Stack(new App(), 'S'), 'X', { keyPrefixes: 'images/' });",
    '```',
  ].join('\n'));
  let problems: string[];
  beforeAll(() => {
    problems = typeCheck([...samples, ...broken]);
  });

  it('finds the samples of the README and of each guide', () => {
    const files = new Set(samples.map((s) => s.where.split(':')[0]));
    expect([...files].sort()).toEqual(expect.arrayContaining(['README.md', 'docs/aws.md', 'docs/gcp.md']));
  });

  it('compile without a type error', () => {
    expect(problems.filter((p) => !p.startsWith('broken.md:'))).toEqual([]);
  });

  it('a sample with a type error is reported, with its place', () => {
    expect(problems.filter((p) => p.startsWith('broken.md:'))).toEqual([
      expect.stringMatching(/^broken\.md:2 \(sample line 3\): Type 'string' is not assignable to type 'string\[\]'/),
    ]);
  });

  it('applies the context markers', () => {
    const text = [
      '```ts',
      'const a = 1;',
      '```',
      CONTINUES,
      '```ts',
      'const b: number = a;',
      '```',
      IN_STACK,
      '```ts',
      "import * as s3 from 'aws-cdk-lib/aws-s3';",
      "new s3.Bucket(this, 'B');",
      '```',
    ].join('\n');
    const extracted = extractSamples('m.md', text);
    expect(extracted.map((s) => s.where)).toEqual(['m.md:1', 'm.md:9']);
    expect(extracted[0].code).toBe('const a = 1;\nconst b: number = a;');
    expect(extracted[1].code).toMatch(/^import \{ Stack as SampleStackBase \}/);
  });
});
