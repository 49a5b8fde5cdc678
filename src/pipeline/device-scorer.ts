// Scores one device sample by sample: telemetry derivation → composite health bit → QFH structure →
// channel change detectors (gauges, efficiency, reject_rate) → KPIs → sep_score and rupture class.

import { SHARE_FIELDS, type Snapshot } from '../core/snapshot.ts';
import {
  classifyRupture,
  computeKpis,
  type Kpis,
  lambdaHazard,
  type ShareDeltas,
  sepScore,
} from '../kernel/score/index.ts';
import { type CounterDeltas, DeviceSeries } from '../telemetry/index.ts';
import { BitWindow } from './bit-window.ts';
import { analyzeBitWindow, ChannelWatch, scratchMetrics } from './channel-watch.ts';
import { type Declaration, EventMerger } from './event-merger.ts';
import { HEALTH_STATE_SIZE, HealthStep } from './health-step.ts';
import type { ScorerOptions } from './options.ts';
import { hasShareCounters, REJECT_CHANNEL, RejectWatch } from './reject-watch.ts';
import { type ScorerConfig, scorerConfig } from './scorer-config.ts';
import { LockstepRings, tickKpisOf } from './tick-kpis.ts';
import { TimeRing } from './time-ring.ts';
import type { ChannelScore, RuptureEvent, ScoreTick, StructureMetrics } from './types.ts';
import { WindowSum } from './window-sum.ts';

/** Samples of time history kept to date the start of a change (bounded memory per device). */
const TS_HISTORY = 512;

const fin = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;

/** What one sample produced: its tick and the events that closed at it. */
export interface ScoredSample {
  readonly tick: ScoreTick;
  readonly events: readonly RuptureEvent[];
}

/** Lanes of the KPI history rings. */
const EFFICIENCY_LANE = 0;
const HASHRATE_1M_LANE = 1;
const HASHRATE_5S_LANE = 2;
const KPI_LANES = 3;

export class DeviceScorer {
  readonly #config: ScorerConfig;
  readonly #series: DeviceSeries;
  readonly #health: BitWindow;
  /** Watched value channels in the order of their first reading (a tick lists them in that order). */
  readonly #channels: ChannelWatch[] = [];
  /** The reject_rate channel, from the first sample with share counters. */
  #rejects: RejectWatch | null = null;
  /**
   * Efficiency and raw hashrate_1m and hashrate_5s of the last kpiWindow samples (NaN = missing), for
   * eff_norm and stability_index, in the same array as the health baselines.
   */
  readonly #history: LockstepRings;
  /** Counter deltas of the share fields over the last shareWindow samples (a lane each), for the reject rate. */
  readonly #shares: WindowSum;
  readonly #healthStep: HealthStep;
  readonly #merger: EventMerger;
  /** Sample times for turning a change's estimated start index into a time. */
  readonly #ts = new TimeRing(TS_HISTORY);
  /** #tsAt as a function for the event merger, made at the first declaration. */
  #tsAtIndex: ((index: number) => number) | null = null;
  #samples = 0;

  /** Scorers given the same options object share its resolved form: do not change it afterwards. */
  constructor(options: Partial<ScorerOptions> = DEFAULT_OPTIONS) {
    this.#config = scorerConfig(options);
    const o = this.#config.o;
    // Only counter deltas and resets (and the time and identity checks) are read from the series, so it
    // keeps the last reading of each counter and nothing else (rates need the sampling intervals).
    this.#series = new DeviceSeries({ history: false, emas: false, rates: false, lastSeen: false });
    this.#health = new BitWindow(o.windowBits);
    const numbers = new Float64Array(HEALTH_STATE_SIZE + KPI_LANES * Math.max(0, o.kpiWindow | 0));
    this.#history = new LockstepRings(o.kpiWindow, KPI_LANES, numbers, HEALTH_STATE_SIZE);
    this.#healthStep = new HealthStep(o.baselineTauS, numbers, 0);
    this.#shares = new WindowSum(o.shareWindow, SHARE_FIELDS.length);
    this.#merger = new EventMerger(o.mergeSamples);
  }

  /** Scores the device's next sample (strictly increasing `ts`; same rig and device each time). */
  push(s: Snapshot): ScoredSample {
    const o = this.#config.o;
    const d = this.#series.pushCounters(s);
    this.#samples += 1;
    this.#ts.push(s.ts);
    const hashrate5s = fin(s.hashrate_5s);
    const hashrate1m = fin(s.hashrate_1m);
    const hashrateFast = hashrate5s ?? hashrate1m;
    const hashrateKpi = hashrate1m ?? hashrate5s;
    const power = fin(s.power_w);
    const efficiency = hashrateKpi !== null && power !== null && power > 0 ? hashrateKpi / power : null;
    this.#history.push3(efficiency ?? Number.NaN, hashrate1m ?? Number.NaN, hashrate5s ?? Number.NaN);
    const delta = d.counter_delta;
    const shares = this.#shares;
    for (let i = 0; i < SHARE_FIELDS.length; i += 1) shares.push(delta[SHARE_FIELDS[i]] ?? Number.NaN, i);

    const health = this.#healthStep.push(
      s,
      d,
      this.#samples === 1,
      hashrateFast,
      efficiency,
      o.health,
      o.kpi,
    );
    if (health !== null) this.#health.push(health.bit);

