// A-B-A phase markers from the Parquet `aba_markers` dataset (DuckDB) or from an NDJSON file given with
// --markers (one marker per line); every bad line or record is an error naming file:line and the field.

import { readFile } from 'node:fs/promises';
import { RigtuneError } from '../../core/errors.ts';
import { ABA_MARKER_PHASES, type AbaMarker, type AbaMarkerPhase } from '../../study/aba/index.ts';
import type { HistoryDb } from './duckdb.ts';
import { listDatasetFiles, readParquetSql } from './files.ts';

/** Name of the markers dataset under the data directory. */
export const MARKERS_DATASET = 'aba_markers';

function isPhase(value: unknown): value is AbaMarkerPhase {
  return (ABA_MARKER_PHASES as readonly unknown[]).includes(value);
}

/** A record's problem: the field and what is wrong with it. */
type Problem = readonly [field: string, message: string];

function text(rec: Record<string, unknown>, key: string, allowEmpty = false): string | Problem {
  const v = rec[key];
  if (typeof v !== 'string')
    return [key, `must be a string, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`];
  if (!allowEmpty && v.trim() === '') return [key, 'must not be empty'];
  return v;
}

/** Validates one marker object; returns the marker or the first problem. */
export function toMarker(rec: unknown): AbaMarker | Problem {
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec))
    return ['', 'a marker must be a JSON object'];
  const r = rec as Record<string, unknown>;
  const ts = r.ts_ms;
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0)
    return ['ts_ms', `must be epoch milliseconds (a number ≥ 0), got ${JSON.stringify(ts) ?? 'nothing'}`];
  const studyId = text(r, 'study_id');
  if (typeof studyId !== 'string') return studyId;
  const rig = text(r, 'rig');
  if (typeof rig !== 'string') return rig;
  const device = text(r, 'device');
  if (typeof device !== 'string') return device;
  if (!isPhase(r.phase))
    return [
      'phase',
      `must be one of ${ABA_MARKER_PHASES.join(', ')}, got ${JSON.stringify(r.phase) ?? 'nothing'}`,
    ];
  const treatment = text(r, 'treatment', true);
  if (typeof treatment !== 'string') return treatment;
  const sp = r.setpoint;
  let setpoint: AbaMarker['setpoint'] = null;
  if (sp !== null && sp !== undefined) {
    if (typeof sp !== 'object' || Array.isArray(sp)) return ['setpoint', 'must be null or {kind, value}'];
    const { kind, value } = sp as Record<string, unknown>;
    if (typeof kind !== 'string' || kind === '') return ['setpoint.kind', 'must be a non-empty string'];
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
      return ['setpoint.value', `must be a number or null, got ${JSON.stringify(value) ?? 'nothing'}`];
    setpoint = { kind, value: value as number | null };
  }
  return { ts_ms: ts, study_id: studyId, rig, device, phase: r.phase, treatment, setpoint };
}

/**
 * Parses NDJSON markers (blank lines and `#` comment lines skipped). Throws RT_INPUT_PARSE with file,
 * 1-based line and field for a line that is not JSON or not a valid marker; RT_INPUT_FORMAT when the
 * file holds no marker.
 */
export function parseMarkerLines(content: string, file: string): AbaMarker[] {
  const out: AbaMarker[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (err) {
      throw new RigtuneError(
        'RT_INPUT_PARSE',
        `not a JSON object: ${(err as Error).message}`,
        { file, line: i + 1 },
        { cause: err },
      );
    }
    const marker = toMarker(rec);
    if (Array.isArray(marker)) {
      const [field, message] = marker as Problem;
      throw new RigtuneError('RT_INPUT_PARSE', `bad marker: ${field === '' ? '' : `${field} `}${message}`, {
        file,
        line: i + 1,
        ...(field === '' ? {} : { field }),
      });
    }
    out.push(marker as AbaMarker);
  }
  if (out.length === 0)
    throw new RigtuneError('RT_INPUT_FORMAT', 'the markers file holds no marker', { file });
  return out;
}

/** Reads and parses an NDJSON markers file; RT_INPUT_NOT_FOUND when it cannot be read. */
export async function readMarkersFile(path: string): Promise<AbaMarker[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (err) {
    throw new RigtuneError(
      'RT_INPUT_NOT_FOUND',
      `cannot read the markers file: ${(err as Error).message}`,
      { file: path },
      { cause: err },
    );
  }
  return parseMarkerLines(content, path);
}

/**
 * Loads every marker of `<dataDir>/aba_markers/date=…/*.parquet`, ordered by study, rig, device, time.
 * Throws RT_INPUT_NOT_FOUND when the dataset is absent or empty, RT_INPUT_FORMAT (naming the file) for
 * a record that is not a valid marker.
 */
export async function loadParquetMarkers(db: HistoryDb, dataDir: string): Promise<AbaMarker[]> {
  const listing = await listDatasetFiles(
    dataDir,
    MARKERS_DATASET,
    null,
    null,
    '`rigtune study run` writes them; or give an NDJSON file with --markers',
  );
  if (listing.files.length === 0)
    throw new RigtuneError('RT_INPUT_NOT_FOUND', 'no marker files in this folder', { file: listing.dir });
  const cols = await db.columns(
    `SELECT epoch_ms(ts)::DOUBLE AS ts_ms, study_id::VARCHAR AS study_id, rig::VARCHAR AS rig,
       device::VARCHAR AS device, phase::VARCHAR AS phase, treatment::VARCHAR AS treatment,
       setpoint_kind::VARCHAR AS setpoint_kind, setpoint_value::DOUBLE AS setpoint_value,
       filename::VARCHAR AS file
     FROM ${readParquetSql(listing.files, true)} ORDER BY study_id, rig, device, ts`,
    'the A-B-A markers',
    listing.dir,
  );
  const n = (cols.ts_ms ?? []).length;
  const out: AbaMarker[] = [];
  for (let i = 0; i < n; i += 1) {
    const kind = cols.setpoint_kind[i];
    const rec = {
      ts_ms: cols.ts_ms[i],
      study_id: cols.study_id[i],
      rig: cols.rig[i],
      device: cols.device[i],
      phase: cols.phase[i],
      treatment: cols.treatment[i] ?? '',
      setpoint: kind === null || kind === undefined ? null : { kind, value: cols.setpoint_value[i] ?? null },
    };
    const marker = toMarker(rec);
    if (Array.isArray(marker)) {
      const [field, message] = marker as Problem;
      throw new RigtuneError('RT_INPUT_FORMAT', `bad marker record: ${field} ${message}`, {
        file: String(cols.file[i]),
        field,
      });
    }
    out.push(marker as AbaMarker);
  }
  if (out.length === 0)
    throw new RigtuneError('RT_INPUT_NOT_FOUND', 'the marker files in this folder hold no marker', {
      file: listing.dir,
    });
  return out;
}
