// The real clock: sleeps resolve, an abort rejects with the signal's reason and leaves no listener.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WALL_CLOCK } from './wall-clock.ts';

test('sleep resolves; an abort before or during it rejects with the reason', async () => {
  await WALL_CLOCK.sleep(1);
  const early = new AbortController();
  early.abort(new Error('stop'));
  await assert.rejects(WALL_CLOCK.sleep(10_000, early.signal), /stop/);
  const late = new AbortController();
  const sleeping = WALL_CLOCK.sleep(10_000, late.signal);
  late.abort(new Error('later'));
  await assert.rejects(sleeping, /later/);
  assert.ok(Math.abs(WALL_CLOCK.nowMs() - Date.now()) < 1000);
});
