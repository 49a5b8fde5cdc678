// Watches one channel of one device: its online change detector and the QFH structure of its four
// causal struct-bit flag streams (UP, ACCEL, RANGEEXP, ZPOS).

import {
  allocateSlab,
  ChangePointDetector,
  type ChangePointOptions,
  type DetectedChange,
} from '../kernel/changepoint/index.ts';
import {
  CausalStructEncoder,
  FLAG_ACCEL,
  FLAG_RANGEEXP,
  FLAG_UP,
  FLAG_ZPOS,
} from '../kernel/encode/index.ts';
import {
  analyzePackedWindow,
  analyzeWindow,
  createBatchOutput,
  type QfhBatchOutput,
  stabilityOf,
} from '../kernel/qfh/index.ts';
import { BitWindow } from './bit-window.ts';
import type { ChannelScore, StructureMetrics } from './types.ts';

const FLAGS = ['UP', 'ACCEL', 'RANGEEXP', 'ZPOS'] as const;

/**
 * A watch's numbers share one buffer (one ArrayBuffer and two views per channel instead of two and four):
 * doubles = the encoder's medians, then the watch's own doubles (at WATCH_AT + COHERENCE …), then the
 * detector's; bytes = the detector's, then the encoder's indices.
 */
const ENCODER_SIZE = CausalStructEncoder.slabSize();
const WATCH_AT = ENCODER_SIZE.f64;
const COHERENCE = 0;
const STABILITY = 1;
const ENTROPY = 2;
const RUPTURE = 3;
const CHANGE_PROB = 4;
const WATCH_DOUBLES = 5;

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

/** Results of the windows analysed by one call (scorers run one at a time, so one is shared). */
const scratch: QfhBatchOutput = createBatchOutput(FLAGS.length);
let packed = new Uint8Array(8);

/** Analyses a bit window into slot `w` of the shared scratch output; returns its length in bits. */
export function analyzeBitWindow(window: BitWindow, w: number): number {
  if (packed.length * 8 < window.capacity) packed = new Uint8Array(Math.ceil(window.capacity / 8) + 4);
  const n = window.pack(packed);
  analyzePackedWindow(packed, 0, n, scratch, w);
  return n;
}

/**
 * Analyses a short window held as a word (newest bit in bit 0, `length` ≤ 32 bits, as BitWindow.word)
 * into slot `w` of the shared scratch output, packed as BitWindow.pack would; returns `length`.
 */
function analyzeWord(word: number, length: number, w: number): number {
  const shifted = length === 0 ? 0 : (word << (32 - length)) >>> 0;
  packed[0] = shifted >>> 24;
  packed[1] = (shifted >>> 16) & 0xff;
  packed[2] = (shifted >>> 8) & 0xff;
  packed[3] = shifted & 0xff;
  analyzePackedWindow(packed, 0, length, scratch, w);
  return length;
}

/** Slot `w` of the shared scratch output (a window of n bits) as tick metrics; equals structureOf. */
export function scratchMetrics(w: number, n: number): StructureMetrics {
  return {
    n,
    coherence: scratch.coherence[w],
    stability: stabilityOf(scratch.rupture[w]),
    entropy: scratch.entropy[w],
    rupture: scratch.rupture[w],
    flip_ratio: scratch.flipRatio[w],
    collapse: scratch.collapse[w] === 1,
    sig_c: scratch.sigC[w],
    sig_s: scratch.sigS[w],
    sig_e: scratch.sigE[w],
  };
}

export class ChannelWatch {
  readonly name: string;
  /** Device sample index of this channel's first reading (its detector counts from there). */
  readonly firstSample: number;
  readonly #detector: ChangePointDetector;
  /** Flags only: ZPOS is the sign of x − median, so the live path keeps no standard-deviation window. */
  readonly #encoder: CausalStructEncoder;
  /** The shared buffer's doubles; the watch's own are the last means and change probability. */
  readonly #f: Float64Array;
  /**
   * The four flag windows: in #bits0..3 (newest bit in bit 0) while windowBits ≤ 32, which saves four
   * objects per channel at fleet scale; as BitWindows for longer windows.
   */
  readonly #flags: BitWindow[] | null;
  readonly #capacity: number;
  readonly #mask: number;
  #bits0 = 0;
  #bits1 = 0;
  #bits2 = 0;
  #bits3 = 0;
  #length = 0;
  readonly #minBits: number;
  /**
   * Whether a push changed the flag windows (words or length) since the last computed means (windows
   * ≤ 32 bits only): the means are a function of the windows, so clean means are reused as they are.
   */
  #dirty = true;

