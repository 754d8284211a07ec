import * as fs from 'fs';
import * as path from 'path';

/**
 * Where a construct's built Lambda handler (a directory holding index.js) can be, relative to the
 * directory of the code asking (`dirname`): `<dirname>/handler/dist` when run from a clone (jest,
 * `npx cdk synth` through tsx: dirname is the construct's source folder, e.g.
 * lib/aws/segments-access-monitor/), or `<dirname>/<folder>/handler` in the installed package
 * (dirname is dist/lib/aws/, where the bundle of segments-cloud-constructs/aws lives).
 * scripts/build-handler.mjs writes both.
 */
export function builtHandlerCandidates(dirname: string, folder: string): string[] {
  return [path.join(dirname, 'handler', 'dist'), path.join(dirname, folder, 'handler')];
}

/** The first candidate that holds index.js, or an Error naming the construct and saying how to build it. */
export function findBuiltHandler(dirname: string, folder: string, constructName: string, exists: (file: string) => boolean = fs.existsSync): string {
  const candidates = builtHandlerCandidates(dirname, folder);
  const found = candidates.find((candidate) => exists(path.join(candidate, 'index.js')));
  if (found === undefined) {
    throw new Error(`The ${constructName} handler is not built: none of ${candidates.join(', ')} holds index.js. ` +
      'In a clone of the repository, run `node scripts/build-handler.mjs` (`npx cdk synth` and `npm test` run it first).');
  }
  return found;
}
