/** A tiny HTTP server on 127.0.0.1 (free port) answering from a route table, for the SDK-edge tests. */
import * as http from 'http';
import { AddressInfo } from 'net';

export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** `METHOD /path` (query left out) to an answer; unknown routes are 404. */
export type Routes = Record<string, Answer | ((request: http.IncomingMessage) => Answer)>;

export interface LocalServer {
  readonly url: string;
  /** Every request as `METHOD /path?query`. */
  readonly requests: string[];
  /** Every request with its headers and body, in order. */
  readonly received: { readonly request: string; readonly headers: http.IncomingHttpHeaders; readonly body: string }[];
  routes: Routes;
  close(): Promise<void>;
}

export async function startLocalServer(routes: Routes = {}): Promise<LocalServer> {
  const requests: string[] = [];
  const received: LocalServer['received'][number][] = [];
  const state = { routes };
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ request: `${request.method} ${request.url}`, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const path = (request.url ?? '').split('?')[0];
      const route = state.routes[`${request.method} ${path}`];
      const answer = typeof route === 'function' ? route(request) : route ?? { status: 404, body: { error: { code: 404, message: 'Not Found' } } };
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    received,
    get routes() { return state.routes; },
    set routes(r: Routes) { state.routes = r; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
