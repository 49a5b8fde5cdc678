// Statistics of post-action validation, re-exported from kernel/stats where they now live (shared
// with study/aba): Student t quantiles, Welch's interval, the exact conditional Poisson rise test.

export {
  binomialUpperTail,
  logGamma,
  type MeanDifference,
  type RateRise,
  rateRiseTest,
  regularizedBeta,
  studentTCdf,
  studentTQuantile,
  welchInterval,
} from '../../kernel/stats/index.ts';
