// The configurations a backtest compares: each `--config` file (a full rigtune.yaml, or one with only
// `defaults:` thresholds) times each `--sweep` grid point, resolved by config's own validation.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { type Config, DEFAULT_THRESHOLDS, parseConfigText, type RigConfig } from '../../config/index.ts';
import type { AdvisoryOptions } from '../../control/advisory/index.ts';
import { RigtuneError } from '../../core/errors.ts';
import type { ScorerOptions } from '../../pipeline/index.ts';
import { type GridPoint, gridPoints, parseSweep } from '../../study/backtest/index.ts';

/**
 * Name of the rig added to a config for the backtest (never polled): it carries the `defaults:`
 * thresholds, which a trace rig without its own entry in the config gets.
 */
export const DEFAULTS_RIG = 'backtest.defaults';

const PLACEHOLDER_RIG = {
  name: DEFAULTS_RIG,
  sources: [{ kind: 'xmrig', url: 'http://127.0.0.1:1' }],
};

/** One configuration under test: how each trace rig is scored and advised. */
export interface Candidate {
  /** `<config file name>` plus the grid point, e.g. `b.yaml changepoint.hazard=0.001`; `built-in` without files. */
  readonly name: string;
  /** The config file (null = built-in defaults) and the swept settings. */
  readonly file: string | null;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly scorerFor: (rig: string) => Partial<ScorerOptions>;
  /** The rig's advisory options; null = the rig does not advise (autotune off). */
  readonly advisoryFor: (rig: string) => AdvisoryOptions | null;
}

type Env = Readonly<Record<string, string | undefined>>;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Deep merge where `b` wins; objects merge key by key. */
function merge(a: unknown, b: unknown): unknown {
  if (!isRecord(a) || !isRecord(b)) return b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
  return out;
}

/** True when `path` is set in `section`. */
function hasPath(section: unknown, path: readonly string[]): boolean {
  let node = section;
  for (const seg of path) {
    if (!isRecord(node) || node[seg] === undefined) return false;
    node = node[seg];
  }
  return true;
}

/**
 * The file's data with the overlay applied where it takes effect: in `defaults:`, and in every rig's
 * `thresholds:` that sets the same key (the swept value wins over a rig's own), plus the defaults rig.
 */
function withOverlay(data: Record<string, unknown>, point: GridPoint): Record<string, unknown> {
  const rigs = Array.isArray(data.rigs) ? data.rigs : [];
  const paths = Object.keys(point.settings).map((k) => k.split('.'));
  const overlayFor = (thresholds: unknown) => {
    let out: Record<string, unknown> = {};
    for (const path of paths)
      if (hasPath(thresholds, path)) {
        const one: Record<string, unknown> = {};
        let node = one;
        for (const seg of path.slice(0, -1)) node = node[seg] = {} as Record<string, unknown>;
        node[path[path.length - 1]] = point.settings[path.join('.')];
        out = merge(out, one) as Record<string, unknown>;
      }
    return out;
  };
  return {
    ...data,
    defaults: merge(data.defaults ?? {}, point.overlay),
    rigs: [
      ...rigs.map((r: unknown) =>
        isRecord(r) && r.thresholds !== undefined
          ? { ...r, thresholds: merge(r.thresholds, overlayFor(r.thresholds)) }
          : r,
      ),
      PLACEHOLDER_RIG,
    ],
  };
}

function candidateOf(config: Config, name: string, file: string | null, point: GridPoint): Candidate {
  const rigOf = (rig: string): RigConfig =>
    config.rigs.find((r) => r.name === rig) ??
    (config.rigs.find((r) => r.name === DEFAULTS_RIG) as RigConfig);
  return {
    name: point.name === '' ? name : `${name} ${point.name}`,
    file,
    settings: point.settings,
    scorerFor: (rig) => rigOf(rig).scorer as Partial<ScorerOptions>,
    advisoryFor: (rig) => {
      const r = rigOf(rig);
      return r.autotune === 'off' ? null : r.advisory;
    },
  };
}

/** Reads one config file as data; a file without `rigs:` is validated with the defaults rig appended. */
function readConfigFile(file: string, env: Env): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new RigtuneError(
      'RT_INPUT_NOT_FOUND',
      `cannot read configuration file ${file} (${reason})`,
      { file },
      { cause: err },
    );
  }
  // Validate the file as written first, so problems point at its own lines (appending keeps them).
  const data: unknown = parseYaml(text, { prettyErrors: false, uniqueKeys: false }) ?? {};
  const hasRigs = isRecord(data) && data.rigs !== undefined;
  const appendix = hasRigs
    ? ''
    : `\nrigs: [{name: ${DEFAULTS_RIG}, sources: [{kind: xmrig, url: "http://127.0.0.1:1"}]}]\n`;
  parseConfigText(`${text}${appendix}`, file, env);
  if (!isRecord(data)) throw new RigtuneError('RT_CONFIG_INVALID', 'expected a mapping at the top', { file });
  return data;
}

/**
 * The candidates: each config file (none = the built-in thresholds) × each grid point of `sweep`
 * (none = one point). Throws ConfigError with file:line:column for a bad file, RT_CLI_USAGE for a bad
 * grid, and ConfigError naming the grid point when a swept value breaks a rule (e.g. micro ≤ meso).
 */
export function buildCandidates(files: readonly string[], sweep: string | undefined, env: Env): Candidate[] {
  const points = gridPoints(sweep === undefined ? [] : parseSweep(sweep, DEFAULT_THRESHOLDS));
  const sources: Array<{ file: string | null; name: string; data: Record<string, unknown> }> =
    files.length === 0
      ? [{ file: null, name: 'built-in', data: {} }]
      : files.map((file) => ({ file, name: basename(file), data: readConfigFile(file, env) }));
  const names = new Set<string>();
  const out: Candidate[] = [];
  for (const s of sources)
    for (const point of points) {
      const where =
        point.name === '' ? (s.file ?? '<built-in>') : `${s.file ?? '<built-in>'} [${point.name}]`;
      const config = parseConfigText(stringifyYaml(withOverlay(s.data, point)), where, env);
      const c = candidateOf(config, s.name, s.file, point);
      const name = names.has(c.name) ? `${c.name} #${out.length + 1}` : c.name;
      names.add(name);
      out.push({ ...c, name });
    }
  return out;
}
