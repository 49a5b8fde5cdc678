// Whether a column chunk gets a dictionary, and its entries and indexes, by hyparquet-writer 0.17's
// useDictionary rule (so files stay byte-identical), found faster: runs reuse the last index.

// The rule: a sample of 1000 cells spread over the chunk must not be 90 % distinct (by size), and
// dictionary plus bit-packed indexes must at most halve the plain size.
const SAMPLE = 1000;
const SAMPLE_REJECTION_RATIO = 0.9;

/** A chunk's dictionary: entries in first-seen order, an index per cell (-1 = null). */
export interface Dictionary {
  readonly dictionary: (number | string)[];
  readonly indexes: Int32Array;
  readonly nonNull: number;
}

/** Plain size of a non-null number as useDictionary estimates it. */
const numberSize = (type: string): number => (type === 'INT32' ? 4 : 8);

/** True when the sampled cells rule a dictionary out. `sizeAt` is a cell's size, 0 for null. */
function sampleRejects<K>(n: number, keyAt: (i: number) => K, sizeAt: (i: number) => number): boolean {
  const sampleSize = Math.min(n, SAMPLE);
  const seen = new Set<K>();
  let dictionarySize = 0;
  let totalSize = 0;
  for (let i = 0; i < sampleSize; i++) {
    const at = sampleSize === 1 ? 0 : Math.floor((i * (n - 1)) / (sampleSize - 1));
    const size = sizeAt(at);
    if (!seen.has(keyAt(at))) {
      seen.add(keyAt(at));
      dictionarySize += size;
    }
    totalSize += size;
  }
  return !totalSize || dictionarySize / totalSize > SAMPLE_REJECTION_RATIO;
}

/** useDictionary's last check: is the dictionary worth it? (`prefix`: 4 for byte arrays.) */
function pays(
  entries: number,
  dictSize: number,
  totalSize: number,
  nonNull: number,
  prefix: number,
): boolean {
  const bitWidth = Math.ceil(Math.log2(entries));
  const indexSize = Math.ceil((nonNull * bitWidth) / 8);
  return !(2 * (dictSize + entries * prefix + indexSize) > totalSize + nonNull * prefix);
}

// The bits of the number being hashed.
const BITS_F64 = new Float64Array(1);
const BITS_I32 = new Int32Array(BITS_F64.buffer);

/**
 * Open addressing from a number to its dictionary index (a Map would box every time value).
 * Keys compare with ===, so -0 and 0 share an entry, as in a Map.
 */
class NumberIndex {
  #keys = new Float64Array(64);
  #values = new Int32Array(64).fill(-1);
  #shift = 32 - 6;
  #size = 0;

  #slot(v: number): number {
    const mask = this.#keys.length - 1;
    BITS_F64[0] = v === 0 ? 0 : v; // -0 hashes as 0
    // Fibonacci hashing: the top bits of the product (its low bits keep the input's trailing zeros).
    let s = Math.imul(BITS_I32[0] ^ BITS_I32[1], 0x9e3779b1) >>> this.#shift;
    while (this.#values[s] >= 0 && this.#keys[s] !== v) s = (s + 1) & mask;
    return s;
  }

  /** The index of `v`, or -1. */
  get(v: number): number {
    return this.#values[this.#slot(v)];
  }

  set(v: number, index: number): void {
    if (2 * (this.#size + 1) > this.#keys.length) this.#grow();
    const s = this.#slot(v);
    this.#keys[s] = v;
    this.#values[s] = index;
    this.#size++;
  }

  #grow(): void {
    const keys = this.#keys;
    const values = this.#values;
    this.#keys = new Float64Array(keys.length * 2);
    this.#values = new Int32Array(keys.length * 2).fill(-1);
    this.#shift--;
    for (let s = 0; s < keys.length; s++) {
      if (values[s] < 0) continue;
      const t = this.#slot(keys[s]);
      this.#keys[t] = keys[s];
      this.#values[t] = values[s];
    }
  }
}

/** The dictionary of numeric cells (NaN = null; INT32 or INT64), or null when the rule says plain. */
export function numberDictionary(
  cells: Float64Array,
  n: number,
  type: string,
  required: boolean,
): Dictionary | null {
  const size = numberSize(type);
  const isNull = (i: number): boolean => Number.isNaN(cells[i]);
  if (
    sampleRejects(
      n,
      (i) => (isNull(i) ? null : cells[i] === 0 ? 0 : cells[i]),
      (i) => (isNull(i) ? 0 : size),
    )
  ) {
    return null;
  }
  const dictionary: number[] = [];
  const indexOf = new NumberIndex();
  const indexes = new Int32Array(n);
  let nonNull = 0;
  let prev = Number.NaN;
  let prevIndex = -1;
  for (let i = 0; i < n; i++) {
    const v = cells[i];
    if (Number.isNaN(v)) {
      if (required) throw new Error('parquet required value is undefined');
      indexes[i] = -1;
      continue;
    }
    nonNull++;
    if (v !== prev) {
      prev = v;
      prevIndex = indexOf.get(v);
      if (prevIndex < 0) {
        prevIndex = dictionary.length;
        dictionary.push(v);
        indexOf.set(v, prevIndex);
      }
    }
    indexes[i] = prevIndex;
  }
  if (!pays(dictionary.length, dictionary.length * size, nonNull * size, nonNull, 0)) return null;
  return { dictionary, indexes, nonNull };
}

/** The dictionary of string cells (sizes are UTF-16 lengths, as useDictionary estimates them). */
export function stringDictionary(
  cells: readonly (string | null)[],
  n: number,
  required: boolean,
): Dictionary | null {
  if (
    sampleRejects(
      n,
      (i) => cells[i],
      (i) => (cells[i] === null ? 0 : (cells[i] as string).length + 4),
    )
  ) {
    return null;
  }
  const dictionary: string[] = [];
  const indexOf = new Map<string, number>();
  const indexes = new Int32Array(n);
  let nonNull = 0;
  let dictSize = 0;
  let totalSize = 0;
  let prev: string | null = null;
  let prevIndex = -1;
  for (let i = 0; i < n; i++) {
    const v = cells[i];
    if (v === null) {
      if (required) throw new Error('parquet required value is undefined');
      indexes[i] = -1;
      continue;
    }
    nonNull++;
    totalSize += v.length;
    if (v !== prev) {
      prev = v;
      const known = indexOf.get(v);
      if (known === undefined) {
        prevIndex = dictionary.length;
        dictionary.push(v);
        indexOf.set(v, prevIndex);
        dictSize += v.length;
      } else {
        prevIndex = known;
      }
    }
    indexes[i] = prevIndex;
  }
  if (!pays(dictionary.length, dictSize, totalSize, nonNull, 4)) return null;
  return { dictionary, indexes, nonNull };
}
