// Tests of the journal on disk: events are durable before the call resolves, a reopen replays them, a
// crash mid-line (every cut point) loses only the torn line, bad lines are kept aside, compaction bounds it.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isRigtuneError } from '../../core/errors.ts';
import { splitLines } from '../../durable/index.ts';
import { decodeLine, type IntendedAction, type JournalLine } from './events.ts';
import { ActionJournal, openJournal, optionsSchema } from './index.ts';
import { JournalState } from './state.ts';

const T0 = 1_700_000_000_000;
const root = mkdtempSync(join(tmpdir(), 'rt-journal-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `d${dirs++}`);

const act = (over: Partial<IntendedAction> = {}): IntendedAction => ({
  ts: T0,
  rig: 'r',
  device: 'gpu0',
  kind: 'power_limit_w',
  from: 350,
  to: 325,
  reason: 'efficiency step',
  purpose: 'tune',
  ...over,
});

/** A journal with one validated action (gpu1), one verified in flight (gpu0), one failed (gpu2). */
async function scenario(dir: string): Promise<ActionJournal> {
  const j = await ActionJournal.open({ dir });
  const a = await j.intend(act({ device: 'gpu1' }));
  await j.mark({ type: 'applied', id: a, ts: T0 + 1 });
  await j.mark({ type: 'verified', id: a, ts: T0 + 2, readback: 325 });
  await j.mark({ type: 'validated', id: a, ts: T0 + 3 });
  const b = await j.intend(act({ ts: T0 + 10 }));
  await j.mark({ type: 'applied', id: b, ts: T0 + 11 });
  await j.mark({ type: 'verified', id: b, ts: T0 + 12, readback: 325 });
  const c = await j.intend(act({ ts: T0 + 20, device: 'gpu2' }));
  await j.mark({ type: 'applied', id: c, ts: T0 + 21 });
  await j.mark({ type: 'failed', id: c, ts: T0 + 22, phase: 'verify', error: 'read back 350' });
  return j;
}

test('events are on disk when the call resolves; a reopen (no close: a crash) replays them', async () => {
  const dir = freshDir();
  const j = await scenario(dir);
  const again = await ActionJournal.open({ dir });
  assert.deepEqual(
    again.inFlight('r').map((a) => [a.id, a.device, a.status]),
    [
      ['a2', 'gpu0', 'verified'],
      ['a3', 'gpu2', 'failed'],
    ],
  );
  assert.deepEqual(again.lastKnownGood('r'), [
    { rig: 'r', device: 'gpu1', kind: 'power_limit_w', value: 325, id: 'a1', ts: T0 + 3 },
  ]);
  assert.deepEqual(again.replay.problems, []);
  assert.equal(again.replay.truncatedBytes, 0);
  assert.equal(again.replay.inFlight, 2);
  assert.equal(await again.intend(act({ ts: T0 + 30 })), 'a4', 'ids continue, never reused');
  assert.deepEqual(
    again.recent('r', T0 + 10).map((a) => a.id),
    ['a2', 'a3', 'a4'],
  );
  await j.close();
  await again.close();
  await again.close();
  await assert.rejects(again.intend(act()), (e) => isRigtuneError(e, 'RT_OUTPUT_WRITE'));
});

test('a crash at any byte of the last lines loses only the torn line', async () => {
  const dir = freshDir();
  const j = await scenario(dir);
  await j.close();
  const text = readFileSync(join(dir, 'actions.journal.ndjson'), 'utf8');
  const start = text.lastIndexOf('\n', text.length - 2) - 40;
  for (let cut = start; cut < text.length; cut += 1) {
    const d = freshDir();
    const prefix = text.slice(0, cut);
    mkdirSync(d);
    writeFileSync(join(d, 'actions.journal.ndjson'), prefix);
    const expected = new JournalState();
    for (const line of splitLines('x', prefix).lines) expected.apply(decodeLine(line) as JournalLine);
    const replayed = await ActionJournal.open({ dir: d });
    assert.deepEqual(replayed.inFlight(), expected.inFlight(), `cut at ${cut}`);
    assert.deepEqual(replayed.lastKnownGood(), expected.lastKnownGood());
    assert.equal(replayed.replay.truncatedBytes, prefix.length - (prefix.lastIndexOf('\n') + 1));
    assert.deepEqual(replayed.replay.problems, []);
    // The torn tail is gone from the file: the next event starts on a line of its own.
    await replayed.intend(act({ ts: T0 + 99 }));
    const reread = await ActionJournal.open({ dir: d });
    assert.deepEqual(reread.replay.problems, []);
    assert.equal(reread.inFlight().at(-1)?.ts, T0 + 99);
    await replayed.close();
    await reread.close();
  }
});

test('bad whole lines are skipped, reported with their line and the file is kept aside', async () => {
  const dir = freshDir();
  await (await scenario(dir)).close();
  const path = join(dir, 'actions.journal.ndjson');
  const original = readFileSync(path, 'utf8');
  writeFileSync(path, `${original}garbage\n{"type":"applied","id":"a77","ts":1}\n`);
  const j = await ActionJournal.open({ dir });
  assert.deepEqual(
    j.replay.problems.map((p) => p.line),
    [original.split('\n').length, original.split('\n').length + 1],
  );
  assert.match(j.replay.problems[1].message, /unknown action a77/);
  assert.equal(j.replay.preservedAs, `${path}.bad-1`);
  assert.equal(readFileSync(`${path}.bad-1`, 'utf8').endsWith('"ts":1}\n'), true);
  assert.equal(j.inFlight().length, 2);
  await j.close();
  const clean = await ActionJournal.open({ dir });
  assert.deepEqual(clean.replay.problems, [], 'the rewritten file is clean');
  await clean.close();
});

test('marks that do not fit the recorded state are refused and not written', async () => {
  const j = await ActionJournal.open({ dir: freshDir() });
  const id = await j.intend(act());
  await assert.rejects(j.mark({ type: 'validated', id, ts: T0 }), /cannot follow/);
  await assert.rejects(j.mark({ type: 'applied', id: 'a9', ts: T0 }), /no action a9/);
  assert.equal(j.stats().appends, 1);
  await j.close();
});

test('concurrent appends are serialised in call order', async () => {
  const dir = freshDir();
  const j = await ActionJournal.open({ dir });
  const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => j.intend(act({ ts: T0 + i }))));
  assert.deepEqual(
    ids,
    Array.from({ length: 20 }, (_, i) => `a${i + 1}`),
  );
  await Promise.all(ids.map((id, i) => j.mark({ type: 'rolled_back', id, ts: T0 + 100 + i, reason: 'x' })));
  await j.close();
  const again = await ActionJournal.open({ dir });
  assert.equal(again.inFlight().length, 0);
  assert.equal(again.replay.actions, 20);
  await again.close();
});

