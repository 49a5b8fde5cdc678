// requestJson over a loopback server: the method and JSON body arrive as sent, an empty 2xx body is
// null, non-2xx is HttpStatusError with its status, HTML is 'protocol', an abort is 'timeout'.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type FakeHttpServer, startFakeHttpServer } from '../../../test/fakes/http-miner-server.ts';
import { SourceError } from '../../core/errors.ts';
import { HttpStatusError, requestJson } from './index.ts';

let server: FakeHttpServer;
before(async () => {
  server = await startFakeHttpServer({
    '/echo': {
      kind: 'handler',
      handle: (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = JSON.stringify({
            method: req.method,
            type: req.headers['content-type'] ?? null,
            auth: req.headers.authorization ?? null,
            body: Buffer.concat(chunks).toString('utf8'),
          });
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
        });
      },
    },
    '/empty': { kind: 'handler', handle: (_req, res) => void res.writeHead(204).end() },
    '/bad': { kind: 'json', status: 400, body: { message: 'watt out of range' } },
    '/html': { kind: 'text', body: '<html><title>Login</title></html>', contentType: 'text/html' },
    '/hang': { kind: 'hang' },
  });
});
after(() => server.close());

test('PUT with a JSON body and a raw authorization header', async () => {
  const reply = await requestJson('PUT', `${server.url}/echo`, {
    json: { watt: 3000 },
    headers: { authorization: 't1' },
  });
  assert.deepEqual(reply.body, {
    method: 'PUT',
    type: 'application/json',
    auth: 't1',
    body: '{"watt":3000}',
  });
  const get = await requestJson('GET', `${server.url}/echo`);
  assert.deepEqual(get.body, { method: 'GET', type: null, auth: null, body: '' });
});

test('204 gives a null body; 400 is HttpStatusError; HTML is protocol', async () => {
  assert.equal((await requestJson('PUT', `${server.url}/empty`)).body, null);
  await assert.rejects(requestJson('PUT', `${server.url}/bad`, { json: {} }), (e: unknown) => {
    assert.ok(e instanceof HttpStatusError);
    assert.equal(e.status, 400);
    assert.equal(e.where.command, 'PUT /bad');
    assert.match(e.message, /watt out of range/);
    return true;
  });
  await assert.rejects(
    requestJson('POST', `${server.url}/html`),
    (e: unknown) => e instanceof SourceError && e.kind === 'protocol' && /Login/.test(e.message),
  );
});

test('an aborted request is kind timeout', async () => {
  const controller = new AbortController();
  const pending = requestJson('PUT', `${server.url}/hang`, { json: { watt: 1 }, signal: controller.signal });
  controller.abort(new Error('stop'));
  await assert.rejects(pending, (e: unknown) => e instanceof SourceError && e.kind === 'timeout');
});
