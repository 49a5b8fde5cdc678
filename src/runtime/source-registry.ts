// The explicit registry of telemetry sources (no registration by side effect): per kind its options
// schema, factory, scheduling facts (burst-capable, default interval) and how `sources probe` reads it.

import type { z } from 'zod';
import { RigtuneError } from '../core/errors.ts';
import type { Source } from '../core/source.ts';
import * as cgminer from '../sources/cgminer/index.ts';
import type { SourceDeps } from '../sources/common/index.ts';
import * as gminer from '../sources/gminer/index.ts';
import * as httpJson from '../sources/http-json/index.ts';
import * as lolminer from '../sources/lolminer/index.ts';
import * as nvidiaSmi from '../sources/nvidia-smi/index.ts';
import * as nvml from '../sources/nvml/index.ts';
import * as stratum from '../sources/stratum/index.ts';
import * as trex from '../sources/trex/index.ts';
import * as xmrig from '../sources/xmrig/index.ts';

/** Where `sources probe` points a source: host and port (null = the kind's default), and its timeout. */
export interface ProbeTarget {
  /** Host name, IPv4 address, or IPv6 address without brackets. */
  readonly host: string;
  readonly port: number | null;
  /** Limit for the whole read, ms. */
  readonly timeoutMs: number;
}

/** How `sources probe` reads a kind. */
export interface ProbeSpec {
  /** 'tcp': tried at `host[:port]` addresses; 'local': read when the address is the kind's name (`nvml`). */
  readonly at: 'tcp' | 'local';
  /** Port tried when the address has none (the API's default or conventional port). */
  readonly defaultPort?: number;
  /**
   * Rank at an address, lower first (after kinds whose default port is the address's port). The
   * HTTP APIs go before cgminer's TCP API: a cgminer API answers an HTTP request with an error at
   * once, while an HTTP server waits silently on cgminer's request until the timeout.
   */
  readonly order: number;
  /** Options that make one quick, retry-free read of `target`. */
  readonly options: (target: ProbeTarget) => unknown;
}

/** Everything the runtime and the CLI need to know about one kind of source. */
export interface SourceEntry {
  readonly kind: string;
  /** The strict zod schema of the kind's options (sources/<kind>/options.ts). */
  readonly optionsSchema: z.ZodType;
  /** Validates `options` (RT_CONFIG_INVALID) and builds the source; opens nothing yet. */
  readonly create: (options: unknown, deps: SourceDeps) => Source;
  /**
   * True when the values change faster than 1 Hz (NVML power/clocks/throttle reasons), so polling
   * at 5–10 Hz during a rupture burst gives new samples; miner and pool APIs refresh every 5–60 s.
   */
  readonly fastCapable: boolean;
  /** Poll interval when the options give none, ms (the schema's `interval_ms` default). */
  readonly defaultIntervalMs: number;
  readonly probe?: ProbeSpec;
}

/** `[host]` brackets for IPv6 literals in URLs. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Options of the GPU-miner HTTP sources for one quick read of `t` (their port default `port`). */
function httpProbe(port: number, order: number): ProbeSpec {
  return {
    at: 'tcp',
    defaultPort: port,
    order,
    options: (t) => ({
      url: `http://${urlHost(t.host)}:${t.port ?? port}`,
      timeout_ms: t.timeoutMs,
      connect_timeout_ms: t.timeoutMs,
    }),
  };
}

/** Every source kind rigtune has, by kind; src/sources/<kind>/ for each (a test checks both ways). */
export const SOURCE_REGISTRY: Readonly<Record<string, SourceEntry>> = {
  nvml: {
    kind: nvml.kind,
    optionsSchema: nvml.optionsSchema,
    create: (o, deps) => nvml.create(o as nvml.NvmlOptionsInput, deps),
    fastCapable: true,
    defaultIntervalMs: 1000,
    probe: { at: 'local', order: 0, options: () => ({ pcie_throughput: false }) },
  },
  'nvidia-smi': {
    kind: nvidiaSmi.kind,
    optionsSchema: nvidiaSmi.optionsSchema,
    create: (o, deps) => nvidiaSmi.create(o as nvidiaSmi.NvidiaSmiOptionsInput, deps),
    // Fresh values arrive at its own -lms period (interval_ms): set it to the burst interval to burst.
    fastCapable: true,
    defaultIntervalMs: 1000,
  },
  cgminer: {
    kind: cgminer.kind,
    optionsSchema: cgminer.optionsSchema,
    create: (o, deps) => cgminer.create(o as cgminer.CgminerOptionsInput, deps),
    fastCapable: false,
    defaultIntervalMs: 10_000,
    probe: {
      at: 'tcp',
      defaultPort: 4028,
      order: 5,
      options: (t) => ({
        host: t.host,
        port: t.port ?? 4028,
        timeout_ms: t.timeoutMs,
        connect_timeout_ms: t.timeoutMs,
        retries: 0,
        pools: false,
      }),
    },
  },
  xmrig: {
    kind: xmrig.kind,
    optionsSchema: xmrig.optionsSchema,
    create: (o, deps) => xmrig.create(o as xmrig.XmrigOptionsInput, deps),
    fastCapable: false,
    defaultIntervalMs: 10_000,
    probe: httpProbe(8080, 1),
  },
  lolminer: {
    kind: lolminer.kind,
    optionsSchema: lolminer.optionsSchema,
    create: (o, deps) => lolminer.create(o as lolminer.LolminerOptionsInput, deps),
    fastCapable: false,
    defaultIntervalMs: 10_000,
    probe: httpProbe(4444, 2),
  },
  trex: {
    kind: trex.kind,
    optionsSchema: trex.optionsSchema,
    create: (o, deps) => trex.create(o as trex.TrexOptionsInput, deps),
    fastCapable: false,
    defaultIntervalMs: 5000,
    probe: httpProbe(4067, 3),
  },
  gminer: {
    kind: gminer.kind,
    optionsSchema: gminer.optionsSchema,
    create: (o, deps) => gminer.create(o as gminer.GminerOptionsInput, deps),
    fastCapable: false,
    defaultIntervalMs: 5000,
    probe: httpProbe(10555, 4),
  },
  stratum: {
    kind: stratum.kind,
    optionsSchema: stratum.optionsSchema,
    create: (o, deps) => stratum.create(o as stratum.StratumOptionsInput, deps),
    fastCapable: false,
    defaultIntervalMs: 60_000,
  },
  'http-json': {
    kind: httpJson.kind,
    optionsSchema: httpJson.optionsSchema,
    create: (o, deps) => httpJson.create(o as httpJson.HttpJsonOptionsInput, deps),
    fastCapable: false,
    defaultIntervalMs: 60_000,
  },
};

/** Every registered kind, in registry order. */
export const SOURCE_KINDS: readonly string[] = Object.keys(SOURCE_REGISTRY);

/** The entry of `kind`; throws RT_CONFIG_INVALID naming the known kinds when there is none. */
export function sourceEntry(kind: string): SourceEntry {
  const entry = Object.hasOwn(SOURCE_REGISTRY, kind) ? SOURCE_REGISTRY[kind] : undefined;
  if (entry === undefined)
    throw new RigtuneError(
      'RT_CONFIG_INVALID',
      `unknown source kind '${kind}' (known: ${SOURCE_KINDS.join(', ')})`,
      { field: 'kind' },
    );
  return entry;
}
