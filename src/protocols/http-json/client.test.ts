// The HTTP JSON client over real sockets on 127.0.0.1: good replies, and each way a miner API breaks
// (refused, hung, stalled body, HTML 502, garbage, huge body, reset, abort) mapped to its error kind.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type FakeHttpServer, startFakeHttpServer } from '../../../test/fakes/http-miner-server.ts';
import { closedPort, startRawTcpServer } from '../../../test/fakes/raw-tcp-server.ts';
import { isRigtuneError, SourceError } from '../../core/errors.ts';
import { decodeJsonBody, getJson, HttpStatusError, kindOfSocketError } from './client.ts';
import { excerptOf, htmlTitleOf, redactUrl } from './excerpt.ts';

const FAST = { connectTimeoutMs: 200, timeoutMs: 150 };
let server: FakeHttpServer;

before(async () => {
  server = await startFakeHttpServer({
    '/ok': { kind: 'json', body: { a: 1, b: [1, 2] } },
    '/hang': { kind: 'hang' },
    '/stall': { kind: 'stall-body', head: '{"a":', declaredBytes: 500 },
    '/reset': { kind: 'reset', head: '{"hashrate":' },
    '/html502': {
      kind: 'text',
      status: 502,
      contentType: 'text/html',
      body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>nginx</body></html>',
    },
    '/html200': {
      kind: 'text',
      body: '<!DOCTYPE html><html><title>Login</title></html>',
      contentType: 'text/html',
    },
    '/garbage': { kind: 'text', body: 'garbage{\u0001\u0002 not json' },
    '/empty': { kind: 'text', body: '' },
    '/huge': { kind: 'text', body: `{"x":"${'a'.repeat(5000)}"}`, contentType: 'application/json' },
    '/unauthorized': { kind: 'json', status: 401, body: { error: 'Unauthorized' } },
    '/bom': { kind: 'text', body: '\uFEFF{"v":2}' },
    '/chunked-huge': {
      kind: 'handler',
      handle: (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(`["${'b'.repeat(3000)}`);
        res.end(`${'c'.repeat(3000)}"]`);
      },
    },
  });
});
after(() => server.close());

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SourceError, `expected SourceError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a failure');
}

test('a 2xx JSON reply is parsed; headers carry the bearer token and extra headers', async () => {
  const reply = await getJson(`${server.url}/ok?x=1`, {
    ...FAST,
    bearerToken: 'tok-123',
    headers: { 'X-A': 'b' },
  });
  assert.deepEqual(reply.body, { a: 1, b: [1, 2] });
  assert.equal(reply.status, 200);
  assert.equal(reply.contentType, 'application/json');
  assert.equal(reply.bytes, 17);
  const seen = server.requests.find((r) => r.url === '/ok?x=1');
  assert.equal(seen?.headers.authorization, 'Bearer tok-123');
  assert.equal(seen?.headers['x-a'], 'b');
  assert.equal(seen?.method, 'GET');
});

test('a UTF-8 byte-order mark is ignored', async () => {
  assert.deepEqual((await getJson(`${server.url}/bom`, FAST)).body, { v: 2 });
});

test('refused connection → connect', async () => {
  const port = await closedPort();
  const err = await failure(getJson(`http://127.0.0.1:${port}/summary`, FAST));
  assert.equal(err.kind, 'connect');
  assert.equal(err.code, 'RT_SOURCE_CONNECT');
  assert.equal(err.transient, true);
  assert.match(err.message, /ECONNREFUSED/);
});

test('a server that never answers → timeout', async () => {
  const err = await failure(getJson(`${server.url}/hang`, FAST));
  assert.equal(err.kind, 'timeout');
  assert.match(err.message, /No complete reply within 150 ms/);
  assert.equal(err.where.command, '/hang');
});

test('a body that stalls half-way → timeout', async () => {
  const err = await failure(getJson(`${server.url}/stall`, FAST));
  assert.equal(err.kind, 'timeout');
});

test('a connection reset mid-body → reset', async () => {
  const err = await failure(getJson(`${server.url}/reset`, { ...FAST, timeoutMs: 2000 }));
  assert.equal(err.kind, 'reset');
  assert.equal(err.code, 'RT_SOURCE_RESET');
});

test('a server that closes without answering → reset', async () => {
  const raw = await startRawTcpServer((socket) => socket.once('data', () => socket.destroy()));
  try {
    const err = await failure(getJson(`http://127.0.0.1:${raw.port}/summary`, { ...FAST, timeoutMs: 2000 }));
    assert.equal(err.kind, 'reset');
  } finally {
    await raw.close();
  }
});

test('an HTML 502 page → status with the code and the page title', async () => {
  const err = await failure(getJson(`${server.url}/html502`, FAST));
  assert.ok(err instanceof HttpStatusError);
  assert.equal(err.kind, 'status');
  assert.equal(err.code, 'RT_SOURCE_STATUS');
  assert.equal(err.status, 502);
  assert.equal(err.excerpt, '502 Bad Gateway');
  assert.equal(err.transient, false);
  assert.match(err.message, /^HTTP 502 Bad Gateway \(http:\/\/127\.0\.0\.1:\d+\/html502\): 502 Bad Gateway$/);
});

