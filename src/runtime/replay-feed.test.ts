// The trace feed and scan over in-memory traces: records are handed out by rig when due, in file order,
// exactly once; the scan finds rigs, devices, span and step; bad traces fail naming file and line.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplayFeed } from './replay-feed.ts';
import { memoryReader } from './replay-test-kit.ts';
import { DEFAULT_STEP_MS, scanTrace } from './replay-trace.ts';

const ROWS = [
  [1000, 'a', 'g0', 100],
  [1000, 'b', 'g0', 200],
  [2000, 'a', 'g0', 101],
  [2000, 'b', 'g0', 201],
  [2500, 'a', 'g1', 300],
  [3000, 'a', 'g0', 102],
] as const;

test('the scan finds rigs, devices, span, record count and the median step', async () => {
  const scan = await scanTrace(memoryReader(ROWS));
  assert.equal(scan.records, 6);
  assert.deepEqual(
    [...scan.rigs],
    [
      ['a', ['g0', 'g1']],
      ['b', ['g0']],
    ],
  );
  assert.equal(scan.firstMs, 1000);
  assert.equal(scan.lastMs, 3000);
  assert.equal(scan.stepMs, 1000);
  assert.deepEqual(scan.fields, ['power_w']);
  const single = await scanTrace(memoryReader([[5, 'r', 'd', 1]]));
  assert.equal(single.stepMs, DEFAULT_STEP_MS);
});

test('the scan fails on a bad line, an unknown column or an empty trace', async () => {
  await assert.rejects(scanTrace(memoryReader(ROWS, 4)), {
    code: 'RT_INPUT_PARSE',
    where: { file: 'mem.csv', line: 4, field: 'power_w' },
  });
  await assert.rejects(scanTrace(memoryReader(ROWS, undefined, ['power_w', 'bogus'])), {
    code: 'RT_INPUT_COLUMN',
    where: { file: 'mem.csv', line: 1, column: 2, field: 'bogus' },
  });
  const ignored = await scanTrace(memoryReader(ROWS, undefined, ['power_w', 'bogus']), {
    ignoreUnknown: true,
  });
  assert.deepEqual(ignored.fields, ['power_w']);
  await assert.rejects(scanTrace(memoryReader([])), { code: 'RT_INPUT_PARSE' });
});

test('each rig takes its own due records in file order, each exactly once; done follows the last', async () => {
  const feed = new ReplayFeed(await scanTrace(memoryReader(ROWS)));
  let done = false;
  feed.done.then(() => {
    done = true;
  });
  const ts = (xs: readonly { ts: number; device: string }[]) => xs.map((s) => `${s.device}@${s.ts}`);
  assert.deepEqual(ts(await feed.take('a', 999)), []);
  assert.deepEqual(ts(await feed.take('a', 2000)), ['g0@1000', 'g0@2000']);
  assert.deepEqual(ts(await feed.take('a', 2000)), [], 'nothing twice');
  assert.deepEqual(ts(await feed.take('b', 2600)), ['g0@1000', 'g0@2000'], "read ahead for a's poll");
  assert.deepEqual(ts(await feed.take('a', 2600)), ['g1@2500']);
  assert.equal(feed.reachedMs, 2500);
  const last = await feed.take('a', 10_000);
  assert.deepEqual(ts(last), ['g0@3000']);
  assert.equal(last[0].power_w, 102);
  assert.equal(last[0].rig, 'a');
  await feed.done;
  assert.ok(done);
  assert.equal(feed.emitted, 6);
});

test('a read error ends the feed: polls get nothing and done rejects with the error', async () => {
  const feed = new ReplayFeed(await scanTrace(memoryReader(ROWS)));
  // The scan read the file fine; the same reader now fails at line 3 (the file changed).
  const broken = new ReplayFeed({ ...(await scanTrace(memoryReader(ROWS))), reader: memoryReader(ROWS, 3) });
  assert.deepEqual(await broken.take('a', 10_000), []);
  await assert.rejects(broken.done, {
    code: 'RT_INPUT_PARSE',
    where: { file: 'mem.csv', line: 3, field: 'power_w' },
  });
  assert.deepEqual(await broken.take('a', 10_000), []);
  await feed.close();
});
