// ScoreJoin: a poll is fed with the scores that cover it, a poll left without them is fed alone at the
// next poll, and no device's score is fed twice or out of time order.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScoreTick } from '../../core/scores.ts';
import { type RigState, SCHEMA_VERSION } from '../../core/sink.ts';
import { emptySnapshot } from '../../core/snapshot.ts';
import { parseState, ScoreJoin } from './score-join.ts';

const snap = (device: string, ts: number) => emptySnapshot(ts, 'rig0', device);
const tick = (device: string, ts: number) => ({ rig: 'rig0', device, ts }) as unknown as ScoreTick;
const state = (...devices: ScoreTick[]): RigState => ({
  schema: SCHEMA_VERSION,
  rig: 'rig0',
  ts: Math.max(...devices.map((d) => d.ts)),
  devices,
});
const shape = (
  b: { snapshots: readonly { device: string; ts: number }[]; scores: readonly ScoreTick[] } | null,
) =>
  b === null
    ? null
    : {
        snapshots: b.snapshots.map((s) => `${s.device}@${s.ts}`),
        scores: b.scores.map((t) => `${t.device}@${t.ts}`),
      };

test('a poll waits for the state that scores every device of it; both are fed together', () => {
  const j = new ScoreJoin('rig0');
  assert.deepEqual(j.poll([snap('a', 1000), snap('b', 1000)], 1005), []);
  // b's score is older than its snapshot: the poll is not covered yet; a's new score is fed alone.
  assert.deepEqual(shape(j.state(state(tick('a', 1000), tick('b', 900)))), {
    snapshots: [],
    scores: ['a@1000', 'b@900'],
  });
  assert.equal(j.stats().held, 1);
  const b = j.state(state(tick('a', 1000), tick('b', 1000)));
  assert.deepEqual(shape(b), { snapshots: ['a@1000', 'b@1000'], scores: ['b@1000'] });
  assert.equal(b?.ts, 1005, 'the batch carries the poll tick');
  assert.deepEqual(j.stats(), { fed: 2, scoresFed: 3, pollsWithoutScores: 0, scoresStale: 1, held: 0 });
});

test('a poll still held at the next poll is fed without scores; late scores follow, never older ones', () => {
  const j = new ScoreJoin('rig0');
  j.poll([snap('a', 1000)], 1000);
  const late = j.poll([snap('a', 2000)], 2000);
  assert.deepEqual(late.map(shape), [{ snapshots: ['a@1000'], scores: [] }]);
  // The state for both polls arrives: the held (second) poll with the newest score only.
  assert.deepEqual(shape(j.state(state(tick('a', 2000)))), { snapshots: ['a@2000'], scores: ['a@2000'] });
  // The first poll's score comes last (a late GET): older than fed, dropped; nothing to feed.
  assert.equal(j.state(state(tick('a', 1000))), null);
  assert.equal(j.state(state(tick('a', 2000))), null, 'the same state again feeds nothing');
  assert.deepEqual(j.stats(), { fed: 2, scoresFed: 1, pollsWithoutScores: 1, scoresStale: 2, held: 0 });
});

test('other rigs are ignored; parseState accepts rig states only', () => {
  const j = new ScoreJoin('rig0');
  assert.deepEqual(j.poll([emptySnapshot(1, 'rig1', 'a')], 1), []);
  assert.equal(j.stats().held, 0);
  assert.equal(j.state({ ...state(tick('a', 1)), rig: 'rig1' }), null);
  const s = state(tick('a', 5));
  assert.deepEqual(parseState(JSON.stringify(s)), s);
  for (const bad of ['', 'null', '{"rig":"r","ts":1}', '{"rig":"r","ts":1,"devices":[{"ts":1}]}', '[1]'])
    assert.equal(parseState(bad), null, bad);
});
