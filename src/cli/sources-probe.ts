// `rigtune sources probe ADDR…`: finds out what answers at each address (cgminer-family TCP API, the
// GPU-miner HTTP APIs, or local NVML) by one quick read through the real sources, and prints it.

import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config/index.ts';
import { RigtuneError, SourceError } from '../core/errors.ts';
import type { Snapshot } from '../core/snapshot.ts';
import type { DeviceInfo, SourceContext } from '../core/source.ts';
import { SOURCE_KINDS, SOURCE_REGISTRY, type SourceEntry } from '../runtime/source-registry.ts';
import { WALL_CLOCK } from '../runtime/wall-clock.ts';
import { probeConfigured } from './sources-probe-config.ts';
import { describeFailure, formatTable } from './sources-probe-format.ts';

/** A parsed address: a `host[:port]` or the name of a local kind (`nvml`). */
export interface ProbeAddress {
  readonly text: string;
  /** The local kind named by the address, or null for a network address. */
  readonly local: string | null;
  readonly host: string;
  readonly port: number | null;
}

/** One kind tried at an address and why it did not answer (null error = it answered). */
export interface ProbeAttempt {
  readonly kind: string;
  readonly endpoint: string;
  readonly error: { readonly code: string; readonly kind: string; readonly message: string } | null;
}

/** What one address gave. `rig` of every snapshot is the address text. */
export interface ProbeResult {
  readonly address: string;
  readonly ok: boolean;
  /** The kind that answered, or null. */
  readonly kind: string | null;
  /** `host:port` (or `nvml`) that answered, or null. */
  readonly endpoint: string | null;
  readonly identity: { readonly dialect?: string; readonly model?: string; readonly firmware?: string };
  readonly devices: readonly DeviceInfo[];
  readonly snapshots: readonly Snapshot[];
  /** Raw fields per device (version, dialect, miner's own percentages…). */
  readonly raw: Readonly<Record<string, Readonly<Record<string, string | number | boolean | null>>>>;
  readonly warnings: readonly string[];
  readonly attempts: readonly ProbeAttempt[];
}

/** The wall clock, for one-shot reads (the service hands its own clock to sources). */

function usage(message: string): RigtuneError {
  return new RigtuneError('RT_CLI_USAGE', message, { command: 'sources probe' });
}

/** Parses `host`, `host:port`, `[v6]:port`, `v6` or a local kind name; throws RT_CLI_USAGE. */
export function parseProbeAddress(text: string): ProbeAddress {
  const t = text.trim();
  if (Object.hasOwn(SOURCE_REGISTRY, t) && SOURCE_REGISTRY[t].probe?.at === 'local')
    return { text: t, local: t, host: '', port: null };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  const hostPort = /^([^:\s/]+)(?::(\d+))?$/.exec(t);
  const m = bracketed ?? hostPort;
  const host = m?.[1] ?? (t.includes(':') && /^[0-9a-f:.]+$/i.test(t) ? t : null);
  if (host === null || host === '')
    throw usage(`'${text}' is not an address: use host, host:port, [ipv6]:port, or nvml`);
  const portText = m?.[2];
  if (portText === undefined) return { text: t, local: null, host, port: null };
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw usage(`'${text}': port must be 1-65535`);
  return { text: t, local: null, host, port };
}

/** The kinds to try at `address`, those whose default port is the address's port first. */
function candidatesFor(address: ProbeAddress): SourceEntry[] {
  const entries = SOURCE_KINDS.map((k) => SOURCE_REGISTRY[k]);
  if (address.local !== null) return [SOURCE_REGISTRY[address.local]];
  const rank = (e: SourceEntry) => e.probe?.order ?? 0;
  const tcp = entries.filter((e) => e.probe?.at === 'tcp').sort((a, b) => rank(a) - rank(b));
  const preferred = tcp.filter((e) => e.probe?.defaultPort === address.port);
  return [...preferred, ...tcp.filter((e) => !preferred.includes(e))];
}

