// The form of a scorer's options that every device scorer reads: merged over the defaults and resolved
// once per options object, so a fleet's scorers share it instead of each holding a copy.

import { GAUGE_FIELDS, type Snapshot } from '../core/snapshot.ts';
import { type RejectRiseOptions, resolveRejectRiseOptions } from '../kernel/shares/index.ts';
import {
  AUTO_CHANNEL_EXCLUDES,
  AUTO_CHANNEL_FALLBACKS,
  type ChannelName,
  DEFAULT_SCORER_OPTIONS,
  type ScorerOptions,
} from './options.ts';
import { REJECT_CHANNEL } from './reject-watch.ts';

/**
 * 'auto' value channels in order: gauges but set-points (fallbacks are skipped per sample, see the
 * scorer), then efficiency. 'auto' also watches reject_rate, the share counters' channel, on devices
 * that report them.
 */
const AUTO_CHANNELS: readonly ChannelName[] = [
  ...GAUGE_FIELDS.filter((f) => !AUTO_CHANNEL_EXCLUDES.has(f)),
  'efficiency_h_per_j',
];

/** What every scorer built from one options object shares. */
export interface ScorerConfig {
  /** The options over the defaults. */
  readonly o: ScorerOptions;
  /** `channels` is 'auto'. */
  readonly auto: boolean;
  /** Value channels watched (the share channel apart), in order. */
  readonly channelNames: readonly ChannelName[];
  /**
   * Per channelNames entry: the better reading that, when a device has it, stands in for this channel
   * under 'auto' (hashrate_5s for hashrate_1m, fan_rpm for fan_pct); null for the others.
   */
  readonly betterOf: readonly (keyof Snapshot | null)[];
  /** Whether reject_rate is watched (on devices with share counters). */
  readonly watchRejects: boolean;
  /** The reject-rise detector's options, validated. */
  readonly rejectRise: RejectRiseOptions;
}

const CONFIGS = new WeakMap<Partial<ScorerOptions>, ScorerConfig>();

/**
 * The resolved form of `options`, made at its first use and then shared (options are read, never
 * changed afterwards). Throws RT_KERNEL_ARGUMENT for bad reject-rise options.
 */
export function scorerConfig(options: Partial<ScorerOptions>): ScorerConfig {
  let config = CONFIGS.get(options);
  if (config === undefined) {
    const o: ScorerOptions = { ...DEFAULT_SCORER_OPTIONS, ...options };
    const auto = o.channels === 'auto';
    const names: readonly ChannelName[] = auto ? AUTO_CHANNELS : (o.channels as readonly ChannelName[]);
    const channelNames = names.filter((n) => n !== REJECT_CHANNEL);
    config = {
      o,
      auto,
      channelNames,
      betterOf: channelNames.map((n) => (auto ? (AUTO_CHANNEL_FALLBACKS.get(n) ?? null) : null)),
      watchRejects: auto || names.includes(REJECT_CHANNEL),
      rejectRise: resolveRejectRiseOptions(o.rejectRise),
    };
    CONFIGS.set(options, config);
  }
  return config;
}
