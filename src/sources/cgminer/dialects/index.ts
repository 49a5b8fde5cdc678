// The dialect registry: name → field table. An explicit object (no registration by side effect).

import { antminer } from './antminer.ts';
import { braiins } from './braiins.ts';
import { generic } from './generic.ts';
import { luxos } from './luxos.ts';
import type { Dialect, DialectName } from './types.ts';
import { whatsminer } from './whatsminer.ts';

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  antminer,
  whatsminer,
  braiins,
  luxos,
  cgminer: generic,
};

export { commandsOf, DIALECT_NAMES, type Dialect, type DialectName } from './types.ts';
