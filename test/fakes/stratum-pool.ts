// A fake stratum v1 pool on 127.0.0.1 port 0 for the latency probe tests: it records every line a
// client sends and answers mining.subscribe in the way the test asks (or not at all).

import { type RawTcpServer, startRawTcpServer } from './raw-tcp-server.ts';

/** How the fake pool answers a subscribe. */
export type PoolBehavior =
  /** Replies `{"id":<id>,"result":[[…],"extranonce1",4],"error":null}`. */
  | 'reply'
  /** Sends two notifications first, then the reply. */
  | 'notify-then-reply'
  /** Replies with an error (`[20,"Other/Unknown",null]`). */
  | 'error-reply'
  /** Reads and never answers. */
  | 'silent'
  /** Answers with a line that is not JSON. */
  | 'garbage'
  /** Closes the connection on the first line. */
  | 'close'
  /** Sends a partial line, then closes. */
  | 'truncate';

export interface FakeStratumPool extends RawTcpServer {
  /** Every line received from clients, in order. */
  readonly lines: string[];
}

function answer(behavior: PoolBehavior, id: unknown): string | null {
  const reply = {
    id,
    result: [[['mining.notify', 'ae6812eb4cd7735a302a8a9dd95cf71f']], '08000002', 4],
    error: null,
  };
  switch (behavior) {
    case 'reply':
      return `${JSON.stringify(reply)}\n`;
    case 'notify-then-reply':
      return [
        JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [65536] }),
        JSON.stringify({ id: 7, result: true, error: null }),
        JSON.stringify(reply),
        '',
      ].join('\n');
    case 'error-reply':
      return `${JSON.stringify({ id, result: null, error: [20, 'Other/Unknown', null] })}\n`;
    case 'garbage':
      return 'HTTP/1.1 400 Bad Request\r\n\r\n';
    case 'truncate':
      return '{"id":1,"result":[';
    default:
      return null;
  }
}

/** Starts a fake pool with the given behaviour. */
export async function startFakeStratumPool(behavior: PoolBehavior): Promise<FakeStratumPool> {
  const lines: string[] = [];
  const server = await startRawTcpServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        lines.push(line);
        if (behavior === 'close') {
          socket.destroy();
          return;
        }
        let id: unknown = null;
        try {
          id = (JSON.parse(line) as { id?: unknown }).id;
        } catch {
          // A client sending garbage gets garbage back; the probe never does.
        }
        const text = answer(behavior, id);
        if (text !== null) socket.write(text);
        if (behavior === 'truncate') socket.end();
      }
    });
  });
  return { ...server, lines };
}
