// Public surface of kernel/stats: small pure statistics used by scoring, control policy and studies.
// Import from here, never from the files inside.

export { type AutocorrelationSummary, autocovariances, summarizeAutocorrelation } from './autocorrelation.ts';
export {
  blockBootstrapMean,
  CircularBlockResampler,
  quantileSorted,
  type ReplicateSummary,
  summarizeReplicates,
} from './block-bootstrap.ts';
export { fitOls, type OlsFit, solveLinearSystem } from './linear-model.ts';
export { compareRates, type RateComparison, type RateRise, rateRiseTest } from './poisson.ts';
export { combineRandomEffects, type RandomEffectsResult } from './random-effects.ts';
export { type SeededRng, seededRng } from './rng.ts';
export {
  betaQuantile,
  binomialLowerTail,
  binomialUpperTail,
  clopperPearson,
  logGamma,
  normalQuantile,
  regularizedBeta,
  studentTCdf,
  studentTQuantile,
} from './special.ts';
export { finiteValues, mean, median, medianAbsDeviation, sampleVariance } from './summary.ts';
export { type MeanDifference, welchInterval } from './welch.ts';
export { type Interval, wilsonInterval } from './wilson.ts';
