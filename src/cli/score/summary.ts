// The human summary `rigtune score` prints on stderr: per device, samples, score range, time per
// rupture class, and the events found. Machines read the NDJSON; people read this.

import { RUPTURE_CLASSES } from '../../kernel/score/index.ts';
import type { RuptureEvent, ScoreTick } from '../../pipeline/index.ts';

interface DeviceStats {
  samples: number;
  scoreSum: number;
  scoreN: number;
  scoreMin: number;
  classes: number[];
}

export class ScoreSummary {
  readonly #devices = new Map<string, DeviceStats>();
  readonly #events: RuptureEvent[] = [];

  addTick(t: ScoreTick): void {
    const key = `${t.rig}/${t.device}`;
    let d = this.#devices.get(key);
    if (d === undefined) {
      d = { samples: 0, scoreSum: 0, scoreN: 0, scoreMin: Number.POSITIVE_INFINITY, classes: [0, 0, 0, 0] };
      this.#devices.set(key, d);
    }
    d.samples += 1;
    if (t.sep_score !== null) {
      d.scoreSum += t.sep_score;
      d.scoreN += 1;
      d.scoreMin = Math.min(d.scoreMin, t.sep_score);
    }
    d.classes[RUPTURE_CLASSES.indexOf(t.rupture_class)] += 1;
  }

  addEvent(e: RuptureEvent): void {
    this.#events.push(e);
  }

  /** Plain-text report (UTC times). */
  render(): string {
    const lines = ['device                  samples  mean sep_score  min   none  micro  meso  macro'];
    for (const [key, d] of this.#devices) {
      const mean = d.scoreN > 0 ? (d.scoreSum / d.scoreN).toFixed(1) : '-';
      const min = d.scoreN > 0 ? d.scoreMin.toFixed(1) : '-';
      const cls = d.classes.map((c) => String(c).padStart(5)).join('  ');
      lines.push(
        `${key.padEnd(22)}  ${String(d.samples).padStart(7)}  ${mean.padStart(14)}  ${min.padStart(4)}  ${cls}`,
      );
    }
    lines.push('', `${this.#events.length} rupture event(s):`);
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    for (const e of this.#events.slice(0, 40)) {
      lines.push(
        `  ${iso(e.ts_start)} → flagged ${iso(e.ts_detected)}  ${e.rig}/${e.device}  ${e.class.padEnd(5)}  ` +
          `hazard ${e.hazard.toFixed(2)}  ${e.channels.join(', ')}`,
      );
    }
    if (this.#events.length > 40)
      lines.push(`  … and ${this.#events.length - 40} more (see the NDJSON output)`);
    return `${lines.join('\n')}\n`;
  }
}
