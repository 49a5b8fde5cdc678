// A replay through the real service on a fake wall clock: at speed 10 one wall second scores exactly
// ten trace seconds, snapshots keep the trace's timestamps, and the end flushes and closes every sink.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { parseConfigText } from '../config/index.ts';
import { startReplay } from './replay.ts';
import { CollectingSink, memoryReader } from './replay-test-kit.ts';
import { scanTrace } from './replay-trace.ts';

const T0 = 1_793_534_400_000;
const CONFIG = parseConfigText(
  [
    'sinks: {prometheus: {enabled: false}, parquet: {enabled: false}, audit: {enabled: false}}',
    'rigs:',
    '  - name: rig-b',
    '    thresholds: {min_samples: 20}',
    '    sources: [{kind: xmrig, url: "http://127.0.0.1:1"}]',
    '',
  ].join('\n'),
  '<test>',
  {},
);

/** Two rigs of two devices, 1 Hz for `seconds`; power steps up halfway, with deterministic noise. */
function rows(seconds: number): Array<[number, string, string, number]> {
  const out: Array<[number, string, string, number]> = [];
  for (let i = 0; i < seconds; i++)
    for (const [rig, device] of [
      ['rig-a', 'gpu0'],
      ['rig-a', 'gpu1'],
      ['rig-b', 'gpu0'],
      ['rig-b', 'gpu1'],
    ])
      out.push([T0 + i * 1000, rig, device, (i < seconds / 2 ? 200 : 320) + ((i * 7919) % 11) / 10]);
  return out;
}

async function start(speed: number, seconds: number) {
  const wall = new FakeClock(1_000_000);
  const collector = new CollectingSink();
  const replay = await startReplay({
    scan: await scanTrace(memoryReader(rows(seconds))),
    speed,
    config: CONFIG,
    configThresholds: true,
    http: false,
    clock: wall,
    wallTimers: wall,
    logger: pino({ level: 'silent' }),
    env: {},
    version: 'test',
    extraSinks: [collector],
  });
  const scored = () => collector.batches.flatMap((b) => b.scores);
  return { wall, collector, replay, scored };
}

test('at speed 10, each wall second scores the next ten trace seconds, at their own timestamps', async () => {
  const { wall, collector, replay, scored } = await start(10, 120);
  await wall.advance(0);
  assert.equal(scored().length, 4, 'the first poll takes the first sample of each device');
  await wall.advance(1000);
  assert.equal(scored().length, 4 * 11, 'trace seconds 0..10 after one wall second');
  assert.ok(scored().every((s) => s.ts >= T0 && s.ts <= T0 + 10_000));
  assert.equal(replay.clock.nowMs(), T0 + 10_000);
  assert.ok(
    collector.batches.every((b) => b.ts >= T0 && b.ts <= T0 + 10_000),
    'batch times are trace times, not the wall clock',
  );
  await wall.advance(499);
  assert.equal(scored().length, 4 * 15);
  let ended = false;
  replay.ended.then(() => {
    ended = true;
  });
  await wall.advance(11_000);
  assert.ok(ended);
  const summary = await replay.stop();
  assert.equal(scored().length, 4 * 120);
  assert.deepEqual(
    {
      records: summary.records,
      replayed: summary.replayed,
      scores: summary.scores,
      unscored: summary.unscored,
    },
    { records: 480, replayed: 480, scores: 480, unscored: 0 },
  );
  assert.equal(summary.rigs, 2);
  assert.equal(summary.devices, 4);
  assert.ok(summary.events >= 4, `the power step closes an event per device (got ${summary.events})`);
  assert.equal(collector.batches.flatMap((b) => b.events).length, summary.events);
  assert.ok(collector.closed, 'stop closes every sink');
});

test('stopped early, a replay still flushes: the summary says how far it got', async () => {
  const { wall, replay, collector } = await start(1, 120);
  await wall.advance(30_000);
  const summary = await replay.stop();
  assert.equal(summary.replayed, 4 * 31);
  assert.equal(summary.reachedMs, T0 + 30_000);
  assert.ok(collector.closed);
  await wall.advance(120_000);
  assert.equal(replay.summary().replayed, 4 * 31, 'nothing moves after stop');
});

test('max speed needs no wall time at all', async () => {
  const { wall, replay, scored } = await start(Number.POSITIVE_INFINITY, 60);
  await wall.advance(0);
  await replay.ended;
  await replay.stop();
  assert.equal(scored().length, 240);
  assert.equal(wall.nowMs(), 1_000_000);
});
