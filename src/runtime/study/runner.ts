// Runs one A-B-A study: each device moves A1 → B → A2 → end on the injected clock; B's set-point is
// applied and A2's baseline restored through the guarded path; markers and study.json follow each move.

import type { SetpointLimits } from '../../core/actuator.ts';
import type { Clock } from '../../core/clock.ts';
import { RigtuneError } from '../../core/errors.ts';
import type { RuptureClass } from '../../core/scores.ts';
import type { ControlRecord, RigTickBatch } from '../../core/sink.ts';
import {
  type AbaMarker,
  type AbaPhase,
  duePhase,
  enterPhase,
  STUDY_FILE_VERSION,
  type StudyDevice,
  type StudyEvent,
  type StudyFile,
  type Treatment,
} from '../../study/aba-plan/index.ts';
import { markerOf, markerRecord } from './markers.ts';
import { planDevices, type StudyRequest } from './plan.ts';
import type { HeldChange, StudyControl, StudyStore } from './ports.ts';
import { Moves } from './runner-moves.ts';

export interface StudyRunnerDeps {
  readonly clock: Clock;
  readonly control: StudyControl;
  readonly store: StudyStore;
  /** Receives marker records (the action records of writes come from the control path). */
  readonly emit: (record: ControlRecord) => void;
  /** How often held set-points are read back, ms; default 30 000. */
  readonly verifyEveryMs?: number;
  /** How long B may wait for a meso/macro rupture to clear before the study aborts, ms; default B's length, at least 60 s. */
  readonly maxWaitMs?: number;
  /** Hears each event as it is recorded (logging). */
  readonly onEvent?: (e: StudyEvent) => void;
}

const key = (d: { rig: string; device: string }): string => `${d.rig}/${d.device}`;

/** Per-device memory of the run (not persisted: rebuilt on resume). */
export interface DeviceRun {
  held: HeldChange | null;
  /** B's set-point must be (re)applied before B counts as held (resume, or waiting on a rupture). */
  needsApply: boolean;
  waitingSinceMs: number | null;
  nextVerifyMs: number;
  rupture: RuptureClass | null;
  limits: Map<string, SetpointLimits>;
}

export class StudyRunner {
  readonly #d: StudyRunnerDeps;
  readonly #treatment: Treatment;
  readonly #runs = new Map<string, DeviceRun>();
  readonly #moves: Moves;
  #file: StudyFile;
  #chain: Promise<unknown> = Promise.resolve();
  #abortReason: string | null = null;
  #pending: StudyEvent[] = [];
  #markers: AbaMarker[] = [];

  private constructor(file: StudyFile, treatment: Treatment, deps: StudyRunnerDeps) {
    this.#file = file;
    this.#treatment = treatment;
    this.#d = deps;
    this.#moves = new Moves(this, deps.control);
  }

  /** Checks and starts a new study (A1 begins now). Throws RT_STUDY_REFUSED before changing anything. */
  static async begin(req: StudyRequest, deps: StudyRunnerDeps): Promise<StudyRunner> {
    const devices = await planDevices(req, deps.control, deps.store, deps.clock.nowMs());
    const nowMs = deps.clock.nowMs();
    const file: StudyFile = {
      version: STUDY_FILE_VERSION,
      study_id: req.id,
      status: 'running',
      created_ms: nowMs,
      updated_ms: nowMs,
      plan: {
        rigs: [...req.rigs],
        devices: req.devices === null ? null : [...req.devices],
        treatment: req.treatment.text,
        durations_ms: { ...req.durations },
      },
      modes_before: {},
      devices: devices.map((d) => ({ ...d, started_ms: { A1: nowMs } })),
      reasons: [],
      events: [],
    };
    const r = new StudyRunner(file, req.treatment, deps);
    await r.#learnLimits();
    await r.emitMarkers(file.devices, 'A1', nowMs);
    await r.save();
    return r;
  }

