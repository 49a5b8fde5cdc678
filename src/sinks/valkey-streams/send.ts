// The writer's Valkey calls: one append script per partition for a round of entries (under a reply
// timeout), and the setup before a connection's first send (partition count, every rig's settings).

import type { ScaleKeys } from './keys.ts';
import type { StreamWriterOptions } from './options.ts';
import { APPEND_SCRIPT, parseAppendReply } from './script.ts';
import type { Outgoing } from './spool.ts';
import type { ScriptPort } from './types.ts';

/** What the server did with a round: entries added, and resends it skipped. */
export interface SendOutcome {
  readonly added: number;
  readonly skipped: number;
}

type SendOptions = Pick<StreamWriterOptions, 'collector_id' | 'stream_max_len' | 'command_timeout_ms'>;

/**
 * Sends `entries` (in seq order) as one script call per partition, all at once (node-redis pipelines
 * them), after `before` (the setup, when due). Rejects on a failure, an unexpected reply, or no reply
 * within `command_timeout_ms`; the entries are idempotent, so the caller resends them all.
 */
export async function sendEntries(
  port: ScriptPort,
  keys: ScaleKeys,
  o: SendOptions,
  entries: readonly Outgoing[],
  before: () => Promise<void>,
): Promise<SendOutcome> {
  const byPartition = new Map<number, Outgoing[]>();
  for (const e of entries) {
    const list = byPartition.get(e.p);
    if (list === undefined) byPartition.set(e.p, [e]);
    else list.push(e);
  }
  const work = async () => {
    await before();
    return await Promise.all(
      [...byPartition].map(([p, list]) => {
        const argv = [o.collector_id, String(o.stream_max_len)];
        for (const e of list) argv.push(String(e.seq), String(e.fields.length / 2), ...e.fields);
        return port.runScript(APPEND_SCRIPT, [keys.snapshots(p), keys.collectorSeq(p)], argv);
      }),
    );
  };
  let timer: NodeJS.Timeout | undefined;
  const pending = work();
  // Settled late (after the timeout) it is of no interest: the caller has resent or spooled.
  pending.catch(() => undefined);
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no reply in ${o.command_timeout_ms} ms`)),
        o.command_timeout_ms,
      );
    });
    const replies = await Promise.race([pending, timeout]);
    let added = 0;
    let skipped = 0;
    for (const r of replies) {
      const parsed = parseAppendReply(r);
      if (parsed === null) throw new Error(`unexpected reply ${JSON.stringify(r)}`);
      added += parsed.added;
      skipped += parsed.skipped;
    }
    return { added, skipped };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Agrees the partition count with Valkey (`SET NX`, then compare) and stores every rig settings JSON
 * (`configs`: hash → JSON). Idempotent. Rejects when Valkey holds another partition count.
 */
export async function setupPartitions(
  port: ScriptPort,
  keys: ScaleKeys,
  partitions: number,
  configs: ReadonlyMap<string, string>,
): Promise<void> {
  const n = String(partitions);
  await port.command(keys.partitions, ['SET', keys.partitions, n, 'NX']);
  const held = await port.command(keys.partitions, ['GET', keys.partitions]);
  if (held !== n)
    throw new Error(
      `Valkey holds ${String(held)} partitions (${keys.partitions}); this collector is set to ${n}`,
    );
  const pairs = [...configs].flat();
  if (pairs.length > 0) await port.command(keys.rigConfig, ['HSET', keys.rigConfig, ...pairs]);
}
