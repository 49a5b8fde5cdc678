// The cgminer client over real sockets on 127.0.0.1: framing, NUL termination, every failure kind,
// the per-miner lock (one connection at a time) and retries with backoff on a fake clock.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type FakeCgminer, fixtureReplies, startCgminerServer } from '../../../test/fakes/cgminer-server.ts';
import { closedPort } from '../../../test/fakes/raw-tcp-server.ts';
import type { Clock } from '../../core/clock.ts';
import { SourceError, type SourceErrorKind } from '../../core/errors.ts';
import { createCgminerClient } from './cgminer-client.ts';
import { cgminerRequest, encodeRequest, kindOfSocketError } from './client.ts';
import { MinerLocks } from './miner-locks.ts';
import { multiReplyPart } from './status.ts';

const S19 = new URL('../../sources/cgminer/fixtures/antminer/49.0.1.3/', import.meta.url);
const SUMMARY = fixtureReplies(S19).summary as { kind: 'reply'; body: Uint8Array };
const FAST = { timeoutMs: 150 } as const;
let miner: FakeCgminer;

before(async () => {
  miner = await startCgminerServer({
    ...fixtureReplies(S19),
    bare: { kind: 'reply', body: '{"STATUS":[{"STATUS":"S","Code":1}],"id":1}', nul: false },
    hang: { kind: 'hang' },
    garbage: { kind: 'garbage' },
    html: { kind: 'html' },
    truncate: { kind: 'truncate', body: SUMMARY.body },
    reset: { kind: 'reset', body: SUMMARY.body },
    close: { kind: 'close' },
    error: {
      kind: 'reply',
      body: '{"STATUS":[{"STATUS":"E","When":1,"Code":45,"Msg":"Access denied to \'ascset\' command","Description":"cgminer 1.0.0"}],"id":1}',
    },
    text: {
      kind: 'reply',
      body: 'STATUS=S,When=1,Code=11,Msg=Summary,Description=cgminer 4.10.0|SUMMARY,Elapsed=7,GHS 5s=16346.64|',
    },
  });
});
after(() => miner.close());

function failsWith(kind: SourceErrorKind, message?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof SourceError, String(err));
    assert.equal(err.kind, kind, err.message);
    if (message) assert.match(err.message, message);
    return true;
  };
}

test('a request sends one JSON command per connection and reads the NUL-terminated reply', async () => {
  const before = miner.connections();
  const reply = await cgminerRequest(miner.host, miner.port, 'summary', FAST);
  assert.equal(miner.connections(), before + 1);
  assert.equal(miner.requests.at(-1)?.raw, '{"command":"summary"}');
  assert.deepEqual(reply.quirks, ['trailing-nul']);
  assert.equal(reply.bytes, SUMMARY.body.length + 1);
  const summary = (reply.value as { SUMMARY: Record<string, unknown>[] }).SUMMARY[0];
  assert.equal(summary['GHS 5s'], 110566.89);
});

test('a reply closed without a NUL, a parameter, and the text framing', async () => {
  assert.deepEqual((await cgminerRequest(miner.host, miner.port, 'bare', FAST)).quirks, []);
  await cgminerRequest(miner.host, miner.port, 'version', { ...FAST, parameter: 0 });
  assert.deepEqual(miner.requests.at(-1), {
    raw: '{"command":"version","parameter":"0"}',
    command: 'version',
    parameter: '0',
    json: true,
  });
  const text = await cgminerRequest(miner.host, miner.port, 'text', {
    ...FAST,
    jsonFraming: false,
    parameter: 'x',
  });
  assert.equal(miner.requests.at(-1)?.raw, 'text|x');
  assert.deepEqual(text.value, {
    STATUS: [{ STATUS: 'S', When: '1', Code: '11', Msg: 'Summary', Description: 'cgminer 4.10.0' }],
    SUMMARY: [{ Elapsed: '7', 'GHS 5s': '16346.64' }],
  });
  assert.equal(encodeRequest('stats', undefined, true), '{"command":"stats"}');
  assert.equal(encodeRequest('devdetails', 0, false), 'devdetails|0');
});

