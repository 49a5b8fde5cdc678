// `rigtune encode FILE`: struct-bit flags (UP, ACCEL, RANGEEXP, ZPOS) of every numeric column as CSV.
// Reads any trace format via traces/, encodes per (rig, device) with kernel/encode, writes atomically.

import { Command } from 'commander';
import { RigtuneError } from '../core/errors.ts';
import { writeFileAtomic } from '../durable/index.ts';
import { encodeCausal, encodeReference, FLAG_NAMES, type StructFlags } from '../kernel/encode/index.ts';
import { openTrace, type TraceReader } from '../traces/index.ts';

export const ENCODE_MODES = ['reference', 'causal'] as const;
export type EncodeMode = (typeof ENCODE_MODES)[number];

/** What the command needs from the outside world; tests replace these. */
export interface EncodeDeps {
  readonly openTrace: (path: string) => Promise<TraceReader>;
  /** Receives the CSV when no --out is given; a `false` return with `once` waits for 'drain'. */
  readonly stdout: { write(chunk: string): unknown; once?(event: 'drain', listener: () => void): unknown };
}

/** The rows of one (rig, device), in file order, with every numeric column (null = missing). */
interface DeviceSeries {
  readonly rig: string;
  readonly device: string;
  readonly ts: number[];
  readonly columns: (number | null)[][];
}

const FLUSH_CHARS = 256 * 1024;

/** RFC 4180 cell: quoted when it holds a comma, quote, CR or LF. */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function parseMode(mode: string): EncodeMode {
  if ((ENCODE_MODES as readonly string[]).includes(mode)) return mode as EncodeMode;
  throw new RigtuneError('RT_CLI_USAGE', `--mode must be one of ${ENCODE_MODES.join(', ')}, got '${mode}'`, {
    command: 'encode',
    field: 'mode',
  });
}

/** Groups records per (rig, device) in order of first appearance; rows keep file order. */
async function readSeries(reader: TraceReader, columns: readonly string[]): Promise<DeviceSeries[]> {
  const byKey = new Map<string, DeviceSeries>();
  for await (const record of reader.records()) {
    const key = JSON.stringify([record.rig, record.device]);
    let series = byKey.get(key);
    if (series === undefined) {
      series = { rig: record.rig, device: record.device, ts: [], columns: columns.map(() => []) };
      byKey.set(key, series);
    }
    series.ts.push(record.ts);
    for (let c = 0; c < columns.length; c++) series.columns[c].push(record.values[columns[c]] ?? null);
  }
  return [...byKey.values()];
}

/** The output CSV as chunks: header, then each device's rows (devices in order of first appearance). */
function* csvChunks(series: readonly DeviceSeries[], columns: readonly string[], mode: EncodeMode) {
  const withDevice = series.length > 1;
  const header = ['ts', ...(withDevice ? ['rig', 'device'] : [])];
  for (const column of columns) for (const flag of FLAG_NAMES) header.push(`${column}__${flag}`);
  let chunk = `${header.map(csvCell).join(',')}\n`;
  const encode = mode === 'causal' ? encodeCausal : encodeReference;
  for (const s of series) {
    const flags: StructFlags[] = s.columns.map((values) => encode(values));
    const prefix = withDevice ? `,${csvCell(s.rig)},${csvCell(s.device)}` : '';
    for (let i = 0; i < s.ts.length; i++) {
      let line = `${s.ts[i]}${prefix}`;
      for (const f of flags) line += `,${f.up[i]},${f.accel[i]},${f.rangeexp[i]},${f.zpos[i]}`;
      chunk += `${line}\n`;
      if (chunk.length >= FLUSH_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function writeStdout(stdout: EncodeDeps['stdout'], chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (stdout.write(chunk) === false && stdout.once) {
      await new Promise<void>((done) => stdout.once?.('drain', done));
    }
  }
}

/** Runs `rigtune encode`: reads FILE, encodes every numeric column per device, writes CSV. */
export async function runEncode(
  file: string,
  options: { mode: string; out?: string },
  deps: EncodeDeps,
): Promise<void> {
  const mode = parseMode(options.mode);
  const reader = await deps.openTrace(file);
  const columns = reader.numericColumns.filter((c) => c !== 'ts');
  const series = await readSeries(reader, columns);
  const chunks = csvChunks(series, columns, mode);
  if (options.out === undefined) await writeStdout(deps.stdout, chunks);
  else await writeFileAtomic(options.out, chunks);
}

/** The `encode` command; `deps` replaces the trace opener and stdout (tests). */
export function encodeCommand(deps: Partial<EncodeDeps> = {}): Command {
  const resolved: EncodeDeps = { openTrace: (path) => openTrace(path), stdout: process.stdout, ...deps };
  return new Command('encode')
    .description(
      'Struct-bit flags of every numeric column as CSV: ts, [rig, device when the file holds several], ' +
        'then <col>__UP, __ACCEL, __RANGEEXP, __ZPOS (0/1). Rows are grouped per (rig, device).',
    )
    .argument('<file>', 'trace file: CSV, NDJSON or Parquet in the snapshot schema')
    .option(
      '--mode <mode>',
      'reference: centred 61/301-row windows, exact to the pandas encoder (offline; sees 150 rows ahead); ' +
        'causal: trailing windows, as live scoring computes them',
      'reference',
    )
    .option('--out <file>', 'write the CSV here (atomically: temp file then rename) instead of stdout')
    .action(async (file: string, options: { mode: string; out?: string }) => {
      await runEncode(file, options, resolved);
    });
}
