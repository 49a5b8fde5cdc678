// Unit tests of the shared source helpers: bus-id spellings, tolerant value readers, hash-rate units,
// the map-result builder and the MappedSource shell.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isRigtuneError, SourceError } from '../../core/errors.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { SourceContext } from '../../core/source.ts';
import { MapResultBuilder } from './map-result.ts';
import { MappedSource, resolveSecret } from './mapped-source.ts';
import { normalizePciBusId, pciBusIdFromParts } from './pci-bus-id.ts';
import { hashrateFactor, scaled } from './rate-units.ts';
import { countOf, differenceOf, meanOf, numberOf, positiveOf, recordOf, stringOf } from './values.ts';

test('PCI bus ids: every spelling miners and nvidia-smi use becomes 0000:bb:dd.f', () => {
  assert.equal(normalizePciBusId('00000000:01:00.0'), '0000:01:00.0'); // nvidia-smi
  assert.equal(normalizePciBusId('01:00.0'), '0000:01:00.0'); // XMRig backends
  assert.equal(normalizePciBusId('0000:0A:00.0'), '0000:0a:00.0'); // GMiner 1.34
  assert.equal(normalizePciBusId(' 0000:0b:00.0 '), '0000:0b:00.0');
  assert.equal(normalizePciBusId('0001:81:00.1'), '0001:81:00.1');
  assert.equal(normalizePciBusId('00010000:01:00.0'), '10000:01:00.0');
  for (const bad of ['1:0', '', 'gpu0', '0000:01:00', '0000:01:20.0', '0000:01:00.8', 'zz:00.0', 7, null])
    assert.equal(normalizePciBusId(bad), null, String(bad));
  assert.equal(pciBusIdFromParts(0, 17, 0, 0), '0000:11:00.0');
  assert.equal(pciBusIdFromParts(0, 256, 0, 0), null);
  assert.equal(pciBusIdFromParts(0, 1.5, 0, 0), null);
});

test('PCI bus ids: normalising is idempotent and case-blind (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 31 }),
      fc.integer({ min: 0, max: 7 }),
      fc.boolean(),
      (d, b, dev, fn, upper) => {
        const canonical = pciBusIdFromParts(d, b, dev, fn)!;
        const smi = `${d.toString(16).padStart(8, '0')}:${b.toString(16).padStart(2, '0')}:${dev.toString(16).padStart(2, '0')}.${fn}`;
        const spelled = upper ? smi.toUpperCase() : smi;
        assert.equal(normalizePciBusId(spelled), canonical);
        assert.equal(normalizePciBusId(canonical), canonical);
      },
    ),
    { seed: 20261126 },
  );
});

test('value readers return null instead of guessing', () => {
  assert.equal(numberOf(12.5), 12.5);
  assert.equal(numberOf('37603.30'), 37603.3);
  assert.equal(numberOf(' 1e3 '), 1000);
  for (const bad of ['108kH/W', '', 'inf', 'nan', Number.NaN, Number.POSITIVE_INFINITY, null, true, {}, []])
    assert.equal(numberOf(bad), null, String(bad));
  assert.equal(positiveOf(0), null);
  assert.equal(positiveOf(-3), null);
  assert.equal(positiveOf(47), 47);
  assert.equal(countOf(-1), null);
  assert.equal(countOf(0), 0);
  assert.equal(differenceOf(35, 35), 0);
  assert.equal(differenceOf(3, 5), null);
  assert.equal(differenceOf(null, 1), null);
  assert.equal(meanOf([100, '50', 'x']), 75);
  assert.equal(meanOf([]), null);
  assert.deepEqual(recordOf([1]), {});
  assert.equal(stringOf('  '), null);
  assert.equal(stringOf(' a '), 'a');
});

