// docs/config.md carries the reference generated from the schemas; this fails when they drift.
// Regenerate with: RIGTUNE_UPDATE_DOCS=1 node_modules/.bin/node --test src/config/reference.test.ts

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderConfigReference } from './reference.ts';
import { SOURCE_KIND_NAMES } from './source-kinds.ts';

const DOC = new URL('../../docs/config.md', import.meta.url);
const BEGIN = '<!-- BEGIN GENERATED: src/config/reference.ts -->\n';
const END = '<!-- END GENERATED -->';

test('docs/config.md holds the current generated reference', () => {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  assert.ok(start >= 0 && end > start, 'docs/config.md lacks the generated-section markers');
  const fresh = renderConfigReference();
  if (process.env.RIGTUNE_UPDATE_DOCS === '1') {
    writeFileSync(DOC, doc.slice(0, start + BEGIN.length) + fresh + doc.slice(end));
    return;
  }
  assert.equal(
    doc.slice(start + BEGIN.length, end),
    fresh,
    'docs/config.md is out of date: run RIGTUNE_UPDATE_DOCS=1 node --test src/config/reference.test.ts',
  );
});

test('every key of the reference has a description, a type and a default column', () => {
  const rows = renderConfigReference()
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  assert.ok(rows.length > 150);
  for (const row of rows) {
    const cells = row.split(/(?<!\\)\|/).slice(1, -1);
    assert.equal(cells.length, 4, row);
    assert.notEqual(cells[1].trim(), '', `no type: ${row}`);
    assert.notEqual(cells[3].trim(), '', `no description: ${row}`);
  }
  for (const kind of SOURCE_KIND_NAMES)
    assert.ok(renderConfigReference().includes(`### Source \`kind: ${kind}\``));
});