test('a JSON 401 → status with an excerpt of the body', async () => {
  const err = await failure(getJson(`${server.url}/unauthorized`, FAST));
  assert.ok(err instanceof HttpStatusError);
  assert.equal(err.status, 401);
  assert.equal(err.excerpt, '{"error":"Unauthorized"}');
});

test('an unknown path → status 404', async () => {
  const err = await failure(getJson(`${server.url}/nope`, FAST));
  assert.ok(err instanceof HttpStatusError);
  assert.equal(err.status, 404);
});

test('an HTML page with status 200 → protocol, naming the page', async () => {
  const err = await failure(getJson(`${server.url}/html200`, FAST));
  assert.equal(err.kind, 'protocol');
  assert.match(err.message, /HTML page titled "Login" instead of JSON/);
});

test('garbage → protocol with a printable excerpt', async () => {
  const err = await failure(getJson(`${server.url}/garbage`, FAST));
  assert.equal(err.kind, 'protocol');
  assert.match(err.message, /Reply is not JSON/);
  assert.match(err.message, /garbage\{\\x01\\x02 not json/);
});

test('an empty body → protocol', async () => {
  const err = await failure(getJson(`${server.url}/empty`, FAST));
  assert.equal(err.kind, 'protocol');
  assert.match(err.message, /Empty reply body/);
});

test('a body over the limit → protocol (declared length and chunked)', async () => {
  const declared = await failure(getJson(`${server.url}/huge`, { ...FAST, maxBodyBytes: 1000 }));
  assert.equal(declared.kind, 'protocol');
  assert.match(declared.message, /of 5008 bytes exceeds the 1000-byte limit/);
  const chunked = await failure(getJson(`${server.url}/chunked-huge`, { ...FAST, maxBodyBytes: 4000 }));
  assert.equal(chunked.kind, 'protocol');
  assert.match(chunked.message, /exceeds the 4000-byte limit/);
});

test('a reply that is not HTTP at all → protocol', async () => {
  const raw = await startRawTcpServer((socket) => socket.once('data', () => socket.end('garbage\r\n\r\n')));
  try {
    const err = await failure(getJson(`http://127.0.0.1:${raw.port}/summary`, FAST));
    assert.equal(err.kind, 'protocol');
    assert.match(err.message, /garbage/);
  } finally {
    await raw.close();
  }
});

test('an abort signal ends the request → timeout with the reason as cause', async () => {
  const controller = new AbortController();
  const pending = getJson(`${server.url}/hang`, { timeoutMs: 5000, signal: controller.signal });
  const reason = new Error('shutdown');
  setImmediate(() => controller.abort(reason));
  const err = await failure(pending);
  assert.equal(err.kind, 'timeout');
  assert.equal(err.cause, reason);
  const already = await failure(getJson(`${server.url}/ok`, { signal: AbortSignal.abort() }));
  assert.equal(already.kind, 'timeout');
});

test('URLs other than http(s) are configuration errors; messages never carry credentials', async () => {
  await assert.rejects(getJson('ftp://127.0.0.1/x'), (err) => isRigtuneError(err, 'RT_CONFIG_INVALID'));
  await assert.rejects(getJson('not a url'), (err) => isRigtuneError(err, 'RT_CONFIG_INVALID'));
  const port = await closedPort();
  const err = await failure(getJson(`http://user:secret@127.0.0.1:${port}/s?token=abc`, FAST));
  assert.doesNotMatch(err.message, /secret|abc/);
  assert.equal(redactUrl(new URL('http://u:p@h:1/a?b=c#d')), 'http://h:1/a');
});

test('error kinds of socket errors', () => {
  const e = (code: string) => Object.assign(new Error(code), { code });
  assert.equal(kindOfSocketError(e('ECONNREFUSED'), false), 'connect');
  assert.equal(kindOfSocketError(e('ENOTFOUND'), false), 'connect');
  assert.equal(kindOfSocketError(e('ETIMEDOUT'), false), 'timeout');
  assert.equal(kindOfSocketError(e('ECONNRESET'), true), 'reset');
  assert.equal(kindOfSocketError(e('EPIPE'), false), 'reset');
  assert.equal(kindOfSocketError(e('HPE_INVALID_CONSTANT'), false), 'protocol');
  assert.equal(kindOfSocketError(e('DEPTH_ZERO_SELF_SIGNED_CERT'), false), 'connect');
  assert.equal(kindOfSocketError(new Error('odd'), false), 'connect');
  assert.equal(kindOfSocketError(new Error('odd'), true), 'reset');
});

test('decodeJsonBody and excerpts', () => {
  assert.deepEqual(decodeJsonBody(Buffer.from(' [1] ')), [1]);
  assert.throws(
    () => decodeJsonBody(Buffer.from('{"a":'), { command: '/x' }),
    (err) => err instanceof SourceError && err.kind === 'protocol' && err.where.command === '/x',
  );
  assert.equal(excerptOf('a\n\n  b\tc'), 'a b c');
  assert.equal(excerptOf('x'.repeat(10), 4), 'xxxx…');
  assert.equal(htmlTitleOf('<title> A  B </title>'), 'A B');
  assert.equal(htmlTitleOf('<p>none</p>'), null);
});
