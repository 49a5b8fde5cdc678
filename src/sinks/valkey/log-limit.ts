// Rate-limited operational logging for the sink: one line per code per window, with the number of
// repeats suppressed since the last line, so an outage logs a few lines rather than one per tick.

import type { Logger } from 'pino';

export type LogLevel = 'info' | 'warn' | 'error';

export class LimitedLog {
  readonly #logger: Logger;
  readonly #nowMs: () => number;
  readonly #windowMs: number;
  readonly #last = new Map<string, { atMs: number; suppressed: number }>();

  constructor(logger: Logger, nowMs: () => number, windowMs: number) {
    this.#logger = logger;
    this.#nowMs = nowMs;
    this.#windowMs = windowMs;
  }

  /** Logs `msg` (constant, capitalised, ending with a period) unless `code` was logged within the window. */
  event(level: LogLevel, code: string, msg: string, fields: Record<string, unknown> = {}): void {
    const now = this.#nowMs();
    const last = this.#last.get(code);
    if (last !== undefined && now - last.atMs < this.#windowMs) {
      last.suppressed += 1;
      return;
    }
    const suppressed = last?.suppressed ?? 0;
    this.#last.set(code, { atMs: now, suppressed: 0 });
    this.#logger[level]({ code, ...fields, ...(suppressed > 0 ? { suppressed } : {}) }, msg);
  }
}
