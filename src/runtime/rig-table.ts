// The service's configured rigs: each rig's scorer and running sources, and how a new configuration
// is applied to them live (rigs added or removed, scorer options changed, sources swapped by key).

import type { ConfiguredRig } from '../api/index.ts';
import type { AutotuneMode } from '../config/index.ts';
import type { AdvisoryOptions } from '../control/advisory/index.ts';
import type { AutotuneOptionsInput } from '../control/autotune/index.ts';
import type { OptimizerOptionsInput } from '../control/optimizer/index.ts';
import type { RuptureEvent } from '../core/scores.ts';
import type { RigState } from '../core/sink.ts';
import type { Source } from '../core/source.ts';
import type { IngestScheduler } from '../ingest/index.ts';
import type { ScorerOptions } from '../pipeline/index.ts';
import type { ActuatorSpec } from './autotune-rig.ts';
import type { OpsReporter } from './ops-events.ts';
import { RigScorer } from './rig-scorer.ts';
import type { SourceHealth } from './source-health.ts';

/** How a source is polled. */
interface SourceCadence {
  /** Its values change fast enough to be worth bursting (NVML, nvidia-smi). */
  readonly fastCapable: boolean;
  /** Poll interval, ms; undefined = the source's hint or the sampling default. */
  readonly intervalMs?: number;
  /** Limit of one poll, ms; undefined = the interval. */
  readonly timeoutMs?: number;
}

/** A source the service builds when it starts it (what a configuration gives). */
export interface SourceSpec extends SourceCadence {
  /**
   * Identity of the source's whole configuration (kind, options, cadence): on reconfigure a source
   * whose key is unchanged keeps running, one whose key changed is replaced.
   */
  readonly key: string;
  /** The source's kind (`cgminer`, `nvml`…), for the API and reports before it is built. */
  readonly kind: string;
  /** Builds the source (opens nothing yet); called only when the source starts. */
  readonly create: () => Source;
}

/** A source built by the caller (tests, benches); its key defaults to the instance's identity. */
export interface ReadySource extends SourceCadence {
  readonly source: Source;
  readonly key?: string;
}

/** One configured source as the service runs it. */
export type ServiceSource = SourceSpec | ReadySource;

const instanceKeys = new WeakMap<Source, string>();
let instances = 0;

/** A ReadySource as a SourceSpec: the same instance passed again on reconfigure is kept. */
function specOf(s: ServiceSource): SourceSpec {
  if (!('source' in s)) return s;
  const { source } = s;
  let key = s.key ?? instanceKeys.get(source);
  if (key === undefined) {
    instances += 1;
    key = `instance:${instances}`;
    instanceKeys.set(source, key);
  }
  const { fastCapable, intervalMs, timeoutMs } = s;
  return { key, kind: source.kind, create: () => source, fastCapable, intervalMs, timeoutMs };
}

/** One rig: its name, its scorer options (defaults merged with its thresholds) and its sources. */
export interface ServiceRig {
  readonly name: string;
  readonly scorer: Partial<ScorerOptions>;
  readonly sources: readonly ServiceSource[];
  /** Advisory options (config defaults merged with the rig's); default: the engine's built-ins. */
  readonly advisory?: AdvisoryOptions;
  /** `off`: scored only, no advice; `advise` (default) and `auto`: the advisory engine runs. */
  readonly autotune?: AutotuneMode;
  /** The auto-tune controller's options; default its built-ins. */
  readonly autotuneOptions?: AutotuneOptionsInput;
  /** The optimizer's options; default its built-ins. */
  readonly optimizerOptions?: OptimizerOptionsInput;
  /** What changes the rig's settings; none = no auto-tune controller. */
  readonly actuator?: ActuatorSpec;
}

/** What a reconfiguration did. */
export interface ReconfigureReport {
  readonly rigsAdded: readonly string[];
  readonly rigsRemoved: readonly string[];
  /** Rigs whose scorer was rebuilt with new options: their scoring windows start afresh. */
  readonly scorersRebuilt: readonly string[];
  readonly sourcesStarted: number;
  readonly sourcesStopped: number;
  /** Sources that could not be started (each reported), as `rig/kind`. */
  readonly sourcesFailed: readonly string[];
}

interface RunningSource {
  readonly key: string;
  readonly id: string;
  readonly kind: string;
}

interface RigEntry {
  readonly name: string;
  scorer: RigScorer;
  scorerKey: string;
  sources: RunningSource[];
}

export interface RigTableDeps {
  readonly scheduler: IngestScheduler;
  readonly health: SourceHealth;
  readonly ops: OpsReporter;
  /** Hands the events a scorer closed (removal, rebuild, stop) to the sinks with the rig's state. */
  readonly closeEvents: (rig: string, events: readonly RuptureEvent[], state: RigState) => void;
}

