import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { emptySnapshot } from '../../core/snapshot.ts';
import { compareStreamIds, decodeEntry, derivedId, encodeEntry, nextSeq } from './entry.ts';

const snap = (ts: number, device: string) => ({ ...emptySnapshot(ts, 'rig1', device), power_w: 123.5 });

test('an entry survives encoding and decoding', () => {
  const e = {
    rig: 'rig1',
    collector: 'site-a',
    seq: 1_700_000_000_000_123,
    ts: 2000,
    cfg: 'abc',
    snapshots: [snap(2000, 'gpu0'), snap(2000, 'gpu1')],
    tickMs: 2003,
  };
  const d = decodeEntry(encodeEntry(e));
  assert.ok(d.ok);
  assert.deepEqual(d.entry, e);
});

test('damaged entries are refused with a reason, never thrown', () => {
  const good = encodeEntry({
    rig: 'rig1',
    collector: 'c',
    seq: 5,
    ts: 1,
    cfg: '',
    snapshots: [snap(1, 'gpu0')],
    tickMs: 1,
  });
  const without = (field: string) => good.filter((_, i) => good[i - (i % 2)] !== field);
  assert.equal(decodeEntry(without('rig')).ok, false);
  assert.equal(decodeEntry(without('seq')).ok, false);
  assert.equal(decodeEntry(good.map((v, i) => (good[i - 1] === 'snapshots' ? '{' : v))).ok, false);
  const otherRig = encodeEntry({
    rig: 'rig2',
    collector: 'c',
    seq: 5,
    ts: 1,
    cfg: '',
    snapshots: [snap(1, 'gpu0')],
    tickMs: 1,
  });
  assert.equal(decodeEntry(otherRig.map((v, i) => (otherRig[i - 1] === 'rig' ? 'rig2' : v))).ok, false);
  assert.equal(decodeEntry(good.map((v, i) => (good[i - 1] === 'tick' ? 'x' : v))).ok, false);
  // An entry of an earlier collector (no tick) reads back with its ts as the tick.
  const old = decodeEntry(without('tick'));
  assert.ok(old.ok && old.entry.tickMs === old.entry.ts);
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
      (fields) => void decodeEntry(fields),
    ),
  );
});

test('sequences only grow, and a later run starts above an earlier one', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 50 }), (steps) => {
      let now = 1_700_000_000_000;
      let seq = 0;
      for (const dt of steps) {
        now += dt;
        const next = nextSeq(seq, now);
        assert.ok(next > seq);
        seq = next;
      }
      // Restart: a fresh run (prev 0) a millisecond later than the ~1000-per-ms budget allows.
      assert.ok(nextSeq(0, now + 1 + Math.ceil(steps.length / 1000)) > seq);
    }),
  );
});

test('derived ids increase with the entry id and the record index', () => {
  const id = fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 44n }), fc.bigInt({ min: 0n, max: 2n ** 20n }));
  fc.assert(
    fc.property(id, id, fc.nat(65_535), fc.nat(65_535), ([am, as], [bm, bs], i, j) => {
      const a = `${am}-${as}`;
      const b = `${bm}-${bs}`;
      const c = compareStreamIds(a, b) || Math.sign(i - j);
      assert.equal(Math.sign(compareStreamIds(derivedId(a, i), derivedId(b, j))), c);
    }),
  );
  assert.throws(() => derivedId('1-0', 65_536), RangeError);
  assert.throws(() => derivedId('x', 0), RangeError);
});
