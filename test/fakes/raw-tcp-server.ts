// A bare TCP server on 127.0.0.1 port 0 whose connection handler is the test's script: the base of
// the fake stratum pool and of "not HTTP at all" replies. close() also drops connections left open.

import { createServer, type Server, type Socket } from 'node:net';

/** A listening fake server. */
export interface RawTcpServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

/** Starts a TCP server that hands each accepted socket to `onConnection`. */
export async function startRawTcpServer(onConnection: (socket: Socket) => void): Promise<RawTcpServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {
      // The client may reset on purpose (that is what several tests check); nothing to do here.
    });
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    host: '127.0.0.1',
    port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released): connections are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