export function errorOf(err: unknown): NonNullable<ProbeAttempt['error']> {
  if (err instanceof SourceError) return { code: err.code, kind: err.kind, message: err.message };
  if (err instanceof RigtuneError) return { code: err.code, kind: 'config', message: err.message };
  return { code: 'RT_SOURCE_PROTOCOL', kind: 'internal', message: String((err as Error)?.message ?? err) };
}

/** How `probeAddress` reads. */
export interface ProbeOptions {
  /** Limit per request, ms (sources' `timeout_ms`); the whole read is cut at 4 × this. */
  readonly timeoutMs: number;
  /** Environment for the sources (`RIGTUNE_NVML_LIB`); default none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Read {
  readonly snapshots: Snapshot[];
  readonly raw: Record<string, Record<string, string | number | boolean | null>>;
  readonly devices: readonly DeviceInfo[];
  readonly warnings: string[];
}

/**
 * One poll of `entry` at `address`. Rejects with the source's error; a source that outlives its own
 * timeouts is aborted by a guard at 4 × timeoutMs (a probe may need several requests).
 */
async function readOnce(entry: SourceEntry, address: ProbeAddress, options: ProbeOptions): Promise<Read> {
  const spec = entry.probe;
  if (spec === undefined) throw new SourceError('unsupported', `${entry.kind} cannot be probed`);
  const sourceOptions = spec.options({
    host: address.host,
    port: address.port,
    timeoutMs: options.timeoutMs,
  });
  return readSource(entry, sourceOptions, address.text, options);
}

/**
 * One poll of a source of `entry` built from `sourceOptions` for `rig`. Rejects with the source's
 * error; the whole read is cut at 4 × timeoutMs.
 */
export async function readSource(
  entry: SourceEntry,
  sourceOptions: unknown,
  rig: string,
  options: ProbeOptions,
): Promise<Read> {
  const { timeoutMs, env } = options;
  const warnings: string[] = [];
  const collect = (m: string) => void warnings.push(m);
  const source = entry.create(sourceOptions, { rig, env, warn: collect, note: collect });
  const read: Read = { snapshots: [], raw: {}, devices: [], warnings };
  const controller = new AbortController();
  const ctx: SourceContext = {
    clock: WALL_CLOCK,
    signal: controller.signal,
    emit: (s) => void read.snapshots.push(s),
    raw: (device, field, value) => {
      read.raw[device] ??= {};
      read.raw[device][field] = value;
    },
  };
  let guard: ReturnType<typeof setTimeout> | undefined;
  const guarded = new Promise<never>((_, reject) => {
    guard = setTimeout(() => {
      const err = new SourceError('timeout', `no complete answer within ${4 * timeoutMs} ms`);
      controller.abort(err);
      reject(err);
    }, 4 * timeoutMs);
  });
  try {
    await Promise.race([source.poll(ctx), guarded]);
    return { ...read, devices: source.devices?.() ?? [] };
  } finally {
    clearTimeout(guard);
    if (!controller.signal.aborted) controller.abort(new SourceError('timeout', 'probe finished'));
    await source.close();
  }
}

function endpointOf(entry: SourceEntry, address: ProbeAddress): string {
  if (address.local !== null) return address.local;
  const port = address.port ?? entry.probe?.defaultPort ?? 0;
  return address.host.includes(':') ? `[${address.host}]:${port}` : `${address.host}:${port}`;
}

export function identityOf(read: Read): ProbeResult['identity'] {
  const total = read.raw.total ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const first = (f: 'model' | 'firmware') => read.devices.find((d) => d[f] !== undefined)?.[f];
  const identity = {
    dialect: text(total.dialect) ?? text(total.schema),
    model: text(total.model) ?? first('model'),
    firmware: text(total.firmware) ?? text(total.version) ?? first('firmware'),
  };
  return Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined));
}

/**
 * Tries each candidate kind at `address` in turn until one answers. With an explicit port, a refused
 * connection ends the search (every kind would be refused the same way).
 */
