// Prometheus text exposition (format 0.0.4) of the per-device families, rendered in slices that yield
// to the event loop, so 10,000 devices never stall the service (prom-client renders in one go).

import type { DeviceRow, Family } from './families.ts';

/** Escapes a label value: backslash, double quote and line feed (exposition format rules). */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

/** The label set of one device, e.g. `{rig="r1",device="gpu0"}`. */
export function deviceLabels(rig: string, device: string): string {
  return `{rig="${escapeLabelValue(rig)}",device="${escapeLabelValue(device)}"}`;
}

/** A sample value as text, or null for a non-finite number (NaN/Inf would be a reading we never made). */
export function formatValue(value: number): string | null {
  return Number.isFinite(value) ? String(value) : null;
}

/** How a render yields: the default waits one event-loop turn (setImmediate). */
export type YieldFn = () => Promise<void>;

export interface RenderOptions {
  /** Longest synchronous slice before yielding, ms. */
  readonly sliceMs: number;
  /** Monotonic time, ms (performance.now). */
  readonly nowMs: () => number;
  readonly yieldNow?: YieldFn;
}

const nextTurn: YieldFn = () => new Promise((resolve) => setImmediate(resolve));
/** Rows handled between two looks at the time. */
const CHECK_EVERY = 128;

/**
 * Renders `families` over `rows`. A family with no sample is left out entirely; a null or non-finite
 * value gives no sample. Slices of at most about `sliceMs` are separated by a yield.
 */
export async function renderFamilies(
  rows: readonly DeviceRow[],
  families: readonly Family[],
  options: RenderOptions,
): Promise<string> {
  const yieldNow = options.yieldNow ?? nextTurn;
  const parts: string[] = [];
  let sliceStart = options.nowMs();
  for (const family of families) {
    let chunk = '';
    let started = false;
    const prefix = family.name;
    for (let i = 0; i < rows.length; i++) {
      const raw = family.value(rows[i]);
      const text = raw === null ? null : formatValue(raw);
      if (text !== null) {
        if (!started) {
          chunk += `# HELP ${prefix} ${family.help}\n# TYPE ${prefix} ${family.type}\n`;
          started = true;
        }
        chunk += `${prefix}${rows[i].labels} ${text}\n`;
      }
      if (i % CHECK_EVERY === CHECK_EVERY - 1 && options.nowMs() - sliceStart >= options.sliceMs) {
        // Flatten the slice's rope now, inside the slice, so the final join only copies.
        parts.push(flatten(chunk));
        chunk = '';
        await yieldNow();
        sliceStart = options.nowMs();
      }
    }
    if (chunk !== '') parts.push(flatten(chunk));
  }
  return parts.join('');
}

function flatten(text: string): string {
  // Converting to a number makes V8 flatten the concatenated string (a rope of one node per line):
  // done here, the copying happens inside the slice instead of all at once in the final join.
  Number(text);
  return text;
}
