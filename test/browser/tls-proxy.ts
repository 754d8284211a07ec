/**
 * A TLS pass-through in front of plain-HTTP servers: it terminates TLS with one certificate and
 * pipes the decrypted bytes to the server named by the client's SNI host name. It never parses
 * HTTP, so what the browser sends (Host, Origin, preflights) is what the storage server judges.
 * Listens on 127.0.0.1 on a free port; the browser reaches it through `--host-resolver-rules`.
 */
import * as net from 'net';
import * as tls from 'tls';
import type { Certificate } from './certificate';

/** A running TLS proxy. */
export interface TlsProxy {
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /** Stops listening and closes every open connection. */
  readonly close: () => Promise<void>;
}

/** Starts the proxy; `routes` maps each SNI host name to a port on 127.0.0.1. */
export async function startTlsProxy(certificate: Certificate, routes: ReadonlyMap<string, number>): Promise<TlsProxy> {
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  };
  const server = tls.createServer({ key: certificate.key, cert: certificate.cert, ALPNProtocols: ['http/1.1'] }, (client) => {
    track(client);
    const port = routes.get((client.servername || '').toLowerCase());
    if (port === undefined) {
      client.destroy();
      return;
    }
    const upstream = net.connect(port, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
  });
  // A handshake the browser aborts is not a test failure; the request it belonged to reports that.
  server.on('tlsClientError', () => undefined);
  server.on('connection', track);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of open) {
        socket.destroy();
      }
      server.close(() => resolve());
    }),
  };
}