  /** Continues a running study from its study.json: re-verifies or re-applies each phase's set-point. */
  static async resume(file: StudyFile, treatment: Treatment, deps: StudyRunnerDeps): Promise<StudyRunner> {
    if (file.status !== 'running')
      throw new RigtuneError(
        'RT_STUDY_STATE',
        `study ${file.study_id} is ${file.status}: nothing to resume`,
        {},
      );
    const r = new StudyRunner(file, treatment, deps);
    await r.#learnLimits();
    r.record(
      null,
      null,
      'resumed',
      `resumed in phases ${file.devices.map((d) => `${key(d)}:${d.phase}`).join(', ')}`,
    );
    await r.#serial(() => r.#moves.resume());
    return r;
  }

  get state(): StudyFile {
    return this.#file;
  }

  get treatment(): Treatment {
    return this.#treatment;
  }

  get finished(): boolean {
    return this.#file.status !== 'running';
  }

  get clock(): Clock {
    return this.#d.clock;
  }

  run(d: { rig: string; device: string }): DeviceRun {
    const k = key(d);
    let r = this.#runs.get(k);
    if (r === undefined) {
      r = {
        held: null,
        needsApply: false,
        waitingSinceMs: null,
        nextVerifyMs: 0,
        rupture: null,
        limits: new Map(),
      };
      this.#runs.set(k, r);
    }
    return r;
  }

  /** Takes a tick's rupture classes; records each meso/macro episode; a macro under a held B aborts. */
  observe(batch: RigTickBatch): void {
    for (const s of batch.scores) {
      const d = this.#file.devices.find((x) => x.rig === s.rig && x.device === s.device);
      if (d === undefined) continue;
      const r = this.run(d);
      const was = r.rupture;
      r.rupture = s.rupture_class;
      const big = s.rupture_class === 'meso' || s.rupture_class === 'macro';
      if (!big || was === s.rupture_class || this.finished) continue;
      this.record(d.rig, d.device, 'rupture', `${s.rupture_class} rupture in phase ${d.phase}`, s.ts);
      if (
        s.rupture_class === 'macro' &&
        d.phase === 'B' &&
        !r.needsApply &&
        this.#treatment.type === 'setpoint'
      )
        this.#abortReason ??= `macro rupture on ${key(d)} during B: the treatment cannot be held safely`;
    }
  }

