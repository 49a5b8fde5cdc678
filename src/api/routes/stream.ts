// GET /api/stream: server-sent events of rig state updates and advice (and with include=readings each
// rig tick's raw readings), optionally for some rigs only: current states and advice first, then updates.

import type { FastifyInstance } from 'fastify';
import type { ControlRecord, RigState } from '../../core/sink.ts';
import { activeAdvice } from '../advice.ts';
import { parseListParam, type Query, rejectUnknownParams, singleParam } from '../params.ts';
import type { StreamHub } from '../stream-hub.ts';
import type { ApiDeps } from '../types.ts';

/** Reconnection delay suggested to clients (the SSE `retry:` field), ms. */
export const SSE_RETRY_MS = 3000;
/** Events a client may ask for besides states and advice (`include=`). */
const STREAM_EXTRAS = ['readings'] as const;

export function streamRoute(app: FastifyInstance, deps: ApiDeps, hub: StreamHub): void {
  app.get('/api/stream', { exposeHeadRoute: false }, async (request, reply) => {
    const query = request.query as Query;
    rejectUnknownParams(query, ['rig', 'include']);
    const rigs = parseListParam('rig', singleParam(query, 'rig'), null);
    const include = parseListParam('include', singleParam(query, 'include'), STREAM_EXTRAS) ?? [];
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
    let subscriptions: Array<() => void> = [];
    const unsubscribe = (): void => {
      for (const off of subscriptions) off(); // once: the contract does not promise an idempotent unsubscribe
      subscriptions = [];
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
    const onControl = (record: ControlRecord): void => {
      if (record.kind === 'advice' && (wanted === null || wanted.has(record.rig))) stream.pushAdvice(record);
    };
    const known = new Set(deps.state.rigs());
    for (const rig of known) {
      const state = deps.state.latest(rig);
      if (state !== null) onState(state);
    }
    // Advice may exist for a configured rig before its first state (a device stale from the start).
    for (const r of deps.configured?.() ?? []) known.add(r.rig);
    for (const rig of [...known].sort())
      if (wanted === null || wanted.has(rig)) for (const a of activeAdvice(deps, rig)) stream.pushAdvice(a);
    subscriptions.push(deps.state.subscribe(onState));
    // Readings go live only (the newest ones are in GET /api/fleet): one event per rig tick.
    const live = include.includes('readings') ? deps.readings?.subscribe : undefined;
    if (live !== undefined)
      subscriptions.push(
        live.call(deps.readings, (r) => {
          if (wanted === null || wanted.has(r.rig)) stream.pushReadings(r);
        }),
      );
    if (deps.subscribeControl !== undefined) subscriptions.push(deps.subscribeControl(onControl));
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