  constructor(
    name: string,
    firstSample: number,
    windowBits: number,
    minBits: number,
    changepoint: Partial<ChangePointOptions>,
  ) {
    this.name = name;
    this.firstSample = firstSample;
    const detectorSize = ChangePointDetector.sizeOf(changepoint);
    const detectorAt = WATCH_AT + WATCH_DOUBLES;
    const slab = allocateSlab({ f64: detectorAt + detectorSize.f64, u8: detectorSize.u8 + ENCODER_SIZE.u8 });
    this.#f = slab.f64;
    this.#detector = new ChangePointDetector(changepoint, slab, detectorAt);
    this.#encoder = new CausalStructEncoder(
      { standardDeviation: false },
      { values: slab.f64, index: slab.u8, indexBase: detectorSize.u8 },
    );
    this.#capacity = windowBits;
    this.#flags = windowBits > 32 ? FLAGS.map(() => new BitWindow(windowBits)) : null;
    // An int32 (a small integer, not a boxed double): `&` reads its operands as int32 anyway.
    this.#mask = windowBits >= 32 ? -1 : ((1 << windowBits) - 1) | 0;
    this.#minBits = minBits;
  }

  /** Feeds the channel's next value (null = missing); returns a change declared at this sample. */
  push(value: number | null): DetectedChange | null {
    const step = this.#detector.update(value);
    this.#f[WATCH_AT + CHANGE_PROB] = step.changeProb;
    const bits = this.#encoder.pushFlags(value);
    const up = (bits & FLAG_UP) === 0 ? 0 : 1;
    const accel = (bits & FLAG_ACCEL) === 0 ? 0 : 1;
    const rangeexp = (bits & FLAG_RANGEEXP) === 0 ? 0 : 1;
    const zpos = (bits & FLAG_ZPOS) === 0 ? 0 : 1;
    const grew = this.#length < this.#capacity;
    if (grew) this.#length += 1;
    const flags = this.#flags;
    if (flags !== null) {
      flags[0].push(up);
      flags[1].push(accel);
      flags[2].push(rangeexp);
      flags[3].push(zpos);
    } else {
      const mask = this.#mask;
      const w0 = (((this.#bits0 << 1) | up) & mask) >>> 0;
      const w1 = (((this.#bits1 << 1) | accel) & mask) >>> 0;
      const w2 = (((this.#bits2 << 1) | rangeexp) & mask) >>> 0;
      const w3 = (((this.#bits3 << 1) | zpos) & mask) >>> 0;
      if (grew || w0 !== this.#bits0 || w1 !== this.#bits1 || w2 !== this.#bits2 || w3 !== this.#bits3)
        this.#dirty = true;
      this.#bits0 = w0;
      this.#bits1 = w1;
      this.#bits2 = w2;
      this.#bits3 = w3;
    }
    return step.detected;
  }

  get changeProb(): number {
    return this.#f[WATCH_AT + CHANGE_PROB];
  }

  /** The channel's score at the latest sample; structure fields null until the window has `minBits`. */
  score(detail: boolean): ChannelScore {
    const f = this.#f;
    if (this.#length < this.#minBits) {
      return {
        change_prob: f[WATCH_AT + CHANGE_PROB],
        coherence: null,
        stability: null,
        entropy: null,
        rupture: null,
      };
    }
    if (detail) return this.#detailed();
    if (!this.#unchanged()) {
      let c = 0;
      let s = 0;
      let e = 0;
      let r = 0;
      for (let i = 0; i < FLAGS.length; i += 1) {
        this.#analyze(i);
        c += scratch.coherence[i];
        s += stabilityOf(scratch.rupture[i]);
        e += scratch.entropy[i];
        r += scratch.rupture[i];
      }
      const k = FLAGS.length;
      f[WATCH_AT + COHERENCE] = c / k;
      f[WATCH_AT + STABILITY] = s / k;
      f[WATCH_AT + ENTROPY] = e / k;
      f[WATCH_AT + RUPTURE] = r / k;
    }
    return {
      change_prob: f[WATCH_AT + CHANGE_PROB],
      coherence: f[WATCH_AT + COHERENCE],
      stability: f[WATCH_AT + STABILITY],
      entropy: f[WATCH_AT + ENTROPY],
      rupture: f[WATCH_AT + RUPTURE],
    };
  }

  /** Analyses flag window `i` into slot i of the shared scratch output; returns its length in bits. */
  #analyze(i: number): number {
    const flags = this.#flags;
    if (flags !== null) return analyzeBitWindow(flags[i], i);
    const word = i === 0 ? this.#bits0 : i === 1 ? this.#bits1 : i === 2 ? this.#bits2 : this.#bits3;
    return analyzeWord(word, this.#length, i);
  }

  /** True when no push changed the flag windows since the last computed means (then marks them clean). */
  #unchanged(): boolean {
    if (this.#flags !== null) return false;
    const same = !this.#dirty;
    this.#dirty = false;
    return same;
  }

  #detailed(): ChannelScore {
    let c = 0;
    let s = 0;
    let e = 0;
    let r = 0;
    const flags: Record<string, StructureMetrics> = {};
    for (let i = 0; i < FLAGS.length; i += 1) {
      const m = scratchMetrics(i, this.#analyze(i));
      c += m.coherence;
      s += m.stability;
      e += m.entropy;
      r += m.rupture;
      flags[FLAGS[i]] = m;
    }
    this.#dirty = true;
    const k = FLAGS.length;
    return {
      change_prob: this.#f[WATCH_AT + CHANGE_PROB],
      coherence: c / k,
      stability: s / k,
      entropy: e / k,
      rupture: r / k,
      flags,
    };
  }
}
