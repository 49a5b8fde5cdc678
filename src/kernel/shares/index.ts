// Public surface of kernel/shares: the online reject-rise detector over per-step share counts.
// Import from here, never from the files inside.

export { DEFAULT_REJECT_RISE_OPTIONS, type RejectRiseOptions, resolveRejectRiseOptions } from './options.ts';
export {
  type DetectedRise,
  RejectRiseDetector,
  type RejectRiseStep,
  type ShareCounterDeltas,
  type ShareStep,
  shareStep,
} from './reject-rise.ts';
