// `rigtune study run`: an A-B-A study (baseline, treatment, washout) on chosen devices through the
// guarded actuators, with phase markers in the history; resumable; `--demo` runs it on the simulated fleet.

import { Command, CommanderError } from 'commander';
import pino from 'pino';
import { loadConfig } from '../config/index.ts';
import { RigtuneError } from '../core/errors.ts';
import {
  type RunningStudy,
  type StudyRequest,
  startStudyDemo,
  startStudyService,
} from '../runtime/study/index.ts';
import { WALL_CLOCK } from '../runtime/wall-clock.ts';
import { parseDurationMs } from '../sim/index.ts';
import { parseTreatment, STUDY_ID_RE, type StudyFile } from '../study/aba-plan/index.ts';

interface StudyRunFlags {
  readonly config?: string;
  readonly demo?: boolean;
  readonly data?: string;
  readonly port?: string;
  readonly rigs: string;
  readonly devices?: string;
  readonly treatment: string;
  readonly phase: string;
  readonly a1?: string;
  readonly b?: string;
  readonly a2?: string;
  readonly id?: string;
  readonly seed: string;
}

function usage(message: string): never {
  throw new RigtuneError('RT_CLI_USAGE', message);
}

function list(text: string | undefined): string[] | null {
  if (text === undefined) return null;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The study asked for by the flags; throws RT_CLI_USAGE. */
export function studyRequestOf(flags: StudyRunFlags, nowMs: number): StudyRequest {
  const rigs = list(flags.rigs) ?? [];
  if (rigs.length === 0) usage('--rigs: name at least one rig');
  const treatment = parseTreatment(flags.treatment);
  const duration = (v: string, name: string): number => {
    try {
      return parseDurationMs(v, name);
    } catch (err) {
      return usage(`--${name}: ${(err as Error).message}`);
    }
  };
  const phaseMs = duration(flags.phase, 'phase');
  const of = (v: string | undefined, name: string) => (v === undefined ? phaseMs : duration(v, name));
  const durations = { A1: of(flags.a1, 'a1'), B: of(flags.b, 'b'), A2: of(flags.a2, 'a2') };
  for (const [k, v] of Object.entries(durations))
    if (!(v > 0)) usage(`--${k.toLowerCase()}: a phase must last longer than 0`);
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').slice(0, 15);
  const id = flags.id ?? `${treatment.text.replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp}`;
  if (!STUDY_ID_RE.test(id)) usage(`--id: '${id}' must be 1-64 letters, digits, '.', '_' or '-'`);
  const devices = list(flags.devices);
  for (const d of devices ?? []) if (!d.includes('/')) usage(`--devices: '${d}' is not rig/device`);
  return { id, rigs, devices, treatment, durations };
}

function portOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) usage(`--port: an integer 0..65535 is needed, got '${text}'`);
  return port;
}

function fmt(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}

export function studyRunCommand(): Command {
  return new Command('run')
    .description(
      'Run an A-B-A study: A1 (baseline) → B (treatment) → A2 (washout, baseline restored) on the chosen ' +
        'devices through the guarded actuators (bounds, max step, journal, verified writes), writing phase ' +
        'markers (Parquet aba_markers, studies/<id>/markers.ndjson). Re-running with the same --id resumes it.',
    )
    .option(
      '-c, --config <file>',
      'the rigtune.yaml to run (the study starts the service, like `rigtune run`)',
    )
    .option('--demo', 'run on the simulated demo fleet (like `rigtune demo`) instead of --config')
    .option('--data <dir>', 'data directory with --demo', './data')
    .option('--port <n>', "HTTP port (--demo: default 8080; --config: instead of the file's http.port)")
    .requiredOption('--rigs <list>', 'rigs to study, comma-separated (e.g. rig1,rig2)')
    .option(
      '--devices <list>',
      'only these devices, as rig/device (default: every device offering the set-point)',
    )
    .requiredOption(
      '--treatment <t>',
      'power_limit_w=250 (absolute), power_limit_w=-20 (change), fan_pct=+10, …, or autotune',
    )
    .option('--phase <d>', 'length of each phase (e.g. 20m, 90s)', '20m')
    .option('--a1 <d>', 'length of A1 instead of --phase')
    .option('--b <d>', 'length of B instead of --phase')
    .option('--a2 <d>', 'length of A2 instead of --phase')
    .option(
      '--id <name>',
      'study id (default: the treatment and the start time); an unfinished study of this id resumes',
    )
    .option('--seed <n>', 'simulation seed with --demo', '1')
    .action(async (flags: StudyRunFlags) => {
      if ((flags.config === undefined) === (flags.demo !== true))
        usage('give either --config FILE or --demo');
      const request = studyRequestOf(flags, WALL_CLOCK.nowMs());
      const logger = pino({ level: process.env.RIGTUNE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
      const onEvent = (e: StudyFile['events'][number]) =>
        process.stderr.write(
          `rigtune study: ${e.rig === null ? '' : `${e.rig}${e.device === null ? '' : `/${e.device}`} `}${e.kind}: ${e.detail}\n`,
        );
      const common = { clock: WALL_CLOCK, logger, version: '0.1.0', request, onEvent };
      let dataDir: string;
      let running: RunningStudy;
      if (flags.demo === true) {
        dataDir = flags.data ?? './data';
        running = await startStudyDemo({
          ...common,
          port: portOf(flags.port) ?? 8080,
          dataDir,
          seed: Number(flags.seed),
        });
      } else {
        const loaded = loadConfig(flags.config as string, { env: process.env });
        const port = portOf(flags.port);
        const config = port === undefined ? loaded : { ...loaded, http: { ...loaded.http, port } };
        dataDir = config.dataDir;
        running = await startStudyService(config, { ...common, env: process.env });
      }
      const s = running.runner.state;
      const d = s.plan.durations_ms;
      const devices = s.devices.map((x) => `${x.rig}/${x.device}`).join(', ');
      process.stderr.write(
        [
          `rigtune study run: study ${s.study_id} ${running.resumed ? 'resumed' : 'started'}: ${s.plan.treatment} on ${devices}`,
          `  phases:   A1 ${fmt(d.A1)} → B ${fmt(d.B)} → A2 ${fmt(d.A2)} (each timed from its verified start)`,
          `  serving:  ${running.address.url}/ (dashboard; studies at /studies)`,
          `  state:    ${dataDir}/studies/${s.study_id}/study.json (markers.ndjson beside it; Parquet ${dataDir}/aba_markers/)`,
          '  Ctrl-C pauses it (baselines restored); the same command with --id resumes it.',
          '',
        ].join('\n'),
      );
      const interrupted = new Promise<'signal'>((resolve) => {
        process.once('SIGINT', () => resolve('signal'));
        process.once('SIGTERM', () => resolve('signal'));
      });
      const how = await Promise.race([running.done.then(() => 'ended' as const), interrupted]);
      await running.stop();
      const final = running.runner.state;
      const analyze = `rigtune study analyze --data ${dataDir} --study ${final.study_id}`;
      if (how === 'signal' && final.status === 'running') {
        process.stderr.write(
          `rigtune study run: study ${final.study_id} paused in ${final.devices.map((x) => x.phase).join('/')}; resume with --id ${final.study_id}\n`,
        );
        return;
      }
      process.stdout.write(`study ${final.study_id} ${final.status}\n${analyze}\n`);
      if (final.status === 'aborted') {
        process.stderr.write(`rigtune study run: aborted, baselines restored: ${final.reasons.join('; ')}\n`);
        throw new CommanderError(3, 'rigtune.study_aborted', `study ${final.study_id} aborted`);
      }
    });
}
