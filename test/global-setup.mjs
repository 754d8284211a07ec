// Builds the SegmentsImportedBucketAccess handler before any test runs, as `npm ci` does through
// `prepare`, so that a changed handler source is what the tests synthesize and exercise.
import { buildHandler } from '../scripts/build-handler.mjs';

export default async function globalSetup() {
  await buildHandler();
}
