// Test helpers for the study runner: a simulated rig behind the real guarded path (sim actuator, on-disk
// journal, files in a temp dir) on a fake clock, tick batches with chosen rupture classes, file readers.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { SimActuator } from '../../control/actuators/sim/index.ts';
import {
  type AutotuneMode,
  type AutotuneOptionsInput,
  AutotuneOptionsSchema,
  KillSwitch,
} from '../../control/autotune/index.ts';
import { scoreTick } from '../../control/autotune/test-kit.ts';
import { type ActionJournal, openJournal } from '../../control/journal/index.ts';
import type { Actuator, ActuatorContext, SetpointWrite } from '../../core/actuator.ts';
import type { Clock } from '../../core/clock.ts';
import type { RuptureClass } from '../../core/scores.ts';
import type { ControlRecord, RigTickBatch } from '../../core/sink.ts';
import { Fleet } from '../../sim/index.ts';
import { MARKERS_DATASET } from '../../sinks/parquet/index.ts';
import { GuardedStudyControl } from './guarded-control.ts';
import { SerialActuator } from './serial-actuator.ts';
import { FileStudyStore } from './store.ts';

/** A driver that acknowledges writes and ignores them (firmware that lies). */
export class LyingActuator implements Actuator {
  readonly kind: string;
  readonly rig: string;
  readonly inner: Actuator;
  lying = false;
  constructor(inner: Actuator) {
    this.inner = inner;
    this.kind = inner.kind;
    this.rig = inner.rig;
  }
  describe(ctx: ActuatorContext) {
    return this.inner.describe(ctx);
  }
  read(device: string, kind: SetpointWrite['kind'], ctx: ActuatorContext) {
    return this.inner.read(device, kind, ctx);
  }
  async write(device: string, change: SetpointWrite, ctx: ActuatorContext) {
    if (!this.lying) await this.inner.write(device, change, ctx);
  }
  close() {
    return this.inner.close();
  }
}

export interface Rig<C extends Clock = Clock> {
  readonly clock: C;
  readonly dir: string;
  readonly fleet: Fleet;
  readonly sim: SimActuator;
  readonly lying: LyingActuator;
  readonly journal: ActionJournal;
  readonly killSwitch: KillSwitch;
  readonly records: ControlRecord[];
  readonly modes: Map<string, AutotuneMode>;
  readonly control: GuardedStudyControl;
  store(id: string): Promise<FileStudyStore>;
  /** A second control over the same devices and journal (a restarted service). */
  reopen(): Promise<{ control: GuardedStudyControl; journal: ActionJournal }>;
  close(): Promise<void>;
}

/** One simulated GPU rig `rig0` (RTX 3080 Ti ×2: 350 W default, 100–400 W) behind the guarded path. */
/** `clock`: a fake clock the test moves (test/helpers/fake-clock.ts). */
export async function simRig<C extends Clock>(clock: C, options: AutotuneOptionsInput = {}): Promise<Rig<C>> {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-study-'));
  const fleet = new Fleet({
    seed: 1,
    startMs: clock.nowMs(),
    gpuRigs: 1,
    gpusPerRig: 2,
    gpuModel: 'rtx3080ti',
    asics: 0,
    settleS: 0,
  });
  const sim = new SimActuator(fleet, 'rig0');
  const lying = new LyingActuator(sim);
  const killSwitch = new KillSwitch();
  const records: ControlRecord[] = [];
  const modes = new Map<string, AutotuneMode>([['rig0', 'advise']]);
  const parsed = AutotuneOptionsSchema.parse(options);
  const build = (journal: ActionJournal) =>
    new GuardedStudyControl({
      clock,
      actuators: new Map([['rig0', new SerialActuator(lying)]]),
      journal,
      killSwitch,
      options: () => parsed,
      modes: {
        mode: (rig) => modes.get(rig) ?? null,
        setMode: async (rig, mode) => {
          modes.set(rig, mode);
        },
      },
      emit: (r) => records.push(r),
    });
  const journalDir = join(dir, 'journal');
  let journal = await openJournal({ dir: journalDir });
  return {
    clock,
    dir,
    fleet,
    sim,
    lying,
    journal,
    killSwitch,
    records,
    modes,
    control: build(journal),
    store: (id) => FileStudyStore.open(dir, id),
    reopen: async () => {
      await journal.close();
      journal = await openJournal({ dir: journalDir });
      return { control: build(journal), journal };
    },
    close: async () => {
      await journal.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A tick of `rig0` whose devices all score `cls`. */
export function tick(ts: number, cls: RuptureClass = 'none', devices = ['gpu0', 'gpu1']): RigTickBatch {
  return {
    rig: 'rig0',
    ts,
    snapshots: [],
    events: [],
    scores: devices.map((d) => scoreTick('rig0', d, ts, cls)),
    state: null as never,
  };
}

/** The power limit the simulated GPU runs with now, W. */
export function powerLimitW(rig: Rig, device: string): number {
  const gpu = rig.fleet.rig('rig0').gpus.find((g) => g.device === device);
  if (gpu === undefined) throw new Error(`no ${device}`);
  return gpu.powerLimitW;
}

/** markers.ndjson of a study, parsed. */
export function ndjsonMarkers(dir: string, id: string): Array<Record<string, unknown>> {
  const text = readFileSync(join(dir, 'studies', id, 'markers.ndjson'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Every aba_markers Parquet row under `dir`, read with hyparquet, oldest first. */
export async function parquetMarkers(dir: string): Promise<Array<Record<string, unknown>>> {
  const { readdirSync } = await import('node:fs');
  const root = join(dir, MARKERS_DATASET);
  const rows: Array<Record<string, unknown>> = [];
  for (const date of readdirSync(root).sort())
    for (const f of readdirSync(join(root, date)).sort()) {
      const file = await asyncBufferFromFile(join(root, date, f));
      rows.push(...((await parquetReadObjects({ file, utf8: true })) as Array<Record<string, unknown>>));
    }
  return rows;
}