test('the joined command form returns one part per command', async () => {
  const reply = await cgminerRequest(miner.host, miner.port, 'summary+stats', FAST);
  const stats = multiReplyPart(reply.value, 'stats') as { STATS: unknown[] };
  assert.equal(stats.STATS.length, 2);
  assert.throws(() => multiReplyPart(reply.value, 'pools'), failsWith('protocol', /no part for 'pools'/));
  await assert.rejects(
    cgminerRequest(miner.host, miner.port, 'summary+hang', FAST),
    failsWith('status', /Invalid command/),
  );
});

test('each failure has its kind: status, timeout, protocol, reset, connect', async () => {
  const at = (command: string, extra = {}) =>
    cgminerRequest(miner.host, miner.port, command, { ...FAST, ...extra });
  await assert.rejects(at('error'), failsWith('status', /status E \(code 45\): Access denied/));
  await assert.rejects(at('nosuch'), failsWith('status', /Invalid command/));
  await assert.rejects(at('hang', { timeoutMs: 80 }), failsWith('timeout', /No complete reply within 80 ms/));
  await assert.rejects(at('garbage'), failsWith('protocol', /Unexpected byte 0x16 .* at byte 0/));
  await assert.rejects(at('html'), failsWith('protocol', /HTML page titled "404 Not Found"/));
  await assert.rejects(at('truncate'), failsWith('protocol', /truncated/));
  await assert.rejects(at('reset'), failsWith('reset'));
  await assert.rejects(at('close'), failsWith('reset', /without replying.*api-allow/));
  await assert.rejects(
    at('summary', { maxReplyBytes: 100 }),
    failsWith('protocol', /exceeds the 100-byte limit/),
  );
  await assert.rejects(
    cgminerRequest(miner.host, await closedPort(), 'summary', FAST),
    failsWith('connect', /ECONNREFUSED/),
  );
  await assert.rejects(at('bad command'), failsWith('unsupported'));
});

test('an aborted signal ends the request as a timeout with the reason as cause', async () => {
  const controller = new AbortController();
  const pending = cgminerRequest(miner.host, miner.port, 'hang', {
    timeoutMs: 5000,
    signal: controller.signal,
  });
  controller.abort(new Error('poll deadline'));
  await assert.rejects(
    pending,
    (err) => failsWith('timeout', /aborted/)(err) && (err as Error).cause instanceof Error,
  );
  await assert.rejects(
    cgminerRequest(miner.host, miner.port, 'summary', { timeoutMs: 5000, signal: AbortSignal.abort() }),
    failsWith('timeout'),
  );
});

test('OS errors map to kinds', () => {
  const e = (code: string) => Object.assign(new Error(code), { code });
  assert.equal(kindOfSocketError(e('ECONNREFUSED'), false), 'connect');
  assert.equal(kindOfSocketError(e('EHOSTUNREACH'), false), 'connect');
  assert.equal(kindOfSocketError(e('ENOTFOUND'), false), 'connect');
  assert.equal(kindOfSocketError(e('ETIMEDOUT'), false), 'timeout');
  assert.equal(kindOfSocketError(e('ECONNRESET'), true), 'reset');
  assert.equal(kindOfSocketError(e('EPIPE'), true), 'reset');
  assert.equal(kindOfSocketError(e('EWHATEVER'), true), 'reset');
  assert.equal(kindOfSocketError(e('EWHATEVER'), false), 'connect');
});

test('one connection per miner at a time, in FIFO order', async () => {
  const locks = new MinerLocks();
  const fake = await startCgminerServer(fixtureReplies(S19));
  try {
    const commands = ['summary', 'stats', 'version', 'pools', 'devs', 'summary'];
    const replies = await Promise.all(
      commands.map((c) => cgminerRequest(fake.host, fake.port, c, { timeoutMs: 2000, locks })),
    );
    assert.deepEqual(
      replies.map((r) => r.command),
      commands,
    );
    assert.deepEqual(
      fake.requests.map((r) => r.command),
      commands,
    );
    assert.equal(fake.maxInFlight(), 1);
    assert.equal(locks.isBusy(`${fake.host}:${fake.port}`), false);
  } finally {
    await fake.close();
  }
});

