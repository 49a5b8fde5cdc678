// The service's side of the advisory engine: feeds it every rig tick and ingest's freshness reports for
// the rigs that advise, keeps each rig's options stable across reloads, and logs raises and clears.

import type { AutotuneMode } from '../config/index.ts';
import {
  ADVICE_KINDS,
  type AdviceKind,
  type AdvicePayload,
  AdvisoryEngine,
  type AdvisoryOptions,
  DEFAULT_ADVISORY_OPTIONS,
} from '../control/advisory/index.ts';
import type { Clock } from '../core/clock.ts';
import type { ControlRecord, RigTickBatch } from '../core/sink.ts';
import type { IngestEvent } from '../ingest/index.ts';
import type { OpsReporter } from './ops-events.ts';
import { canonicalJson } from './rig-table.ts';

/** What the feed needs of a configured rig. */
export interface AdvisoryRig {
  readonly name: string;
  /** Effective advisory options (config defaults merged with the rig's); default: built-ins. */
  readonly advisory?: AdvisoryOptions;
  /** Configured autotune mode; `off` = scored only, no advice. Default `advise`. */
  readonly autotune?: AutotuneMode;
}

/** Active advice of one rig and kind (the `rigtune_advice_active` gauge). */
export interface AdviceCount {
  readonly rig: string;
  readonly kind: AdviceKind;
  readonly count: number;
}

export interface AdvisoryFeedDeps {
  readonly clock: Clock;
  /** Receives every advice record (raise, update, clear): the sink fan-out. */
  readonly emit: (record: ControlRecord) => void;
  readonly ops: OpsReporter;
  /**
   * Hook for the control API: a rig's autotune mode as changed at run time, or undefined to use the
   * configured one. Read on every tick; a rig turned `off` has its advice cleared.
   */
  readonly autotuneMode?: (rig: string) => AutotuneMode | undefined;
}

interface RigEntry {
  readonly options: AdvisoryOptions;
  readonly key: string;
  readonly mode: AutotuneMode;
}

const FRESHNESS = { device_fresh: 'fresh', device_stale: 'stale', device_missing: 'missing' } as const;

export class AdvisoryFeed {
  readonly #engine: AdvisoryEngine;
  readonly #ops: OpsReporter;
  readonly #modeOverride: (rig: string) => AutotuneMode | undefined;
  readonly #rigs = new Map<string, RigEntry>();
  /** Rigs the engine may hold advice of (fed since they last were forgotten). */
  readonly #fed = new Set<string>();