test('compaction keeps the file bounded and loses nothing a restart needs', async () => {
  const dir = freshDir();
  const j = await ActionJournal.open({ dir, maxBytes: 8192, keepRecentMs: 60_000 });
  let lkgId = '';
  for (let i = 0; i < 300; i++) {
    const ts = T0 + i * 10_000;
    const id = await j.intend(act({ ts, to: 300 + (i % 7) }));
    await j.mark({ type: 'applied', id, ts });
    await j.mark({ type: 'verified', id, ts, readback: 300 + (i % 7) });
    if (i % 3 === 0) {
      await j.mark({ type: 'validated', id, ts });
      lkgId = id;
    } else await j.mark({ type: 'rolled_back', id, ts, reason: 'worse' });
  }
  const flying = await j.intend(act({ ts: T0 + 3_000_000, device: 'gpu5' }));
  assert.ok(j.stats().compactions > 0);
  assert.ok(j.stats().bytes <= 16_384, `bytes ${j.stats().bytes}`);
  await j.close();
  const again = await ActionJournal.open({ dir });
  assert.deepEqual(
    again.inFlight().map((a) => a.id),
    [flying],
  );
  assert.equal(again.lastKnownGood()[0].id, lkgId);
  assert.ok(again.recent('r', T0 + 3_000_000 - 60_000).length >= 6);
  assert.equal(await again.intend(act()), 'a302');
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
  await again.close();
});

test('options: example.yaml and defaults; bad options are RT_CONFIG_INVALID; an unusable dir RT_OUTPUT_WRITE', async () => {
  const { parse } = await import('yaml');
  const text = readFileSync(new URL('./example.yaml', import.meta.url), 'utf8');
  assert.deepEqual(optionsSchema.parse(parse(text)), optionsSchema.parse({}));
  await assert.rejects(openJournal({ max_bytes: 10 }), (e) => isRigtuneError(e, 'RT_CONFIG_INVALID'));
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  await assert.rejects(openJournal({ dir: join(file, 'sub') }), (e) => isRigtuneError(e, 'RT_OUTPUT_WRITE'));
  const j = await openJournal({ dir: freshDir() });
  assert.equal(j.replay.actions, 0);
  await j.close();
});
