// A fake GPU-miner HTTP API on 127.0.0.1 port 0, shared by the miner sources and the http-json client
// tests: serves fixture files per path, or misbehaves on purpose (hang, stalled body, reset, HTML).

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What the server does for one path. */
export type FakeRoute =
  | { readonly kind: 'json'; readonly body: unknown; readonly status?: number }
  | {
      readonly kind: 'text';
      readonly body: string | Uint8Array;
      readonly status?: number;
      readonly contentType?: string;
    }
  /** Accepts the request and never answers. */
  | { readonly kind: 'hang' }
  /** Sends the headers (declaring `declaredBytes`) and `head` of the body, then never finishes. */
  | { readonly kind: 'stall-body'; readonly head: string; readonly declaredBytes: number }
  /** Sends the headers and `head` of the body, then resets the connection. */
  | { readonly kind: 'reset'; readonly head: string }
  | { readonly kind: 'handler'; readonly handle: (req: IncomingMessage, res: ServerResponse) => void };

/** One request the server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly requests: readonly RecordedRequest[];
  /** Sets (or replaces) what a path serves; unknown paths get a 404 text page. */
  route(path: string, route: FakeRoute): void;
  /** Stops listening and destroys open connections (hung ones included). */
  close(): Promise<void>;
}

/** A route serving a fixture file's bytes as JSON (`application/json`), read once. */
export function fixtureRoute(file: URL, status = 200): FakeRoute {
  return { kind: 'text', body: readFileSync(file), status, contentType: 'application/json' };
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Uint8Array): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(length) }).end(body);
}

function serve(route: FakeRoute | undefined, req: IncomingMessage, res: ServerResponse): void {
  if (route === undefined) {
    send(res, 404, 'text/plain', 'Not Found');
    return;
  }
  switch (route.kind) {
    case 'json':
      send(res, route.status ?? 200, 'application/json', JSON.stringify(route.body));
      return;
    case 'text':
      send(res, route.status ?? 200, route.contentType ?? 'text/plain', route.body);
      return;
    case 'hang':
      return;
    case 'stall-body':
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': String(route.declaredBytes),
      });
      res.write(route.head);
      return;
    case 'reset':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100000' });
      res.write(route.head, () => req.socket.resetAndDestroy());
      return;
    case 'handler':
      route.handle(req, res);
      return;
  }
}

/** Starts the fake server with the given routes (path → route; the query string is ignored). */
export async function startFakeHttpServer(routes: Record<string, FakeRoute> = {}): Promise<FakeHttpServer> {
  const table = new Map(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    serve(table.get(path), req, res);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    route: (path, route) => void table.set(path, route),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
