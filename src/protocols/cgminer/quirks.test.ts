// Walks fixtures/quirks/: each folder is one scenario (raw reply bytes + expected value and quirks,
// or the expected error). A new firmware defect is a new folder, not new test code.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SourceError } from '../../core/errors.ts';
import { READER_QUIRKS } from './quirks.ts';
import { readCgminerJson } from './reader.ts';

const ROOT = new URL('./fixtures/quirks/', import.meta.url);
const folders = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

const read = (folder: string, file: string) => readFileSync(new URL(`${folder}/${file}`, ROOT));

test('every quirk scenario folder reads as its expected value, quirks or error', () => {
  assert.ok(folders.length >= READER_QUIRKS.length);
  for (const folder of folders) {
    const reply = new Uint8Array(read(folder, 'reply.bin'));
    if (existsSync(new URL(`${folder}/error.json`, ROOT))) {
      const want = JSON.parse(read(folder, 'error.json').toString('utf8'));
      assert.throws(
        () => readCgminerJson(reply, { command: 'x' }),
        (err) => {
          assert.ok(err instanceof SourceError, folder);
          assert.equal(err.kind, want.kind, folder);
          assert.equal(err.where.offset, want.offset, `${folder}: offset`);
          assert.equal(err.where.command, 'x', folder);
          assert.ok(err.message.includes(want.message), `${folder}: ${err.message}`);
          return true;
        },
      );
      continue;
    }
    const expected = JSON.parse(read(folder, 'expected.json').toString('utf8'));
    const quirks: string[] = JSON.parse(read(folder, 'quirks.json').toString('utf8'));
    const got = readCgminerJson(reply);
    assert.deepEqual(got.value, expected, folder);
    assert.deepEqual([...got.quirks].sort(), [...quirks].sort(), `${folder}: quirks`);
  }
});

test('every reader quirk has a scenario folder named after it, and vice versa for quirk folders', () => {
  for (const quirk of READER_QUIRKS) assert.ok(folders.includes(quirk), `no fixture folder for ${quirk}`);
  const named = folders.filter((f) => existsSync(new URL(`${f}/quirks.json`, ROOT)));
  for (const f of named)
    assert.ok((READER_QUIRKS as readonly string[]).includes(f), `${f} is not a quirk name`);
});
