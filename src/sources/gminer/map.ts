// Pure mapping of a `GET /stat` reply from GMiner or Rigel (both serve `/stat`): sniffs which miner
// answered (or takes the configured dialect) and hands the reply to that dialect's mapper.

import { SourceError } from '../../core/errors.ts';
import { type MapResult, MapResultBuilder, RIG_TOTAL_DEVICE, recordOf } from '../common/index.ts';
import { isGminer, mapGminer } from './dialects/gminer.ts';
import { isRigel, mapRigel } from './dialects/rigel.ts';

/** Which miner serves `/stat`. */
export type StatDialect = 'gminer' | 'rigel';

/** The dialect of `reply`; throws SourceError('protocol') when it is neither miner's. */
export function sniffDialect(reply: unknown): StatDialect {
  const r = recordOf(reply);
  if (isRigel(r)) return 'rigel';
  if (isGminer(r)) return 'gminer';
  throw new SourceError('protocol', 'Not a GMiner or Rigel /stat reply', { command: '/stat' });
}

/**
 * Snapshots from one `/stat` reply: device `total` and one per GPU (canonical PCI bus id, else
 * `gpu<index>`). `dialect` 'auto' sniffs; a fixed dialect that does not match throws 'protocol'.
 */
export function mapStat(
  reply: unknown,
  ts: number,
  rig: string,
  dialect: StatDialect | 'auto' = 'auto',
): MapResult {
  const found = sniffDialect(reply);
  if (dialect !== 'auto' && dialect !== found)
    throw new SourceError('protocol', `Configured dialect '${dialect}' but the /stat reply is ${found}'s`, {
      command: '/stat',
    });
  const b = new MapResultBuilder(ts, rig);
  b.raw(RIG_TOTAL_DEVICE, 'dialect', found);
  if (found === 'rigel') mapRigel(b, recordOf(reply));
  else mapGminer(b, recordOf(reply));
  return b.build();
}
