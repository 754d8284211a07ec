/**
 * `gcs.cors` (per origin): Google answers a browser from the FIRST entry of the bucket's CORS list
 * whose origins and methods match the request (https://cloud.google.com/storage/docs/xml-api/put-bucket-cors:
 * "the first Cors configuration matching the Origin and Method of the request used to determine
 * any CORS response headers"). Origins are compared with the request's `Origin` literally (only
 * `"*"` means any origin: there is no subdomain wildcard), methods likewise (`"*"` is any method).
 * A preflight that names request headers (`Access-Control-Request-Headers: range`, which a suffix
 * or multi-range read sends) is answered only when that entry's `responseHeader` lists each of
 * them, or `"*"` (https://cloud.google.com/storage/docs/cross-origin, "preflighted requests").
 *
 * The check judges the two request kinds of the browser tier for each origin, as aws.cors does:
 * no request header (a GET, an `<img crossorigin>`, a plain range) must be answered, and so must a
 * preflight naming `range`: the vendor's entry allows every header (`responseHeader ["*"]`).
 */
import { segmentsGcsCorsRule } from 'segments-cloud-constructs';
import { CheckOutcome, couldNotRun, fail, pass } from '../report';
import { Read, isFailure, readFailureFix } from '../read';
import { RANGE_HEADER } from '../preflight-answer';

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

/** Whether an entry's `responseHeader` admits a header a preflight asks for: the name (any case), or `*`. */
export function gcsAllowsHeader(responseHeaders: readonly string[], header: string): boolean {
  return responseHeaders.some((allowed) => allowed === '*' || allowed.toLowerCase() === header.toLowerCase());
}

/** The index of the entry Google answers a GET from the origin with (the first matching origin and method), or -1. */
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

function corsFix(bucket: string, origin: string): string {
  return `Add this entry first in the bucket's CORS list (--cors-file replaces the list, so keep your own entries in the file):\n` +
    `${JSON.stringify(segmentsGcsCorsRule([origin]))}\n` +
    `gcloud storage buckets update gs://${bucket} --cors-file=cors.json`;
}

function checkOrigin(bucket: string, entries: readonly GcsCorsEntry[], origin: string): CheckOutcome {
  const found = gcsCorsEntryFor(entries, origin);
  if (found >= 0) {
    const headers = entries[found].responseHeader ?? [];
    if (!gcsAllowsHeader(headers, RANGE_HEADER)) {
      return fail(ID, `Entry #${found + 1} answers GETs from ${origin}, but its responseHeader ${JSON.stringify(headers)} does not list Range (or "*"): ` +
        'Google refuses a preflight that names it, so a suffix or multi-range read from the browser is refused (plain GETs load). ' +
        'Google answers with the first entry that matches origin and method, so a later entry cannot make up for it.', corsFix(bucket, origin), origin);
    }
    return pass(ID, `Entry #${found + 1} allows GET from ${origin}, with and without a preflight naming Range; responseHeader ${JSON.stringify(headers)}.`, origin);
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
    corsFix(bucket, origin), origin);
}
