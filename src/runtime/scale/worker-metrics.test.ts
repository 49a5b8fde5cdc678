import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serveWorkerMetrics, workerExposition } from './worker-metrics.ts';
import { emptyWorkerStats } from './worker-types.ts';

test('the worker counters are exposed with _total names and TYPE lines', () => {
  const text = workerExposition({ ...emptyWorkerStats(), entries: 12, claimed: 3 }, 4, 2);
  assert.match(text, /^# TYPE rigtune_worker_entries_total counter\nrigtune_worker_entries_total 12$/m);
  assert.match(text, /^rigtune_worker_claimed_entries_total 3$/m);
  assert.match(text, /^rigtune_worker_partitions 4$/m);
});

test('GET /metrics serves device gauges and worker counters; other paths are 404', async () => {
  const m = await serveWorkerMetrics('127.0.0.1', 0, () => ({
    stats: emptyWorkerStats(),
    owned: 1,
    live: 1,
  }));
  try {
    const res = await fetch(m.url);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /rigtune_worker_live_workers 1/);
    assert.equal((await fetch(m.url.replace('/metrics', '/x'))).status, 404);
  } finally {
    await m.close();
  }
});
