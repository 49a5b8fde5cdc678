// File order of a closed buffer's rows: by UTC day, then rig, device (string order) and time, with
// arrival order kept among equal times. A counting sort over (day, rig, device) keys: O(rows).

const DAY_MS = 86_400_000;

/** The rows of one UTC day in file order. */
export interface DayOrder {
  /** Epoch ms of the day's 00:00 UTC. */
  readonly dayStartMs: number;
  /** Smallest time of the day's rows, epoch ms. */
  readonly startMs: number;
  /** Row indexes in file order. */
  readonly order: Uint32Array;
}

/** One rig's devices: dense key per device, and the device order of the rig's last batch (a hint). */
interface RigKeys {
  readonly rig: string;
  readonly keyOf: Map<string, number>;
  readonly recent: (string | null)[];
  readonly recentKey: number[];
}

/** Key per row (dense ids in first-seen order) and each key's rig and device. */
function keyRows(
  rigs: readonly (string | null)[],
  devices: readonly (string | null)[],
  rows: number,
  batchStarts: readonly number[],
): { keys: Uint32Array; rigOf: string[]; deviceOf: string[] } {
  const keys = new Uint32Array(rows);
  const rigOf: string[] = [];
  const deviceOf: string[] = [];
  const byRig = new Map<string, RigKeys>();
  let cur: RigKeys | null = null;
  let batch = 0;
  let pos = 0;
  for (let i = 0; i < rows; i++) {
    if (batch < batchStarts.length && batchStarts[batch] === i) {
      batch++;
      pos = 0;
    }
    const rig = rigs[i] ?? '';
    if (cur === null || cur.rig !== rig) {
      cur = byRig.get(rig) ?? null;
      if (cur === null) {
        cur = { rig, keyOf: new Map(), recent: [], recentKey: [] };
        byRig.set(rig, cur);
      }
    }
    const device = devices[i] ?? '';
    // Rigs report their devices in the same order every tick: one string compare finds the key.
    let key: number;
    if (cur.recent[pos] === device) {
      key = cur.recentKey[pos];
    } else {
      const known = cur.keyOf.get(device);
      if (known === undefined) {
        key = rigOf.length;
        rigOf.push(rig);
        deviceOf.push(device);
        cur.keyOf.set(device, key);
      } else {
        key = known;
      }
      cur.recent[pos] = device;
      cur.recentKey[pos] = key;
    }
    keys[i] = key;
    pos++;
  }
  return { keys, rigOf, deviceOf };
}

/** Rank of each key in (rig, device) string order. */
function rankKeys(rigOf: readonly string[], deviceOf: readonly string[]): Uint32Array {
  const byRig = new Map<string, number[]>();
  for (let k = 0; k < rigOf.length; k++) {
    const list = byRig.get(rigOf[k]);
    if (list === undefined) byRig.set(rigOf[k], [k]);
    else list.push(k);
  }
  const rank = new Uint32Array(rigOf.length);
  let next = 0;
  for (const rig of [...byRig.keys()].sort()) {
    const list = byRig.get(rig) as number[];
    list.sort((a, b) => (deviceOf[a] < deviceOf[b] ? -1 : deviceOf[a] > deviceOf[b] ? 1 : 0));
    for (const k of list) rank[k] = next++;
  }
  return rank;
}

/**
 * Orders `rows` rows (columns `ts`, `rigs`, `devices`; `batchStarts` = first row of each batch)
 * by UTC day, rig, device and time; one entry per day, oldest first.
 */
export function orderRows(
  ts: Float64Array,
  rigs: readonly (string | null)[],
  devices: readonly (string | null)[],
  rows: number,
  batchStarts: readonly number[],
): DayOrder[] {
  if (rows === 0) return [];
  const { keys, rigOf, deviceOf } = keyRows(rigs, devices, rows, batchStarts);
  const rank = rankKeys(rigOf, deviceOf);
  const nKeys = rigOf.length;

  // Days: nearly always one; a buffer across midnight gets a rank per day.
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < rows; i++) {
    const day = Math.floor(ts[i] / DAY_MS);
    if (day < minDay) minDay = day;
    if (day > maxDay) maxDay = day;
  }
  const days: number[] = [];
  const dayRank = new Map<number, number>();
  if (minDay === maxDay) {
    days.push(minDay);
  } else {
    const seen = new Set<number>();
    for (let i = 0; i < rows; i++) seen.add(Math.floor(ts[i] / DAY_MS));
    days.push(...[...seen].sort((a, b) => a - b));
    days.forEach((d, r) => {
      dayRank.set(d, r);
    });
  }

  // Counting sort by (day, rank): stable, so a device's rows stay in arrival order.
  const bucketOf = new Uint32Array(rows);
  const starts = new Uint32Array(days.length * nKeys + 1);
  for (let i = 0; i < rows; i++) {
    const d = days.length === 1 ? 0 : (dayRank.get(Math.floor(ts[i] / DAY_MS)) as number);
    const b = d * nKeys + rank[keys[i]];
    bucketOf[i] = b;
    starts[b + 1]++;
  }
  for (let b = 0; b < days.length * nKeys; b++) starts[b + 1] += starts[b];
  const order = new Uint32Array(rows);
  const fill = starts.slice(0, -1);
  for (let i = 0; i < rows; i++) order[fill[bucketOf[i]]++] = i;

  // Arrival order is time order unless a rig's clock stepped back: sort only such devices.
  for (let b = 0; b < days.length * nKeys; b++) sortByTime(order, starts[b], starts[b + 1], ts);

  const out: DayOrder[] = [];
  for (let d = 0; d < days.length; d++) {
    const slice = order.slice(starts[d * nKeys], starts[(d + 1) * nKeys]);
    let startMs = Number.POSITIVE_INFINITY;
    for (let j = 0; j < slice.length; j++) if (ts[slice[j]] < startMs) startMs = ts[slice[j]];
    out.push({ dayStartMs: days[d] * DAY_MS, startMs, order: slice });
  }
  return out;
}

/** Sorts `order[from, to)` by time, ties by row index, unless it already is in time order. */
function sortByTime(order: Uint32Array, from: number, to: number, ts: Float64Array): void {
  for (let j = from + 1; j < to; j++) {
    if (ts[order[j]] < ts[order[j - 1]]) {
      order.subarray(from, to).sort((a, b) => ts[a] - ts[b] || a - b);
      return;
    }
  }
}
