import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SinkHealth } from '../core/sink.ts';
import { healthHttpStatus, summarizeHealth } from './health.ts';

const sink = (ok: boolean): SinkHealth => ({
  ok,
  queued: 0,
  spooled: ok ? 0 : 4,
  dropped: 0,
  lastError: null,
});

test('all ok is ok (200)', () => {
  const r = summarizeHealth({ runtime: { ok: true, ticks: 3 }, 'sink.valkey': sink(true) }, ['runtime']);
  assert.equal(r.status, 'ok');
  assert.equal(healthHttpStatus(r.status), 200);
});

test('a non-critical component failing degrades (200)', () => {
  const r = summarizeHealth({ runtime: { ok: true }, 'sink.valkey': sink(false) }, ['runtime']);
  assert.equal(r.status, 'degraded');
  assert.equal(healthHttpStatus(r.status), 200);
  assert.equal((r.components['sink.valkey'] as SinkHealth).spooled, 4);
});

test('a critical component failing or missing is down (503)', () => {
  assert.equal(
    summarizeHealth({ runtime: { ok: false }, 'sink.valkey': sink(true) }, ['runtime']).status,
    'down',
  );
  assert.equal(summarizeHealth({ 'sink.valkey': sink(true) }, ['runtime']).status, 'down');
  assert.equal(healthHttpStatus('down'), 503);
});
