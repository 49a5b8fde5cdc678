// Site auto-tune without scores: no worker → the controller (fed its collector's snapshots) takes no
// action, refused by its freshness guard; a worker starts → actions follow; the worker stops → none
// again once its last score is older than stale_ms. A collector that crashes mid-action rolls it back
// on its next start (journal), before anything else.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { JournaledAction } from '../../src/control/autotune/index.ts';
import { openValkey } from '../../src/runtime/scale/index.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { hasRedisServer, type RedisServer, startRedis, waitUntil } from '../helpers/redis-server.ts';
import { FAST, h100Fleet, powerLimitW, RIG, T0 } from './autotune-service-kit.ts';
import { type Site, startSite, step } from './scale-autotune-kit.ts';
import { startWorker } from './scale-kit.ts';

const skip = hasRedisServer() ? false : 'redis-server not installed';
const root = mkdtempSync(join(tmpdir(), 'rigtune-scale-autotune-stale-'));
let redis: RedisServer;

before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
});

const STALE_MS = 5000;
const OPTIONS = { ...FAST, stale_ms: STALE_MS };

const intended = (site: Site, sinceMs: number): JournaledAction[] =>
  [...site.journal.recent(RIG, sinceMs)].filter((a) => a.purpose === 'tune');

const refusal = (site: Site) => {
  const d = (
    site.autotune.feed.status()[0].devices as { refusals: { guard: string; reason: string }[] }[]
  )[0];
  return d?.refusals[0] ?? null;
};

test('no scores, no action; scores flowing, actions; workers gone, none again', {
  skip,
  timeout: 60_000,
}, async () => {
  const clock = new FakeClock(T0);
  const fleet = h100Fleet();
  const site = await startSite(redis.url, clock, fleet, {
    journalDir: join(root, 'journal'),
    auditDir: join(root, 'audit'),
    mode: 'auto',
    options: OPTIONS,
  });
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
  try {
    // 150 s without a worker: long past the baseline the first step needs (~45 s with scores).
    for (let s = 0; s < 150; s++) await step(site, clock, false);
    assert.deepEqual(intended(site, 0), [], 'no action without scores');
    assert.equal(powerLimitW(fleet), 700);
    assert.deepEqual(refusal(site), {
      kind: 'power_limit_w',
      guard: 'stale',
      reason: 'no score yet',
      ts: clock.nowMs(),
    });
    const joins = site.autotune.stats().joins[RIG];
    assert.equal(joins.scoresFed, 0);
    assert.ok(joins.pollsWithoutScores >= 149, 'polls were fed (validation reads them) without scores');

    // A worker starts: it scores the backlog (stale by now), then each new poll; a step follows.
    worker = await startWorker(redis.url, 'w1', { partitions: 4 });
    const scoredFromMs = clock.nowMs();
    let s = 0;
    for (; s < 120 && intended(site, 0).length === 0; s++) await step(site, clock, true);
    const [first] = intended(site, 0);
    assert.ok(first !== undefined, 'an action once scores flow');
    assert.ok(first.ts > scoredFromMs);
    await waitUntil(() => site.journal.action(first.id)?.status !== 'intended', 'the step is applied');

    // Run until that step is judged, then stop the worker (a later step may be under validation:
    // its watch goes on with the collector's snapshots).
    const judged = () =>
      ['validated', 'rolled_back', 'failed'].includes(site.journal.action(first.id)?.status ?? '');
    for (let i = 0; i < 200 && !judged(); i++) await step(site, clock, true);
    assert.ok(judged(), 'the step was judged');
    await worker.stop();
    worker = null;
    const lastScoreMs = clock.nowMs();
    const before = intended(site, 0).length;
    for (let i = 0; i < 200; i++) await step(site, clock, false);
    const late = intended(site, 0)
      .slice(before)
      .filter((a) => a.ts > lastScoreMs + STALE_MS);
    assert.deepEqual(late, [], 'no action on scores older than stale_ms');
    assert.equal(refusal(site)?.guard, 'stale');
    assert.match(refusal(site)?.reason ?? '', /latest score is \d+ s old/);
  } finally {
    await worker?.stop();
    await site.stop();
  }
});

test('a collector restart rolls back the action its journal has in flight', {
  skip,
  timeout: 60_000,
}, async () => {
  // The first test left rig0's newer state in Valkey (a state older than the held one is not published).
  const admin = openValkey({ urls: [redis.url] });
  try {
    await admin.waitReady(AbortSignal.timeout(5000));
    await admin.command('', ['FLUSHALL']);
  } finally {
    await admin.close();
  }
  const clock = new FakeClock(T0);
  const fleet = h100Fleet();
  const dirs = { journalDir: join(root, 'crash-journal'), auditDir: join(root, 'crash-audit') };
  const worker = await startWorker(redis.url, 'w2', { partitions: 4 });
  const first = await startSite(redis.url, clock, fleet, { ...dirs, mode: 'auto', options: OPTIONS });
  let crashed = false;
  try {
    for (let s = 0; s < 150 && first.journal.inFlight(RIG)[0]?.status !== 'verified'; s++)
      await step(first, clock, true);
    const [inFlight] = first.journal.inFlight(RIG);
    assert.equal(inFlight?.status, 'verified', 'a step is applied and under validation');
    const stepped = powerLimitW(fleet);
    assert.ok(stepped < 700);
    // Crash: nothing restored; only the journal file and the device remain.
    crashed = true;
    await first.crash();
    assert.equal(powerLimitW(fleet), stepped);

    const second = await startSite(redis.url, clock, fleet, { ...dirs, mode: 'auto', options: OPTIONS });
    try {
      assert.equal(powerLimitW(fleet), 700, 'rolled back on start, before any poll');
      const restored = second.journal.action(inFlight.id);
      assert.equal(restored?.status, 'rolled_back');
      assert.match(restored?.rollbackReason ?? '', /restart/);
    } finally {
      await second.stop();
    }
  } finally {
    if (!crashed) await first.stop();
    await worker.stop();
  }
});
