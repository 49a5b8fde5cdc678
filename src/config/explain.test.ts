// Wording of expectations and values read from JSON Schema, and path lookup through unions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeValue, expectedOf, knownKeys, schemaAt } from './explain.ts';

test('expected values in words', () => {
  assert.equal(expectedOf({ type: 'integer', minimum: 1, maximum: 65535 }), 'an integer 1..65535');
  assert.equal(
    expectedOf({ type: 'integer', minimum: 10, maximum: Number.MAX_SAFE_INTEGER }),
    'an integer ≥ 10',
  );
  assert.equal(
    expectedOf({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    'a number in (0, 1)',
  );
  assert.equal(expectedOf({ type: 'number', minimum: 0, exclusiveMaximum: 0.01 }), 'a number in [0, 0.01)');
  assert.equal(expectedOf({ type: 'number', exclusiveMinimum: 0 }), 'a number > 0');
  assert.equal(expectedOf({ type: 'number', maximum: 5 }), 'a number ≤ 5');
  assert.equal(expectedOf({ type: ['number', 'null'] }), 'a number or null');
  assert.equal(expectedOf({ type: 'string', enum: ['a', 'b'] }), 'one of "a", "b"');
  assert.equal(expectedOf({ type: 'string', const: 'auto' }), '"auto"');
  assert.equal(expectedOf({ type: 'string', format: 'uri' }), 'a URL');
  assert.equal(expectedOf({ type: 'string', minLength: 1 }), 'a non-empty string');
  assert.equal(expectedOf({ type: 'string', minLength: 1, maxLength: 64 }), 'a string of 1..64 characters');
  assert.equal(expectedOf({ type: 'boolean' }), 'true or false');
  assert.equal(expectedOf({ type: 'object' }), 'a mapping');
  assert.equal(
    expectedOf({ type: 'array', minItems: 1, items: { type: 'object' } }),
    'a list of mappings with at least 1 item',
  );
  assert.equal(expectedOf({ anyOf: [{ const: 'auto' }, { type: 'array' }] }), '"auto" or a list');
  assert.equal(expectedOf({}), null);
});

test('values as shown in messages', () => {
  assert.equal(describeValue('80a'), '"80a"');
  assert.equal(describeValue(null), 'an empty value');
  assert.equal(describeValue(undefined), 'nothing');
  assert.equal(describeValue([]), 'an empty list');
  assert.equal(describeValue([1]), 'a list of 1 item');
  assert.equal(describeValue({}), 'a mapping');
  assert.equal(describeValue(3.5), '3.5');
  assert.equal(describeValue('x'.repeat(100)).length, 60);
});

test('schemaAt follows properties, items, records and union branches', () => {
  const root = {
    type: 'object',
    properties: {
      rigs: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
      labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 3 } },
      ch: { anyOf: [{ const: 'auto' }, { type: 'array', items: { enum: ['a'] } }] },
    },
  } as const;
  assert.deepEqual(schemaAt(root, ['rigs', 0, 'name']), { type: 'string' });
  assert.deepEqual(schemaAt(root, ['labels', 'x']), { type: 'string', maxLength: 3 });
  assert.deepEqual(schemaAt(root, ['ch', 2]), { enum: ['a'] });
  assert.equal(schemaAt(root, ['nope', 'x']), null);
  assert.deepEqual(knownKeys(root), ['rigs', 'labels', 'ch']);
  assert.deepEqual(knownKeys(null), []);
});
