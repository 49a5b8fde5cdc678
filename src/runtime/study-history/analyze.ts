// `study analyze` end to end: markers (Parquet or NDJSON) → the chosen study → its snapshot rows (DuckDB)
// → analyzeStudy → report.html + report.json in the output folder; refuses with a clear error, never a thin report.

import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RigtuneError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../durable/index.ts';
import { type AbaMarker, type AbaOptions, analyzeStudy, type StudyResult } from '../../study/aba/index.ts';
import {
  renderStudyReport,
  type StudyInputs,
  type StudySummaryLine,
  summaryLine,
  textSummary,
} from '../../study/report/index.ts';
import { checkRows } from './check-rows.ts';
import { HistoryDb } from './duckdb.ts';
import { loadParquetMarkers, MARKERS_DATASET, readMarkersFile } from './markers.ts';
import { type StudyOverview, selectStudy } from './select.ts';
import { loadSnapshots } from './snapshots.ts';

/** Study ids that are safe as a folder name under `<data>/studies/`. */
const SAFE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface StudyAnalysisRequest {
  readonly dataDir: string;
  /** NDJSON markers file; default: the `aba_markers` Parquet dataset under `dataDir`. */
  readonly markersFile?: string;
  readonly studyId?: string;
  /** Default `<dataDir>/studies/<study id>/`. */
  readonly outDir?: string;
  /** Analysis options besides the study id (seed default 1). */
  readonly options?: Partial<Omit<AbaOptions, 'studyId'>>;
}

/** What an analysis produced. */
export interface StudyAnalysisOutcome {
  readonly result: StudyResult;
  readonly inputs: StudyInputs;
  readonly outDir: string;
  readonly reportPath: string;
  readonly jsonPath: string;
  /** Text lines for stdout, then the closing JSON object. */
  readonly summary: readonly string[];
  readonly line: StudySummaryLine;
}

async function loadMarkers(db: HistoryDb, req: StudyAnalysisRequest): Promise<AbaMarker[]> {
  return req.markersFile === undefined
    ? loadParquetMarkers(db, req.dataDir)
    : readMarkersFile(req.markersFile);
}

/** Runs the analysis and writes `<out>/report.html` and `<out>/report.json`. Throws RigtuneErrors (see checkRows, loaders). */
export async function runStudyAnalysis(req: StudyAnalysisRequest): Promise<StudyAnalysisOutcome> {
  const dataDir = resolve(req.dataDir);
  const markersSource = req.markersFile ?? join(dataDir, MARKERS_DATASET);
  const db = await HistoryDb.open();
  let study: StudyOverview;
  let loaded: Awaited<ReturnType<typeof loadSnapshots>>;
  try {
    const markers = await loadMarkers(db, { ...req, dataDir });
    study = selectStudy(markers, req.studyId, markersSource);
    loaded = await loadSnapshots(db, {
      dataDir,
      devices: study.devices,
      fromMs: study.fromMs,
      toMs: study.toMs,
    });
  } finally {
    db.close();
  }
  checkRows(study, loaded.rows, join(dataDir, 'snapshots'));
  if (req.outDir === undefined && !SAFE_ID_RE.test(study.studyId))
    throw new RigtuneError(
      'RT_CLI_USAGE',
      `--out: study id '${study.studyId}' is not a safe folder name; give the output folder with --out`,
      { field: 'out' },
    );
  const outDir = resolve(req.outDir ?? join(dataDir, 'studies', study.studyId));
  const result = analyzeStudy(loaded.rows, study.markers, {
    seed: 1,
    ...req.options,
    studyId: study.studyId,
  });
  const inputs: StudyInputs = {
    data_dir: dataDir,
    markers_source: markersSource,
    study_id: study.studyId,
    treatment: study.treatment,
    from_ms: study.fromMs,
    to_ms: study.toMs,
    markers: study.markers.length,
    rows: loaded.rows.length,
    rows_per_device: loaded.rowsPerDevice,
    files: loaded.files.length,
    missing_fields: loaded.missingFields,
  };
  const reportPath = join(outDir, 'report.html');
  const jsonPath = join(outDir, 'report.json');
  await mkdir(outDir, { recursive: true }).catch((err: unknown) => {
    throw new RigtuneError(
      'RT_OUTPUT_WRITE',
      `cannot create ${outDir}: ${(err as Error).message}`,
      { file: outDir },
      { cause: err },
    );
  });
  const html = renderStudyReport({ result, inputs, rows: loaded.rows });
  await writeFileAtomic(reportPath, html);
  await writeFileAtomic(
    jsonPath,
    `${JSON.stringify({ schema: 'rigtune.study-report/1', inputs, result }, null, 2)}\n`,
  );
  const line = summaryLine(result, reportPath);
  return {
    result,
    inputs,
    outDir,
    reportPath,
    jsonPath,
    summary: textSummary(result, inputs, reportPath),
    line,
  };
}
