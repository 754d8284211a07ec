/**
 * A local stand-in for what Google answers, written from Google's docs (no Google server runs
 * here): each behaviour cites the page it follows.
 */
import type * as http from 'http';
import type { GcsCorsEntry } from '../../src/verify/gcs/cors';
import type { Answer } from './local-server';

/**
 * Cloud Storage's answer to a CORS preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`), from the bucket's CORS list:
 * - https://cloud.google.com/storage/docs/xml-api/put-bucket-cors: "the first Cors configuration
 *   matching the Origin and Method of the request used to determine any CORS response headers";
 *   `"*"` in origins or methods means any.
 * - https://cloud.google.com/storage/docs/cross-origin (preflighted requests): the headers in
 *   `Access-Control-Request-Headers` must be among the entry's `responseHeader` (or `"*"`), else
 *   the answer carries no CORS headers and the browser refuses.
 * Origins are compared literally (no subdomain pattern).
 */
export function googlePreflight(entries: readonly GcsCorsEntry[]): (request: http.IncomingMessage) => Answer {
  return (request) => {
    const origin = String(request.headers.origin ?? '');
    const method = String(request.headers['access-control-request-method'] ?? '');
    const requested = String(request.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
    const entry = entries.find((e) => (e.origin ?? []).some((o) => o === '*' || o === origin) && (e.method ?? []).some((m) => m === '*' || m === method));
    if (entry === undefined) {
      return { status: 200 };
    }
    const allowed = (entry.responseHeader ?? []).map((h) => h.toLowerCase());
    if (!requested.every((h) => allowed.includes('*') || allowed.includes(h))) {
      return { status: 200 };
    }
    return {
      status: 200,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': method,
        ...(requested.length > 0 ? { 'access-control-allow-headers': requested.join(',') } : {}),
        ...(entry.maxAgeSeconds !== undefined ? { 'access-control-max-age': String(entry.maxAgeSeconds) } : {}),
      },
    };
  };
}
