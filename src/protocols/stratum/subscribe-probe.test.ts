// The stratum subscribe probe against fake pools on 127.0.0.1: a scripted monotonic clock makes the
// measured latency exact; every failure (silent, garbage, close, truncate, refused) has its kind.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createServer } from 'node:tls';
import { closedPort } from '../../../test/fakes/raw-tcp-server.ts';
import { type PoolBehavior, startFakeStratumPool } from '../../../test/fakes/stratum-pool.ts';
import { SourceError } from '../../core/errors.ts';
import { probeSubscribe, subscribeLine } from './subscribe-probe.ts';

/** A clock that returns the given readings in order (ms). */
function scripted(...readings: number[]): () => number {
  let i = 0;
  return () => readings[Math.min(i++, readings.length - 1)];
}

async function withPool<T>(
  behavior: PoolBehavior,
  run: (port: number, lines: string[]) => Promise<T>,
): Promise<T> {
  const pool = await startFakeStratumPool(behavior);
  try {
    return await run(pool.port, pool.lines);
  } finally {
    await pool.close();
  }
}

async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SourceError, String(err));
    return err;
  }
  assert.fail('expected a failure');
}

test('the subscribe line is exactly the documented one', () => {
  assert.equal(subscribeLine(), '{"id":1,"method":"mining.subscribe","params":["rigtune/0.1"]}\n');
});

test('a replying pool: latency from the injected clock, and only subscribe is ever sent', async () => {
  await withPool('reply', async (port, lines) => {
    const r = await probeSubscribe({
      host: '127.0.0.1',
      port,
      timeoutMs: 1000,
      monotonicMs: scripted(100, 105, 142),
    });
    assert.deepEqual(r, { latencyMs: 37, connectMs: 5, replyError: null, notificationsBefore: 0 });
    assert.deepEqual(lines, ['{"id":1,"method":"mining.subscribe","params":["rigtune/0.1"]}']);
    assert.ok(lines.every((l) => !/authorize|submit/.test(l)));
  });
});

test('notifications before the reply are skipped; a pool error reply is still a round trip', async () => {
  await withPool('notify-then-reply', async (port) => {
    const r = await probeSubscribe({
      host: '127.0.0.1',
      port,
      timeoutMs: 1000,
      monotonicMs: scripted(0, 1, 11),
    });
    assert.equal(r.latencyMs, 10);
    assert.equal(r.notificationsBefore, 2);
  });
  await withPool('error-reply', async (port) => {
    const r = await probeSubscribe({
      host: '127.0.0.1',
      port,
      timeoutMs: 1000,
      monotonicMs: scripted(0, 2, 5),
    });
    assert.equal(r.latencyMs, 3);
    assert.deepEqual(r.replyError, [20, 'Other/Unknown', null]);
  });
});

test('a pool that never replies → timeout', async () => {
  await withPool('silent', async (port) => {
    const err = await failure(probeSubscribe({ host: '127.0.0.1', port, timeoutMs: 100 }));
    assert.equal(err.kind, 'timeout');
    assert.match(err.message, /No reply to mining.subscribe within 100 ms \(127\.0\.0\.1:\d+\)/);
    assert.equal(err.where.command, 'mining.subscribe');
    assert.match(err.where.device ?? '', /^pool:127\.0\.0\.1:\d+$/);
  });
});

test('garbage → protocol; close → reset; truncated line → reset with the partial line', async () => {
  await withPool('garbage', async (port) => {
    const err = await failure(probeSubscribe({ host: '127.0.0.1', port, timeoutMs: 1000 }));
    assert.equal(err.kind, 'protocol');
    assert.match(err.message, /not JSON-RPC: HTTP\/1\.1 400 Bad Request/);
  });
  await withPool('close', async (port) => {
    const err = await failure(probeSubscribe({ host: '127.0.0.1', port, timeoutMs: 1000 }));
    assert.equal(err.kind, 'reset');
  });
  await withPool('truncate', async (port) => {
    const err = await failure(probeSubscribe({ host: '127.0.0.1', port, timeoutMs: 1000 }));
    assert.equal(err.kind, 'reset');
    assert.match(err.message, /partial line: \{"id":1,"result":\[/);
  });
});

test('refused → connect; abort → timeout; an endless line → protocol', async () => {
  const port = await closedPort();
  assert.equal((await failure(probeSubscribe({ host: '127.0.0.1', port, timeoutMs: 1000 }))).kind, 'connect');
  await withPool('silent', async (p) => {
    const controller = new AbortController();
    const pending = probeSubscribe({
      host: '127.0.0.1',
      port: p,
      timeoutMs: 5000,
      signal: controller.signal,
    });
    setImmediate(() => controller.abort(new Error('stop')));
    assert.equal((await failure(pending)).kind, 'timeout');
    const pre = await failure(
      probeSubscribe({ host: '127.0.0.1', port: p, timeoutMs: 5000, signal: AbortSignal.abort() }),
    );
    assert.equal(pre.kind, 'timeout');
  });
  const { startRawTcpServer } = await import('../../../test/fakes/raw-tcp-server.ts');
  const flood = await startRawTcpServer((s) => s.once('data', () => s.write('x'.repeat(2000))));
  try {
    const err = await failure(
      probeSubscribe({ host: '127.0.0.1', port: flood.port, timeoutMs: 1000, maxLineBytes: 1000 }),
    );
    assert.equal(err.kind, 'protocol');
  } finally {
    await flood.close();
  }
});

function selfSignedCert(): { key: Buffer; cert: Buffer } | null {
  const dir = mkdtempSync(join(tmpdir(), 'rigtune-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('TLS (stratum+ssl): round trip over TLS; an unverifiable certificate → connect', async (t) => {
  const pem = selfSignedCert();
  if (pem === null) {
    t.skip('openssl not available to make a test certificate');
    return;
  }
  const server = createServer(pem, (socket) => {
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.once('data', () => socket.write('{"id":1,"result":[[],"00",4],"error":null}\n'));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    const r = await probeSubscribe({
      host: '127.0.0.1',
      port,
      tls: true,
      rejectUnauthorized: false,
      timeoutMs: 2000,
      monotonicMs: scripted(0, 4, 9),
    });
    assert.equal(r.latencyMs, 5);
    const err = await failure(probeSubscribe({ host: '127.0.0.1', port, tls: true, timeoutMs: 2000 }));
    assert.equal(err.kind, 'connect');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
