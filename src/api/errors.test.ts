import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RigtuneError } from '../core/errors.ts';
import { errorReply, notFoundError, paramError, unavailableError } from './errors.ts';

test('API errors map to their status and carry code, message and param', () => {
  assert.deepEqual(errorReply(paramError('limit', 'bad limit')), {
    status: 400,
    body: { error: { code: 'RT_API_PARAM', message: 'bad limit', param: 'limit' } },
    expected: true,
  });
  const nf = errorReply(notFoundError('unknown rig', { rig: 'x' }));
  assert.equal(nf.status, 404);
  assert.deepEqual(nf.body, { error: { code: 'RT_API_NOT_FOUND', message: 'unknown rig' } });
  assert.equal(errorReply(unavailableError('no history')).status, 503);
});

test('another RigtuneError keeps its code as a 500', () => {
  const r = errorReply(new RigtuneError('RT_INPUT_PARSE', 'a file is corrupt'));
  assert.equal(r.status, 500);
  assert.equal(r.expected, false);
  assert.equal(r.body.error.code, 'RT_INPUT_PARSE');
});

test('fastify client errors keep their status; anything else is a 500 that hides its details', () => {
  const bad = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 });
  assert.deepEqual(errorReply(bad).body, {
    error: { code: 'RT_API_PARAM', message: 'Unsupported Media Type' },
  });
  assert.equal(errorReply(bad).status, 415);
  const boom = errorReply(new Error('secret path /etc/x'));
  assert.equal(boom.status, 500);
  assert.equal(boom.body.error.code, 'RT_API_INTERNAL');
  assert.doesNotMatch(boom.body.error.message, /secret/);
  assert.equal(errorReply('a string').status, 500);
});
