// A CGMiner-family TCP API (Antminer bmminer dialect) on 127.0.0.1 serving a simulated ASIC's live
// state: one JSON request per connection, a NUL-terminated JSON reply, then the server closes.

import { createServer, type Server, type Socket } from 'node:net';
import { RigtuneError } from '../../core/errors.ts';
import type { SimRig } from '../fleet.ts';
import { toCgminerJson } from './cgminer-format.ts';
import { errorReply, replyFor } from './cgminer-replies.ts';
import { listenLoopback, type ServedEndpoint } from './listen.ts';

/** Options of `serveCgminer`. */
export interface CgminerServeOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Reply time, epoch ms (default: the rig's simulation clock). */
  readonly nowMs?: () => number;
  /**
   * Firmware quirks to reproduce (spec §3.1): `missing-comma` writes `}{` between the STATS
   * objects as bmminer does. The trailing NUL is always sent.
   */
  readonly quirks?: readonly 'missing-comma'[];
  /** Idle time (ms) after which a connection that sent no complete request is closed (default 2000). */
  readonly idleTimeoutMs?: number;
  /** Called as each complete request arrives, before the reply reads the rig (e.g. `FleetPacer.sync`). */
  readonly onRequest?: () => void;
}

/** A served endpoint: its address and `close()`. */
export type CgminerEndpoint = ServedEndpoint;

const MAX_REQUEST_BYTES = 64 * 1024;

/** The request's command text: JSON `{"command": …}` or cgminer's plain `command|parameter` form. */
export function parseRequest(text: string): string | null {
  const t = text.replace(/\0+$/, '').trim();
  if (t.startsWith('{')) {
    try {
      const req = JSON.parse(t) as unknown;
      if (
        req !== null &&
        typeof req === 'object' &&
        typeof (req as { command?: unknown }).command === 'string'
      )
        return (req as { command: string }).command;
      return null;
    } catch {
      return null; // incomplete or malformed: the caller waits for more bytes or answers "Invalid JSON"
    }
  }
  if (t.length === 0) return null;
  return t.split('|')[0];
}

/**
 * Serves `rig` (an ASIC rig of the fleet) on 127.0.0.1 as an Antminer S19 running bmminer: `summary`,
 * `stats`, `devs`, `pools`, `version` (and `+`-joined reads). The state is read when the request
 * arrives, so stepping the fleet between requests changes the replies. Throws RT_CONFIG_INVALID for
 * a GPU rig.
 */
export async function serveCgminer(rig: SimRig, options: CgminerServeOptions = {}): Promise<CgminerEndpoint> {
  const asic = rig.asic;
  if (asic === null)
    throw new RigtuneError('RT_CONFIG_INVALID', `rig '${rig.name}' is not an ASIC miner`, { rig: rig.name });
  const nowMs = options.nowMs ?? (() => rig.clock.nowMs);
  const missingComma = options.quirks?.includes('missing-comma') ?? false;
  const idleMs = options.idleTimeoutMs ?? 2000;

  const answer = (socket: Socket, command: string | null) => {
    options.onRequest?.();
    const now = nowMs();
    const reply =
      command === null ? errorReply('invalidJson', now) : replyFor(command, { rig, asic, nowMs: now });
    let text = toCgminerJson(reply);
    if (missingComma) text = text.replace('},{"STATS":0', '}{"STATS":0');
    socket.end(`${text}\0`);
  };

  const server: Server = createServer((socket) => {
    let buffer = '';
    let done = false;
    socket.setEncoding('utf8');
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.on('error', () => socket.destroy()); // a client reset: nothing to answer
    socket.on('data', (chunk: string) => {
      if (done) return;
      buffer += chunk;
      const command = parseRequest(buffer);
      const complete = command !== null || buffer.length > MAX_REQUEST_BYTES || buffer.includes('\0');
      if (complete) {
        done = true;
        answer(socket, command);
      }
    });
    socket.on('end', () => {
      if (done) return;
      done = true;
      answer(socket, parseRequest(buffer));
    });
  });
  return listenLoopback(server, options.port ?? 0);
}
