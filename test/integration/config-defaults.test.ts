// The config's built-in thresholds repeat the kernel/pipeline defaults (config may not import them);
// this keeps the two equal, the settings shaped like ScorerOptions, and the source-kind map in step
// with the sources' own index.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_THRESHOLDS,
  parseConfigText,
  SOURCE_KIND_NAMES,
  SOURCE_KINDS,
} from '../../src/config/index.ts';
import { toScorerSettings } from '../../src/config/scorer-settings.ts';
import { DEFAULT_CHANGEPOINT_OPTIONS } from '../../src/kernel/changepoint/index.ts';
import { DEFAULT_REJECT_RISE_OPTIONS } from '../../src/kernel/shares/index.ts';
import { DEFAULT_SCORER_OPTIONS, type ScorerOptions } from '../../src/pipeline/index.ts';
import * as cgminer from '../../src/sources/cgminer/index.ts';
import * as gminer from '../../src/sources/gminer/index.ts';
import * as httpJson from '../../src/sources/http-json/index.ts';
import * as lolminer from '../../src/sources/lolminer/index.ts';
import * as nvidiaSmi from '../../src/sources/nvidia-smi/index.ts';
import * as nvml from '../../src/sources/nvml/index.ts';
import * as stratum from '../../src/sources/stratum/index.ts';
import * as trex from '../../src/sources/trex/index.ts';
import * as xmrig from '../../src/sources/xmrig/index.ts';

test('config defaults equal DEFAULT_SCORER_OPTIONS and the change detector defaults', () => {
  const settings = toScorerSettings(DEFAULT_THRESHOLDS);
  const { changepoint, rejectRise, ...rest } = settings;
  const { changepoint: _none, rejectRise: _absent, ...expected } = DEFAULT_SCORER_OPTIONS;
  assert.deepEqual(rest, expected);
  const { segmentModels: _models, ...detector } = DEFAULT_CHANGEPOINT_OPTIONS;
  assert.deepEqual(changepoint, detector);
  assert.deepEqual(rejectRise, {
    ...DEFAULT_REJECT_RISE_OPTIONS,
    rises: [...DEFAULT_REJECT_RISE_OPTIONS.rises],
  });
});

test('a rig scorer setting is a ScorerOptions (type-checked) and a valid one', () => {
  const config = parseConfigText('rigs: [{name: a, sources: [{kind: nvml}]}]\n', 'f.yaml', {});
  const options: ScorerOptions = config.rigs[0].scorer;
  assert.equal(options.windowBits, DEFAULT_SCORER_OPTIONS.windowBits);
});

test('SOURCE_KINDS names each source by its own kind, with its own options schema', () => {
  const modules = [nvml, nvidiaSmi, cgminer, xmrig, lolminer, trex, gminer, stratum, httpJson];
  assert.deepEqual(
    modules.map((m) => m.kind),
    [...SOURCE_KIND_NAMES],
  );
  for (const m of modules)
    assert.equal(SOURCE_KINDS[m.kind as keyof typeof SOURCE_KINDS], m.optionsSchema, m.kind);
});
