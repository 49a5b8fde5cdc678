// Walks fixtures/quirks/: the mapping-layer quirks (numbers as strings, key drift, Last Share Time
// formats, quoted strings), each a folder with the raw reply, the expected fields and the quirks named.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MAPPING_QUIRKS, readCgminerJson } from '../../protocols/cgminer/index.ts';
import { detectDialect } from './detect.ts';
import { DIALECTS, type DialectName } from './dialects/index.ts';
import { mapCgminer } from './map.ts';
import { QuirkLog } from './values.ts';

const ROOT = new URL('./fixtures/quirks/', import.meta.url);
const folders = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

interface Case {
  readonly command: string;
  readonly dialect: DialectName | 'auto';
  readonly ts: number;
  /** `device.field` → value in snapshot units. */
  readonly fields: Record<string, number>;
  /** `device.rawField` → value. */
  readonly raw: Record<string, string | number | boolean | null>;
}

test('every mapping quirk folder maps to its expected fields and names its quirks', () => {
  for (const quirk of MAPPING_QUIRKS) assert.ok(folders.includes(quirk), `no fixture folder for ${quirk}`);
  for (const folder of folders) {
    const c: Case = JSON.parse(readFileSync(new URL(`${folder}/case.json`, ROOT), 'utf8'));
    const want: string[] = JSON.parse(readFileSync(new URL(`${folder}/quirks.json`, ROOT), 'utf8'));
    const read = readCgminerJson(readFileSync(new URL(`${folder}/reply.bin`, ROOT)));
    const quirks = new QuirkLog();
    quirks.addAll(read.quirks);
    const replies = { [c.command]: read.value };
    const detected = detectDialect(replies, quirks);
    const identity = c.dialect === 'auto' ? detected : { ...detected, dialect: c.dialect };
    const r = mapCgminer(DIALECTS[identity.dialect], replies, {
      ts: c.ts,
      rig: 'r',
      identity,
      quirks: quirks.list(),
    });
    for (const [path, value] of Object.entries(c.fields)) {
      const [device, field] = path.split('.');
      const got = r.snapshots.find((s) => s.device === device)?.[field as 'power_w'];
      assert.ok(
        typeof got === 'number' && Math.abs(got - value) <= 1e-12 * Math.abs(value),
        `${folder}: ${path} = ${got}`,
      );
    }
    for (const [path, value] of Object.entries(c.raw)) {
      const dot = path.indexOf('.');
      const hit = r.raw.find((x) => x.device === path.slice(0, dot) && x.field === path.slice(dot + 1));
      assert.deepEqual(hit?.value, value, `${folder}: raw ${path}`);
    }
    assert.deepEqual([...r.quirks].sort(), [...want].sort(), `${folder}: quirks`);
  }
});