    const declarations = this.#pushRejects(s, d, this.#pushChannels(s, efficiency));
    const channels: Record<string, ChannelScore> = {};
    let changeProb = 0;
    const changing: string[] = [];
    for (const watch of this.#channels) {
      channels[watch.name] = watch.score(o.channelDetail);
      changeProb = Math.max(changeProb, watch.changeProb);
      if (watch.changeProb >= 0.5) changing.push(watch.name);
    }
    const rejects = this.#rejects;
    if (rejects !== null) {
      channels[rejects.name] = rejects.score();
      changeProb = Math.max(changeProb, rejects.changeProb);
      if (rejects.changeProb >= 0.5) changing.push(rejects.name);
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
      kpis: tickKpisOf(kpis),
      sep_score: score.sep_score,
      rupture_class: classifyRupture(ruptureInput, o.rupture),
      channels_changing: changing,
      channels,
      counter_resets: d.counter_resets,
    };
    if (declarations.length > 0) this.#tsAtIndex ??= (i) => this.#tsAt(i);
    const tsAt = this.#tsAtIndex ?? NO_TIMES;
    return { tick, events: this.#merger.push(this.#samples - 1, tick, declarations, tsAt) };
  }

  /** Closes any open event (end of input) and returns it. */
  flush(): RuptureEvent[] {
    return this.#merger.flush();
  }

  /** QFH metrics of the composite health window. */
  #structure(): StructureMetrics {
    return scratchMetrics(0, analyzeBitWindow(this.#health, 0));
  }

  #pushChannels(s: Snapshot, efficiency: number | null): Declaration[] {
    const { o, channelNames: names, betterOf } = this.#config;
    let declarations: Declaration[] | null = null;
    for (let i = 0; i < names.length; i += 1) {
      const name = names[i];
      // A fallback gauge (hashrate_1m, fan_pct) is watched only on devices without its better reading.
      const better = betterOf[i];
      if (
        better !== null &&
        (fin(s[better] as number | null) !== null || this.#watchOf(better) !== undefined)
      )
        continue;
      const value =
        name === 'efficiency_h_per_j' ? efficiency : fin(s[name as keyof Snapshot] as number | null);
      let watch = this.#watchOf(name);
      if (watch === undefined) {
        if (value === null) continue; // a channel starts at its first reading
        watch = new ChannelWatch(name, this.#samples - 1, o.windowBits, o.minSamples - 1, o.changepoint);
        this.#channels.push(watch);
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

  /** Feeds the reject_rate channel this sample's share-counter deltas; appends its declaration, if any. */
  #pushRejects(s: Snapshot, d: CounterDeltas, declarations: Declaration[]): Declaration[] {
    let watch = this.#rejects;
    if (watch === null) {
      const config = this.#config;
      if (!config.watchRejects || !hasShareCounters(s.accepted_shares, s.rejected_shares))
        return declarations;
      watch = new RejectWatch(this.#samples - 1, config.rejectRise);
      this.#rejects = watch;
    }
    const detected = watch.push(d.counter_delta);
    if (detected === null) return declarations;
    const declaration: Declaration = {
      channel: REJECT_CHANNEL,
      startSample: watch.firstSample + detected.startIndex,
      detectedSample: watch.firstSample + detected.detectedIndex,
      hazard: detected.hazard,
    };
    return declarations === NO_DECLARATIONS ? [declaration] : [...declarations, declaration];
  }

  #kpis(s: Snapshot, hashrate: number | null): Kpis {
    const o = this.#config.o;
    const deltas = {} as Record<(typeof SHARE_FIELDS)[number], number | null>;
    for (let i = 0; i < SHARE_FIELDS.length; i += 1) deltas[SHARE_FIELDS[i]] = this.#shares.sum(i);
    // computeKpis skips missing entries, so the windows are handed over as their finite values, in order.
    const lane = fin(s.hashrate_1m) !== null ? HASHRATE_1M_LANE : HASHRATE_5S_LANE;
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
        recent_hashrates_hs: this.#history.finiteInto(lane, recentHashrates),
        recent_efficiencies_h_per_j: this.#history.finiteInto(EFFICIENCY_LANE, recentEfficiencies),
        share_deltas: deltas as ShareDeltas,
      },
      o.kpi,
    );
  }

  /** The watch of value channel `name`, if it has one (a handful per device: a scan beats a Map's memory). */
  #watchOf(name: string): ChannelWatch | undefined {
    const channels = this.#channels;
    for (let i = 0; i < channels.length; i += 1) if (channels[i].name === name) return channels[i];
    return undefined;
  }

  /** Time of device sample `index`; starts older than the ts history are clamped to its oldest entry. */
  #tsAt(index: number): number {
    const back = Math.max(0, this.#samples - 1 - index);
    return this.#ts.at(Math.min(back, this.#ts.length - 1));
  }
}

const NO_DECLARATIONS: Declaration[] = [];
const DEFAULT_OPTIONS: Partial<ScorerOptions> = {};
/** The merger's time lookup at samples without declarations (it reads none then). */
const NO_TIMES = (_index: number): number => Number.NaN;
/**
 * Input arrays of computeKpis, shared by every scorer: it only reads them during the call, and scorers
 * run one at a time (two per-device scratch arrays were ≈ 0.6 KB a device at fleet scale).
 */
const recentHashrates: number[] = [];
const recentEfficiencies: number[] = [];
