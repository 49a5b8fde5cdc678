// The advisory engine of one owned partition: fed each scored entry at the collector's tick time (so its
// records equal those `rigtune run` emits), versioned as the Valkey sink versions them, restorable.

import type { AutotuneMode } from '../../config/index.ts';
import {
  ADVICE_KINDS,
  AdvisoryEngine,
  type AdvisoryOptions,
  DEFAULT_ADVISORY_OPTIONS,
} from '../../control/advisory/index.ts';
import type { Clock } from '../../core/clock.ts';
import type { ControlRecord, RigTickBatch } from '../../core/sink.ts';
import { StreamIds } from '../../sinks/valkey/index.ts';
import { canonicalJson } from '../rig-table.ts';
import type { RigSettings } from './rig-settings.ts';

const ENGINE_KINDS: ReadonlySet<string> = new Set(ADVICE_KINDS);

/** An advice record to write, with its version (`<ts>` / `<ts>:<n>`, as the Valkey sink's StreamIds). */
export interface AdviceOut {
  readonly record: ControlRecord;
  readonly version: string;
}

interface RigAdvice {
  readonly options: AdvisoryOptions;
  readonly key: string;
  readonly mode: AutotuneMode;
}

/**
 * One engine per partition consumer. Time is data time: every record is stamped with the tick of the
 * entry being observed (the collector's clock at the poll, what the single-process service uses), so a
 * replay after a takeover yields the same records, ids and versions as the first pass.
 */
export class RigAdvisor {
  readonly #engine: AdvisoryEngine;
  readonly #rigs = new Map<string, RigAdvice>();
  /** Rigs the engine may hold advice of (fed while advising). */
  readonly #fed = new Set<string>();
  readonly #ids = new StreamIds();
  readonly #onError: (rig: string, err: unknown) => void;
  #nowMs = 0;
  #out: AdviceOut[] = [];

  /** `onError`: an engine failure (it costs that tick's advice, never the scores). */
  constructor(onError: (rig: string, err: unknown) => void) {
    this.#onError = onError;
    const clock: Clock = {
      nowMs: () => this.#nowMs,
      // The engine never sleeps; a clock that cannot is honest about it.
      sleep: () => Promise.reject(new Error('RigAdvisor clock does not sleep')),
    };
    this.#engine = new AdvisoryEngine({
      clock,
      emit: (record) =>
        // The version under the rig's advice key, by the Valkey sink's rule (StreamIds.version).
        this.#out.push({ record, version: this.#ids.version(`advice:${record.rig}`, record.ts) }),
      // The same object while a rig's options are unchanged: a new one withdraws rules switched off.
      optionsFor: (rig) => this.#rigs.get(rig)?.options ?? DEFAULT_ADVISORY_OPTIONS,
    });
  }

  /** Applies a rig's published settings (null: none published, the built-ins). Equal options are kept. */
  configure(rig: string, settings: RigSettings | null): void {
    const options = settings?.advisory ?? DEFAULT_ADVISORY_OPTIONS;
    const key = canonicalJson(options);
    const before = this.#rigs.get(rig);
    const kept = before !== undefined && before.key === key ? before.options : options;
    this.#rigs.set(rig, { options: kept, key, mode: settings?.autotune ?? 'advise' });
  }

  /**
   * Feeds one scored entry (`batch.ts` = its tick) and returns the advice records it caused, in order.
   * A rig set to `off` is not fed; if it advised before, its advice is cleared (as on a reload).
   */
  observe(batch: RigTickBatch): AdviceOut[] {
    this.#nowMs = batch.ts;
    const rig = batch.rig;
    if ((this.#rigs.get(rig)?.mode ?? 'advise') !== 'off') {
      this.#fed.add(rig);
      this.#guard(rig, () => this.#engine.observe(batch));
    } else if (this.#fed.delete(rig)) this.#guard(rig, () => this.#engine.forgetRig(rig));
    const out = this.#out;
    this.#out = [];
    return out;
  }

  /**
   * Makes `records` (the rig's active advice as Valkey holds it) the engine's active advice of `rig`,
   * emitting nothing: the published set is the truth after a takeover (episodes raised before the
   * replayed history continue under their ids; none is raised twice). Only the engine's own kinds:
   * the hash also holds the site collector's auto-tune advice, which that collector keeps and clears.
   */
  restore(rig: string, records: readonly ControlRecord[]): void {
    const own = records.filter((r) => ENGINE_KINDS.has(String(r.payload.kind)));
    this.#guard(rig, () => this.#engine.restoreActive(rig, own));
  }

  #guard(rig: string, work: () => void): void {
    try {
      work();
    } catch (err) {
      this.#onError(rig, err);
    }
  }
}
