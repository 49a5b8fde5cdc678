// `rigtune sim`: runs the fleet simulator and writes a labelled trace — snapshots (CSV, NDJSON or
// Parquet) that `rigtune score` reads, plus `<stem>.events.ndjson` with one ground-truth fault per line.

import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { RigtuneError } from '../core/errors.ts';
import { writeFileAtomic } from '../durable/index.ts';
import {
  ALGORITHM_NAMES,
  type AlgorithmName,
  type FaultLabel,
  Fleet,
  GPU_MODELS,
  type GpuModelChoice,
  parseDurationMs,
  parseFaultSpec,
} from '../sim/index.ts';
import { eventsPathFor, openSimTraceWriter, traceFormatOf } from './sim-writers.ts';

/** Flags of `rigtune sim` as commander hands them over (text, validated by `runSim`). */
export interface SimFlags {
  readonly rigs: string;
  readonly gpusPerRig: string;
  readonly asics: string;
  readonly gpuModel: string;
  readonly algo: string;
  readonly duration: string;
  readonly step: string;
  readonly seed: string;
  readonly start: string;
  readonly ambient: string;
  readonly faults?: string;
  readonly out: string;
  readonly eventsOut?: string;
  readonly quiet?: boolean;
}

/** Where `runSim` reports; tests pass silent sinks. */
export interface SimIo {
  /** Receives progress (steps done, total) on terminals; undefined for none. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a run wrote. */
export interface SimRunResult {
  readonly out: string;
  readonly eventsOut: string;
  readonly rows: number;
  readonly steps: number;
  readonly labels: readonly FaultLabel[];
}

export const DEFAULT_START = '2026-11-01T12:00:00Z';

function usage(field: string, message: string): RigtuneError {
  return new RigtuneError('RT_CLI_USAGE', `--${field}: ${message}`, { command: 'sim', field });
}

function integer(text: string, field: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max)
    throw usage(field, `an integer in [${min}, ${max}] is needed, got '${text}'`);
  return n;
}

function oneOf<T extends string>(text: string, field: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw usage(field, `one of ${choices.join(', ')}, got '${text}'`);
}

function duration(text: string, field: string): number {
  try {
    return parseDurationMs(text, field);
  } catch (err) {
    throw usage(field, (err as Error).message);
  }
}

