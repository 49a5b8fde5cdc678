// ControlWriter: an action becomes exactly the Valkey sink's item (the same entry `rigtune run` writes),
// advice goes to the readers' hash with the collector's own bookkeeping keys (one cluster slot).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import type { ControlRecord } from '../../core/sink.ts';
import { encodeControl, StreamIds } from '../../sinks/valkey/encode.ts';
import { adviceKeysOf } from './advice-keys.ts';
import { autotuneAdviceKeysOf, ControlWriter } from './control-writer.ts';
import { ADVICE_SCRIPT } from './scripts.ts';
import type { ValkeyPort } from './valkey-client.ts';

const action = (ts: number, status: string): ControlRecord => ({
  kind: 'action',
  rig: 'rig0',
  ts,
  payload: { id: 'a1', device: 'gpu0', setpoint: 'power_limit_w', from: 700, to: 675, status },
});

/** A port that records script calls and answers as the apply script does (an entry added). */
function recordingPort(): { port: ValkeyPort; calls: { keys: string[]; argv: string[] }[] } {
  const calls: { keys: string[]; argv: string[] }[] = [];
  const port = {
    isReady: true,
    command: async () => null,
    runScript: async (script: unknown, keys: readonly string[], argv: readonly string[]) => {
      assert.equal(script, ADVICE_SCRIPT);
      calls.push({ keys: [...keys], argv: [...argv] });
      return argv[0] === '3' ? [1, 0, 0, ''] : [0, 1, 0, ''];
    },
    waitReady: async () => undefined,
    duplicate: () => port,
    close: async () => undefined,
  } as unknown as ValkeyPort;
  return { port, calls };
}

test("actions are the Valkey sink's items, ids in emission order", async () => {
  const { port, calls } = recordingPort();
  const w = new ControlWriter(port, pino({ level: 'silent' }));
  const records = [action(1000, 'intended'), action(1000, 'applied'), action(2000, 'verified')];
  for (const r of records) w.write(r);
  await w.flush();
  const ids = new StreamIds();
  const expected = records.map((r) => {
    const item = encodeControl(r, 'telemetry', 100_000, ids);
    return { keys: [...item.keys], argv: [...item.argv] };
  });
  assert.deepEqual(calls, expected);
  assert.deepEqual(w.stats(), { written: 3, skipped: 0, dropped: 0, failures: 0 });
  await w.close();
});

test("advice keys: the readers' hash, own version and expiry keys tagged with its name", () => {
  const k = autotuneAdviceKeysOf('telemetry', 'rig0');
  assert.equal(k.advice, adviceKeysOf('telemetry', 'rig0').advice);
  assert.notEqual(k.version, adviceKeysOf('telemetry', 'rig0').version);
  for (const key of [k.version, k.expiry]) assert.ok(key.endsWith('{telemetry:advice:rig0}'), key);
});
