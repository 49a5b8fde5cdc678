// The study runner's device moves: B's set-point applied behind the rupture guard, A2's baseline restored,
// held values read back, and the three ways out (pause on shutdown, abort, resume after a restart).

import { checkRupture, matchesSetpoint } from '../../control/autotune/index.ts';
import type { SetpointKind } from '../../core/actuator.ts';
import type { StudyDevice } from '../../study/aba-plan/index.ts';
import type { StudyControl } from './ports.ts';
import type { StudyRunner } from './runner.ts';

const name = (d: StudyDevice): string => `${d.rig}/${d.device}`;

export class Moves {
  readonly #r: StudyRunner;
  readonly #c: StudyControl;

  constructor(runner: StudyRunner, control: StudyControl) {
    this.#r = runner;
    this.#c = control;
  }

  get #id(): string {
    return this.#r.state.study_id;
  }

  /** A1 is over: B starts — the rig's auto-tune goes to auto, or the treatment is applied. */
  async enterB(d: StudyDevice, maxWaitMs: number): Promise<void> {
    if (this.#r.treatment.type === 'autotune') {
      await this.#autotuneOn(d.rig);
      const group = this.#r.state.devices.filter((x) => x.rig === d.rig && x.phase === 'A1');
      if (this.#r.state.status === 'running') await this.#r.enter(group, 'B');
      return;
    }
    await this.applyB(d, maxWaitMs, true);
  }

  /**
   * Applies B's set-point once the device's rupture class allows an action; waits (recorded) while it
   * does not, and aborts the study after `maxWaitMs`. `enter`: this starts B (marker); else B is re-held.
   */
  async applyB(d: StudyDevice, maxWaitMs: number, enter = false): Promise<void> {
    const run = this.#r.run(d);
    const nowMs = this.#r.clock.nowMs();
    const guard = checkRupture(run.rupture);
    if (!guard.ok) {
      if (run.waitingSinceMs === null) {
        run.waitingSinceMs = nowMs;
        this.#r.record(d.rig, d.device, 'waiting', `B waits: ${guard.reason}`);
      }
      if (nowMs - run.waitingSinceMs > maxWaitMs)
        this.#r.requestAbort(`${name(d)}: B could not start within ${maxWaitMs} ms (${guard.reason})`);
      return;
    }
    run.waitingSinceMs = null;
    const sp = d.setpoints[0];
    const limits = run.limits.get(sp.kind);
    const current = await this.#read(d, sp.kind);
    if (current === undefined) return;
    if (!matchesSetpoint(current, sp.baseline, limits) && !matchesSetpoint(current, sp.target, limits)) {
      this.#r.requestAbort(
        `${name(d)}: ${sp.kind} reads ${current ?? 'default'}, neither the baseline nor the treatment: changed outside the study`,
      );
      return;
    }
    if (!matchesSetpoint(current, sp.target, limits)) {
      const res = await this.#c.apply({
        rig: d.rig,
        device: d.device,
        kind: sp.kind,
        from: current,
        to: sp.target,
        limits,
        reason: `study ${this.#id}: phase B, ${this.#r.state.plan.treatment}`,
      });
      if (!res.ok) {
        this.#r.record(d.rig, d.device, 'apply_failed', res.error);
        this.#r.requestAbort(`${name(d)}: the treatment did not take (${res.error})`);
        return;
      }
      run.held = res.held;
    } else run.held ??= this.#adopt(d);
    run.needsApply = false;
    run.nextVerifyMs = this.#r.clock.nowMs() + 1;
    if (enter) await this.#r.enter([d], 'B');
  }

  /** B is over: back to the baseline (auto-tune: the mode before, then the baselines), A2 starts. */
  async enterA2(d: StudyDevice): Promise<void> {
    if (this.#r.treatment.type === 'autotune') {
      const group = this.#r.state.devices.filter((x) => x.rig === d.rig && x.phase === 'B');
      await this.#autotuneOff(d.rig);
      for (const g of group) if (!(await this.#restoreBaseline(g, 'A2 washout'))) return;
      await this.#r.enter(group, 'A2');
      return;
    }
    if (await this.#restoreBaseline(d, 'A2 washout')) await this.#r.enter([d], 'A2');
  }

  /** Reads back what each device should hold, for those whose read-back is due; a mismatch aborts. */
  async verifyDue(everyMs: number): Promise<void> {
    const nowMs = this.#r.clock.nowMs();
    for (const d of this.#r.state.devices) {
      const run = this.#r.run(d);
      if (d.phase === 'end' || run.needsApply || nowMs < run.nextVerifyMs) continue;
      if (d.phase === 'B' && this.#r.treatment.type === 'autotune') continue;
      run.nextVerifyMs = nowMs + everyMs;
      for (const sp of d.setpoints) {
        const want = d.phase === 'B' ? sp.target : sp.baseline;
        const got = await this.#read(d, sp.kind);
        if (got === undefined) return;
        if (matchesSetpoint(got, want, run.limits.get(sp.kind))) continue;
        const detail = `${sp.kind} reads ${got ?? 'default'}, phase ${d.phase} holds ${want ?? 'default'}`;
        this.#r.record(d.rig, d.device, 'verify_failed', detail);
        this.#r.requestAbort(`${name(d)}: read-back failed in phase ${d.phase}: ${detail}`);
        return;
      }
    }
  }

  /** Ends the study: the modes before and every baseline restored; `end` markers; status aborted. */
  async abort(reason: string): Promise<void> {
    if (this.#r.finished) return;
    this.#r.record(null, null, 'aborted', reason);
    const reasons = [...this.#r.state.reasons, reason];
    await this.#backToBaseline(reasons, 'study aborted');
    await this.#r.endEarly(this.#r.state.devices);
    this.#r.update({ status: 'aborted', reasons });
    await this.#r.save();
  }

  /** Shutdown mid-study: baselines back, the study stays running; B is re-applied on resume. */
  async pause(reason: string): Promise<void> {
    if (this.#r.finished) return;
    this.#r.record(null, null, 'paused', reason);
    const reasons = [...this.#r.state.reasons];
    await this.#backToBaseline(reasons, `study paused (${reason})`);
    for (const d of this.#r.state.devices) if (d.phase === 'B') this.#r.run(d).needsApply = true;
    this.#r.update({ reasons });
    await this.#r.save();
  }

  /** After a restart: A phases get their baseline back if it moved, B its treatment (behind the guard). */
  async resume(): Promise<void> {
    const modes = this.#r.state.modes_before;
    for (const d of this.#r.state.devices) {
      if (d.phase === 'end') continue;
      if (d.phase === 'B') {
        if (this.#r.treatment.type === 'autotune') {
          if (this.#c.mode(d.rig) !== 'auto' && modes[d.rig] !== undefined)
            await this.#c.setMode(d.rig, 'auto');
        } else this.#r.run(d).needsApply = true;
        continue;
      }
      if (!(await this.#restoreBaseline(d, `resume in ${d.phase}`))) break;
    }
    await this.#r.save();
  }

  async #backToBaseline(reasons: string[], why: string): Promise<void> {
    if (this.#r.treatment.type === 'autotune')
      for (const rig of this.#r.state.plan.rigs)
        if (this.#r.state.devices.some((d) => d.rig === rig && d.phase === 'B'))
          await this.#autotuneOff(rig).catch((err: Error) =>
            reasons.push(`rig ${rig}: mode not restored: ${err.message}`),
          );
    for (const d of this.#r.state.devices) {
      if (d.phase === 'end') continue;
      if (!(await this.#restoreBaseline(d, why)))
        reasons.push(`${name(d)}: the baseline could not be restored; check the device`);
    }
  }

  /** Writes each baseline back where the device differs (the held action undone first). True when all hold. */
  async #restoreBaseline(d: StudyDevice, why: string): Promise<boolean> {
    const run = this.#r.run(d);
    const reason = `study ${this.#id}: ${why}, back to the baseline`;
    if (run.held !== null) {
      const held = { ...run.held, limits: run.held.limits ?? run.limits.get(run.held.kind) };
      if (await this.#c.undo(held, reason)) run.held = null;
    }
    let ok = true;
    for (const sp of d.setpoints) {
      const limits = run.limits.get(sp.kind);
      const current = await this.#read(d, sp.kind);
      if (current === undefined) return false;
      if (matchesSetpoint(current, sp.baseline, limits)) continue;
      const res = await this.#c.restore({
        rig: d.rig,
        device: d.device,
        kind: sp.kind,
        from: current,
        to: sp.baseline,
        limits,
        reason,
      });
      if (!res.ok) {
        this.#r.record(d.rig, d.device, 'restore_failed', res.error);
        ok = false;
      } else this.#r.record(d.rig, d.device, 'restored', `${sp.kind} back to ${sp.baseline ?? 'default'}`);
    }
    run.held = null;
    if (!ok) this.#r.requestAbort(`${name(d)}: the baseline could not be restored`);
    return ok;
  }

  async #autotuneOn(rig: string): Promise<void> {
    const before = this.#c.mode(rig) ?? 'advise';
    this.#r.update({ modes_before: { ...this.#r.state.modes_before, [rig]: before } });
    await this.#r.save();
    await this.#c.setMode(rig, 'auto');
    this.#r.record(rig, null, 'mode', `auto-tune ${before} → auto for B`);
  }

  async #autotuneOff(rig: string): Promise<void> {
    const before = this.#r.state.modes_before[rig] ?? 'advise';
    await this.#c.setMode(rig, before);
    this.#r.record(rig, null, 'mode', `auto-tune auto → ${before} for A2`);
  }

  #adopt(d: StudyDevice): ReturnType<StudyControl['adopt']> {
    const sp = d.setpoints[0];
    return this.#c.adopt(d.rig, d.device, sp.kind, sp.target);
  }

  /** The set-point now; undefined (recorded, abort asked) when it cannot be read. */
  async #read(d: StudyDevice, kind: SetpointKind): Promise<number | null | undefined> {
    try {
      return await this.#c.read(d.rig, d.device, kind);
    } catch (err) {
      const msg = (err as Error).message;
      this.#r.record(d.rig, d.device, 'verify_failed', `read ${kind}: ${msg}`);
      this.#r.requestAbort(`${name(d)}: ${kind} cannot be read back (${msg})`);
      return undefined;
    }
  }
}