  /** One pass: kill switch and mode checks, read-backs that are due, phase moves that are due. */
  step(): Promise<StudyFile> {
    return this.#serial(async () => {
      if (this.finished) return this.#file;
      const c = this.#d.control;
      const kill = c.killSwitch();
      if (kill.engaged) this.#abortReason ??= `kill switch engaged (${kill.reason ?? 'no reason given'})`;
      if (this.#treatment.type === 'setpoint')
        for (const rig of this.#file.plan.rigs)
          if (c.mode(rig) === 'auto')
            this.#abortReason ??= `rig ${rig} was switched to auto-tune during the study`;
      if (this.#abortReason === null) await this.#moves.verifyDue(this.#d.verifyEveryMs ?? 30_000);
      if (this.#abortReason !== null) {
        await this.#moves.abort(this.#abortReason);
        return this.#file;
      }
      const durations = this.#file.plan.durations_ms;
      for (const d of this.#file.devices) {
        if (this.#abortReason !== null) break;
        const r = this.run(d);
        const due = duePhase({ phase: d.phase, startedMs: d.started_ms }, this.#d.clock.nowMs(), durations);
        // A B past its end (the service was down) is not re-applied: A2 follows at once.
        if (due !== null) r.needsApply = false;
        if (due === null && d.phase === 'B' && r.needsApply)
          await this.#moves.applyB(d, this.#d.maxWaitMs ?? Math.max(durations.B, 60_000));
        else if (due === 'B') await this.#moves.enterB(d, this.#d.maxWaitMs ?? Math.max(durations.B, 60_000));
        else if (due === 'A2') await this.#moves.enterA2(d);
        else if (due === 'end') await this.enter([d], 'end');
      }
      if (this.#abortReason !== null) await this.#moves.abort(this.#abortReason);
      else if (this.#file.devices.every((d) => d.phase === 'end')) this.update({ status: 'done' });
      await this.save();
      return this.#file;
    });
  }

  /** Shutdown before the end: B's set-points go back to the baseline; the study stays running (resumable). */
  pause(reason: string): Promise<void> {
    return this.#serial(() => this.#moves.pause(reason));
  }

  /** Ends the study early with the baselines restored. */
  abort(reason: string): Promise<void> {
    return this.#serial(() => this.#moves.abort(reason));
  }

  // ——— used by Moves ———

  /** Asks the next step to abort with `reason` (the first reason wins). */
  requestAbort(reason: string): void {
    this.#abortReason ??= reason;
  }

  record(rig: string | null, device: string | null, kind: string, detail: string, tsMs?: number): void {
    const e: StudyEvent = { ts_ms: tsMs ?? this.#d.clock.nowMs(), rig, device, kind, detail };
    this.#pending.push(e);
    this.#d.onEvent?.(e);
  }

  update(patch: Partial<Pick<StudyFile, 'status' | 'reasons' | 'modes_before'>>): void {
    this.#file = { ...this.#file, ...patch };
  }

  /** Moves `devices` into `phase` now (verified), with markers (written by the step's `save()`). */
  async enter(devices: readonly StudyDevice[], phase: AbaPhase): Promise<void> {
    const ts = this.#d.clock.nowMs();
    const names = new Set(devices.map(key));
    this.#file = {
      ...this.#file,
      devices: this.#file.devices.map((d) => {
        if (!names.has(key(d))) return d;
        const s = enterPhase({ phase: d.phase, startedMs: d.started_ms }, phase, ts);
        return { ...d, phase: s.phase, started_ms: s.startedMs };
      }),
    };
    await this.emitMarkers(
      this.#file.devices.filter((d) => names.has(key(d))),
      phase,
      ts,
    );
  }

  /** Ends `devices` early (abort): phase `end` now, with markers. */
  async endEarly(devices: readonly StudyDevice[]): Promise<void> {
    const ts = this.#d.clock.nowMs();
    const names = new Set(devices.filter((d) => d.phase !== 'end').map(key));
    if (names.size === 0) return;
    this.#file = {
      ...this.#file,
      devices: this.#file.devices.map((d) =>
        names.has(key(d)) ? { ...d, phase: 'end', started_ms: { ...d.started_ms, end: ts } } : d,
      ),
    };
    await this.emitMarkers(
      this.#file.devices.filter((d) => names.has(key(d))),
      'end',
      ts,
    );
  }

  /** Queues the markers of `devices` entering `phase`; `save()` writes them (one file per step). */
  async emitMarkers(devices: readonly StudyDevice[], phase: AbaPhase, ts: number): Promise<void> {
    this.#markers.push(...devices.map((d) => markerOf(this.#file, d, phase, ts)));
  }

  /** Writes queued markers (NDJSON, Parquet, records), then study.json with the events recorded since. */
  async save(): Promise<void> {
    const markers = this.#markers;
    this.#markers = [];
    await this.#d.store.appendMarkers(markers);
    for (const m of markers) this.#d.emit(markerRecord(m));
    const events = this.#pending;
    this.#pending = [];
    this.#file = {
      ...this.#file,
      updated_ms: this.#d.clock.nowMs(),
      events: [...this.#file.events, ...events],
    };
    await this.#d.store.save(this.#file);
  }

  async #learnLimits(): Promise<void> {
    for (const rig of this.#file.plan.rigs) {
      const controls = await this.#d.control.describe(rig).catch(() => []);
      for (const d of this.#file.devices.filter((x) => x.rig === rig)) {
        const c = controls.find((x) => x.device === d.device);
        for (const sp of d.setpoints) {
          const l = c?.limits[sp.kind];
          if (l !== undefined) this.run(d).limits.set(sp.kind, l);
        }
      }
    }
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(op, op);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}
