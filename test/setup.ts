// Loaded before every test file (`--import` in the npm test script): property tests run with a fixed
// fast-check seed, so a run is reproducible; FC_SEED=<n> explores other inputs on purpose.

import fc from 'fast-check';

const seed = Number(process.env.FC_SEED ?? 20_261_127);
fc.configureGlobal({ seed: Number.isSafeInteger(seed) ? seed : 20_261_127 });
