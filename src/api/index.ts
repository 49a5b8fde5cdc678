// The HTTP API (fastify): health, Prometheus metrics, rigs, history, the SSE stream and the token-guarded
// auto-tune control routes over views the runtime hands in; the routes are documented in docs/api.md.

export {
  type Api,
  type ApiAddress,
  createApi,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type ListenOptions,
} from './app.ts';
export {
  type ActionView,
  CONTROL_MODES,
  type ControlApi,
  type ControlMode,
  type KillSwitchState,
  type ManualActionRequest,
  type ManualActionResult,
} from './control-types.ts';
export { type ApiErrorBody, errorReply } from './errors.ts';
export {
  type ComponentHealth,
  HEALTH_STATUSES,
  type HealthReport,
  type HealthStatus,
  healthHttpStatus,
  summarizeHealth,
} from './health.ts';
export { hottestTemp, LatestReadings, type ReadingsView } from './readings.ts';
export { DEFAULT_HISTORY_LIMIT, DEFAULT_HISTORY_WINDOW_MS, MAX_HISTORY_LIMIT } from './routes/history.ts';
export { listStudies, type StudyEntry } from './routes/studies.ts';
export type { StreamHubStats } from './stream-hub.ts';
export type { RigStatus, RigSummary } from './summary.ts';
export type {
  ApiDeps,
  ConfiguredRig,
  ConfiguredSource,
  MetricsExposition,
  SourceStatus,
} from './types.ts';
