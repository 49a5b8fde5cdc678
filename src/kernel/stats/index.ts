// Public surface of kernel/stats: small pure statistics used by scoring and control policy.
// Import from here, never from the files inside.

export { finiteValues, mean, median, medianAbsDeviation, sampleVariance } from './summary.ts';
export { type Interval, wilsonInterval } from './wilson.ts';
