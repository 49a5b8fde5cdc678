// One-shot timers as a dependency: the scheduler arms cadence, timeout and deadline timers through
// this interface (never the global setTimeout directly), so tests drive it with a fake clock.

/** An armed timer, opaque to the scheduler; handed back to `clear`. */
export type TimerHandle = unknown;

/** Arms and disarms one-shot timers, on the same time base as the scheduler's Clock. */
export interface Timers {
  /** Calls `fn` once, `delayMs` milliseconds from now (0 or less: as soon as possible). */
  set(fn: () => void, delayMs: number): TimerHandle;
  /** Disarms a timer; a timer that already fired or was cleared is ignored. */
  clear(handle: TimerHandle): void;
}

/** Timers on the process's event loop (the runtime's choice; tests use a fake). */
export const SYSTEM_TIMERS: Timers = {
  set: (fn, delayMs) => globalThis.setTimeout(fn, Math.max(0, delayMs)),
  clear: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
