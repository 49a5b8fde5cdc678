// Scores one device sample by sample: telemetry derivation → composite health bit → QFH structure →
// channel change detectors → KPIs → sep_score and rupture class. The one code path for CLI and runtime.

import { GAUGE_FIELDS, SHARE_FIELDS, type Snapshot } from '../core/snapshot.ts';
import { healthBit } from '../kernel/health/index.ts';
import {
  classifyRupture,
  computeKpis,
  type Kpis,
  lambdaHazard,
  type ShareDeltas,
  sepScore,
} from '../kernel/score/index.ts';
import { wilsonInterval } from '../kernel/stats/index.ts';
import { DeviceSeries, EmaTracker, RingBuffer, type TelemetrySnapshot } from '../telemetry/index.ts';
import { BitWindow } from './bit-window.ts';
import { analyzeBitWindow, ChannelWatch, scratchMetrics } from './channel-watch.ts';
import { type Declaration, EventMerger } from './event-merger.ts';
import {
  AUTO_CHANNEL_EXCLUDES,
  type ChannelName,
  DEFAULT_SCORER_OPTIONS,
  type ScorerOptions,
} from './options.ts';
import type { ChannelScore, RuptureEvent, ScoreTick, StructureMetrics, TickKpis } from './types.ts';
import { WindowSum } from './window-sum.ts';

/** Samples of time history kept to date the start of a change (bounded memory per device). */
const TS_HISTORY = 512;

/** 'auto' channels in order: gauges but set-points (hashrate_1m is skipped per sample, see below), then efficiency. */
const AUTO_CHANNELS: readonly ChannelName[] = [
  ...GAUGE_FIELDS.filter((f) => !AUTO_CHANNEL_EXCLUDES.has(f)),
  'efficiency_h_per_j',
];

const fin = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

/** What one sample produced: its tick and the events that closed at it. */
export interface ScoredSample {
  readonly tick: ScoreTick;
  readonly events: readonly RuptureEvent[];
}

export class DeviceScorer {
  readonly #o: ScorerOptions;
  readonly #series: DeviceSeries;
  readonly #health: BitWindow;
  readonly #channels = new Map<string, ChannelWatch>();
  readonly #efficiency: RingBuffer;
  /** Raw hashrate_1m and hashrate_5s of the last kpiWindow samples (NaN = missing), for stability_index. */
  readonly #hashrate1m: RingBuffer;
  readonly #hashrate5s: RingBuffer;
  /** Counter deltas of the share fields over the last shareWindow samples, for the reject rate. */
  readonly #shares: readonly WindowSum[];
  /** EMA baselines of the health rule (the value before a sample is that sample's baseline). */
  readonly #baseline: Readonly<Record<'hashrate' | 'efficiency' | 'latency' | 'power', EmaTracker>>;
  readonly #merger: EventMerger;
  /** Sample times for turning a change's estimated start index into a time. */
  readonly #ts = new RingBuffer(TS_HISTORY);
  readonly #tsAtIndex = (index: number): number => this.#tsAt(index);
  /** Reused input arrays of computeKpis (it only reads them). */
  readonly #recentHashrates: number[] = [];
  readonly #recentEfficiencies: number[] = [];
  #samples = 0;

