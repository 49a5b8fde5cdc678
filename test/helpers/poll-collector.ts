// A SourceContext for tests: a fixed clock, an abort signal the test controls, and arrays that collect
// what a source emits (snapshots, raw fields), so source tests assert on real poll output.

import type { Clock } from '../../src/core/clock.ts';
import type { Snapshot } from '../../src/core/snapshot.ts';
import type { SourceContext } from '../../src/core/source.ts';

export interface PollCollector extends SourceContext {
  readonly snapshots: Snapshot[];
  readonly raws: { device: string; field: string; value: string | number | boolean | null }[];
  readonly controller: AbortController;
  /** The snapshot of `device`; fails the test when absent. */
  device(device: string): Snapshot;
  /** The raw value of `field` for `device`, or undefined. */
  rawOf(device: string, field: string): string | number | boolean | null | undefined;
}

/** A collector whose clock always reads `nowMs` (epoch ms) and never sleeps. */
export function pollCollector(nowMs = 1_700_000_000_000): PollCollector {
  const snapshots: Snapshot[] = [];
  const raws: PollCollector['raws'] = [];
  const controller = new AbortController();
  const clock: Clock = { nowMs: () => nowMs, sleep: async () => {} };
  return {
    clock,
    signal: controller.signal,
    controller,
    snapshots,
    raws,
    emit: (s) => void snapshots.push(s),
    raw: (device, field, value) => void raws.push({ device, field, value }),
    device(device) {
      const s = snapshots.find((x) => x.device === device);
      if (s === undefined) throw new Error(`no snapshot for device ${device}`);
      return s;
    },
    rawOf: (device, field) => raws.find((r) => r.device === device && r.field === field)?.value,
  };
}
