// Rate limit of the scheduler's operational events: at most one per (source, code, device) per
// window, the next one carrying how many were suppressed, so a dead miner is one log line a window.

import type { IngestEvent } from './types.ts';

interface Window {
  startMs: number;
  suppressed: number;
}

/** Forwards events to `report`, at most one per key per `windowMs` (0 = all). */
export class ReportLimiter {
  readonly #report: ((event: IngestEvent) => void) | undefined;
  readonly #windowMs: number;
  readonly #windows = new Map<string, Window>();

  constructor(report: ((event: IngestEvent) => void) | undefined, windowMs: number) {
    this.#report = report;
    this.#windowMs = windowMs;
  }

  /** Reports `event` (its `suppressed` filled in) unless its key was reported less than a window ago. */
  emit(event: Omit<IngestEvent, 'suppressed'>, nowMs: number): void {
    if (this.#report === undefined) return;
    const key = `${event.source}\u0000${event.code}\u0000${event.device ?? ''}`;
    const w = this.#windows.get(key);
    if (w !== undefined && this.#windowMs > 0 && nowMs - w.startMs < this.#windowMs) {
      w.suppressed += 1;
      return;
    }
    this.#windows.set(key, { startMs: nowMs, suppressed: 0 });
    this.#report({ ...event, suppressed: w?.suppressed ?? 0 });
  }
}
