// Test support for `study analyze`: a synthetic A-B-A study with a known efficiency change (seeded), its
// history written through the real Parquet sink and its markers through the real aba_markers writer.

import pino from 'pino';
import type { Clock } from '../../core/clock.ts';
import { type RigTickBatch, SCHEMA_VERSION } from '../../core/sink.ts';
import { emptySnapshot, type Snapshot } from '../../core/snapshot.ts';
import { Rng } from '../../sim/index.ts';
import { create as createParquet, MarkerWriter } from '../../sinks/parquet/index.ts';
import type { AbaMarker, AbaMarkerPhase } from '../../study/aba/index.ts';
import type { DeviceKey } from './snapshots.ts';

export interface SyntheticStudyOptions {
  readonly studyId: string;
  readonly seed: number;
  /** Start of A1, epoch ms. */
  readonly t0: number;
  readonly devices: readonly DeviceKey[];
  /** Length of each phase, ms. */
  readonly phaseMs: number;
  /** Sample interval, ms. */
  readonly stepMs: number;
  /** True change of efficiency (H/J) during B, % of the baseline. */
  readonly effectPct: number;
  /** Treatment text; default `power_limit_w=180`. */
  readonly treatment?: string;
}

export interface SyntheticStudy {
  /** One batch per rig per tick, in time order. */
  readonly batches: RigTickBatch[];
  readonly snapshots: Snapshot[];
  readonly markers: AbaMarker[];
}

const BASE_POWER_W = 200;
const BASE_EFF_H_PER_J = 5e5;

/**
 * A1 → B → A2, then `end`. B lowers power by 10 % and moves efficiency by `effectPct`; hash rate follows
 * (efficiency × power). Noise: AR(1) on efficiency (0.5 % sd), white on power (1 W sd), shares Poisson.
 */
export function syntheticStudy(o: SyntheticStudyOptions): SyntheticStudy {
  const treatment = o.treatment ?? 'power_limit_w=180';
  const steps = Math.floor((3 * o.phaseMs) / o.stepMs);
  const snapshots: Snapshot[] = [];
  const markers: AbaMarker[] = [];
  const byTick: Snapshot[][] = Array.from({ length: steps + 1 }, () => []);
  o.devices.forEach((d, i) => {
    const rng = new Rng(o.seed * 7919 + i);
    let ar = 0;
    let accepted = 0;
    let rejected = 0;
    (['A1', 'B', 'A2', 'end'] as const).forEach((phase: AbaMarkerPhase, p) => {
      const setpoint = phase === 'end' ? null : { kind: 'power_limit_w', value: phase === 'B' ? 180 : 200 };
      markers.push({
        ts_ms: o.t0 + p * o.phaseMs,
        study_id: o.studyId,
        rig: d.rig,
        device: d.device,
        phase,
        treatment,
        setpoint,
      });
    });
    for (let k = 0; k <= steps; k += 1) {
      const ts = o.t0 + k * o.stepMs;
      const inB = ts >= o.t0 + o.phaseMs && ts < o.t0 + 2 * o.phaseMs;
      ar = 0.5 * ar + rng.normal() * 0.005 * Math.sqrt(0.75);
      const power = BASE_POWER_W * (inB ? 0.9 : 1) + rng.normal();
      const eff = BASE_EFF_H_PER_J * (1 + i * 0.02) * (inB ? 1 + o.effectPct / 100 : 1) * (1 + ar);
      accepted += rng.poisson((0.5 * o.stepMs) / 1000);
      rejected += rng.poisson((0.005 * o.stepMs) / 1000);
      const s: Snapshot = {
        ...emptySnapshot(ts, d.rig, d.device),
        hashrate_5s: eff * power,
        power_w: power,
        temp_core_c: 60 + (power - BASE_POWER_W) * 0.1 + rng.normal() * 0.3,
        temp_mem_c: 78 + rng.normal() * 0.3,
        temp_inlet_c: 25 + (0.5 * k) / steps + rng.normal() * 0.1,
        accepted_shares: accepted,
        rejected_shares: rejected,
        hw_errors: 0,
      };
      snapshots.push(s);
      byTick[k].push(s);
    }
  });
  const batches: RigTickBatch[] = [];
  for (const tick of byTick) {
    const rigs = [...new Set(tick.map((s) => s.rig))];
    for (const rig of rigs) {
      const ts = tick[0].ts;
      batches.push({
        rig,
        ts,
        snapshots: tick.filter((s) => s.rig === rig),
        scores: [],
        events: [],
        state: { schema: SCHEMA_VERSION, rig, ts, devices: [] },
      });
    }
  }
  return { batches, snapshots, markers };
}

/** A clock standing at `nowMs` whose sleeps end only on abort (the sink's timer loop then idles). */
function stillClock(nowMs: number): Clock {
  return {
    nowMs: () => nowMs,
    sleep: (_ms, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason));
      }),
  };
}

/** Writes the batches through the real Parquet sink into `dataDir` (files roll every `maxFileRows`). */
export async function writeHistory(
  dataDir: string,
  batches: readonly RigTickBatch[],
  maxFileRows = 5000,
): Promise<void> {
  const last = batches.at(-1)?.ts ?? 0;
  const sink = createParquet(
    { data_dir: dataDir, max_file_rows: maxFileRows, row_group_rows: 1000, retention_days: null },
    { clock: stillClock(last), logger: pino({ level: 'silent' }) },
  );
  await sink.ready();
  for (const b of batches) sink.write(b);
  await sink.close();
}

/** Writes markers through the real `aba_markers` writer. */
export async function writeMarkers(dataDir: string, markers: readonly AbaMarker[]): Promise<string[]> {
  const writer = await MarkerWriter.open(dataDir);
  return writer.write(
    markers.map((m) => ({
      ts_ms: m.ts_ms,
      study_id: m.study_id,
      rig: m.rig,
      device: m.device,
      phase: m.phase,
      treatment: m.treatment,
      setpoint_kind: (m.setpoint?.kind ?? null) as never,
      setpoint_value: m.setpoint?.value ?? null,
    })),
  );
}

/** Markers as NDJSON text (one JSON object per line). */
export function markersNdjson(markers: readonly AbaMarker[]): string {
  return `${markers.map((m) => JSON.stringify(m)).join('\n')}\n`;
}
