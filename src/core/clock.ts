// Time as a dependency: components read the clock they are given, so tests run on a fake clock
// and pure layers (kernel, telemetry, pipeline) never read time at all.

/** A source of the current time and of delays. */
export interface Clock {
  /** Current time, epoch milliseconds. */
  nowMs(): number;
  /** Resolves after `ms` milliseconds (of this clock), or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
