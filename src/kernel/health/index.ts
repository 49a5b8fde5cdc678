// Public surface of the composite health bit.

export type { HealthBit, HealthInput, HealthOptions, HealthReason } from './health-bit.ts';
export { DEFAULT_HEALTH_OPTIONS, healthBit, THROTTLE_UNHEALTHY_MASK } from './health-bit.ts';
