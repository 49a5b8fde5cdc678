// `rigtune sources probe --config FILE`: reads every source configured in rigtune.yaml once, with the
// options the service would use, so an operator checks the whole file before starting the service.

import type { Config } from '../config/index.ts';
import { sourceEntry } from '../runtime/source-registry.ts';
import { errorOf, identityOf, type ProbeOptions, type ProbeResult, readSource } from './sources-probe.ts';

/** Probes every (rig, source) of `config` in parallel; `address` of each result is `rig/kind#n`. */
export async function probeConfigured(config: Config, options: ProbeOptions): Promise<ProbeResult[]> {
  const jobs: Array<Promise<ProbeResult>> = [];
  for (const rig of config.rigs) {
    rig.sources.forEach((source, n) => {
      const address = `${rig.name}/${source.kind}#${n}`;
      jobs.push(probeOne(address, rig.name, source.kind, source.options, options));
    });
  }
  return Promise.all(jobs);
}

async function probeOne(
  address: string,
  rig: string,
  kind: string,
  sourceOptions: unknown,
  options: ProbeOptions,
): Promise<ProbeResult> {
  const base = { address, kind, endpoint: kind };
  try {
    const read = await readSource(sourceEntry(kind), sourceOptions, rig, options);
    return {
      ...base,
      ok: true,
      identity: identityOf(read),
      devices: read.devices,
      snapshots: read.snapshots,
      raw: read.raw,
      warnings: read.warnings,
      attempts: [{ kind, endpoint: kind, error: null }],
    };
  } catch (err) {
    return {
      ...base,
      ok: false,
      identity: {},
      devices: [],
      snapshots: [],
      raw: {},
      warnings: [],
      attempts: [{ kind, endpoint: kind, error: errorOf(err) }],
    };
  }
}