test('hash-rate units: prefixes and work units to H/s', () => {
  const cases: [string, number | null][] = [
    ['H/s', 1],
    ['kH/s', 1e3],
    ['mh/s', 1e6],
    ['Mh/s', 1e6],
    ['MH/s', 1e6],
    ['GH/s', 1e9],
    ['th/s', 1e12],
    ['sol/s', 1],
    ['Sol/s', 1],
    ['ksol/s', 1e3],
    ['g/s', 1],
    ['gh/s', 1e9],
    ['MH / s', 1e6],
    ['Sol/W', null],
    ['furlongs', null],
    ['', null],
  ];
  for (const [unit, factor] of cases) assert.equal(hashrateFactor(unit), factor, unit);
  assert.equal(hashrateFactor(undefined), null);
  assert.equal(scaled(91.55, 1e6), 91550000);
  assert.equal(scaled(null, 1e6), null);
  assert.equal(scaled(1, null), null);
});

test('the map-result builder fills snapshots per device, merging facts', () => {
  const b = new MapResultBuilder(1000, 'rig-a');
  b.set('gpu0', { power_w: 100 });
  b.set('gpu0', { temp_core_c: 60 });
  b.device({ device: 'gpu1', model: 'X', pci_bus_id: undefined });
  b.device({ device: 'gpu1', pci_bus_id: '0000:01:00.0' });
  b.raw('gpu0', 'algo', 'rx/0');
  b.raw('gpu0', 'skip', undefined);
  b.warn('w');
  const r = b.build();
  assert.equal(r.snapshots.length, 2);
  assert.equal(r.snapshots[0].power_w, 100);
  assert.equal(r.snapshots[0].temp_core_c, 60);
  assert.equal(r.snapshots[0].hashrate_5s, null);
  assert.equal(r.snapshots[1].device, 'gpu1');
  assert.deepEqual(r.devices, [{ device: 'gpu1', model: 'X', pci_bus_id: '0000:01:00.0' }]);
  assert.deepEqual(r.raw, [{ device: 'gpu0', field: 'algo', value: 'rx/0' }]);
  assert.deepEqual(r.warnings, ['w']);
  assert.equal(b.has('gpu0'), true);
});

function collector(): SourceContext & { snapshots: Snapshot[]; raws: unknown[][] } {
  const snapshots: Snapshot[] = [];
  const raws: unknown[][] = [];
  return {
    snapshots,
    raws,
    clock: { nowMs: () => 5, sleep: async () => {} },
    signal: new AbortController().signal,
    emit: (s) => void snapshots.push(s),
    raw: (...args) => void raws.push(args),
  };
}

test('MappedSource emits, warns, remembers devices and refuses to poll once closed', async () => {
  const warnings: string[] = [];
  const source = new MappedSource(
    'x',
    { rig: 'r', warn: (m) => void warnings.push(m) },
    5000,
    async (ctx) => {
      const b = new MapResultBuilder(ctx.clock.nowMs(), 'r');
      b.device({ device: 'gpu0', model: 'M' });
      b.raw('gpu0', 'v', 1);
      b.warn('careful');
      return b.build();
    },
  );
  const ctx = collector();
  await source.poll(ctx);
  assert.equal(ctx.snapshots.length, 1);
  assert.equal(ctx.snapshots[0].ts, 5);
  assert.deepEqual(ctx.raws, [['gpu0', 'v', 1]]);
  assert.deepEqual(warnings, ['careful']);
  assert.deepEqual(source.devices(), [{ device: 'gpu0', model: 'M' }]);
  assert.equal(source.intervalMs, 5000);
  await source.close();
  await source.close();
  await assert.rejects(source.poll(ctx), (err) => err instanceof SourceError && err.kind === 'unsupported');
});

test('secrets come from the environment and errors name only the variable', () => {
  assert.equal(resolveSecret({ env: 'TOKEN' }, { TOKEN: 's3cret' }, 'token'), 's3cret');
  assert.throws(
    () => resolveSecret({ env: 'TOKEN' }, {}, 'token'),
    (err) => isRigtuneError(err, 'RT_CONFIG_INVALID') && /TOKEN is not set/.test(err.message),
  );
  assert.throws(() => resolveSecret({ env: 'TOKEN' }, undefined, 'token'));
});
