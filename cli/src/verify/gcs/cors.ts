/**
 * `gcs.cors` (per origin): Google answers a browser from the bucket's CORS list, comparing each
 * entry's origins with the request's `Origin` literally (only `"*"` means any origin: there is no
 * subdomain wildcard), and its methods likewise (`"*"` is any method).
 */
import { segmentsGcsCorsRule } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass } from '../report';
import { Read, isFailure, readFailureFix } from '../read';

/** One entry of a bucket's `cors` list (JSON API casing). */
export interface GcsCorsEntry {
  readonly origin?: readonly string[];
  readonly method?: readonly string[];
  readonly responseHeader?: readonly string[];
  readonly maxAgeSeconds?: number;
}

const ID = 'gcs.cors';

/** Whether an entry's origin list admits the origin: equal strings, or `*`. */
export function gcsOriginMatches(patterns: readonly string[], origin: string): boolean {
  return patterns.some((pattern) => pattern === '*' || pattern === origin);
}

/** Whether an entry's method list admits GET: `GET` or `*`. */
export function gcsAllowsGet(methods: readonly string[]): boolean {
  return methods.some((method) => method === '*' || method === 'GET');
}

/** The index of the first entry that admits a GET from the origin, or -1. */
export function gcsCorsEntryFor(entries: readonly GcsCorsEntry[], origin: string): number {
  return entries.findIndex((entry) => gcsOriginMatches(entry.origin ?? [], origin) && gcsAllowsGet(entry.method ?? []));
}

/** One outcome per origin. */
export function checkGcsCors(bucket: string, cors: Read<readonly GcsCorsEntry[]>, origins: readonly string[]): CheckOutcome[] {
  if (isFailure(cors)) {
    return [couldNotRun(ID, `Could not read the CORS list of ${bucket} (${cors.message}).`, readFailureFix(cors, 'The caller needs storage.buckets.get on the bucket.'))];
  }
  return origins.map((origin) => checkOrigin(bucket, cors.value, origin));
}

function checkOrigin(bucket: string, entries: readonly GcsCorsEntry[], origin: string): CheckOutcome {
  const found = gcsCorsEntryFor(entries, origin);
  if (found >= 0) {
    const headers = entries[found].responseHeader ?? [];
    return pass(ID, `Entry #${found + 1} allows GET from ${origin}; responseHeader ${JSON.stringify(headers)}.`, origin);
  }
  const reasons: string[] = [];
  entries.forEach((entry, i) => {
    const patterns = (entry.origin ?? []).filter((pattern) => pattern.includes('*') && pattern !== '*');
    if (patterns.length > 0) {
      reasons.push(`entry #${i + 1} lists ${patterns.join(', ')}, which Google compares as a literal string, not a pattern`);
    }
    if (gcsOriginMatches(entry.origin ?? [], origin) && !gcsAllowsGet(entry.method ?? [])) {
      reasons.push(`entry #${i + 1} names the origin but allows only ${JSON.stringify(entry.method ?? [])}`);
    }
  });
  const what = entries.length === 0 ? 'The bucket has no CORS list' : `No entry of the bucket's ${entries.length} allows GET from ${origin}`;
  return fail(ID, `${what}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}. A browser on ${origin} cannot load the images.`,
    `Add this entry to the bucket's CORS list (--cors-file replaces the list, so keep your own entries in the file):\n` +
    `${JSON.stringify(segmentsGcsCorsRule([origin]))}\n` +
    `gcloud storage buckets update gs://${bucket} --cors-file=cors.json`, origin);
}
