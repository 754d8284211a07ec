import * as fs from 'fs';
import * as path from 'path';

/**
 * Where the built handler (a directory holding index.js) can be, relative to the directory of the
 * code asking: the construct's source folder when run from a clone (jest, `npx cdk synth` through
 * tsx), or the bundled `dist/lib/aws/` of the installed package. scripts/build-handler.mjs writes both.
 */
export function handlerDirectoryCandidates(dirname: string): string[] {
  return [
    // from source: lib/aws/segments-imported-bucket-access/ (gitignored; cdk.json's app and jest's global setup build it)
    path.join(dirname, 'handler', 'dist'),
    // from the package: dist/lib/aws/ (the bundle of segments-cloud-constructs/aws)
    path.join(dirname, 'segments-imported-bucket-access', 'handler'),
  ];
}

/** The first candidate that holds index.js, or an Error saying how to build it. */
export function findHandlerDirectory(dirname: string, exists: (file: string) => boolean = fs.existsSync): string {
  const candidates = handlerDirectoryCandidates(dirname);
  const found = candidates.find((candidate) => exists(path.join(candidate, 'index.js')));
  if (found === undefined) {
    throw new Error(`The SegmentsImportedBucketAccess handler is not built: none of ${candidates.join(', ')} holds index.js. ` +
      'In a clone of the repository, run `node scripts/build-handler.mjs` (`npx cdk synth` and `npm test` run it first).');
  }
  return found;
}
