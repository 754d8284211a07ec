/**
 * The truth about one bucket, measured with real requests as Segments and its web app make them
 * (test/helpers/rgw.ts's gateway): whether Segments can read every object it must, and whether a
 * browser on each of Segments' page origins can load them. Nothing here reads a configuration or
 * asks our own code: only the server's answers count.
 *
 * For each key: a GET presigned as Segments' principal (RGW's tenant user, 24 hours as Segments
 * signs them) with no `Origin`, i.e. Segments' own read. For each origin, on the first key's
 * presigned URL, what the web app's browser sends (see test/browser/matrix.ts): the preflight
 * `OPTIONS` with `Origin` and `Access-Control-Request-Method: GET`, the same asking for the `Range`
 * header (`Access-Control-Request-Headers: range`), and the GET with `Origin`.
 */
import * as http from 'http';
import { asSegments, type Rgw } from './rgw';

/** One HTTP answer: the status, S3's error code, and the CORS headers. */
export interface Answer {
  readonly status: number;
  /** `<Code>` of S3's XML error body, when there is one. */
  readonly code?: string;
  readonly allowOrigin?: string;
  readonly allowMethods?: string;
  readonly allowHeaders?: string;
}

/** What a browser on one page origin got. */
export interface BrowserView {
  readonly origin: string;
  readonly preflight: Answer;
  readonly rangePreflight: Answer;
  readonly get: Answer;
}

/** The measured truth about a bucket. */
export interface Truth {
  /** Segments' GET of each key (no Origin). */
  readonly reads: readonly { readonly key: string; readonly answer: Answer }[];
  /** Per origin, what the browser got (on the first key). */
  readonly browser: readonly BrowserView[];
  /** The requests that did not work, each in a few words; empty when Segments and its web app can read everything. */
  readonly problems: readonly string[];
  /**
   * `none`: everything works; `access`: Segments' own GET of some key was refused; `browser`: every
   * GET worked, but a browser on some origin could not load the images (preflight or CORS headers).
   */
  readonly symptom: 'none' | 'access' | 'browser';
}

/** Sends one request; reads the status, the CORS headers and S3's error code. */
export function send(url: string, method: 'GET' | 'OPTIONS', headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk.length < 2000 ? chunk : ''; });
      response.on('end', () => {
        const header = (name: string) => {
          const value = response.headers[name];
          return Array.isArray(value) ? value.join(', ') : value;
        };
        const code = (response.statusCode ?? 0) >= 300 ? /<Code>([^<]*)<\/Code>/.exec(body)?.[1] : undefined;
        resolve({
          status: response.statusCode ?? 0,
          ...(code ? { code } : {}),
          ...(header('access-control-allow-origin') ? { allowOrigin: header('access-control-allow-origin') } : {}),
          ...(header('access-control-allow-methods') ? { allowMethods: header('access-control-allow-methods') } : {}),
          ...(header('access-control-allow-headers') ? { allowHeaders: header('access-control-allow-headers') } : {}),
        });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

const list = (value: string | undefined) => (value ?? '').split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);

/** Whether a CORS answer lets a page at `origin` read the response (the Fetch standard's CORS check). */
function originAllowed(answer: Answer, origin: string): boolean {
  return answer.allowOrigin === origin || answer.allowOrigin === '*';
}

/**
 * Why the browser refuses a preflight answer, or undefined when it accepts it (Fetch standard, "CORS-preflight
 * fetch": an ok status, the origin allowed, the method and each requested header allowed).
 */
export function preflightProblem(answer: Answer, origin: string, header?: string): string | undefined {
  if (answer.status < 200 || answer.status > 299) {
    return `answered ${answer.status}${answer.code ? ` ${answer.code}` : ''}`;
  }
  if (!originAllowed(answer, origin)) {
    return `Access-Control-Allow-Origin is ${answer.allowOrigin ?? 'missing'}`;
  }
  const methods = list(answer.allowMethods);
  if (!methods.includes('get') && !methods.includes('*')) {
    return `Access-Control-Allow-Methods is ${answer.allowMethods ?? 'missing'}`;
  }
  if (header !== undefined && !list(answer.allowHeaders).includes(header) && !list(answer.allowHeaders).includes('*')) {
    return `Access-Control-Allow-Headers is ${answer.allowHeaders ?? 'missing'}`;
  }
  return undefined;
}

/** Measures the truth for Segments' reads of `keys` in the owner's `bucket`, from each page origin. */
export async function measureTruth(rgw: Rgw, bucket: string, keys: readonly string[], origins: readonly string[]): Promise<Truth> {
  const url = (key: string) => rgw.presignGet(rgw.segmentsCredentials, asSegments(bucket), key);
  const reads = await Promise.all(keys.map(async (key) => ({ key, answer: await send(url(key), 'GET', {}) })));
  const first = url(keys[0]);
  const browser = await Promise.all(origins.map(async (origin): Promise<BrowserView> => {
    const ask = { Origin: origin, 'Access-Control-Request-Method': 'GET' };
    const [preflight, rangePreflight, get] = await Promise.all([
      send(first, 'OPTIONS', ask),
      send(first, 'OPTIONS', { ...ask, 'Access-Control-Request-Headers': 'range' }),
      send(first, 'GET', { Origin: origin }),
    ]);
    return { origin, preflight, rangePreflight, get };
  }));
  const refusedReads = reads.filter(({ answer }) => answer.status !== 200)
    .map(({ key, answer }) => `GET ${key}: ${answer.status}${answer.code ? ` ${answer.code}` : ''}`);
  const browserProblems = browser.flatMap(({ origin, preflight, rangePreflight, get }) => {
    const host = new URL(origin).host;
    const plain = preflightProblem(preflight, origin);
    const range = preflightProblem(rangePreflight, origin, 'range');
    return [
      ...(plain ? [`${host} preflight ${plain}`] : []),
      ...(range ? [`${host} preflight (Range) ${range}`] : []),
      ...(get.status === 200 && !originAllowed(get, origin) ? [`${host} GET without Access-Control-Allow-Origin`] : []),
    ];
  });
  const symptom = refusedReads.length > 0 ? 'access' : browserProblems.length > 0 ? 'browser' : 'none';
  return { reads, browser, problems: [...refusedReads, ...browserProblems], symptom };
}
