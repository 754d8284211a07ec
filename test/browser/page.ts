/**
 * The page that stands for Segments' labeling UI, and the plain-HTTP server that serves it to every
 * host name (behind the TLS proxy it is `https://app.segments.ai/`, `https://segments.ai/` and
 * `https://evil.example/`). Its script defines `probe(kind, url, headers)`, which makes one
 * cross-origin request the way a viewer does and reports what the browser let the page see.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

/** The kinds of request the matrix makes, in the order of the table in the docs. */
export const REQUEST_KINDS = ['img-canvas', 'fetch', 'range', 'suffix-range', 'custom-header', 'put'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** The headers each kind sends besides the browser's own (the PUT's are the storage's and come from the caller). */
export const KIND_HEADERS: Readonly<Record<Exclude<RequestKind, 'put'>, Readonly<Record<string, string>>>> = {
  'img-canvas': {},
  fetch: {},
  // A single range `bytes=N-M` is a CORS-safelisted request header: no preflight.
  range: { Range: 'bytes=0-99' },
  // A suffix range is not safelisted: the browser sends a preflight naming `range`.
  'suffix-range': { Range: 'bytes=-100' },
  // Any header of the viewer's own: a preflight naming it.
  'custom-header': { 'X-Segments-Viewer': 'browser-tier' },
};

/** What the page saw: the response (status, body), the pixel read back from a canvas, or a refusal. */
export type ProbeResult =
  | { readonly outcome: 'response'; readonly status: number; readonly body: string }
  | { readonly outcome: 'pixel'; readonly rgba: readonly number[] }
  | { readonly outcome: 'refused'; readonly message: string };

/** The page's script, plain JavaScript (the test's TypeScript has no DOM types). */
const PROBE_SCRIPT = String.raw`
function base64(buffer) {
  let text = '';
  for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
  return btoa(text);
}
// img with crossorigin="anonymous", drawn to a canvas and read back: what a labeling viewer does.
function imageToCanvas(url) {
  return new Promise((resolve) => {
    const image = new Image();
    image.crossOrigin = 'anonymous';
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      try {
        resolve({ outcome: 'pixel', rgba: Array.from(context.getImageData(1, 2, 1, 1).data) });
      } catch (error) {
        resolve({ outcome: 'refused', message: 'getImageData: ' + error.message });
      }
    };
    image.onerror = () => resolve({ outcome: 'refused', message: 'img error event' });
    image.src = url;
  });
}
window.probe = async (kind, url, headers, body) => {
  if (kind === 'img-canvas') return imageToCanvas(url);
  try {
    const init = { method: body === undefined ? 'GET' : 'PUT', headers, mode: 'cors', credentials: 'omit' };
    if (body !== undefined) init.body = body;
    const response = await fetch(url, init);
    return { outcome: 'response', status: response.status, body: base64(await response.arrayBuffer()) };
  } catch (error) {
    return { outcome: 'refused', message: String(error) };
  }
};
`;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>viewer</title><script>${PROBE_SCRIPT}</script></head><body></body></html>`;

/** A running page server. */
export interface PageServer {
  readonly port: number;
  readonly close: () => Promise<void>;
}

/** Serves the page at `/` (and 404 elsewhere, e.g. the browser's favicon request) on 127.0.0.1. */
export async function startPageServer(): Promise<PageServer> {
  const server = http.createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(PAGE);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
