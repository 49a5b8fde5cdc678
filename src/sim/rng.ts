// Seeded pseudo-random numbers for the simulator: xoshiro128** seeded through splitmix32, with
// uniform, normal and Poisson draws, and independent per-device streams derived from one seed.

/** splitmix32 step: a well-mixed 32-bit value from a 32-bit state (used for seeding only). */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a hash of a text label, so `derive('rig3/gpu1')` gives a stream that depends only on the name. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * xoshiro128** (Blackman & Vigna): 128-bit state, period 2^128 − 1, fast in 32-bit integer maths.
 * Every draw is a pure function of the seed and the number of draws before it, so a simulation that
 * draws in a fixed order is bit-for-bit reproducible.
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  /** The spare second normal of the last Box–Muller pair, or NaN when none is held. */
  #spareNormal = Number.NaN;

  /** `seed`: any integer (taken modulo 2^32). */
  constructor(seed: number) {
    let s = seed >>> 0;
    this.#a = s = splitmix32(s);
    this.#b = s = splitmix32(s);
    this.#c = s = splitmix32(s);
    this.#d = splitmix32(s);
    if ((this.#a | this.#b | this.#c | this.#d) === 0) this.#d = 1; // the all-zero state is a fixed point
  }

  /** An independent stream for `label` (e.g. a device id): same seed and label → same stream. */
  static derive(seed: number, label: string): Rng {
    return new Rng(splitmix32((seed >>> 0) ^ hashLabel(label)));
  }

  /** Next raw 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal N(0, 1) by Box–Muller (pairs; the second value is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.#spareNormal)) {
      const v = this.#spareNormal;
      this.#spareNormal = Number.NaN;
      return v;
    }
    const u = 1 - this.next(); // (0, 1]: log is finite
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.next();
    this.#spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * A Poisson(λ) count. Exact (Knuth's product of uniforms) for λ < 30; above, the normal
   * approximation round(λ + √λ·z) clamped at 0 (relative error of the variance < 2 % there).
   * λ ≤ 0 or not finite gives 0.
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
