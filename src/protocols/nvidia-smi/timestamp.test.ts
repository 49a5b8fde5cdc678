// nvidia-smi timestamps carry no zone: UTC by default, a fixed offset, local or an IANA zone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidTimezone, parseSmiTimestamp, zoneConverter } from './timestamp.ts';

const iso = (text: string, zone: string) => {
  const ms = parseSmiTimestamp(text, zoneConverter(zone));
  return ms === null ? null : new Date(ms).toISOString();
};

test('UTC (the default) and fixed offsets', () => {
  assert.equal(iso('2026/11/26 16:25:03.110', 'UTC'), '2026-11-26T16:25:03.110Z');
  assert.equal(iso('2026/11/26 16:25:03.110', '+01:00'), '2026-11-26T15:25:03.110Z');
  assert.equal(iso('2026/11/26 16:25:03.110', '-0530'), '2026-11-26T21:55:03.110Z');
  assert.equal(iso('2026/11/26 16:25:03', 'UTC'), '2026-11-26T16:25:03.000Z');
  assert.equal(iso('2026/11/26 16:25:03.1', 'UTC'), '2026-11-26T16:25:03.100Z');
});

test('IANA zones follow daylight saving; gap and overlap read as documented', () => {
  assert.equal(iso('2026/07/01 12:00:00.500', 'Europe/Berlin'), '2026-07-01T10:00:00.500Z');
  assert.equal(iso('2026/01/01 12:00:00.000', 'Europe/Berlin'), '2026-01-01T11:00:00.000Z');
  assert.equal(iso('2026/11/26 16:25:03.110', 'America/New_York'), '2026-11-26T21:25:03.110Z');
  assert.equal(
    iso('2026/03/29 02:30:00.000', 'Europe/Berlin'),
    iso('2026/03/29 03:30:00.000', 'Europe/Berlin'),
  );
  assert.equal(iso('2026/10/25 02:30:00.000', 'Europe/Berlin'), '2026-10-25T01:30:00.000Z');
});

test('local uses the process time zone', () => {
  const ms = parseSmiTimestamp('2026/11/26 16:25:03.110', zoneConverter('local'));
  assert.equal(ms, new Date(2026, 10, 26, 16, 25, 3, 110).getTime());
});

test('not a timestamp, or an impossible date: null', () => {
  const utc = zoneConverter('UTC');
  for (const bad of [
    '',
    '2026-11-26 16:25:03',
    '2026/02/30 00:00:00.000',
    '2026/13/01 00:00:00',
    '2026/11/26 24:00:00',
    'x',
  ])
    assert.equal(parseSmiTimestamp(bad, utc), null, bad);
});

test('zone names are validated', () => {
  for (const ok of ['UTC', 'local', '+05:30', '-08:00', 'Europe/Berlin']) assert.ok(isValidTimezone(ok), ok);
  for (const bad of ['Nope/Zone', 'CEST+', '']) assert.ok(!isValidTimezone(bad), bad);
});
