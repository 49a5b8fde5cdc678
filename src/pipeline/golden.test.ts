// Golden digest of the pipeline's output on the seeded two-GPU + ASIC fixture: any change to a tick or
// event (a value's last bit, a key's order) changes the digest, so optimisations cannot drift silently.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIXTURE_START_MS, fixtureRig } from './fixture-rig.ts';
import { FleetScorer } from './fleet-scorer.ts';
import type { ScorerOptions } from './options.ts';
import type { RuptureEvent } from './types.ts';

/** cyrb53: a 53-bit string hash, as 14 hex digits. */
function digest(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** Scores the fixture; returns the digest of all NDJSON lines, the events and a few counts. */
function run(options: Partial<ScorerOptions>, seconds?: number) {
  const plan = { seconds: 1200, fanFailS: 400, latencyFromS: 700, latencyToS: 820, restartS: 1000 };
  const snaps = fixtureRig(7, { ...plan, seconds: seconds ?? plan.seconds });
  const fleet = new FleetScorer(options);
  const lines: string[] = [];
  const events: RuptureEvent[] = [];
  const classes: Record<string, number> = { none: 0, micro: 0, meso: 0, macro: 0 };
  let unhealthy = 0;
  let resets = 0;
  for (const s of snaps) {
    const { tick, events: closed } = fleet.push(s);
    lines.push(JSON.stringify(tick));
    for (const e of closed) lines.push(JSON.stringify(e));
    events.push(...closed);
    classes[tick.rupture_class] += 1;
    unhealthy += tick.health_bit ?? 0;
    resets += tick.counter_resets.length;
  }
  for (const e of fleet.flush()) {
    lines.push(JSON.stringify(e));
    events.push(e);
  }
  const brief = events.map(
    (e) =>
      `${e.device} ${(e.ts_start - FIXTURE_START_MS) / 1000}-${(e.ts_detected - FIXTURE_START_MS) / 1000} ` +
      `${e.class} ${e.channels.join(',')}`,
  );
  return { digest: digest(lines.join('\n')), lines: lines.length, classes, unhealthy, resets, events: brief };
}

test('golden: default options on the gpu-rig fixture', () => {
  const got = run({});
  assert.deepEqual(
    { ...got, digest: undefined },
    {
      digest: undefined,
      lines: 3625,
      classes: { none: 3072, micro: 95, meso: 31, macro: 402 },
      unhealthy: 481,
      resets: 12,
      events: [
        'gpu0 165-175 none temp_core_c',
        'gpu0 183-193 none temp_mem_c',
        'gpu1 192-202 micro temp_core_c',
        'gpu1 207-217 none temp_mem_c',
        'gpu0 300-326 none fan_rpm',
        'gpu0 370-372 micro fan_rpm',
        'gpu0 380-382 micro fan_rpm',
        'gpu1 400-402 micro fan_rpm',
        'gpu0 405-407 micro fan_rpm,temp_core_c',
        'gpu0 445-447 micro fan_rpm',
        'gpu0 700-702 meso stratum_latency_ms',
        'board0 700-702 micro hashrate_5s',
        'gpu0 710-743 macro fan_rpm',
        'gpu0 755-761 meso fan_rpm',
        'gpu0 820-822 micro stratum_latency_ms',
        'gpu0 830-832 micro fan_rpm',
        'gpu0 875-880 none fan_rpm',
        'gpu1 898-900 macro hashrate_5s,power_w,clock_core_mhz',
        'gpu0 905-907 micro fan_rpm',
        'gpu0 965-967 micro fan_rpm',
        'gpu0 970-987 none fan_rpm',
        'gpu0 1050-1078 none fan_rpm',
        'gpu0 1090-1092 micro fan_rpm',
        'gpu0 1100-1126 none fan_rpm',
        'gpu0 1155-1157 micro fan_rpm',
      ],
    },
  );
  // 0edbf9224693d4 since reject_rate became a channel: each GPU tick carries channels.reject_rate, and on
  // 208 quiet ticks its posterior (≤ 0.009) is the largest, moving change_prob, lambda_hazard and
  // sep_score (by ≤ 0.08); no class, health bit or event changed (the lines above are as before).
  // 0866ffe1095edd before 'auto' left clock_mem_mhz and util_pct out and watched fan_rpm rather than fan_pct:
  // their channels left the ticks and gpu1's fan_pct event (a duplicate of its fan_rpm one) went.
  // 0c0c51cdae01d5 with 12 detector hypotheses (before 8 became the default): same events and classes,
  // change_prob and what follows from it moved in low digits.
  assert.equal(got.digest, '0734503ce22c85');
});

test('golden: channelDetail on a shorter run', () => {
  const got = run({ channelDetail: true }, 300);
  // 1f28cd2707c98d since reject_rate became a channel (39 quiet ticks' change_prob moved, as above).
  // 17a9cfb2a2e7a8 before the 'auto' channel change (as above).
  // 174e00c768e181 with 12 detector hypotheses.
  assert.equal(got.digest, '1b1156e905926c');
});
