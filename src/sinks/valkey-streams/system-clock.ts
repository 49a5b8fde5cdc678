// The clock the stream writer uses when none is injected: the system's wall clock and a timer sleep
// (sequence numbers need wall time so a restarted collector numbers above its earlier run).

import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../../core/clock.ts';

/** Date.now and an abortable timer sleep. */
export const SYSTEM_CLOCK: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};
