// Pure mapping of a lolMiner `/summary` reply: sniffs the schema (older `GPUs[]` + `Session` totals,
// or newer `Workers[]` + `Algorithms[]`) and hands it to that dialect's mapper.

import { SourceError } from '../../core/errors.ts';
import { type MapResult, MapResultBuilder, RIG_TOTAL_DEVICE, recordOf, stringOf } from '../common/index.ts';
import { mapAlgorithmsSchema } from './dialects/algorithms-schema.ts';
import { mapGpusSchema } from './dialects/gpus-schema.ts';

/** The `/summary` schema generation. */
export type LolminerSchema = 'gpus' | 'algorithms';

/** The schema of `reply`; throws SourceError('protocol') when it is neither. */
export function sniffSchema(reply: unknown): LolminerSchema {
  const r = recordOf(reply);
  if (Array.isArray(r.Algorithms) && Array.isArray(r.Workers)) return 'algorithms';
  if (Array.isArray(r.GPUs) && typeof r.Session === 'object' && r.Session !== null) return 'gpus';
  throw new SourceError(
    'protocol',
    'Not a lolMiner /summary reply (neither GPUs[] nor Workers[]+Algorithms[])',
    {
      command: '/summary',
    },
  );
}

/**
 * Snapshots from one `/summary` reply: device `total` and one per GPU (canonical PCI bus id from
 * `PCIE_Address`, else `gpu<Index>`). Hash rates in H/s; zeros that mean "no sensor" become null.
 */
export function mapLolminer(reply: unknown, ts: number, rig: string): MapResult {
  const schema = sniffSchema(reply);
  const r = recordOf(reply);
  const b = new MapResultBuilder(ts, rig);
  const software = stringOf(r.Software);
  const version = software?.replace(/^lolMiner\s*/i, '') ?? undefined;
  b.device({ device: RIG_TOTAL_DEVICE, model: 'lolMiner', firmware: version });
  b.raw(RIG_TOTAL_DEVICE, 'software', software);
  b.raw(RIG_TOTAL_DEVICE, 'schema', schema);
  if (schema === 'gpus') mapGpusSchema(b, r);
  else mapAlgorithmsSchema(b, r);
  return b.build();
}
