// Public surface of the QFH kernel (native `sep_quantum` port): scalar and batch analysis, helpers.
// Other layers import this file only; see README.md for conformance and layout.

export { analyzeWindow, packBits, type QfhMetrics, readBatchWindow } from './analyze.ts';
export { analyzePackedBatch, analyzePackedWindow } from './batch.ts';
export { createBatchOutput, type QfhBatchOutput, stabilityOf } from './batch-output.ts';
export { bucket } from './formulas.ts';
export { log2f } from './log2f.ts';
export { QFH_STATE, type QfhTrace, traceWindow, transitionEvents } from './reference.ts';
