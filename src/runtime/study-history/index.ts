// Public face of runtime/study-history: reading A-B-A studies back from the Parquet history (DuckDB)
// and `study analyze` end to end (markers → rows → analysis → report.html + report.json).

export { runStudyAnalysis, type StudyAnalysisOutcome, type StudyAnalysisRequest } from './analyze.ts';
export { checkRows, MIN_PHASE_ROWS } from './check-rows.ts';
export { type Columns, HistoryDb } from './duckdb.ts';
export { type DatasetFiles, listDatasetFiles } from './files.ts';
export {
  loadParquetMarkers,
  MARKERS_DATASET,
  parseMarkerLines,
  readMarkersFile,
  toMarker,
} from './markers.ts';
export { listStudies, type StudyOverview, selectStudy } from './select.ts';
export { type DeviceKey, type LoadedSnapshots, loadSnapshots, type SnapshotQuery } from './snapshots.ts';
