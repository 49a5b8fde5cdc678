import assert from 'node:assert/strict';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { after, test } from 'node:test';
import type { RigState } from '../../core/sink.ts';
import {
  MemoryState,
  makeState,
  makeTick,
  readJson,
  SseParser,
  SseReader,
  startTestApi,
  testDeps,
} from '../test-kit.ts';

const state = new MemoryState();
state.publish(makeState('rig-01', [makeTick('rig-01', 'gpu0', 1000)]));
const { api, url } = await startTestApi(testDeps({ state }));
after(() => api.close());

const stateAt = (rig: string, ts: number): RigState => makeState(rig, [makeTick(rig, 'gpu0', ts)]);

async function open(path: string, signal?: AbortSignal): Promise<SseReader> {
  const res = await fetch(`${url}${path}`, { signal });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  return new SseReader(res.body as ReadableStream<Uint8Array>);
}

test('current states first, then every update in order; closing the client unsubscribes', async () => {
  const abort = new AbortController();
  const reader = await open('/api/stream', abort.signal);
  const retry = await reader.next();
  assert.deepEqual(retry, { retry: '3000' });
  const first = await reader.nextEvent();
  assert.equal(first?.event, 'state');
  assert.equal(first?.id, '1');
  assert.deepEqual(JSON.parse(first?.data as string), stateAt('rig-01', 1000));
  await state.waitForListeners(1);
  const published = [stateAt('rig-01', 2000), stateAt('rig-02', 2000), stateAt('rig-01', 3000)];
  for (const s of published) state.publish(s);
  for (const [i, s] of published.entries()) {
    const e = await reader.nextEvent();
    assert.equal(e?.id, String(i + 2));
    assert.deepEqual(JSON.parse(e?.data as string), s);
  }
  assert.equal(api.streamStats().clients, 1);
  abort.abort();
  await state.waitForListeners(0);
  assert.equal(api.streamStats().clients, 0);
  assert.ok(api.streamStats().sent_total >= 4);
});

test('?rig= sends only the named rigs', async () => {
  const reader = await open('/api/stream?rig=rig-02,rig-03');
  await state.waitForListeners(1);
  state.publish(stateAt('rig-01', 4000));
  state.publish(stateAt('rig-03', 4000));
  const initial = await reader.nextEvent(); // rig-02's current state
  assert.equal(JSON.parse(initial?.data as string).rig, 'rig-02');
  const next = await reader.nextEvent();
  assert.deepEqual(JSON.parse(next?.data as string), stateAt('rig-03', 4000));
  await reader.cancel();
  await state.waitForListeners(0);
});

test('bad parameters are a JSON 400 before the stream starts', async () => {
  for (const [path, param] of [
    ['/api/stream?rig=', 'rig'],
    ['/api/stream?rigs=a', 'rigs'],
    ['/api/stream?rig=a&rig=b', 'rig'],
  ]) {
    const res = await fetch(`${url}${path}`);
    assert.equal(res.status, 400, path);
    const body = await readJson(res);
    assert.equal(body.error.code, 'RT_API_PARAM');
    assert.equal(body.error.param, param);
  }
  assert.equal(state.listenerCount, 0);
});

test('heartbeat comments keep an idle stream alive', async () => {
  const quiet = new MemoryState();
  const { api: a2, url: u2 } = await startTestApi(testDeps({ state: quiet, heartbeatMs: 5 }));
  try {
    const res = await fetch(`${u2}/api/stream`);
    const reader = new SseReader(res.body as ReadableStream<Uint8Array>);
    assert.deepEqual(await reader.next(), { retry: '3000' });
    assert.deepEqual(await reader.next(), { comment: 'heartbeat' });
    await reader.cancel();
    await quiet.waitForListeners(0);
  } finally {
    await a2.close();
  }
});

test('closing the API ends open streams', async () => {
  const own = new MemoryState();
  const { api: a2, url: u2 } = await startTestApi(testDeps({ state: own }));
  const res = await fetch(`${u2}/api/stream`);
  const reader = new SseReader(res.body as ReadableStream<Uint8Array>);
  await own.waitForListeners(1);
  await a2.close();
  assert.deepEqual(await reader.next(), { retry: '3000' });
  assert.equal(await reader.next(), null);
  assert.equal(own.listenerCount, 0);
  own.publish(stateAt('rig-01', 9000)); // nobody listens any more: no write after end
});

test('a client that stops reading gets the newest state when it resumes, nothing buffered in between', async () => {
  const own = new MemoryState();
  const { api: a2, url: u2 } = await startTestApi(testDeps({ state: own }));
  try {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      httpGet(`${u2}/api/stream`, resolve).on('error', reject);
    });
    // Not reading `res`: once its buffers and the socket's fill, the server's writes are refused.
    await own.waitForListeners(1);
    const devices = Array.from({ length: 64 }, (_, d) => `gpu${d}`);
    let published = 0;
    while (a2.streamStats().dropped_total === 0 && published < 100_000) {
      published++;
      own.publish(
        makeState(
          'rig-01',
          devices.map((d) => makeTick('rig-01', d, published)),
        ),
      );
    }
    assert.ok(a2.streamStats().dropped_total > 0, 'the server noticed the slow client');
    // A few more, all but the last must be dropped while the client is still not reading.
    for (let i = 0; i < 100; i++) {
      published++;
      own.publish(
        makeState(
          'rig-01',
          devices.map((d) => makeTick('rig-01', d, published)),
        ),
      );
    }
    const parser = new SseParser();
    const seen: number[] = [];
    res.setEncoding('utf8');
    await new Promise<void>((resolve) => {
      res.on('data', (chunk: string) => {
        for (const m of parser.push(chunk))
          if (m.event === 'state') seen.push(JSON.parse(m.data as string).ts);
        if (seen.at(-1) === published) resolve();
      });
    });
    const stats = a2.streamStats();
    assert.equal(seen.length, stats.sent_total, 'every state written reached the client');
    assert.equal(stats.sent_total + stats.dropped_total, published, 'every state was either sent or dropped');
    assert.ok(seen.length < published);
    assert.deepEqual(
      seen,
      [...seen].sort((x, y) => x - y),
      'in order',
    );
    res.destroy();
    await own.waitForListeners(0);
  } finally {
    await a2.close();
  }
});
