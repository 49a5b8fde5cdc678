// The real clock the commands run on: Date.now and event-loop timers. Everything below the runtime takes
// a Clock as a dependency (tests pass a fake); this is the one place the real one is written.

import type { Clock } from '../core/clock.ts';

/** Real time. `sleep` rejects with the signal's reason when aborted (and leaves no listener behind). */
export const WALL_CLOCK: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
