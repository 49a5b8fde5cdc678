// Benchmark of the optimizer under the guarded auto-tune controller on a simulated fleet (GPU and ASIC
// models, noise, faults) on a fake clock: efficiency vs stock and vs the true optimum, audited rails.

import { type DeviceResult, summarize, table } from './tune/report.ts';
import { auditDevice, buildRun, type DeviceRun, runFor } from './tune/runner.ts';
import { fleetPlans } from './tune/setup.ts';
import { truthFor } from './tune/truth.ts';

const HOURS = Number(process.env.TUNE_BENCH_HOURS ?? 8);
const SHORT = process.env.TUNE_BENCH_SHORT === '1';
const SEED = Number(process.env.TUNE_BENCH_SEED ?? 0);

function statuses(d: DeviceRun, status: string, setpoint?: string): { ts: number; to: number | null }[] {
  const out: { ts: number; to: number | null }[] = [];
  for (const r of d.records) {
    const p = r.payload as { status?: string; purpose?: string; setpoint?: string; to?: number | null };
    if (r.kind === 'action' && p.status === status && p.purpose !== 'restore')
      if (setpoint === undefined || p.setpoint === setpoint) out.push({ ts: r.ts, to: p.to ?? null });
  }
  return out;
}

function resultOf(d: DeviceRun, startMs: number): DeviceResult {
  const truth = truthFor(d);
  const violations = auditDevice(d);
  for (const v of violations) console.log(`VIOLATION ${v}`);
  const lastChange = statuses(d, 'validated', 'power_limit_w').at(-1);
  let within: number | null = null;
  for (let s = d.limitTrace.length - 1; s >= 0; s--) {
    if (truth.at(d.limitTrace[s]) < 0.98 * truth.optimumEff) break;
    within = s + 1;
  }
  const phase = d.optimizer.status().find((x) => x.kind === 'power_limit_w')?.phase ?? 'idle';
  const rig = d.fleet.rig(d.rig);
  const fan = rig.asic !== null ? rig.asic.fanManualPct : rig.gpus[0].fanManualPct;
  return {
    id: d.id,
    model: d.model,
    truth,
    measuredEff: d.tail.length === 0 ? null : d.tail.reduce((a, b) => a + b, 0) / d.tail.length,
    convergedMin: lastChange === undefined ? null : (lastChange.ts - startMs) / 60_000,
    within2pctMin: within === null ? null : within / 60,
    searchPhase: phase,
    actions: statuses(d, 'intended').length,
    rollbacks: statuses(d, 'rolled_back').length,
    violations: violations.length,
    fanPct: fan,
  };
}

const plans = fleetPlans(SHORT, SEED);
const wall = performance.now();
const run = await buildRun(plans);
await runFor(run, Math.round(HOURS * 3600));
const rows = run.devices.map((d) => resultOf(d, run.startMs));
const wallS = (performance.now() - wall) / 1000;
console.log(
  `Tuning bench: ${rows.length} devices, ${HOURS} h simulated at 1 Hz on a fake clock, ${wallS.toFixed(1)} s wall, Node ${process.version}`,
);
console.log(`Faults: ${plans.map((p) => `${p.tag}: ${p.faults || 'none'}`).join('; ')}`);
console.log(table(rows));
await run.close();
console.log(JSON.stringify(summarize(rows)));
