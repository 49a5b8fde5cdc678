// What the scoring pipeline produces; the shapes live in core so sinks and the API share them.

export type {
  ChannelScore,
  RuptureEvent,
  ScoreTick,
  StructureMetrics,
  TickKpis,
} from '../core/scores.ts';
