// Public face of runtime/scale: the scale-out roles (collector, worker) on Valkey Streams, their client
// factory, and the pure lease and rebuild arithmetic they use.

/** Collector and worker ids: 1..64 of A-Z a-z 0-9 . _ - (starting with a letter or digit). */
export { NODE_ID } from '../../sinks/valkey-streams/index.ts';
export { adviceKeysOf, readActiveAdvice } from './advice-keys.ts';
export { Collector, type CollectorDeps, type CollectorStats } from './collector.ts';
export {
  autotuneAdviceKeysOf,
  ControlWriter,
  type ControlWriterOptions,
  type ControlWriterStats,
} from './control-writer.ts';
export {
  fairShare,
  type LeasePlan,
  type LeaseView,
  leaseDeadline,
  planLeases,
  preference,
  renewPeriodMs,
} from './lease-plan.ts';
export { PartitionConsumer } from './partition-consumer.ts';
export { type HistoryRange, historyRange, SeqGuard } from './rebuild-plan.ts';
export { type RigOutput, stateJson, type WriteOutcome, writeResults } from './results.ts';
export { type AdviceOut, RigAdvisor } from './rig-advisor.ts';
export { type RigSettings, RigSettingsCache, rigSettingsOf, settingsHash } from './rig-settings.ts';
export {
  type CollectorRole,
  type CollectorRoleOptions,
  startCollector,
  startWorker,
  type WorkerRole,
  type WorkerRoleOptions,
} from './roles.ts';
export { parseState, ScoreJoin, type ScoreJoinStats } from './score-join.ts';
export { type ScoreSubscriber, type ScoreSubscriberOptions, subscribeScores } from './score-subscriber.ts';
export { ADVICE_SCRIPT, HEARTBEAT_SCRIPT, LAST_SCRIPT, RELEASE_SCRIPT, RENEW_SCRIPT } from './scripts.ts';
export { SiteAutotune, type SiteAutotuneDeps, type SiteAutotuneStats } from './site-autotune.ts';
export { openValkey, toRedisUrl, type ValkeyClientOptions, type ValkeyPort } from './valkey-client.ts';
export { Worker, type WorkerDeps } from './worker.ts';
export { serveWorkerMetrics, type WorkerMetrics, workerExposition } from './worker-metrics.ts';
export {
  DEFAULT_WORKER_OPTIONS,
  emptyWorkerStats,
  type WorkerOptions,
  type WorkerStats,
} from './worker-types.ts';
