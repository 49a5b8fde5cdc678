// The worker's advice keys share one Valkey Cluster slot (CRC16/XMODEM of the hash tag, mod 16384, as
// the cluster spec computes it), and the advice key itself keeps the single-process name.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { keyNames } from '../../sinks/valkey/index.ts';
import { adviceKeysOf } from './advice-keys.ts';

function crc16(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The cluster slot of a key: its hash tag (first `{…}` with something inside) if any, else all of it. */
function slotOf(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key.slice(open + 1, close)) % 16384;
  }
  return crc16(key) % 16384;
}

test('CRC16 matches the cluster specification example', () => {
  assert.equal(crc16('123456789'), 0x31c3);
});

test('the three advice keys of a rig live in one slot; the advice key is the sink key', () => {
  const rigName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
  fc.assert(
    fc.property(rigName, fc.constantFrom('telemetry', 'farm_a', 'x'), (rig, prefix) => {
      const k = adviceKeysOf(prefix, rig);
      assert.equal(k.advice, keyNames(prefix, rig).advice);
      assert.equal(slotOf(k.version), slotOf(k.advice));
      assert.equal(slotOf(k.expiry), slotOf(k.advice));
    }),
  );
  // The single-process layout's keys are spread over slots: why the worker cannot use them as they are.
  const sink = keyNames('telemetry', 'rig0');
  assert.notEqual(slotOf(sink.adviceVersion), slotOf(sink.advice));
});
