// Binds a node:net or node:http server to 127.0.0.1 only and hands back its port and a close()
// that also drops open connections, so tests can start and stop simulated miners cleanly.

import type { Server as HttpServer } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';

/** A server listening on loopback. */
export interface ServedEndpoint {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Stops listening and destroys open connections; resolves when closed. Idempotent. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0 = any free port); rejects with the bind error. */
export function listenLoopback(server: NetServer | HttpServer, port: number): Promise<ServedEndpoint> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      let closing: Promise<void> | null = null;
      resolve({
        host: '127.0.0.1',
        port: bound,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          });
          return closing;
        },
      });
    });
  });
}
