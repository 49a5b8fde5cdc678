// `rigtune doctor [--config rigtune.yaml]`: checks NVML, every configured source, Valkey, the data
// directory, the Parquet history and the HTTP address, and says in plain words what is wrong.

import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config/index.ts';
import { isRigtuneError, RigtuneError } from '../core/errors.ts';
import { type CheckResult, checkNvml, runtimeChecks } from '../runtime/doctor/index.ts';
import { replayConfig } from '../runtime/replay.ts';
import { sourceChecks } from './doctor-sources.ts';

/** Flags of `rigtune doctor` as commander hands them over. */
export interface DoctorFlags {
  readonly config?: string;
  readonly json?: boolean;
  readonly timeoutMs: string;
}

/** Where the doctor reads and writes; tests capture the output and point NVML at a fake. */
export interface DoctorIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly nvmlLibraryPath?: string;
  readonly driverVersionFile?: string;
}

/** What `--json` prints. */
export interface DoctorReport {
  /** True when no check failed (warnings allowed). */
  readonly ok: boolean;
  readonly counts: Readonly<Record<CheckResult['status'], number>>;
  readonly checks: readonly CheckResult[];
}

/** Data directory and HTTP address checked when no config is given (`rigtune demo`'s defaults). */
const DEFAULT_DATA_DIR = './data';
const DEFAULT_PORT = 8080;

/** `ok    check   explanation`, one line per check, check names aligned. */
export function formatChecks(checks: readonly CheckResult[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  return checks.map((c) => `${c.status.padEnd(4)}  ${c.check.padEnd(width)}  ${c.message}\n`).join('');
}

function report(checks: readonly CheckResult[]): DoctorReport {
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status] += 1;
  return { ok: counts.fail === 0, counts, checks };
}

/** Runs every check; prints them (text or JSON); returns the report and the exit code (1 on any fail). */
export async function runDoctor(
  flags: DoctorFlags,
  io: DoctorIo,
): Promise<{ report: DoctorReport; exitCode: 0 | 1 }> {
  const timeoutMs = Number(flags.timeoutMs);
  if (!/^\s*\d+\s*$/.test(flags.timeoutMs) || timeoutMs < 10 || timeoutMs > 600_000)
    throw new RigtuneError(
      'RT_CLI_USAGE',
      `--timeout-ms: an integer in [10, 600000] is needed, got '${flags.timeoutMs}'`,
      { command: 'doctor', field: 'timeout-ms' },
    );
  const nvmlOptions = { nvmlLibraryPath: io.nvmlLibraryPath, driverVersionFile: io.driverVersionFile };
  const options = { env: io.env, timeoutMs, ...nvmlOptions };
  const checks: CheckResult[] = [];
  if (flags.config === undefined) {
    checks.push({
      check: 'config',
      status: 'ok',
      message:
        `none given: checking the defaults (data ${DEFAULT_DATA_DIR}, HTTP 127.0.0.1:${DEFAULT_PORT}, ` +
        'embedded store); pass --config rigtune.yaml to check its sources and sinks',
    });
    const runtime = await runtimeChecks(replayConfig(DEFAULT_DATA_DIR, DEFAULT_PORT), options);
    checks.push(...runtime);
  } else {
    let config: ReturnType<typeof loadConfig> | null = null;
    try {
      config = loadConfig(flags.config, { env: io.env });
    } catch (err) {
      if (!isRigtuneError(err)) throw err;
      checks.push({ check: 'config', status: 'fail', message: err.describe(), details: { code: err.code } });
    }
    if (config === null) {
      checks.push(
        await checkNvml({
          env: io.env,
          required: false,
          libraryPath: io.nvmlLibraryPath,
          driverVersionFile: io.driverVersionFile,
        }),
      );
    } else {
      const sources = config.rigs.reduce((n, r) => n + r.sources.length, 0);
      checks.push({
        check: 'config',
        status: 'ok',
        message: `${flags.config} is valid: ${config.rigs.length} rig(s), ${sources} source(s)`,
        details: { rigs: config.rigs.length, sources },
      });
      const [runtime, probed] = await Promise.all([
        runtimeChecks(config, options),
        sourceChecks(config, { timeoutMs, env: io.env }),
      ]);
      checks.push(runtime[0], ...probed, ...runtime.slice(1));
    }
  }
  const result = report(checks);
  if (flags.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
  else io.out(formatChecks(checks));
  if (!flags.json) {
    const { ok, warn, fail } = result.counts;
    io.err(`rigtune doctor: ${ok} ok, ${warn} warning(s), ${fail} failure(s)\n`);
  }
  return { report: result, exitCode: result.ok ? 0 : 1 };
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'Check what rigtune needs — NVML (the NVIDIA driver), every source of a rigtune.yaml (one read ' +
        'each), Valkey, the data directory and its Parquet history, the HTTP address — and say in plain ' +
        'words what is wrong. One line per check: ok|warn|fail, the check, the explanation. Exit 0 when ' +
        'nothing fails, 1 otherwise.',
    )
    .option('-c, --config <file>', 'the rigtune.yaml to check (default: the built-in defaults, no sources)')
    .option('--json', 'print {ok, counts, checks: [{check, status, message, details}]} instead of lines')
    .option('--timeout-ms <ms>', 'limit per network step (connect, each request), ms', '2000')
    .addHelpText('after', '\nExamples:\n  rigtune doctor\n  rigtune doctor --config rigtune.yaml --json')
    .action(async (flags: DoctorFlags) => {
      const { exitCode } = await runDoctor(flags, {
        out: (t) => void process.stdout.write(t),
        err: (t) => void process.stderr.write(t),
        env: process.env,
      });
      // The lines already say what failed; main turns this into the exit status without another line.
      if (exitCode !== 0) throw new CommanderError(exitCode, 'rigtune.doctor.failed', '');
    });
}
