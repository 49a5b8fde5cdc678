// GET /api/fleet: one row per device of every rig (scores, KPIs, newest raw readings, open advice) and
// one per rig (hardware, auto-tune mode, sources), the dashboard's fleet table in a single request.

import type { FastifyInstance } from 'fastify';
import type { ControlRecord, RigState } from '../../core/sink.ts';
import { SCHEMA_VERSION } from '../../core/sink.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { activeAdvice } from '../advice.ts';
import { parseListParam, type Query, rejectUnknownParams, singleParam } from '../params.ts';
import { readingsOf } from '../readings.ts';
import { rigStatus } from '../summary.ts';
import type { ApiDeps, ConfiguredSource } from '../types.ts';
import { configuredSources } from './rigs.ts';

/** `asic` or `gpu` by the rig's source kinds (efficiency in J/TH or H/J); null when unknown or mixed. */
export type Hardware = 'asic' | 'gpu';
const ASIC_KINDS: ReadonlySet<string> = new Set(['cgminer', 'braiins', 'luxos']);
const GPU_KINDS: ReadonlySet<string> = new Set(['xmrig', 'nvml', 'nvidia-smi', 'lolminer', 'trex', 'gminer']);

export function hardwareOf(sources: readonly ConfiguredSource[]): Hardware | null {
  const kinds = new Set<Hardware>();
  for (const s of sources) {
    if (ASIC_KINDS.has(s.kind)) kinds.add('asic');
    else if (GPU_KINDS.has(s.kind)) kinds.add('gpu');
  }
  return kinds.size === 1 ? [...kinds][0] : null;
}

/** Target device of an advice record; null for rig-wide advice. */
function adviceDevice(record: ControlRecord): string | null {
  const target = record.payload.target as { device?: unknown } | undefined;
  return typeof target?.device === 'string' ? target.device : null;
}

/** Running auto-tune mode per rig from the controllers' status rows. */
function modesOf(deps: ApiDeps): Map<string, string> {
  const modes = new Map<string, string>();
  for (const row of deps.control?.status() ?? [])
    if (typeof row.rig === 'string' && typeof row.mode === 'string') modes.set(row.rig, row.mode);
  return modes;
}

function deviceRows(
  rig: string,
  state: RigState | null,
  readings: readonly Snapshot[],
  advice: readonly ControlRecord[],
) {
  const scores = new Map((state?.devices ?? []).map((d) => [d.device, d]));
  const raw = new Map(readings.map((s) => [s.device, s]));
  const names = [...new Set([...scores.keys(), ...raw.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rigWide = advice.filter((a) => adviceDevice(a) === null).length;
  return names.map((device) => {
    const t = scores.get(device);
    const s = raw.get(device);
    return {
      rig,
      device,
      ts: t?.ts ?? null,
      sep_score: t?.sep_score ?? null,
      rupture_class: t?.rupture_class ?? null,
      lambda_hazard: t?.lambda_hazard ?? null,
      efficiency_h_per_j: t?.kpis.efficiency_h_per_j ?? null,
      efficiency_j_per_th: t?.kpis.efficiency_j_per_th ?? null,
      hashrate_ratio: t?.kpis.hashrate_ratio ?? null,
      reject_rate: t?.kpis.reject_rate ?? null,
      thermal_headroom_c: t?.kpis.thermal_headroom_c ?? null,
      advice_open: rigWide + advice.filter((a) => adviceDevice(a) === device).length,
      readings: s === undefined ? null : readingsOf(s),
    };
  });
}

export function fleetRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api/fleet', async (request) => {
    const query = request.query as Query;
    rejectUnknownParams(query, ['rig']);
    const only = parseListParam('rig', singleParam(query, 'rig'), null);
    const configured = configuredSources(deps);
    const names = new Set(deps.state.rigs());
    if (configured !== null) for (const name of configured.keys()) names.add(name);
    const modes = modesOf(deps);
    const rigs = [];
    const devices = [];
    for (const rig of [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (only !== null && !only.includes(rig)) continue;
      const state = deps.state.latest(rig);
      const sources = configured === null ? undefined : (configured.get(rig) ?? null);
      const advice = activeAdvice(deps, rig);
      rigs.push({
        rig,
        status: rigStatus(state, sources),
        hardware: hardwareOf(sources ?? []),
        mode: modes.get(rig) ?? null,
        sources: sources ?? [],
        advice_open: advice.length,
      });
      devices.push(...deviceRows(rig, state, deps.readings?.latest(rig) ?? [], advice));
    }
    return {
      schema: SCHEMA_VERSION,
      ts: (deps.now ?? Date.now)(),
      kill_switch: deps.control?.killSwitch() ?? null,
      rigs,
      devices,
    };
  });
}
