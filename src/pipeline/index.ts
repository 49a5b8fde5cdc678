// Public face of the scoring pipeline: per-device and fleet scorers, their options and output shapes.

export { DeviceScorer, type ScoredSample } from './device-scorer.ts';
export { FleetScorer } from './fleet-scorer.ts';
export {
  AUTO_CHANNEL_EXCLUDES,
  type ChannelName,
  DEFAULT_SCORER_OPTIONS,
  type ScorerOptions,
} from './options.ts';
export { REJECT_CHANNEL } from './reject-watch.ts';
export type { ChannelScore, RuptureEvent, ScoreTick, StructureMetrics, TickKpis } from './types.ts';
