// What changed between two configurations, so a SIGHUP reload restarts only what it must: rigs
// added, removed or changed (and in which part), and whether sinks, HTTP or sampling changed.

import type { Config, RigConfig } from './types.ts';

/** Parts of a rig that can change independently (labels alone need no restart of anything). */
export type RigPart =
  | 'sources'
  | 'scorer'
  | 'labels'
  | 'autotune'
  | 'autotuneOptions'
  | 'optimizerOptions'
  | 'actuator'
  | 'advisory';
export type SinkName = 'valkey' | 'prometheus' | 'parquet' | 'audit';

export interface RigChange {
  readonly name: string;
  readonly parts: readonly RigPart[];
}

export interface ConfigDiff {
  /** Rig names in the new file's order. */
  readonly rigsAdded: readonly string[];
  /** Rig names in the old file's order. */
  readonly rigsRemoved: readonly string[];
  readonly rigsChanged: readonly RigChange[];
  readonly sinksChanged: readonly SinkName[];
  readonly httpChanged: boolean;
  readonly samplingChanged: boolean;
  readonly dataDirChanged: boolean;
  /** Something under `control:` changed (journal place, API token, kill switch). */
  readonly controlChanged: boolean;
  /**
   * `defaults:` scorer thresholds changed (rigs that inherit the change are also in rigsChanged with
   * 'scorer'); a change of `defaults.advisory` shows only as 'advisory' on the rigs that inherit it.
   */
  readonly defaultsChanged: boolean;
  /** Nothing at all changed. */
  readonly isEmpty: boolean;
}

/** JSON with sorted keys: equal for equal plain data whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

const RIG_PARTS: readonly RigPart[] = [
  'sources',
  'scorer',
  'labels',
  'autotune',
  'autotuneOptions',
  'optimizerOptions',
  'actuator',
  'advisory',
];
const SINKS: readonly SinkName[] = ['valkey', 'prometheus', 'parquet', 'audit'];

/** Compares two resolved configurations (rigs matched by name; their order does not matter). */
export function diffConfig(before: Config, after: Config): ConfigDiff {
  const old = new Map<string, RigConfig>(before.rigs.map((r) => [r.name, r]));
  const now = new Set(after.rigs.map((r) => r.name));
  const rigsAdded = after.rigs.filter((r) => !old.has(r.name)).map((r) => r.name);
  const rigsRemoved = before.rigs.filter((r) => !now.has(r.name)).map((r) => r.name);
  const rigsChanged: RigChange[] = [];
  for (const rig of after.rigs) {
    const prev = old.get(rig.name);
    if (prev === undefined) continue;
    const parts = RIG_PARTS.filter((p) => !same(prev[p], rig[p]));
    if (parts.length > 0) rigsChanged.push({ name: rig.name, parts });
  }
  const sinksChanged = SINKS.filter((s) => !same(before.sinks[s], after.sinks[s]));
  const httpChanged = !same(before.http, after.http);
  const samplingChanged = !same(before.sampling, after.sampling);
  const dataDirChanged = before.dataDir !== after.dataDir;
  const controlChanged = !same(before.control, after.control);
  const defaultsChanged = !same(before.defaults, after.defaults);
  const isEmpty =
    rigsAdded.length + rigsRemoved.length + rigsChanged.length + sinksChanged.length === 0 &&
    !httpChanged &&
    !samplingChanged &&
    !dataDirChanged &&
    !controlChanged &&
    !defaultsChanged;
  return {
    rigsAdded,
    rigsRemoved,
    rigsChanged,
    sinksChanged,
    httpChanged,
    samplingChanged,
    dataDirChanged,
    controlChanged,
    defaultsChanged,
    isEmpty,
  };
}