test('the lock is per miner: two miners are read concurrently', async () => {
  // Each fake answers only once the other has received its request: a global lock would deadlock.
  let arrivedA!: () => void;
  let arrivedB!: () => void;
  const seenA = new Promise<void>((r) => (arrivedA = r));
  const seenB = new Promise<void>((r) => (arrivedB = r));
  const body = '{"STATUS":[{"STATUS":"S"}],"id":1}';
  const a = await startCgminerServer(
    { summary: { kind: 'gate', body, until: seenB } },
    { onRequest: () => arrivedA() },
  );
  const b = await startCgminerServer(
    { summary: { kind: 'gate', body, until: seenA } },
    { onRequest: () => arrivedB() },
  );
  const locks = new MinerLocks();
  try {
    await Promise.all([
      cgminerRequest(a.host, a.port, 'summary', { timeoutMs: 2000, locks }),
      cgminerRequest(b.host, b.port, 'summary', { timeoutMs: 2000, locks }),
    ]);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a request waiting for the lock gives up when its signal aborts', async () => {
  const locks = new MinerLocks();
  const release = await locks.acquire('127.0.0.1:1');
  const controller = new AbortController();
  const waiting = cgminerRequest('127.0.0.1', 1, 'summary', {
    timeoutMs: 100,
    locks,
    signal: controller.signal,
  });
  assert.equal(locks.waiting('127.0.0.1:1'), 1);
  controller.abort();
  await assert.rejects(waiting, failsWith('timeout', /waiting for another request/));
  assert.equal(locks.waiting('127.0.0.1:1'), 0);
  release();
  release();
  assert.equal(locks.isBusy('127.0.0.1:1'), false);
});

/** A clock that never waits and records every sleep. */
function fakeClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    nowMs: () => 0,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
    },
  };
}

test('transient failures are retried with exponential backoff and jitter from the injected random', async () => {
  const clock = fakeClock();
  const randoms = [0, 1, 0.5];
  const retries: number[] = [];
  const client = createCgminerClient({
    host: miner.host,
    port: miner.port,
    timeoutMs: 500,
    retries: 3,
    backoffMs: 100,
    clock,
    random: () => randoms.shift() ?? 0,
    onRetry: (n) => void retries.push(n),
  });
  miner.script('flaky', [
    { kind: 'reset', body: SUMMARY.body },
    { kind: 'close' },
    { kind: 'reply', body: SUMMARY.body },
  ]);
  const before = miner.connections();
  const reply = await client.request('flaky');
  assert.equal(reply.command, 'flaky');
  assert.equal(miner.connections() - before, 3);
  assert.deepEqual(clock.slept, [50, 200]); // 100·2⁰ at random 0 → 50; 100·2¹ at random 1 → 200
  assert.deepEqual(retries, [1, 2]);
});

test('retries stop after the configured attempts and never retry protocol or status errors', async () => {
  const clock = fakeClock();
  const client = createCgminerClient({
    host: miner.host,
    port: miner.port,
    timeoutMs: 500,
    retries: 2,
    backoffMs: 10,
    clock,
    random: () => 0.5,
  });
  let before = miner.connections();
  await assert.rejects(client.request('close'), failsWith('reset'));
  assert.equal(miner.connections() - before, 3);
  assert.deepEqual(clock.slept, [8, 15]);
  for (const command of ['garbage', 'error', 'html']) {
    before = miner.connections();
    await assert.rejects(client.request(command));
    assert.equal(miner.connections() - before, 1, command);
  }
  assert.equal(clock.slept.length, 2);
});

test('an abort during backoff ends the retries with the last failure', async () => {
  const controller = new AbortController();
  const clock: Clock = {
    nowMs: () => 0,
    sleep: async () => {
      controller.abort();
      throw new Error('aborted');
    },
  };
  const client = createCgminerClient({
    host: miner.host,
    port: miner.port,
    timeoutMs: 500,
    retries: 5,
    backoffMs: 10,
    clock,
    random: () => 0,
  });
  const before = miner.connections();
  await assert.rejects(client.request('close', { signal: controller.signal }), failsWith('reset'));
  assert.equal(miner.connections() - before, 1);
});
