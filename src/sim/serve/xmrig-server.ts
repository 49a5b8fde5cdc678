// An XMRig-style HTTP API on 127.0.0.1 for a simulated GPU rig: GET /2/summary and /2/backends (and
// /1/summary, same body), optional Bearer token, JSON errors, live state read per request.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { RigtuneError } from '../../core/errors.ts';
import type { SimRig } from '../fleet.ts';
import { listenLoopback, type ServedEndpoint } from './listen.ts';
import { xmrigBackends, xmrigSummary } from './xmrig-replies.ts';

/** Options of `serveXmrig`. */
export interface XmrigServeOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Reply time, epoch ms (default: the rig's simulation clock). */
  readonly nowMs?: () => number;
  /** When set, requests need `Authorization: Bearer <token>` (401 otherwise), as XMRig's access-token. */
  readonly accessToken?: string;
  /**
   * Called as each request arrives, before the reply reads the rig (e.g. `FleetPacer.sync` to step
   * the fleet up to the wall clock): real XMRig reads NVML health afresh for every API request.
   */
  readonly onRequest?: () => void;
}

export type XmrigEndpoint = ServedEndpoint;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Serves `rig` (a GPU rig of the fleet) on 127.0.0.1 as an XMRig miner with the CUDA backend.
 * Throws RT_CONFIG_INVALID for an ASIC rig.
 */
export async function serveXmrig(rig: SimRig, options: XmrigServeOptions = {}): Promise<XmrigEndpoint> {
  if (rig.type !== 'gpu')
    throw new RigtuneError('RT_CONFIG_INVALID', `rig '${rig.name}' is not a GPU rig`, { rig: rig.name });
  const nowMs = options.nowMs ?? (() => rig.clock.nowMs);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (options.accessToken !== undefined && req.headers.authorization !== `Bearer ${options.accessToken}`) {
      send(res, 401, { status: 401, error: 'Unauthorized' });
      return;
    }
    if (req.method !== 'GET') {
      send(res, 405, { status: 405, error: 'Method Not Allowed' });
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    options.onRequest?.();
    if (path === '/2/summary' || path === '/1/summary') send(res, 200, xmrigSummary(rig, nowMs()));
    else if (path === '/2/backends' || path === '/1/backends') send(res, 200, xmrigBackends(rig, nowMs()));
    else send(res, 404, { status: 404, error: 'Not Found' });
  });
  server.keepAliveTimeout = 1000;
  return listenLoopback(server, options.port ?? 0);
}
