// A protocol-accurate fake cgminer-family API on 127.0.0.1 port 0: one request per connection, the
// reply's raw bytes (quirks kept) NUL-terminated like real firmware, then close — or misbehaviour on cue.

import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';

/** What the server does for one request. */
export type CgminerBehaviour =
  /** Sends `body` (raw bytes kept), then a NUL unless `nul: false`, then closes. */
  | { readonly kind: 'reply'; readonly body: string | Uint8Array; readonly nul?: boolean }
  /** Reads the request and never answers (the client's timeout must fire). */
  | { readonly kind: 'hang' }
  /** Sends binary garbage, then closes. */
  | { readonly kind: 'garbage' }
  /** Sends an HTML error page, then closes. */
  | { readonly kind: 'html' }
  /** Sends the first half of `body`, then closes cleanly (FIN). */
  | { readonly kind: 'truncate'; readonly body: string | Uint8Array }
  /** Sends the first half of `body`, then resets the connection (RST). */
  | { readonly kind: 'reset'; readonly body: string | Uint8Array }
  /** Closes without sending anything (cgminer's answer to a host not in `api-allow`). */
  | { readonly kind: 'close' }
  /** Replies with `body` once `until` resolves (for one-connection-at-a-time tests). */
  | { readonly kind: 'gate'; readonly body: string | Uint8Array; readonly until: Promise<void> };

/** One request the server received. */
export interface FakeRequest {
  /** The request bytes as text. */
  readonly raw: string;
  /** `command` of a JSON request, or the part before `|` of a text request. */
  readonly command: string;
  readonly parameter: string | null;
  readonly json: boolean;
}

export interface FakeCgminer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly requests: readonly FakeRequest[];
  /** Connections accepted so far. */
  connections(): number;
  /** Most requests accepted but not yet answered at any one time. */
  maxInFlight(): number;
  /** Sets what `command` does from now on. */
  set(command: string, behaviour: CgminerBehaviour): void;
  /** Queues behaviours used once each, before the standing one (e.g. reset, reset, then reply). */
  script(command: string, behaviours: readonly CgminerBehaviour[]): void;
  /** Stops listening and destroys open connections (hung ones included). */
  close(): Promise<void>;
}

/** Options of the fake. */
export interface FakeCgminerOptions {
  /** Answers `a+b` commands by joining the parts' reply bytes, as cgminer does; else STATUS E. Default true. */
  readonly multi?: boolean;
  /** `Description` in generated error replies. */
  readonly description?: string;
  /** Called with each request as it arrives (event-driven waits in tests). */
  readonly onRequest?: (request: FakeRequest) => void;
}

/** Every `<command>.json` of a fixture folder, as raw bytes keyed by command. */
export function fixtureReplies(folder: URL): Record<string, CgminerBehaviour> {
  const out: Record<string, CgminerBehaviour> = {};
  for (const name of readdirSync(folder)) {
    if (!name.endsWith('.json')) continue;
    out[name.slice(0, -5)] = { kind: 'reply', body: new Uint8Array(readFileSync(new URL(name, folder))) };
  }
  return out;
}

function bytesOf(body: string | Uint8Array): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
}

function errorReply(msg: string, code: number, description: string): Buffer {
  const status = { STATUS: 'E', When: 1700000000, Code: code, Msg: msg, Description: description };
  return Buffer.from(`${JSON.stringify({ STATUS: [status], id: 1 })}\0`);
}

function parseRequest(raw: string): FakeRequest | null {
  const text = raw.trim();
  if (text.startsWith('{')) {
    try {
      const r = JSON.parse(text) as { command?: unknown; parameter?: unknown };
      const parameter = r.parameter === undefined ? null : String(r.parameter);
      return { raw, command: String(r.command ?? ''), parameter, json: true };
    } catch {
      return null; // incomplete: wait for more bytes
    }
  }
  if (text === '') return null;
  const bar = text.indexOf('|');
  const command = bar < 0 ? text : text.slice(0, bar);
  return { raw, command, parameter: bar < 0 ? null : text.slice(bar + 1), json: false };
}

/** Starts a fake miner serving `replies` (command → behaviour). */
export async function startCgminerServer(
  replies: Record<string, CgminerBehaviour>,
  options: FakeCgminerOptions = {},
): Promise<FakeCgminer> {
  const standing = new Map<string, CgminerBehaviour>(Object.entries(replies));
  const scripts = new Map<string, CgminerBehaviour[]>();
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const description = options.description ?? 'cgminer 4.9.0';
  let accepted = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const behaviourOf = (command: string): CgminerBehaviour | undefined => {
    const queued = scripts.get(command);
    if (queued !== undefined && queued.length > 0) return queued.shift();
    return standing.get(command);
  };

  function respond(socket: Socket, request: FakeRequest, done: () => void): void {
    const send = (bytes: Buffer) => {
      done();
      socket.end(bytes);
    };
    if (request.command.includes('+')) {
      const parts = request.command.split('+');
      const found = parts.map((p) => standing.get(p));
      if (options.multi === false || found.some((b) => b?.kind !== 'reply')) {
        send(errorReply('Invalid command', 14, description));
        return;
      }
      const pieces = parts.map((p, i) => {
        const body = found[i] as Extract<CgminerBehaviour, { kind: 'reply' }>;
        return Buffer.concat([Buffer.from(`"${p}":[`), bytesOf(body.body), Buffer.from(']')]);
      });
      const joined = pieces.flatMap((piece, i) => (i === 0 ? [piece] : [Buffer.from(','), piece]));
      send(Buffer.concat([Buffer.from('{'), ...joined, Buffer.from(',"id":1}\0')]));
      return;
    }
    const b = behaviourOf(request.command);
    if (b === undefined) {
      send(errorReply('Invalid command', 14, description));
      return;
    }
    switch (b.kind) {
      case 'reply':
        send(Buffer.concat([bytesOf(b.body), Buffer.from(b.nul === false ? '' : '\0')]));
        return;
      case 'hang':
        return;
      case 'garbage':
        send(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0xff]));
        return;
      case 'html':
        send(Buffer.from('<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n'));
        return;
      case 'truncate': {
        const bytes = bytesOf(b.body);
        send(bytes.subarray(0, Math.floor(bytes.length / 2)));
        return;
      }
      case 'reset': {
        const bytes = bytesOf(b.body);
        done();
        socket.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => socket.resetAndDestroy());
        return;
      }
      case 'close':
        done();
        socket.end();
        return;
      case 'gate':
        b.until.then(() => send(Buffer.concat([bytesOf(b.body), Buffer.from('\0')])));
        return;
    }
  }

  const server: Server = createServer((socket) => {
    accepted += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    sockets.add(socket);
    let answered = false;
    const done = () => {
      if (answered) return;
      answered = true;
      inFlight -= 1;
    };
    let raw = '';
    let handled = false;
    socket.on('data', (chunk: Buffer) => {
      if (handled) return;
      raw += chunk.toString('utf8');
      const request = parseRequest(raw);
      if (request === null) return;
      handled = true;
      requests.push(request);
      options.onRequest?.(request);
      respond(socket, request, done);
    });
    socket.on('close', () => {
      done();
      sockets.delete(socket);
    });
    socket.on('error', () => {
      // Clients time out and reset on purpose in these tests; the close handler does the bookkeeping.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    host: '127.0.0.1',
    port,
    requests,
    connections: () => accepted,
    maxInFlight: () => maxInFlight,
    set: (command, behaviour) => void standing.set(command, behaviour),
    script: (command, behaviours) => void scripts.set(command, [...behaviours]),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