  constructor(options: Partial<ScorerOptions> = {}) {
    this.#o = { ...DEFAULT_SCORER_OPTIONS, ...options };
    const o = this.#o;
    // Only counter deltas and resets (and the time and identity checks) are read from the series.
    this.#series = new DeviceSeries({ history: false, emas: false });
    this.#health = new BitWindow(o.windowBits);
    this.#efficiency = new RingBuffer(o.kpiWindow);
    this.#hashrate1m = new RingBuffer(o.kpiWindow);
    this.#hashrate5s = new RingBuffer(o.kpiWindow);
    this.#shares = SHARE_FIELDS.map(() => new WindowSum(o.shareWindow));
    const tau = o.baselineTauS;
    this.#baseline = {
      hashrate: new EmaTracker(tau),
      efficiency: new EmaTracker(tau),
      latency: new EmaTracker(tau),
      power: new EmaTracker(tau),
    };
    this.#merger = new EventMerger(o.mergeSamples);
  }

  /** Scores the device's next sample (strictly increasing `ts`; same rig and device each time). */
  push(s: Snapshot): ScoredSample {
    const o = this.#o;
    const d = this.#series.push(s);
    this.#samples += 1;
    this.#ts.push(s.ts);
    const hashrate5s = fin(s.hashrate_5s);
    const hashrate1m = fin(s.hashrate_1m);
    const hashrateFast = hashrate5s ?? hashrate1m;
    const hashrateKpi = hashrate1m ?? hashrate5s;
    const power = fin(s.power_w);
    const efficiency = hashrateKpi !== null && power !== null && power > 0 ? hashrateKpi / power : null;
    this.#efficiency.push(efficiency ?? Number.NaN);
    this.#hashrate1m.push(hashrate1m ?? Number.NaN);
    this.#hashrate5s.push(hashrate5s ?? Number.NaN);
    const delta = d.counter_delta;
    for (let i = 0; i < SHARE_FIELDS.length; i += 1)
      this.#shares[i].push(delta[SHARE_FIELDS[i]] ?? Number.NaN);

    const health = this.#healthStep(d, hashrateFast, efficiency);
    if (health !== null) this.#health.push(health.bit);

    const declarations = this.#pushChannels(s, efficiency);
    const channels: Record<string, ChannelScore> = {};
    let changeProb = 0;
    const changing: string[] = [];
    for (const watch of this.#channels.values()) {
      channels[watch.name] = watch.score(o.channelDetail);
      changeProb = Math.max(changeProb, watch.changeProb);
      if (watch.changeProb >= 0.5) changing.push(watch.name);
    }

    const kpis = this.#kpis(s, hashrateKpi);
    const structure = this.#samples >= o.minSamples ? this.#structure() : null;
    const score = sepScore(
      {
        coherence: structure?.coherence ?? null,
        entropy: structure?.entropy ?? null,
        rupture: structure?.rupture ?? null,
        change_prob: changeProb,
        eff_norm: kpis.eff_norm,
        stability_index: kpis.stability_index,
        thermal_headroom_c: kpis.thermal_headroom_c,
        latency_budget_ms: kpis.latency_budget_ms,
        reject_rate: kpis.reject_rate,
        hashrate_ratio: kpis.hashrate_ratio,
      },
      o.sepScore,
    );
    const ruptureInput = {
      rupture: structure?.rupture ?? null,
      change_prob: changeProb,
      collapse: structure?.collapse,
    };
    const tick: ScoreTick = {
      type: 'tick',
      ts: s.ts,
      rig: s.rig,
      device: s.device,
      samples: this.#samples,
      health_bit: health?.bit ?? null,
      health_reasons: health?.reasons ?? [],
      structure,
      change_prob: changeProb,
      lambda_hazard: lambdaHazard(ruptureInput.rupture, changeProb) ?? 0,
      kpis: this.#tickKpis(kpis),
      sep_score: score.sep_score,
      rupture_class: classifyRupture(ruptureInput, o.rupture),
      channels_changing: changing,
      channels,
      counter_resets: d.counter_resets,
    };
    return { tick, events: this.#merger.push(this.#samples - 1, tick, declarations, this.#tsAtIndex) };
  }

  /** Closes any open event (end of input) and returns it. */
  flush(): RuptureEvent[] {
    return this.#merger.flush();
  }

  /** QFH metrics of the composite health window. */
  #structure(): StructureMetrics {
    return scratchMetrics(0, analyzeBitWindow(this.#health, 0));
  }

  #healthStep(d: TelemetrySnapshot, hashrate: number | null, efficiency: number | null) {
    const b = this.#baseline;
    const hashrateBefore = b.hashrate.value;
    const efficiencyBefore = b.efficiency.value;
    const latencyBefore = b.latency.value;
    const powerBefore = b.power.value;
    const latency = fin(d.stratum_latency_ms);
    const power = fin(d.power_w);
    b.hashrate.update(d.ts, hashrate);
    b.efficiency.update(d.ts, efficiency);
    b.latency.update(d.ts, latency);
    b.power.update(d.ts, power);
    if (this.#samples === 1) return null;
    const dl = d.counter_delta;
    const bad =
      (dl.rejected_shares ?? null) === null ? null : (dl.rejected_shares ?? 0) + (dl.stale_shares ?? 0);
    const all = bad === null || dl.accepted_shares == null ? null : bad + dl.accepted_shares;
    const limitC =
      fin(d.temp_target_c) ?? this.#o.kpi.thermal_limits_c.core_c ?? this.#o.kpi.thermal_limits_c.chip_c;
    return healthBit(
      {
        efficiencyHPerJ: efficiency,
        efficiencyBaselineHPerJ: efficiencyBefore,
        hashrateHs: hashrate,
        hashrateBaselineHs: hashrateBefore,
        // The core, else the chip, else the only sensor left (memory).
        hottestC: fin(d.temp_core_c) ?? fin(d.temp_chip_max_c) ?? fin(d.temp_mem_c),
        limitC,
        latencyMs: latency,
        latencyBaselineMs: latencyBefore,
        powerW: power,
        powerBaselineW: powerBefore,
        badSharesStep: bad,
        allSharesStep: all,
        throttleFlags: fin(d.throttle_flags),
      },
      this.#o.health,
    );
  }

  #pushChannels(s: Snapshot, efficiency: number | null): Declaration[] {
    const o = this.#o;
    const auto = o.channels === 'auto';
    const names: readonly ChannelName[] = auto ? AUTO_CHANNELS : (o.channels as readonly ChannelName[]);
    let declarations: Declaration[] | null = null;
    for (let i = 0; i < names.length; i += 1) {
      const name = names[i];
      // hashrate_1m is a smoothed duplicate of hashrate_5s: auto watches it only without the latter.
      if (
        auto &&
        name === 'hashrate_1m' &&
        (fin(s.hashrate_5s) !== null || this.#channels.has('hashrate_5s'))
      )
        continue;
      const value =
        name === 'efficiency_h_per_j' ? efficiency : fin(s[name as keyof Snapshot] as number | null);
      let watch = this.#channels.get(name);
      if (watch === undefined) {
        if (value === null) continue; // a channel starts at its first reading
        watch = new ChannelWatch(name, this.#samples - 1, o.windowBits, o.minSamples - 1, o.changepoint);
        this.#channels.set(name, watch);
      }
      const detected = watch.push(value);
      if (detected !== null) {
        declarations ??= [];
        declarations.push({
          channel: name,
          startSample: watch.firstSample + detected.startIndex,
          detectedSample: watch.firstSample + detected.detectedIndex,
          hazard: detected.hazard,
        });
      }
    }
    return declarations ?? NO_DECLARATIONS;
  }

  #kpis(s: Snapshot, hashrate: number | null): Kpis {
    const o = this.#o;
    const deltas = {} as Record<(typeof SHARE_FIELDS)[number], number | null>;
    for (let i = 0; i < SHARE_FIELDS.length; i += 1) deltas[SHARE_FIELDS[i]] = this.#shares[i].sum();
    // computeKpis skips missing entries, so the windows are handed over as their finite values, in order.
    const history = fin(s.hashrate_1m) !== null ? this.#hashrate1m : this.#hashrate5s;
    return computeKpis(
      {
        hashrate_hs: hashrate,
        hashrate_expected_hs: fin(s.hashrate_expected),
        power_w: fin(s.power_w),
        temp_core_c: fin(s.temp_core_c),
        temp_mem_c: fin(s.temp_mem_c),
        temp_chip_max_c: fin(s.temp_chip_max_c),
        temp_target_c: fin(s.temp_target_c),
        stratum_latency_ms: fin(s.stratum_latency_ms),
        recent_hashrates_hs: finiteInto(history, this.#recentHashrates),
        recent_efficiencies_h_per_j: finiteInto(this.#efficiency, this.#recentEfficiencies),
        share_deltas: deltas as ShareDeltas,
      },
      o.kpi,
    );
  }

  #tickKpis(k: Kpis): TickKpis {
    const ci =
      k.shares_in_window !== null && k.bad_shares_in_window !== null && k.shares_in_window > 0
        ? wilsonInterval(k.bad_shares_in_window, k.shares_in_window)
        : null;
    return {
      efficiency_h_per_j: k.efficiency_h_per_j,
      efficiency_j_per_th: k.efficiency_j_per_th,
      reject_rate: k.reject_rate,
      reject_rate_ci95: ci === null ? null : [ci.lower, ci.upper],
      shares_in_window: k.shares_in_window,
      thermal_headroom_c: k.thermal_headroom_c,
      latency_budget_ms: k.latency_budget_ms,
      stability_index: k.stability_index,
      eff_norm: k.eff_norm,
      hashrate_ratio: k.hashrate_ratio,
    };
  }

  /** Time of device sample `index`; starts older than the ts history are clamped to its oldest entry. */
  #tsAt(index: number): number {
    const back = Math.max(0, this.#samples - 1 - index);
    return this.#ts.at(-Math.min(back + 1, this.#ts.length)) as number;
  }
}

const NO_DECLARATIONS: Declaration[] = [];

/** Fills `out` with the finite values of `ring`, oldest first; returns it. */
function finiteInto(ring: RingBuffer, out: number[]): number[] {
  out.length = 0;
  const n = ring.length;
  for (let k = 0; k < n; k += 1) {
    const v = ring.at(k) as number;
    if (!Number.isNaN(v)) out.push(v);
  }
  return out;
}
