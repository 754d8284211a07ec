/**
 * A browser's CORS preflight, as `verify gcs` and `verify azure` send it: `OPTIONS` with `Origin`
 * and `Access-Control-Request-Method: GET`. The answer is judged here, once for every cloud: the
 * browser goes on only when `Access-Control-Allow-Origin` names the origin (or is `*`).
 */
import { CheckOutcome, couldNotRun, fail, pass } from './report';

/** What came back: the status and the headers (names lower-cased), or the error that stopped the request. */
export type PreflightAnswer =
  | { readonly status: number; readonly headers: Readonly<Record<string, string>> }
  | { readonly error: string };

/** Sends the preflight with the global `fetch` (no SDK): the request a browser sends, without credentials. */
export async function sendPreflight(url: string, origin: string, timeoutMs = 10_000): Promise<PreflightAnswer> {
  try {
    const response = await fetch(url, {
      method: 'OPTIONS',
      headers: { 'Origin': origin, 'Access-Control-Request-Method': 'GET' },
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

/**
 * The outcome of one preflight. `fix` is what to change when the answer does not allow the origin
 * (the cloud's CORS command).
 */
export function judgePreflight(id: string, url: string, origin: string, answer: PreflightAnswer, fix: string): CheckOutcome {
  if ('error' in answer) {
    return couldNotRun(id, `OPTIONS ${url} did not get an answer (${answer.error}).`,
      'Run it where the storage endpoint is reachable, or skip this check with --offline.', origin);
  }
  const allowed = answer.headers['access-control-allow-origin'];
  if (allowed === origin || allowed === '*') {
    return pass(id, `OPTIONS ${url} answered ${answer.status} with Access-Control-Allow-Origin: ${allowed}.`, origin);
  }
  const got = allowed === undefined ? 'no Access-Control-Allow-Origin' : `Access-Control-Allow-Origin: ${allowed}`;
  return fail(id, `OPTIONS ${url} with Origin: ${origin} answered ${answer.status} with ${got}: a browser on that page cannot load the image.`, fix, origin);
}
