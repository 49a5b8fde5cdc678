// Writes what a worker scored from one read of a partition to the single-process keys: each rig's latest
// state (set-if-newer, published), its snapshot and event stream entries under ids derived from the
// partition entry ids, and its advice records (the sink's advice script, keys of one slot): writing the
// same results again changes nothing.

import type { RuptureEvent } from '../../core/scores.ts';
import type { RigState } from '../../core/sink.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { adviceItem, controlJson, keyNames, parseApplyReply } from '../../sinks/valkey/index.ts';
import { adviceKeysOf } from './advice-keys.ts';
import type { AdviceOut } from './rig-advisor.ts';
import { ADVICE_SCRIPT, LAST_SCRIPT } from './scripts.ts';
import type { ValkeyPort } from './valkey-client.ts';

/**
 * One rig's results of a read: its state after each entry (each stored and published in order, as
 * `rigtune run` publishes every tick, so a subscriber — the site's auto-tune rupture guard — sees a meso
 * tick even when a backlog is read at once), and the stream records with their ids.
 */
export interface RigOutput {
  readonly states: RigState[];
  readonly snapshots: Array<{ readonly id: string; readonly snapshot: Snapshot }>;
  readonly events: Array<{ readonly id: string; readonly event: RuptureEvent }>;
  /** Advice records in emission order (applied one after another: the script keeps version order). */
  readonly advice: AdviceOut[];
}

export interface WriteOutcome {
  /** Rig states stored (and published). */
  readonly stored: number;
  /** Stream records added. */
  readonly added: number;
  /** Stream records the server already had (results written again after a takeover). */
  readonly duplicates: number;
  /** Advice records applied (and published). */
  readonly adviceApplied: number;
  /** Advice records refused as not newer than the rig's (applied before a takeover). */
  readonly adviceSkipped: number;
}

/** `RigState` JSON with `ts` first, exactly as the Valkey sink writes it (`{"ts","schema","rig","devices"}`). */
export function stateJson(s: RigState): string {
  return JSON.stringify({ ts: s.ts, schema: s.schema, rig: s.rig, devices: s.devices });
}

function isDuplicate(err: unknown): boolean {
  return err instanceof Error && err.message.includes('equal or smaller');
}

/**
 * Writes every rig's results (all commands at once: node-redis pipelines them). Rejects with the first
 * failure other than a duplicate entry; everything is idempotent, so the caller simply writes again.
 */
export async function writeResults(
  port: ValkeyPort,
  prefix: string,
  maxLen: number,
  outputs: ReadonlyMap<string, RigOutput>,
): Promise<WriteOutcome> {
  const calls: Array<Promise<'stored' | 'kept' | 'added' | 'applied' | 'refused'>> = [];
  for (const [rig, out] of outputs) {
    const k = keyNames(prefix, rig);
    for (const state of out.states)
      calls.push(
        port
          .runScript(LAST_SCRIPT, [k.last], [String(state.ts), stateJson(state), k.score])
          .then((r) => (r === 1 ? 'stored' : 'kept')),
      );
    const xadd = (key: string, id: string, fields: string[]) =>
      port
        .command(key, ['XADD', key, 'MAXLEN', '~', String(maxLen), id, ...fields])
        .then(() => 'added' as const);
    for (const { id, snapshot: s } of out.snapshots)
      calls.push(
        xadd(k.snapshots, id, ['ts', String(s.ts), 'device', s.device, 'snapshot', JSON.stringify(s)]),
      );
    for (const { id, event: e } of out.events)
      calls.push(
        xadd(k.events, id, [
          'ts',
          String(e.ts_detected),
          'device',
          e.device,
          'class',
          e.class,
          'event',
          JSON.stringify(e),
        ]),
      );
    if (out.advice.length > 0) calls.push(...applyAdvice(port, prefix, rig, out.advice));
  }
  const settled = await Promise.allSettled(calls);
  let stored = 0;
  let added = 0;
  let duplicates = 0;
  let adviceApplied = 0;
  let adviceSkipped = 0;
  for (const s of settled) {
    if (s.status === 'fulfilled') {
      if (s.value === 'stored') stored++;
      else if (s.value === 'added') added++;
      else if (s.value === 'applied') adviceApplied++;
      else if (s.value === 'refused') adviceSkipped++;
    } else if (isDuplicate(s.reason)) duplicates++;
    else throw s.reason;
  }
  return { stored, added, duplicates, adviceApplied, adviceSkipped };
}

/**
 * A rig's advice records, each applied only after the one before it (the script refuses a version
 * not newer than the rig's, so order matters). One promise per record; a failure fails the rest.
 */
function applyAdvice(
  port: ValkeyPort,
  prefix: string,
  rig: string,
  advice: readonly AdviceOut[],
): Array<Promise<'applied' | 'refused'>> {
  const keys = adviceKeysOf(prefix, rig);
  let chain: Promise<unknown> = Promise.resolve();
  return advice.map(({ record, version }) => {
    const item = adviceItem(keys, version, controlJson(record), record.payload, record.ts);
    const done = chain.then(async () => {
      const r = parseApplyReply(await port.runScript(ADVICE_SCRIPT, item.keys, item.argv));
      if (r === null) throw new Error('unexpected advice script reply');
      if (r.error !== null) throw new Error(r.error);
      return r.set ? ('applied' as const) : ('refused' as const);
    });
    chain = done;
    return done;
  });
}
