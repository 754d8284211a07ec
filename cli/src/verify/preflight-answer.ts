/**
 * A browser's CORS preflights, as `verify gcs` and `verify azure` send them: `OPTIONS` with
 * `Origin` and `Access-Control-Request-Method: GET`, once naming no header and once naming `range`
 * (`Access-Control-Request-Headers: range`), the two kinds the browser tier (test/browser/matrix.ts)
 * saw a page send: a canvas load or a plain range sends the first, a suffix or multi-range the
 * second. The answers are judged here, once for every cloud: the browser goes on only when
 * `Access-Control-Allow-Origin` names the origin (or is `*`) and, for the second,
 * `Access-Control-Allow-Headers` names `range` (or is `*`).
 */
import { CheckOutcome, couldNotRun, fail, pass, warn } from './report';

/** What came back: the status and the headers (names lower-cased), or the error that stopped the request. */
export type PreflightAnswer =
  | { readonly status: number; readonly headers: Readonly<Record<string, string>> }
  | { readonly error: string };

/** The request header a suffix or multi-range request names in its preflight (lower case, as browsers send it). */
export const RANGE_HEADER = 'range';

/** The two preflights a page sends for an image: naming no header, and naming `range`. */
export const PREFLIGHT_KINDS = [
  { name: 'no request header', headers: [] as readonly string[] },
  { name: `Access-Control-Request-Headers: ${RANGE_HEADER}`, headers: [RANGE_HEADER] as readonly string[] },
] as const;

/** Sends one preflight with the global `fetch` (no SDK): the request a browser sends, without credentials. */
export async function sendPreflight(url: string, origin: string, requestHeaders: readonly string[] = [], timeoutMs = 10_000): Promise<PreflightAnswer> {
  try {
    const response = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        'Origin': origin,
        'Access-Control-Request-Method': 'GET',
        ...(requestHeaders.length > 0 ? { 'Access-Control-Request-Headers': requestHeaders.join(',') } : {}),
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { error: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}

/** Whether an answer lets the browser go on: Allow-Origin names the origin (or `*`), and Allow-Headers every requested header (or `*`). */
export function preflightAllows(answer: PreflightAnswer, origin: string, requestHeaders: readonly string[]): boolean {
  if ('error' in answer || answer.status < 200 || answer.status > 299) {
    return false;
  }
  const allowed = answer.headers['access-control-allow-origin'];
  if (allowed !== origin && allowed !== '*') {
    return false;
  }
  const allowedHeaders = (answer.headers['access-control-allow-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase());
  return requestHeaders.every((header) => allowedHeaders.includes('*') || allowedHeaders.includes(header.toLowerCase()));
}

function shown(answer: PreflightAnswer): string {
  if ('error' in answer) {
    return `no answer (${answer.error})`;
  }
  const origin = answer.headers['access-control-allow-origin'];
  const headers = answer.headers['access-control-allow-headers'];
  return `${answer.status} with ${origin === undefined ? 'no Access-Control-Allow-Origin' : `Access-Control-Allow-Origin: ${origin}`}` +
    `${headers === undefined ? '' : `, Access-Control-Allow-Headers: ${headers}`}`;
}

/**
 * The outcome of both preflights for one origin. `answers` are in the order of `PREFLIGHT_KINDS`.
 * A refused plain preflight is a `fail` (no image loads); a refused `range` preflight is
 * `rangeRefused` (`fail` where the vendor's rule allows every header, `warn` where it allows none).
 */
export function judgePreflights(id: string, url: string, origin: string, answers: readonly PreflightAnswer[], fix: string, rangeRefused: 'fail' | 'warn'): CheckOutcome {
  const [plain, range] = answers;
  const lost = answers.find((answer) => 'error' in answer);
  if (lost !== undefined) {
    return couldNotRun(id, `OPTIONS ${url} did not get an answer (${(lost as { error: string }).error}).`,
      'Run it where the storage endpoint is reachable, or skip this check with --offline.', origin);
  }
  const both = `OPTIONS ${url} from ${origin}: ${PREFLIGHT_KINDS[0].name} answered ${shown(plain)}; ${PREFLIGHT_KINDS[1].name} answered ${shown(range)}`;
  if (!preflightAllows(plain, origin, PREFLIGHT_KINDS[0].headers)) {
    return fail(id, `${both}. A browser on that page cannot load the image.`, fix, origin);
  }
  if (!preflightAllows(range, origin, PREFLIGHT_KINDS[1].headers)) {
    const what = `${both}. Images load, but a request whose preflight names Range (a suffix or multi-range read) is refused.`;
    return rangeRefused === 'fail' ? fail(id, what, fix, origin) : warn(id, what, fix, origin);
  }
  return pass(id, `${both}.`, origin);
}