/** JSON with sorted keys: equal for equal plain data whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export class RigTable {
  readonly #d: RigTableDeps;
  readonly #rigs = new Map<string, RigEntry>();

  constructor(deps: RigTableDeps) {
    this.#d = deps;
  }

  static emptyReport(): ReconfigureReport {
    return {
      rigsAdded: [],
      rigsRemoved: [],
      scorersRebuilt: [],
      sourcesStarted: 0,
      sourcesStopped: 0,
      sourcesFailed: [],
    };
  }

  /** The rig's scorer, or undefined for a rig not (or no longer) configured. */
  scorer(rig: string): RigScorer | undefined {
    return this.#rigs.get(rig)?.scorer;
  }

  describe(): ConfiguredRig[] {
    const health = this.#d.health;
    return [...this.#rigs.values()].map((e) => ({
      rig: e.name,
      sources: e.sources.map((s) => ({ id: s.id, kind: s.kind, status: health.status(s.id) })),
    }));
  }

  /** Adds a rig and starts its sources; `strict` rethrows a failing source factory (startup). */
  add(rig: ServiceRig, strict = false): string[] {
    const entry: RigEntry = {
      name: rig.name,
      scorer: new RigScorer(rig.name, rig.scorer),
      scorerKey: canonicalJson(rig.scorer),
      sources: [],
    };
    this.#rigs.set(rig.name, entry);
    return this.#start(entry, rig.sources.map(specOf), strict);
  }

  /** Applies `rigs` (see Service.reconfigure); new sources are not started once `isStopping()`. */
  async reconfigure(rigs: readonly ServiceRig[], isStopping: () => boolean): Promise<ReconfigureReport> {
    const wanted = new Map(rigs.map((r) => [r.name, r]));
    const rigsRemoved: string[] = [];
    const scorersRebuilt: string[] = [];
    const stopping: RunningSource[] = [];
    const toStart: Array<[RigEntry, SourceSpec[]]> = [];
    for (const [name, entry] of this.#rigs) {
      const rig = wanted.get(name);
      if (rig === undefined) {
        this.#rigs.delete(name);
        this.#closeScorer(entry);
        stopping.push(...entry.sources);
        rigsRemoved.push(name);
        continue;
      }
      const key = canonicalJson(rig.scorer);
      if (key !== entry.scorerKey) {
        this.#closeScorer(entry);
        entry.scorer = new RigScorer(name, rig.scorer, entry.scorer.tracker);
        entry.scorerKey = key;
        scorersRebuilt.push(name);
      }
      // Sources are matched by key (as a multiset): unchanged ones keep running undisturbed.
      const pool = [...entry.sources];
      const kept: RunningSource[] = [];
      const fresh: SourceSpec[] = [];
      for (const spec of rig.sources.map(specOf)) {
        const i = pool.findIndex((s) => s.key === spec.key);
        if (i >= 0) kept.push(...pool.splice(i, 1));
        else fresh.push(spec);
      }
      entry.sources = kept;
      stopping.push(...pool);
      if (fresh.length > 0) toStart.push([entry, fresh]);
    }
    // Old sources go first, so a replacement gets the same id and never polls beside its predecessor.
    await Promise.all(stopping.map((s) => this.#stopSource(s)));
    const report = {
      ...RigTable.emptyReport(),
      rigsRemoved,
      scorersRebuilt,
      sourcesStopped: stopping.length,
    };
    if (isStopping()) return report;
    const failed: string[] = [];
    let started = 0;
    for (const [entry, specs] of toStart) {
      if (this.#rigs.get(entry.name) !== entry) continue;
      failed.push(...this.#start(entry, specs, false));
      started += specs.length;
    }
    const rigsAdded = rigs.filter((r) => !this.#rigs.has(r.name)).map((r) => r.name);
    for (const name of rigsAdded) {
      const rig = wanted.get(name) as ServiceRig;
      failed.push(...this.add(rig));
      started += rig.sources.length;
    }
    return { ...report, rigsAdded, sourcesStarted: started - failed.length, sourcesFailed: failed };
  }

  /** Closes every rig's open rupture events (shutdown). */
  closeAll(): void {
    for (const entry of this.#rigs.values()) this.#closeScorer(entry);
  }

  /** Starts `specs` for `entry`; returns the ones that failed (reported), unless `strict`. */
  #start(entry: RigEntry, specs: readonly SourceSpec[], strict: boolean): string[] {
    const failed: string[] = [];
    for (const spec of specs) {
      try {
        const source = spec.create();
        const { fastCapable, intervalMs, timeoutMs } = spec;
        const id = this.#d.scheduler.add({ source, fastCapable, intervalMs, timeoutMs });
        entry.sources.push({ key: spec.key, id, kind: spec.kind });
      } catch (err) {
        if (strict) throw err;
        failed.push(`${entry.name}/${spec.kind}`);
        this.#d.ops.report({
          component: 'runtime',
          code: 'source_start_failed',
          level: 'error',
          msg: 'Source could not be started; the rig runs without it.',
          rig: entry.name,
          err,
          fields: { kind: spec.kind },
        });
      }
    }
    return failed;
  }

  async #stopSource(s: RunningSource): Promise<void> {
    await this.#d.scheduler.remove(s.id);
    this.#d.health.forget(s.id);
  }

  #closeScorer(entry: RigEntry): void {
    const events = entry.scorer.flush();
    if (events.length > 0) this.#d.closeEvents(entry.name, events, entry.scorer.state());
  }
}
