// The tuning bench's per-device results and summary: efficiencies against stock and the true optimum,
// convergence times, actions, rollbacks and audited violations; a table, then one JSON line.

import type { Truth } from './truth.ts';

/** One device's row. Efficiencies in H/J, times in simulated minutes from the start (null = never). */
export interface DeviceResult {
  readonly id: string;
  readonly model: string;
  readonly truth: Truth;
  /** Mean measured efficiency of the last minutes (noisy, what the controller sees). */
  readonly measuredEff: number | null;
  /** Last committed power-limit change. */
  readonly convergedMin: number | null;
  /** From when on the held limit's true efficiency stayed within 2 % of the optimum. */
  readonly within2pctMin: number | null;
  readonly searchPhase: string;
  readonly actions: number;
  readonly rollbacks: number;
  readonly violations: number;
  readonly fanPct: number | null;
}

/** The bench's last line. */
export interface Summary {
  readonly devices: number;
  readonly worst_efficiency_vs_optimum: number;
  readonly mean_gain_vs_stock: number;
  readonly violations: number;
  readonly rollbacks: number;
}

export function summarize(rows: readonly DeviceResult[]): Summary {
  const ratio = rows.map((r) => r.truth.finalEff / r.truth.optimumEff);
  const gain = rows.map((r) => r.truth.finalEff / r.truth.stockEff - 1);
  return {
    devices: rows.length,
    worst_efficiency_vs_optimum: round(Math.min(...ratio), 4),
    mean_gain_vs_stock: round(gain.reduce((a, b) => a + b, 0) / Math.max(1, gain.length), 4),
    violations: rows.reduce((a, r) => a + r.violations, 0),
    rollbacks: rows.reduce((a, r) => a + r.rollbacks, 0),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** H/J with an SI prefix fit for the model (MH/J for GPUs, GH/J for ASICs). */
function eff(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} GH/J`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(4)} MH/J`;
  return `${(x / 1e3).toFixed(2)} kH/J`;
}

function min(x: number | null): string {
  return x === null ? '-' : x.toFixed(0);
}

/** The table: one row per device. */
export function table(rows: readonly DeviceResult[]): string {
  const head = [
    'device',
    'model',
    'stock eff (W)',
    'final eff (W)',
    'optimum eff (W)',
    'gain',
    'final/opt',
    'measured',
    'conv min',
    '≤2% min',
    'search',
    'fan %',
    'actions',
    'rollbacks',
    'violations',
  ];
  const body = rows.map((r) => {
    const t = r.truth;
    return [
      r.id,
      r.model,
      `${eff(t.stockEff)} (${t.stockW})`,
      `${eff(t.finalEff)} (${t.finalW})`,
      `${eff(t.optimumEff)} (${t.optimumW})`,
      `${((t.finalEff / t.stockEff - 1) * 100).toFixed(1)} %`,
      (t.finalEff / t.optimumEff).toFixed(4),
      r.measuredEff === null ? '-' : eff(r.measuredEff),
      min(r.convergedMin),
      min(r.within2pctMin),
      r.searchPhase,
      r.fanPct === null ? 'auto' : String(r.fanPct),
      String(r.actions),
      String(r.rollbacks),
      String(r.violations),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}
