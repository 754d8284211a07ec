import { builtHandlerCandidates, findBuiltHandler } from '../private/built-handler';

/** The folder of this construct, under lib/aws/ in a clone and under dist/lib/aws/ in the package. */
const FOLDER = 'segments-imported-bucket-access';

/**
 * Where the built handler (a directory holding index.js) can be, relative to the directory of the
 * code asking: the construct's source folder when run from a clone (jest, `npx cdk synth` through
 * tsx), or the bundled `dist/lib/aws/` of the installed package. scripts/build-handler.mjs writes both.
 */
export function handlerDirectoryCandidates(dirname: string): string[] {
  return builtHandlerCandidates(dirname, FOLDER);
}

/** The first candidate that holds index.js, or an Error saying how to build it. */
export function findHandlerDirectory(dirname: string, exists?: (file: string) => boolean): string {
  return findBuiltHandler(dirname, FOLDER, 'SegmentsImportedBucketAccess', exists);
}
