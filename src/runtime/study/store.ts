// A study's files: `<data_dir>/studies/<id>/study.json` (replaced atomically), `markers.ndjson` (appended
// and fsynced), and the Parquet `aba_markers` dataset beside the history (sinks/parquet/markers.ts).

import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RigtuneError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../durable/index.ts';
import { MarkerWriter } from '../../sinks/parquet/index.ts';
import { type AbaMarker, parseStudyFile, type StudyFile } from '../../study/aba-plan/index.ts';
import type { StudyStore } from './ports.ts';

/** Folder of every study under a data directory. */
export function studiesDir(dataDir: string): string {
  return join(dataDir, 'studies');
}

/** The study.json of `id`, or null when there is none. Throws RT_STUDY_STATE for a bad file. */
export async function loadStudy(dataDir: string, id: string): Promise<StudyFile | null> {
  const file = join(studiesDir(dataDir), id, 'study.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw new RigtuneError('RT_STUDY_STATE', `${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
  return parseStudyFile(text, file);
}

export class FileStudyStore implements StudyStore {
  readonly #dataDir: string;
  readonly #dir: string;
  readonly #markers: MarkerWriter;

  private constructor(dataDir: string, id: string, markers: MarkerWriter) {
    this.#dataDir = dataDir;
    this.#dir = join(studiesDir(dataDir), id);
    this.#markers = markers;
  }

  /**
   * The files of study `id` under `dataDir`; Parquet markers go under `parquetDir` (the history's
   * data directory, default `dataDir`). Throws RT_OUTPUT_WRITE.
   */
  static async open(dataDir: string, id: string, parquetDir = dataDir): Promise<FileStudyStore> {
    return new FileStudyStore(dataDir, id, await MarkerWriter.open(parquetDir));
  }

  get dir(): string {
    return this.#dir;
  }

  async save(study: StudyFile): Promise<void> {
    await this.#mkdir();
    await writeFileAtomic(join(this.#dir, 'study.json'), `${JSON.stringify(study, null, 2)}\n`);
  }

  async appendMarkers(markers: readonly AbaMarker[]): Promise<void> {
    if (markers.length === 0) return;
    await this.#mkdir();
    const file = join(this.#dir, 'markers.ndjson');
    const text = markers.map((m) => `${JSON.stringify(m)}\n`).join('');
    try {
      const handle = await open(file, 'a');
      try {
        await handle.write(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (err) {
      throw new RigtuneError(
        'RT_OUTPUT_WRITE',
        `${file}: ${(err as Error).message}`,
        { file },
        { cause: err },
      );
    }
    await this.#markers.write(
      markers.map((m) => ({
        ts_ms: m.ts_ms,
        study_id: m.study_id,
        rig: m.rig,
        device: m.device,
        phase: m.phase,
        treatment: m.treatment,
        setpoint_kind: m.setpoint?.kind ?? null,
        setpoint_value: m.setpoint?.value ?? null,
      })),
    );
  }

  async running(exceptId: string): Promise<readonly StudyFile[]> {
    let ids: string[];
    try {
      ids = await readdir(studiesDir(this.#dataDir));
    } catch {
      // No studies folder yet: no study runs.
      return [];
    }
    const out: StudyFile[] = [];
    for (const id of ids.sort()) {
      if (id === exceptId) continue;
      const s = await loadStudy(this.#dataDir, id).catch(() => null);
      // An unreadable study.json of another study cannot say it runs; `study run --id` on it will say why.
      if (s !== null && s.status === 'running') out.push(s);
    }
    return out;
  }

  async #mkdir(): Promise<void> {
    try {
      await mkdir(this.#dir, { recursive: true });
    } catch (err) {
      throw new RigtuneError(
        'RT_OUTPUT_WRITE',
        `${this.#dir}: ${(err as Error).message}`,
        { file: this.#dir },
        { cause: err },
      );
    }
  }
}
