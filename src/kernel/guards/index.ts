// Public surface of kernel/guards: the guard curve that sizes a control step from structure.
// Import from here, never from the files inside.

export { type GuardMetrics, throttleFactor, throttleFactorLegacyScore } from './throttle.ts';
