// Tests of the packed wire form of batches: its plain layout (argv, spool lines) is exactly the one
// entry-per-argument layout, for any device name (those that cannot be packed are sent plain).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { batchAt } from '../../../test/helpers/parquet-batches.ts';
import type { RigTickBatch } from '../../core/sink.ts';
import { encodeBatch, fromSpoolLine, keyNames, StreamIds, stateJson, toSpoolLine } from './encode.ts';
import { PackedItem, unpackArgs } from './packed-item.ts';
import { commandFor, wireCommandFor } from './script.ts';

const T0 = 1_700_000_000_000;

/** The plain layout of a batch, built the way the sink built it before packing (one entry per argument). */
function plainArgv(batch: RigTickBatch, prefix: string, maxLen: number, ids: StreamIds): string[] {
  const k = keyNames(prefix, batch.rig);
  const argv = ['2', ids.version(k.last, batch.state.ts), stateJson(batch.state), k.score, String(maxLen)];
  for (const s of batch.snapshots) {
    argv.push('2', ids.next(k.snapshots, batch.ts), '', '', '3');
    argv.push('ts', String(s.ts), 'device', s.device, 'snapshot', JSON.stringify(s));
  }
  for (const e of batch.events) {
    argv.push('3', ids.next(k.events, batch.ts), '', '', '4', 'ts', String(e.ts_detected), 'device');
    argv.push(e.device, 'class', e.class, 'event', JSON.stringify(e));
  }
  return argv;
}

const device = fc.oneof(
  fc.constantFrom('gpu0', 'pool:sim', '00000000:01:00.0', 'grün-é', 'gpu😀', 'a\nb', '', 'x\ud800'),
  fc.string({ maxLength: 6, unit: 'binary' }),
);

test('a packed batch reads back as the plain layout, entry for entry (argv and spool line)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(device, fc.integer({ min: -5, max: 5 })), { maxLength: 12 }),
      fc.integer({ min: 0, max: 99 }),
      fc.constantFrom('rig-1', 'rig "q"', 'rïg'),
      (devices, k, rig) => {
        const base = batchAt(rig, T0 + k, k, devices.length);
        const snapshots = base.snapshots.map((s, i) => ({
          ...s,
          device: devices[i][0],
          ts: s.ts + devices[i][1],
        }));
        const batch = { ...base, snapshots };
        const [a, b] = [new StreamIds(), new StreamIds()];
        for (let tick = 0; tick < 2; tick++) {
          const item = encodeBatch(batch, 'tel', 300, a);
          const argv = plainArgv(batch, 'tel', 300, b);
          assert.deepEqual(item.argv, argv);
          assert.deepEqual(fromSpoolLine(toSpoolLine(item))?.argv, argv);
          const packable = devices.every(([d]) => !d.includes('\n'));
          assert.equal(item instanceof PackedItem, snapshots.length > 0 && packable);
          assert.deepEqual(unpackArgs(wireCommandFor(item, false).slice(3 + item.keys.length)), argv);
        }
      },
    ),
    { seed: 11, numRuns: 300 },
  );
});

test('the wire form is one argument per packed group; the plain command is unchanged', () => {
  const batch = batchAt('r', T0, 49, 8);
  const item = encodeBatch(batch, 'p', 100, new StreamIds());
  const wire = wireCommandFor(item, false);
  assert.deepEqual(wire.slice(0, 6), ['EVALSHA', wire[1], '4', ...item.keys.slice(0, 3)]);
  assert.equal(wire[9], stateJson(batch.state));
  assert.deepEqual(wire.slice(12, 16), ['*', '2', String(T0), '0']);
  assert.equal(wire[16].split('\n').length, 3 * 8 + 1);
  assert.equal(wire.length, 17 + 5 + 8, 'one group, then the event entry');
  assert.equal(commandFor(item, false).length, 3 + item.keys.length + item.argv.length);
});