export async function probeAddress(address: ProbeAddress, options: ProbeOptions): Promise<ProbeResult> {
  const attempts: ProbeAttempt[] = [];
  for (const entry of candidatesFor(address)) {
    const endpoint = endpointOf(entry, address);
    try {
      const read = await readOnce(entry, address, options);
      attempts.push({ kind: entry.kind, endpoint, error: null });
      const { snapshots, devices, raw, warnings } = read;
      const identity = identityOf(read);
      return {
        address: address.text,
        ok: true,
        kind: entry.kind,
        endpoint,
        identity,
        devices,
        snapshots,
        raw,
        warnings,
        attempts,
      };
    } catch (err) {
      const error = errorOf(err);
      attempts.push({ kind: entry.kind, endpoint, error });
      if (error.kind === 'connect' && address.port !== null) break;
    }
  }
  return {
    address: address.text,
    ok: false,
    kind: null,
    endpoint: null,
    identity: {},
    devices: [],
    snapshots: [],
    raw: {},
    warnings: [],
    attempts,
  };
}

/** Flags of `sources probe` as commander hands them over. */
export interface ProbeFlags {
  readonly json?: boolean;
  readonly timeoutMs: string;
  /** Probe every source of this rigtune.yaml instead of (or besides) addresses. */
  readonly config?: string;
}

/** Where the command writes; tests capture both. */
export interface ProbeIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Environment handed to the sources; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Probes every address (in parallel), prints the results; returns them and the exit code (0 = all answered). */
export async function runProbe(
  addresses: readonly string[],
  flags: ProbeFlags,
  io: ProbeIo,
): Promise<{ results: ProbeResult[]; exitCode: 0 | 1 }> {
  const timeoutMs = Number(flags.timeoutMs);
  if (!/^\s*\d+\s*$/.test(flags.timeoutMs) || timeoutMs < 10 || timeoutMs > 600_000)
    throw usage(`--timeout-ms: an integer in [10, 600000] is needed, got '${flags.timeoutMs}'`);
  if (addresses.length === 0 && flags.config === undefined)
    throw usage('give at least one address (host:port, or nvml), or --config FILE');
  const parsed = addresses.map(parseProbeAddress);
  const env = io.env ?? process.env;
  const configured =
    flags.config === undefined
      ? []
      : await probeConfigured(loadConfig(flags.config, { env }), { timeoutMs, env });
  const results = [
    ...configured,
    ...(await Promise.all(parsed.map((a) => probeAddress(a, { timeoutMs, env })))),
  ];
  if (flags.json) io.out(`${JSON.stringify(results, null, 2)}\n`);
  else for (const r of results.filter((x) => x.ok)) io.out(formatTable(r));
  for (const r of results) if (!r.ok) io.err(describeFailure(r, timeoutMs));
  return { results, exitCode: results.every((r) => r.ok) ? 0 : 1 };
}

/** The `sources` command group (`sources probe`). */
export function sourcesCommand(): Command {
  const probe = new Command('probe')
    .description(
      'Identify what answers at each address — cgminer-family TCP API (dialect, model, firmware, boards), ' +
        'XMRig, lolMiner, T-Rex, GMiner/Rigel HTTP APIs, or local NVML (address `nvml`) — and print one ' +
        'snapshot per device; with --config, read every source of a rigtune.yaml once. Exit 0 when every ' +
        'address answered, 1 otherwise (one message per address).',
    )
    .argument('[addr...]', 'host:port, host (each API on its default port), [ipv6]:port, or nvml')
    .option('--config <file>', 'also read every source configured in this rigtune.yaml once')
    .option('--json', 'print the results as JSON instead of tables')
    .option('--timeout-ms <ms>', 'limit per request, ms', '2000')
    .addHelpText(
      'after',
      '\nExamples:\n  rigtune sources probe 192.168.1.50:4028\n  rigtune sources probe --config rigtune.yaml\n  rigtune sources probe 127.0.0.1:8080 nvml --json',
    )
    .action(async (addresses: string[], flags: ProbeFlags) => {
      const { exitCode } = await runProbe(addresses, flags, {
        out: (t) => void process.stdout.write(t),
        err: (t) => void process.stderr.write(t),
      });
      // The messages are already printed; main turns this into the exit status without another line.
      if (exitCode !== 0) throw new CommanderError(exitCode, 'rigtune.sourcesProbe.noAnswer', '');
    });
  return new Command('sources').description('Inspect telemetry sources.').addCommand(probe);
}
