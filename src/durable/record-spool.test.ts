// The typed spool: records come back in order across a reopen; lines the codec does not know are
// counted as corrupt and skipped; a commit removes what was read.

import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RecordSpool, type SpoolCodec } from './record-spool.ts';

const dir = mkdtempSync(join(tmpdir(), 'rigtune-record-spool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const codec: SpoolCodec<{ n: number }> = {
  encode: (r) => JSON.stringify([1, r.n]),
  decode: (line) => {
    const v = JSON.parse(line) as unknown;
    return Array.isArray(v) && v[0] === 1 && typeof v[1] === 'number' ? { n: v[1] } : null;
  },
};

test('records survive a reopen in order; unknown lines are counted, not returned; commit consumes', async () => {
  const options = { dir, name: 't', fsyncIntervalMs: 0 };
  const first = await RecordSpool.open(options, codec);
  for (let n = 0; n < 3; n++) first.append({ n });
  await first.close();
  const [segment] = readdirSync(dir).filter((f) => f.startsWith('t-'));
  appendFileSync(join(dir, segment), `${JSON.stringify([2, 9])}\n`);
  const again = await RecordSpool.open(options, codec);
  again.append({ n: 3 });
  await again.flush();
  // A read stops at a segment's end (the reopened log appends to a new one): read until empty.
  const seen: number[] = [];
  let corrupt = 0;
  for (let read = await again.read(10); read.items.length + read.corrupt > 0; read = await again.read(10)) {
    seen.push(...read.items.map((r) => r.n));
    corrupt += read.corrupt;
    await again.commit(read.cursor);
  }
  assert.deepEqual(seen, [0, 1, 2, 3]);
  assert.equal(corrupt, 1);
  assert.equal(again.pending, 0);
  assert.deepEqual((await again.read(10)).items, []);
  await again.close();
});
