// Pure helpers of the TCPD evaluation: which series count, reading a dataset record and the published
// score tables, and scoring one series. The file reading itself lives in bench/tcpd.eval.ts.

import { RigtuneError } from '../core/errors.ts';
import { type Annotations, coverScore, f1Score } from './tcpd-metrics.ts';

/** One TCPD series: its name, length and first dimension (null = missing sample). */
export interface TcpdSeries {
  readonly name: string;
  readonly n: number;
  readonly values: ReadonlyArray<number | null>;
}

/** Per-series scores of the published methods: method → score (null = the method failed, counts 0). */
export type PublishedScores = ReadonlyMap<string, Readonly<Record<string, number | null>>>;

/** Series outside the target set: the quality-control ones, and two excluded by the benchmark README. */
const EXCLUDED = new Set(['run_log', 'uk_coal_employ']);

/** True for the univariate, non-quality-control series the evaluation averages over (25 present). */
export function isTargetSeries(name: string, nDim: number): boolean {
  return nDim === 1 && !name.startsWith('quality_control') && !EXCLUDED.has(name);
}

/**
 * Reads a TCPD dataset record (`datasets/<name>.json`): name, n_obs, n_dim and series[0].raw; non-finite
 * or null entries become null. Throws RT_INPUT_FORMAT (with `file`) when a field is missing.
 */
export function parseTcpdDataset(json: unknown, file: string): TcpdSeries & { readonly nDim: number } {
  const d = json as { name?: unknown; n_obs?: unknown; n_dim?: unknown; series?: Array<{ raw?: unknown }> };
  const raw = d?.series?.[0]?.raw;
  if (typeof d?.name !== 'string' || typeof d.n_obs !== 'number' || !Array.isArray(raw)) {
    throw new RigtuneError('RT_INPUT_FORMAT', 'not a TCPD dataset (needs name, n_obs, series[0].raw)', {
      file,
    });
  }
  const values = raw.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  if (values.length !== d.n_obs) {
    throw new RigtuneError('RT_INPUT_FORMAT', `series has ${values.length} values, n_obs says ${d.n_obs}`, {
      file,
    });
  }
  return { name: d.name, n: d.n_obs, nDim: typeof d.n_dim === 'number' ? d.n_dim : 1, values };
}

/** Parses a published score table (`dataset,method1,…` CSV, empty cell = failed run). */
export function parsePublishedScores(csv: string, file: string): PublishedScores {
  const lines = csv.trim().split(/\r?\n/);
  const header = lines[0]?.split(',') ?? [];
  if (header[0] !== 'dataset') {
    throw new RigtuneError('RT_INPUT_FORMAT', 'published scores must start with a "dataset" column', {
      file,
    });
  }
  const table = new Map<string, Record<string, number | null>>();
  for (const [i, line] of lines.slice(1).entries()) {
    const cells = line.split(',');
    const row: Record<string, number | null> = {};
    for (let c = 1; c < header.length; c += 1) {
      const cell = cells[c] ?? '';
      const value = cell === '' ? null : Number(cell);
      if (value !== null && !Number.isFinite(value)) {
        throw new RigtuneError('RT_INPUT_PARSE', `not a number: "${cell}"`, {
          file,
          line: i + 2,
          field: header[c],
        });
      }
      row[header[c]] = value;
    }
    table.set(cells[0], row);
  }
  return table;
}

/** F1 (margin 5) and cover of one series' predicted change points (0-based indices). */
export function scoreSeries(annotations: Annotations, predictions: readonly number[], n: number) {
  return { f1: f1Score(annotations, predictions, n, 5), cover: coverScore(annotations, predictions, n) };
}

/** Mean of a method's published scores over `names` (a failed or missing run counts 0, as in TCPDBench). */
export function publishedMean(table: PublishedScores, names: readonly string[], method: string): number {
  if (names.length === 0) return 0;
  let sum = 0;
  for (const name of names) sum += table.get(name)?.[method] ?? 0;
  return sum / names.length;
}