  constructor(deps: AdvisoryFeedDeps) {
    this.#ops = deps.ops;
    this.#modeOverride = deps.autotuneMode ?? (() => undefined);
    this.#engine = new AdvisoryEngine({
      clock: deps.clock,
      emit: (record) => {
        this.#log(record);
        deps.emit(record);
      },
      // The same object while a rig's options are unchanged: a new one withdraws rules switched off.
      optionsFor: (rig) => this.#rigs.get(rig)?.options ?? DEFAULT_ADVISORY_OPTIONS,
    });
  }

  /**
   * Applies the configured rigs (start and every reload): a rig whose options are equal to before
   * keeps them (nothing is re-evaluated); changed options take effect on the rig's next tick, and
   * advice of rules now switched off is withdrawn then; removed rigs have their advice cleared now.
   */
  configure(rigs: readonly AdvisoryRig[]): void {
    const wanted = new Set(rigs.map((r) => r.name));
    for (const name of [...this.#rigs.keys()]) if (!wanted.has(name)) this.#rigs.delete(name);
    for (const rig of rigs) {
      const options = rig.advisory ?? DEFAULT_ADVISORY_OPTIONS;
      const key = canonicalJson(options);
      const before = this.#rigs.get(rig.name);
      const kept = before !== undefined && before.key === key ? before.options : options;
      this.#rigs.set(rig.name, { options: kept, key, mode: rig.autotune ?? 'advise' });
    }
    this.#forgetSilent();
  }

  /** One rig tick of the service (one source's batch). */
  observe(batch: RigTickBatch): void {
    if (!this.#advising(batch.rig)) return;
    // #guard inlined: no closure per tick on the service's hot path.
    try {
      this.#engine.observe(batch);
    } catch (err) {
      this.#failed(batch.rig, err);
    }
  }

  /** Takes an ingest event; only `device_fresh` / `device_stale` / `device_missing` matter. */
  observeIngest(e: IngestEvent): void {
    const state = FRESHNESS[e.code as keyof typeof FRESHNESS];
    if (state === undefined || e.device === undefined || !this.#advising(e.rig)) return;
    const last = e.fields?.last_fresh_ms;
    const lastFreshMs = typeof last === 'number' ? last : null;
    const device = e.device;
    this.#guard(e.rig, () => this.#engine.observeFreshness({ rig: e.rig, device, state, lastFreshMs }));
  }

  /** Clears expired advice and the advice of rigs turned off; call it periodically (health timer). */
  sweep(): void {
    this.#forgetSilent();
    this.#guard(undefined, () => this.#engine.sweep());
  }

  /** Advice active now, of every rig or of one, oldest first. */
  active(rig?: string): AdvicePayload[] {
    return this.#engine.active(rig);
  }

  /** Active advice per configured rig that advises, and kind (zeros included). */
  counts(): AdviceCount[] {
    const by = new Map<string, number>();
    for (const p of this.#engine.active()) {
      const key = `${p.target.rig}\u0000${p.kind}`;
      by.set(key, (by.get(key) ?? 0) + 1);
    }
    const out: AdviceCount[] = [];
    for (const rig of this.#rigs.keys())
      if (this.#mode(rig) !== 'off')
        for (const kind of ADVICE_KINDS) out.push({ rig, kind, count: by.get(`${rig}\u0000${kind}`) ?? 0 });
    return out;
  }

  #mode(rig: string): AutotuneMode {
    return this.#modeOverride(rig) ?? this.#rigs.get(rig)?.mode ?? 'off';
  }

  /** True when `rig` is configured and not off; forgets a rig that stopped advising. */
  #advising(rig: string): boolean {
    if (this.#rigs.has(rig) && this.#mode(rig) !== 'off') {
      this.#fed.add(rig);
      return true;
    }
    if (this.#fed.has(rig)) this.#forget(rig);
    return false;
  }

  /** Clears the advice of fed rigs no longer configured or now off. */
  #forgetSilent(): void {
    for (const rig of [...this.#fed])
      if (!this.#rigs.has(rig) || this.#mode(rig) === 'off') this.#forget(rig);
  }

  #forget(rig: string): void {
    this.#fed.delete(rig);
    this.#guard(rig, () => this.#engine.forgetRig(rig));
  }

  /** Runs engine work; a bug there costs advice, never the rig's tick (reported, rate-limited). */
  #guard(rig: string | undefined, work: () => void): void {
    try {
      work();
    } catch (err) {
      this.#failed(rig, err);
    }
  }

  #failed(rig: string | undefined, err: unknown): void {
    this.#ops.report({
      component: 'runtime',
      code: 'advisory_failed',
      level: 'error',
      msg: 'Advisory engine failed; no advice this tick.',
      rig,
      err,
    });
  }

  #log(record: ControlRecord): void {
    const p = record.payload as AdvicePayload;
    const raised = p.state === 'active' && p.raised_ms === record.ts;
    if (!raised && p.state !== 'cleared') return;
    this.#ops.report({
      component: 'runtime',
      code: raised ? 'advice_raised' : 'advice_cleared',
      level: 'info',
      msg: raised ? 'Advice raised.' : 'Advice cleared.',
      rig: p.target.rig,
      device: p.target.device ?? undefined,
      fields: raised
        ? { kind: p.kind, severity: p.severity, reason: p.reason, id: p.id }
        : { kind: p.kind, cause: p.cause, id: p.id },
    });
  }
}
