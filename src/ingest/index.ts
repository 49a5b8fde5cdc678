// Public face of ingest/: the sampling scheduler (cadence per source, rupture bursts for fast
// sources, timeouts, backoff, stale detection, per-device telemetry series) and its timer seam.

export { type Acceptance, DeviceTrack } from './device-track.ts';
export { IngestScheduler } from './scheduler.ts';
export { SYSTEM_TIMERS, type TimerHandle, type Timers } from './timers.ts';
export type {
  BackoffOptions,
  DeviceState,
  DeviceStatus,
  FailureKind,
  IngestEvent,
  IngestStats,
  PollOutcome,
  SchedulerOptions,
  SourceRegistration,
  SourceStats,
} from './types.ts';
