// Public face of sources/http-json: reads any JSON-over-HTTP API (a pool's worker stats, a miner
// rigtune has no driver for) through path → snapshot-field mappings written in the YAML config.

import type { Source } from '../../core/source.ts';
import { parseOptions, type SourceDeps } from '../common/index.ts';
import { type HttpJsonOptionsInput, HttpJsonOptionsSchema } from './options.ts';
import { createHttpJsonSource } from './source.ts';

export const kind = 'http-json';
export const optionsSchema = HttpJsonOptionsSchema;
export { type JsonPath, type ParseResult, type PathRead, parseJsonPath, readJsonPath } from './json-path.ts';
export { type CompiledMapping, compileMappings, mapJson } from './map.ts';
export type { HttpJsonMapping, HttpJsonOptions, HttpJsonOptionsInput } from './options.ts';
export { fitsField, toFieldUnit, UNITS, type Unit, unitsFor } from './units.ts';

/** Validates `options` (RT_CONFIG_INVALID naming the mapping on error) and builds the source. */
export function create(options: HttpJsonOptionsInput, deps: SourceDeps): Source {
  return createHttpJsonSource(parseOptions(HttpJsonOptionsSchema, options, kind), deps);
}
