// Real study and backtest files for the studies page, made by the real writers in-process: the study
// runner (guarded sim actuator, fake clock), `study analyze` over a synthetic history, `rigtune backtest`.

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BacktestFlags, runBacktestCommand } from '../../src/cli/backtest.ts';
import { DEFAULT_START, runSim } from '../../src/cli/sim.ts';
import { StudyRunner } from '../../src/runtime/study/index.ts';
import { simRig, tick } from '../../src/runtime/study/test-kit.ts';
import { runStudyAnalysis } from '../../src/runtime/study-history/index.ts';
import { markersNdjson, syntheticStudy, writeHistory } from '../../src/runtime/study-history/test-kit.ts';
import { parseTreatment } from '../../src/study/aba-plan/index.ts';
import { FakeClock } from '../helpers/fake-clock.ts';

/** Ids of what `writeRealStudies` makes. */
export const REAL = {
  /** Ran A1 → B → A2 to the end and was analysed (report.json with a pooled verdict). */
  analysed: 'pl-minus-20',
  /** Stopped in B: status running. */
  running: 'pl-330w',
  /** A backtest of two configurations under a default (UTC stamp) folder name. */
  backtest: '20261101-120000',
} as const;

/** A1 60 s, B 120 s, A2 60 s: what the runner is driven through (1 Hz ticks on a fake clock). */
const DURATIONS = { A1: 60_000, B: 120_000, A2: 60_000 };

/** Runs study `id` with `treatment` on a simulated rig for `ms`, then copies its folder into `dataDir`. */
async function runStudy(dataDir: string, id: string, treatment: string, ms: number): Promise<void> {
  const rig = await simRig(new FakeClock(Date.UTC(2026, 2, 1, 9, 0, 0)));
  try {
    const runner = await StudyRunner.begin(
      { id, rigs: ['rig0'], devices: null, treatment: parseTreatment(treatment), durations: DURATIONS },
      { clock: rig.clock, control: rig.control, store: await rig.store(id), emit: () => undefined },
    );
    const end = rig.clock.nowMs() + ms;
    while (rig.clock.nowMs() < end && !runner.finished) {
      await rig.clock.advance(1000);
      runner.observe(tick(rig.clock.nowMs()));
      await runner.step();
    }
    cpSync(join(rig.dir, 'studies', id), join(dataDir, 'studies', id), { recursive: true });
  } finally {
    await rig.close();
  }
}

/** `study analyze` of a synthetic +3 % efficiency change on rig0's GPUs, written as study `id`'s report. */
async function analyse(dataDir: string, id: string): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'rigtune-studies-history-'));
  try {
    const devices = [
      { rig: 'rig0', device: 'gpu0' },
      { rig: 'rig0', device: 'gpu1' },
    ];
    const t0 = Date.UTC(2026, 2, 1, 9, 0, 0);
    const s = syntheticStudy({
      studyId: id,
      seed: 5,
      t0,
      devices,
      phaseMs: 600_000,
      stepMs: 3000,
      effectPct: 3,
    });
    await writeHistory(scratch, s.batches);
    const markersFile = join(scratch, 'markers.ndjson');
    writeFileSync(markersFile, markersNdjson(s.markers));
    await runStudyAnalysis({
      dataDir: scratch,
      markersFile,
      studyId: id,
      outDir: join(dataDir, 'studies', id),
      options: { replicates: 200 },
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `rigtune sim` (2 rigs × 2 GPUs, 30 min, known faults) then `rigtune backtest` of two thresholds. */
async function backtest(dataDir: string, id: string): Promise<void> {
  const sim = mkdtempSync(join(tmpdir(), 'rigtune-studies-sim-'));
  try {
    await runSim(
      {
        rigs: '2',
        gpusPerRig: '2',
        asics: '0',
        gpuModel: 'mixed',
        algo: 'ethash',
        duration: '30m',
        step: '1s',
        seed: '5',
        start: DEFAULT_START,
        ambient: '25',
        faults: 'fan_failure@rig1/gpu0@10m,psu_sag@rig0@20m+2m',
        out: join(sim, 'fleet.csv'),
        quiet: true,
      },
      {},
    );
    const flags: BacktestFlags = {
      data: [sim],
      events: [sim],
      config: [],
      sweep: 'rupture.micro=0.2,0.3',
      split: '0.5',
      splitBy: 'device',
      seed: '1',
      before: '60',
      after: '300',
      level: 'micro',
      quiet: true,
      out: join(dataDir, 'backtests', id),
    };
    await runBacktestCommand(flags, { stdout: { write: () => true } }, Date.UTC(2026, 10, 1, 12, 0, 0));
  } finally {
    rmSync(sim, { recursive: true, force: true });
  }
}

/** Writes REAL's studies and backtest under `dataDir` (studies/, backtests/). */
export async function writeRealStudies(dataDir: string): Promise<void> {
  mkdirSync(join(dataDir, 'studies'), { recursive: true });
  await runStudy(dataDir, REAL.analysed, 'power_limit_w=-20', 250_000);
  await analyse(dataDir, REAL.analysed);
  await runStudy(dataDir, REAL.running, 'power_limit_w=330', 90_000);
  await backtest(dataDir, REAL.backtest);
}
