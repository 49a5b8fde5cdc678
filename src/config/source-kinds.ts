// The source kinds a config may name, each with its own options schema (the sources' options.ts).
// Explicit on purpose: config may not import the source registry, which lives in the runtime.

import type { z } from 'zod';
import { CgminerOptionsSchema } from '../sources/cgminer/options.ts';
import { GminerOptionsSchema } from '../sources/gminer/options.ts';
import { HttpJsonOptionsSchema } from '../sources/http-json/options.ts';
import { LolminerOptionsSchema } from '../sources/lolminer/options.ts';
import { NvidiaSmiOptionsSchema } from '../sources/nvidia-smi/options.ts';
import { NvmlOptionsSchema } from '../sources/nvml/options.ts';
import { StratumOptionsSchema } from '../sources/stratum/options.ts';
import { TrexOptionsSchema } from '../sources/trex/options.ts';
import { XmrigOptionsSchema } from '../sources/xmrig/options.ts';

/** Source kind (the `kind` of each source's index.ts) → its options schema. */
export const SOURCE_KINDS = {
  nvml: NvmlOptionsSchema,
  'nvidia-smi': NvidiaSmiOptionsSchema,
  cgminer: CgminerOptionsSchema,
  xmrig: XmrigOptionsSchema,
  lolminer: LolminerOptionsSchema,
  trex: TrexOptionsSchema,
  gminer: GminerOptionsSchema,
  stratum: StratumOptionsSchema,
  'http-json': HttpJsonOptionsSchema,
} as const;

export type SourceKind = keyof typeof SOURCE_KINDS;

/** Validated options (defaults applied) of a source of kind `K`. */
export type SourceOptionsOf<K extends SourceKind> = z.output<(typeof SOURCE_KINDS)[K]>;

/** Every known kind, in the order above. */
export const SOURCE_KIND_NAMES: readonly SourceKind[] = Object.freeze(
  Object.keys(SOURCE_KINDS) as SourceKind[],
);

/** True when `kind` names a known source kind. */
export function isSourceKind(kind: string): kind is SourceKind {
  return Object.hasOwn(SOURCE_KINDS, kind);
}