/** Runs the simulation described by `flags` and writes the trace and its events file atomically. */
export async function runSim(flags: SimFlags, io: SimIo): Promise<SimRunResult> {
  const format = traceFormatOf(flags.out);
  const rigs = integer(flags.rigs, 'rigs', 0, 100_000);
  const gpusPerRig = integer(flags.gpusPerRig, 'gpus-per-rig', 1, 64);
  const asics = integer(flags.asics, 'asics', 0, 100_000);
  if (rigs + asics === 0) throw usage('rigs', 'nothing to simulate: give --rigs or --asics > 0');
  const durationMs = duration(flags.duration, 'duration');
  const stepMs = duration(flags.step, 'step');
  if (stepMs <= 0) throw usage('step', 'must be longer than 0');
  if (durationMs < stepMs) throw usage('duration', `must be at least one step (${flags.step})`);
  const startMs = Date.parse(flags.start);
  if (!Number.isFinite(startMs)) throw usage('start', `an ISO 8601 time is needed, got '${flags.start}'`);
  const ambientC = Number(flags.ambient);
  if (!Number.isFinite(ambientC) || ambientC < -40 || ambientC > 60)
    throw usage('ambient', `°C in [-40, 60], got '${flags.ambient}'`);
  let plan: ReturnType<typeof parseFaultSpec>;
  try {
    plan = parseFaultSpec(flags.faults ?? '');
  } catch (err) {
    throw usage('faults', (err as Error).message);
  }
  const fleet = new Fleet({
    seed: integer(flags.seed, 'seed', 0, 0xffffffff),
    startMs,
    gpuRigs: rigs,
    gpusPerRig,
    gpuModel: oneOf<GpuModelChoice>(flags.gpuModel, 'gpu-model', GPU_MODELS),
    algo: oneOf<AlgorithmName>(flags.algo, 'algo', ALGORITHM_NAMES),
    asics,
    faults: plan,
    ambientC,
  });
  const steps = Math.floor(durationMs / stepMs);
  const eventsOut = flags.eventsOut ?? eventsPathFor(flags.out);
  const writer = await openSimTraceWriter(flags.out, format);
  let rows = 0;
  try {
    const every = Math.max(1, Math.floor(steps / 200));
    for (let k = 0; k < steps; k++) {
      if (k > 0) fleet.step(stepMs);
      const snaps = fleet.snapshots();
      rows += snaps.length;
      await writer.add(snaps);
      if (io.onProgress && (k % every === 0 || k === steps - 1)) io.onProgress(k + 1, steps);
    }
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const labels = fleet.labels();
  const lines = labels.map((l) =>
    JSON.stringify({
      id: l.id,
      kind: l.kind,
      rig: l.rig,
      device: l.device,
      ts_start: l.ts_start,
      ts_end: l.ts_end,
      severity: l.severity,
    }),
  );
  await writeFileAtomic(eventsOut, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  return { out: flags.out, eventsOut, rows, steps, labels };
}

/** The `sim` command. */
export function simCommand(): Command {
  return new Command('sim')
    .description(
      'Simulate a fleet (GPU rigs and S19-class ASICs) with physics, shares and injected faults; write a ' +
        'labelled trace that `rigtune score` reads, plus <out stem>.events.ndjson with the ground truth.',
    )
    .option('--rigs <n>', 'GPU rigs (rig0, rig1, …)', '2')
    .option('--gpus-per-rig <k>', 'GPUs per rig (gpu0, gpu1, …)', '4')
    .option('--asics <n>', 'ASIC miners (asic0, …): board0..2 plus total per miner', '0')
    .option(
      '--gpu-model <model>',
      `card profile: ${GPU_MODELS.join(', ')} (mixed: even rigs RTX 3080 Ti, odd rigs H100)`,
      'mixed',
    )
    .option('--algo <name>', `GPU algorithm: ${ALGORITHM_NAMES.join(', ')} (memory- / core-bound)`, 'ethash')
    .option('--duration <d>', 'simulated time, e.g. 1h, 90m, 1h30m', '1h')
    .option('--step <d>', 'sample interval, e.g. 1s, 500ms, 10s', '1s')
    .option('--seed <s>', 'random seed (integer); same seed and flags → identical files', '1')
    .option('--start <iso>', 'simulation start time (ISO 8601)', DEFAULT_START)
    .option('--ambient <c>', 'mean inlet air temperature, °C', '25')
    .option(
      '--faults <spec>',
      'comma-separated faults: kind@rig[/device]@start[+duration][*severity] and/or random:RATE ' +
        '(faults per rig-hour); e.g. fan_failure@rig1/gpu0@40m,pool_latency@rig0@50m+5m (see src/sim/README.md)',
    )
    .requiredOption('--out <file>', 'trace file: .csv, .ndjson/.jsonl or .parquet (written atomically)')
    .option('--events-out <file>', 'ground-truth events file (default <out stem>.events.ndjson)')
    .option('-q, --quiet', 'no progress bar and no summary on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  rigtune sim --rigs 2 --gpus-per-rig 4 --duration 1h --faults fan_failure@rig1/gpu0@40m --out run.csv\n' +
        '  rigtune sim --rigs 10 --asics 5 --faults random:0.5 --seed 7 --out fleet.parquet',
    )
    .action(async (flags: SimFlags) => {
      const bar = process.stderr.isTTY && !flags.quiet ? new SingleBar({ etaBuffer: 50 }) : null;
      const wallStart = performance.now();
      let result: SimRunResult;
      try {
        result = await runSim(flags, {
          onProgress:
            bar === null
              ? undefined
              : (done, total) => {
                  if (bar.getTotal() !== total) bar.start(total, 0);
                  bar.update(done);
                },
        });
      } finally {
        bar?.stop();
      }
      if (!flags.quiet) {
        const wallS = (performance.now() - wallStart) / 1000;
        const simS = (result.steps * parseDurationMs(flags.step)) / 1000;
        process.stderr.write(
          `rigtune sim: ${result.rows} snapshots (${result.steps} steps) → ${result.out}; ` +
            `${result.labels.length} fault label(s) → ${result.eventsOut}; ` +
            `${wallS.toFixed(1)} s (${Math.round(simS / Math.max(wallS, 1e-3))}× real time)\n`,
        );
      }
    });
}
