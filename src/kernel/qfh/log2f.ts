// float32 log2 exactly as glibc >= 2.27 computes it (the ARM optimized-routines algorithm, MIT licensed).
// The native QFH vectors were produced with glibc's log2f, which is not correctly rounded (sep-reference §2.10).

/** Parses a C99 hex-float literal such as `-0x1.efec65b963019p-2` exactly (at most 13 fraction digits). */
export function parseHexFloat(literal: string): number {
  const m = /^(-?)0x([0-9a-f])\.?([0-9a-f]*)p([+-]?\d+)$/i.exec(literal);
  if (m === null) throw new SyntaxError(`not a hex float: ${literal}`);
  const [, sign, lead, frac, exp] = m;
  const value = Number.parseInt(lead + frac, 16) * 2 ** (Number(exp) - 4 * frac.length);
  return sign === '-' ? -value : value;
}

// __log2f_data: 16 (1/c, log2 c) pairs for c near the centre of each subinterval of [0x3f330000, 2x).
const TABLE = [
  ['0x1.661ec79f8f3bep+0', '-0x1.efec65b963019p-2'],
  ['0x1.571ed4aaf883dp+0', '-0x1.b0b6832d4fca4p-2'],
  ['0x1.49539f0f010bp+0', '-0x1.7418b0a1fb77bp-2'],
  ['0x1.3c995b0b80385p+0', '-0x1.39de91a6dcf7bp-2'],
  ['0x1.30d190c8864a5p+0', '-0x1.01d9bf3f2b631p-2'],
  ['0x1.25e227b0b8eap+0', '-0x1.97c1d1b3b7afp-3'],
  ['0x1.1bb4a4a1a343fp+0', '-0x1.2f9e393af3c9fp-3'],
  ['0x1.12358f08ae5bap+0', '-0x1.960cbbf788d5cp-4'],
  ['0x1.0953f419900a7p+0', '-0x1.a6f9db6475fcep-5'],
  ['0x1p+0', '0x0p+0'],
  ['0x1.e608cfd9a47acp-1', '0x1.338ca9f24f53dp-4'],
  ['0x1.ca4b31f026aap-1', '0x1.476a9543891bap-3'],
  ['0x1.b2036576afce6p-1', '0x1.e840b4ac4e4d2p-3'],
  ['0x1.9c2d163a1aa2dp-1', '0x1.40645f0c6651cp-2'],
  ['0x1.886e6037841edp-1', '0x1.88e9c2c1b9ff8p-2'],
  ['0x1.767dcf5534862p-1', '0x1.ce0a44eb17bccp-2'],
] as const;
const INVC = Float64Array.from(TABLE, (row) => parseHexFloat(row[0]));
const LOGC = Float64Array.from(TABLE, (row) => parseHexFloat(row[1]));
const A0 = parseHexFloat('-0x1.712b6f70a7e4dp-2');
const A1 = parseHexFloat('0x1.ecabf496832ep-2');
const A2 = parseHexFloat('-0x1.715479ffae3dep-1');
const A3 = parseHexFloat('0x1.715475f35c8b8p0');

const OFF = 0x3f330000;
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * log2 of the float32 value nearest `x`, rounded to float32 the way glibc's `log2f` does it
 * (≤ 0.752 ULP, bit-identical to the native build of the vectors). log2f(0) = −∞, log2f(<0) = NaN.
 */
export function log2f(x: number): number {
  F32[0] = x;
  let ix = U32[0];
  if (ix === 0x3f800000) return 0;
  if ((ix - 0x00800000) >>> 0 >= 0x7f800000 - 0x00800000) {
    // Zero, subnormal, negative, infinity or NaN.
    if ((ix & 0x7fffffff) === 0) return Number.NEGATIVE_INFINITY;
    if (ix === 0x7f800000) return Number.POSITIVE_INFINITY;
    if ((ix & 0x80000000) !== 0 || (ix << 1) >>> 0 >= 0xff000000) return Number.NaN;
    F32[0] = F32[0] * 8388608; // normalise a subnormal: x · 2^23, exact
    ix = (U32[0] - (23 << 23)) >>> 0;
  }
  const tmp = (ix - OFF) >>> 0;
  const i = (tmp >>> 19) & 15;
  const k = (tmp | 0) >> 23;
  U32[0] = (ix - ((tmp & 0xff800000) >>> 0)) >>> 0;
  const z = F32[0];
  const r = z * INVC[i] - 1;
  const y0 = LOGC[i] + k;
  const r2 = r * r;
  let y = A1 * r + A2;
  y = A0 * r2 + y;
  const p = A3 * r + y0;
  y = y * r2 + p;
  return Math.fround(y);
}
