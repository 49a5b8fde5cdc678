// GET /api/stream: server-sent events of rig state updates, optionally for some rigs only. Each client
// first gets the current state of its rigs, then every update; a slow one gets the newest per rig.

import type { FastifyInstance } from 'fastify';
import type { RigState } from '../../core/sink.ts';
import { parseListParam, type Query, rejectUnknownParams, singleParam } from '../params.ts';
import type { StreamHub } from '../stream-hub.ts';
import type { ApiDeps } from '../types.ts';

/** Reconnection delay suggested to clients (the SSE `retry:` field), ms. */
export const SSE_RETRY_MS = 3000;

export function streamRoute(app: FastifyInstance, deps: ApiDeps, hub: StreamHub): void {
  app.get('/api/stream', { exposeHeadRoute: false }, async (request, reply) => {
    const query = request.query as Query;
    rejectUnknownParams(query, ['rig']);
    const rigs = parseListParam('rig', singleParam(query, 'rig'), null);
    const wanted = rigs === null ? null : new Set(rigs);
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: do not buffer the stream
    });
    res.write(`retry: ${SSE_RETRY_MS}\n\n`);
    let subscription: (() => void) | null = null;
    const unsubscribe = (): void => {
      subscription?.(); // once: the contract does not promise an idempotent unsubscribe
      subscription = null;
    };
    const { stream, remove } = hub.open({
      // Ended or destroyed: a state published before 'close' fires is dropped, not written after end.
      write: (chunk) => res.writableEnded || res.destroyed || res.write(chunk),
      end: () => {
        unsubscribe();
        res.end();
      },
    });
    const onState = (state: RigState): void => {
      if (wanted === null || wanted.has(state.rig)) stream.push(state);
    };
    for (const rig of deps.state.rigs()) {
      const state = deps.state.latest(rig);
      if (state !== null) onState(state);
    }
    subscription = deps.state.subscribe(onState);
    res.on('drain', () => stream.drain());
    // A client that goes away mid-write surfaces here and then as 'close', which cleans up.
    res.on('error', () => {});
    res.once('close', () => {
      unsubscribe();
      remove();
    });
    return reply;
  });
}
