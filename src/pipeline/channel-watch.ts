// Watches one channel of one device: its online change detector and the QFH structure of its four
// causal struct-bit flag streams (UP, ACCEL, RANGEEXP, ZPOS).

import {
  ChangePointDetector,
  type ChangePointOptions,
  type DetectedChange,
} from '../kernel/changepoint/index.ts';
import { CausalStructEncoder } from '../kernel/encode/index.ts';
import { analyzeWindow } from '../kernel/qfh/index.ts';
import { BitWindow } from './bit-window.ts';
import type { ChannelScore, StructureMetrics } from './types.ts';

const FLAGS = ['UP', 'ACCEL', 'RANGEEXP', 'ZPOS'] as const;

/** QFH metrics of a window in the tick's shape. */
export function structureOf(bits: Uint8Array): StructureMetrics {
  const m = analyzeWindow(bits);
  return {
    n: m.n,
    coherence: m.coherence,
    stability: m.stability,
    entropy: m.entropy,
    rupture: m.rupture,
    flip_ratio: m.flip_ratio,
    collapse: m.collapse,
    sig_c: m.sig_c,
    sig_s: m.sig_s,
    sig_e: m.sig_e,
  };
}

export class ChannelWatch {
  readonly name: string;
  /** Device sample index of this channel's first reading (its detector counts from there). */
  readonly firstSample: number;
  readonly #detector: ChangePointDetector;
  readonly #encoder = new CausalStructEncoder();
  readonly #flags: BitWindow[];
  readonly #minBits: number;
  #changeProb = 0;

  constructor(
    name: string,
    firstSample: number,
    windowBits: number,
    minBits: number,
    changepoint: Partial<ChangePointOptions>,
  ) {
    this.name = name;
    this.firstSample = firstSample;
    this.#detector = new ChangePointDetector(changepoint);
    this.#flags = FLAGS.map(() => new BitWindow(windowBits));
    this.#minBits = minBits;
  }

  /** Feeds the channel's next value (null = missing); returns a change declared at this sample. */
  push(value: number | null): DetectedChange | null {
    const step = this.#detector.update(value);
    this.#changeProb = step.changeProb;
    const row = this.#encoder.push(value);
    this.#flags[0].push(row.up);
    this.#flags[1].push(row.accel);
    this.#flags[2].push(row.rangeexp);
    this.#flags[3].push(row.zpos);
    return step.detected;
  }

  get changeProb(): number {
    return this.#changeProb;
  }

  /** The channel's score at the latest sample; structure fields null until the window has `minBits`. */
  score(detail: boolean): ChannelScore {
    if (this.#flags[0].length < this.#minBits) {
      return {
        change_prob: this.#changeProb,
        coherence: null,
        stability: null,
        entropy: null,
        rupture: null,
      };
    }
    let c = 0;
    let s = 0;
    let e = 0;
    let r = 0;
    const flags: Record<string, StructureMetrics> = {};
    for (let i = 0; i < FLAGS.length; i += 1) {
      const m = structureOf(this.#flags[i].view());
      c += m.coherence;
      s += m.stability;
      e += m.entropy;
      r += m.rupture;
      if (detail) flags[FLAGS[i]] = m;
    }
    const k = FLAGS.length;
    const base = {
      change_prob: this.#changeProb,
      coherence: c / k,
      stability: s / k,
      entropy: e / k,
      rupture: r / k,
    };
    return detail ? { ...base, flags } : base;
  }
}
