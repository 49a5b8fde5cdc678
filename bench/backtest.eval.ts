// Backtest evaluation: a simulated fleet (GPU rigs and ASICs) with random faults from `rigtune sim`, a
// threshold sweep picked on validation rigs, and the chosen configuration's figures on the held-out rigs.
// Reproducible (fixed seeds); prints the backtest's text report, then one JSON object as the last line.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_START, runSim } from '../src/cli/sim.ts';
import { runBacktest } from '../src/runtime/backtest/index.ts';
import { renderText, summaryLine } from '../src/study/backtest/index.ts';

/** Defaults sized to run in about a minute on two cores; override with --rigs, --asics, --duration, --sweep. */
const DEFAULTS = {
  rigs: '8',
  asics: '2',
  duration: '2h',
  faults: 'random:1.5',
  seed: '11',
  sweep: 'changepoint.hazard=0.0003,0.003;changepoint.threshold=0.9,0.99',
  maxFalseAlarms: '10',
};

function flag(argv: readonly string[], name: keyof typeof DEFAULTS): string {
  const i = argv.indexOf(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : DEFAULTS[name];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-backtest-eval-'));
  const t0 = performance.now();
  try {
    const sim = join(dir, 'sim');
    mkdirSync(sim);
    const simmed = await runSim(
      {
        rigs: flag(argv, 'rigs'),
        gpusPerRig: '2',
        asics: flag(argv, 'asics'),
        gpuModel: 'mixed',
        algo: 'ethash',
        duration: flag(argv, 'duration'),
        step: '1s',
        seed: flag(argv, 'seed'),
        start: DEFAULT_START,
        ambient: '25',
        faults: flag(argv, 'faults'),
        out: join(sim, 'fleet.csv'),
        quiet: true,
      },
      {},
    );
    const simS = (performance.now() - t0) / 1000;
    const report = await runBacktest({
      data: [sim],
      events: [sim],
      configs: [],
      sweep: flag(argv, 'sweep'),
      split: { by: 'rig', fraction: 0.5, seed: 1 },
      match: { beforeMs: 60_000, afterMs: 300_000 },
      level: 'micro',
      maxFalseAlarmsPerDeviceDay: Number(flag(argv, 'maxFalseAlarms')),
      ignoreUnknown: false,
      env: {},
    });
    const wallS = (performance.now() - t0) / 1000;
    console.log(
      `Simulated ${simmed.rows} rows (${flag(argv, 'rigs')} GPU rigs × 2, ${flag(argv, 'asics')} ASICs, ` +
        `${flag(argv, 'duration')}, faults ${flag(argv, 'faults')}, seed ${flag(argv, 'seed')}) in ${simS.toFixed(1)} s; ` +
        `${simmed.labels.length} faults injected.`,
    );
    process.stdout.write(renderText(report));
    const chosen = report.chosen?.figures.levels.micro;
    console.log(
      JSON.stringify({
        ...summaryLine(report),
        faults_injected: simmed.labels.length,
        test_false_alarms_ci95: chosen?.false_alarms.ci95 ?? null,
        test_detection_ci95: chosen?.detection.ci95 ?? null,
        wall_s: Math.round(wallS * 10) / 10,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
