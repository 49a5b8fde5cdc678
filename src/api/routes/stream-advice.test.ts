// /api/stream's advice events: a client gets its rigs' active advice after their states, then every
// advice record (raised, updated, cleared) of its rigs as it is published; actions are not streamed.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ControlRecord } from '../../core/sink.ts';
import { MemoryState, makeState, makeTick, SseReader, startTestApi, testDeps } from '../test-kit.ts';

const advice = (rig: string, ts: number, id: string, state: 'active' | 'cleared'): ControlRecord => ({
  kind: 'advice',
  rig,
  ts,
  payload: { id, state, reason: `${id} is ${state}`, evidence: { temp_core_c: 91 } },
});

const state = new MemoryState();
state.publish(makeState('rig-01', [makeTick('rig-01', 'gpu0', 1000)]));
state.addRig('rig-03'); // configured, not scored: its advice still streams
state.addControl(advice('rig-01', 900, 'raise_fan:rig-01:gpu0:900', 'active'));
state.addControl(advice('rig-01', 950, 'check_pool:rig-01:*:800', 'cleared'));
state.addControl(advice('rig-03', 990, 'device_stale:rig-03:gpu0:990', 'active'));
const store = state;
const { api, url } = await startTestApi(
  testDeps({ state, subscribeControl: (listener) => store.subscribeControl(listener) }),
);
after(() => api.close());

async function open(path: string): Promise<SseReader> {
  const res = await fetch(`${url}${path}`);
  assert.equal(res.status, 200);
  return new SseReader(res.body as ReadableStream<Uint8Array>);
}

test('states, then active advice of each rig, then live advice records of the wanted rigs only', async () => {
  const reader = await open('/api/stream?rig=rig-01,rig-03');
  const first = await reader.nextEvent();
  assert.equal(first?.event, 'state');
  const initial = [await reader.nextEvent(), await reader.nextEvent()];
  assert.deepEqual(
    initial.map((e) => [e?.event, e?.id, JSON.parse(e?.data as string)]),
    [
      ['advice', '2', advice('rig-01', 900, 'raise_fan:rig-01:gpu0:900', 'active')],
      ['advice', '3', advice('rig-03', 990, 'device_stale:rig-03:gpu0:990', 'active')],
    ],
  );
  await state.waitForListeners(2); // the state and the control subscriptions
  state.addControl(advice('rig-02', 1500, 'raise_fan:rig-02:gpu0:1500', 'active')); // not wanted
  state.addControl({ kind: 'action', rig: 'rig-01', ts: 1600, payload: { id: 'a1' } }); // not streamed
  const updated = advice('rig-01', 2000, 'raise_fan:rig-01:gpu0:900', 'active');
  state.addControl(updated);
  state.publish(makeState('rig-01', [makeTick('rig-01', 'gpu0', 2000)]));
  const cleared = advice('rig-01', 3000, 'raise_fan:rig-01:gpu0:900', 'cleared');
  state.addControl(cleared);
  const live = [await reader.nextEvent(), await reader.nextEvent(), await reader.nextEvent()];
  assert.deepEqual(
    live.map((e) => [e?.event, JSON.parse(e?.data as string).ts]),
    [
      ['advice', 2000],
      ['state', 2000],
      ['advice', 3000],
    ],
  );
  assert.deepEqual(JSON.parse(live[2]?.data as string), cleared);
  await reader.cancel();
  await state.waitForListeners(0);
});

test('without a control feed the stream still opens with the active advice, then states only', async () => {
  const quiet = new MemoryState();
  quiet.publish(makeState('r', [makeTick('r', 'gpu0', 1000)]));
  quiet.addControl(advice('r', 1000, 'raise_fan:r:gpu0:1000', 'active'));
  const started = await startTestApi(testDeps({ state: quiet }));
  try {
    const res = await fetch(`${started.url}/api/stream`);
    const reader = new SseReader(res.body as ReadableStream<Uint8Array>);
    assert.equal((await reader.nextEvent())?.event, 'state');
    assert.equal((await reader.nextEvent())?.event, 'advice');
    await quiet.waitForListeners(1);
    quiet.addControl(advice('r', 2000, 'check_fan:r:gpu0:2000', 'active'));
    quiet.publish(makeState('r', [makeTick('r', 'gpu0', 2000)]));
    const next = await reader.nextEvent();
    assert.equal(next?.event, 'state');
    await reader.cancel();
    await quiet.waitForListeners(0);
  } finally {
    await started.api.close();
  }
});
