// The composite health bit: one bit per step that says whether the device looked unhealthy.
// Polarity is 1 = unhealthy, so a run of unhealthy steps is what the QFH kernel calls "rupture".

/** NVML clock-event reasons that mean the hardware is being held back (not idle, not an operator cap). */
export const THROTTLE_UNHEALTHY_MASK =
  0x8 | // HW slowdown
  0x20 | // SW thermal slowdown
  0x40 | // HW thermal slowdown
  0x80; // HW power brake slowdown

/** Thresholds of the health rule; all relative thresholds are fractions (0.03 = 3 %). */
export interface HealthOptions {
  /** Unhealthy when efficiency is this fraction below its baseline (EMA). */
  readonly effDropFrac: number;
  /** Unhealthy when hashrate is this fraction below its baseline (EMA). */
  readonly hashrateDropFrac: number;
  /** Unhealthy when the hottest temperature is within this many °C of its limit. */
  readonly thermalMarginC: number;
  /** Unhealthy when latency exceeds max(latencyFloorMs, baseline × (1 + latencyRiseFrac)). */
  readonly latencyRiseFrac: number;
  readonly latencyFloorMs: number;
  /** Unhealthy when power exceeds baseline by both this many watts and this fraction. */
  readonly powerJumpW: number;
  readonly powerJumpFrac: number;
  /** Unhealthy when this step's rejected+stale share fraction exceeds this. */
  readonly rejectStepFrac: number;
  /** Throttle bits that count as unhealthy. */
  readonly throttleMask: number;
}

export const DEFAULT_HEALTH_OPTIONS: HealthOptions = {
  effDropFrac: 0.03,
  hashrateDropFrac: 0.05,
  thermalMarginC: 2,
  latencyRiseFrac: 0.5,
  latencyFloorMs: 120,
  powerJumpW: 15,
  powerJumpFrac: 0.07,
  rejectStepFrac: 0.02,
  throttleMask: THROTTLE_UNHEALTHY_MASK,
};

/**
 * What the rule looks at for one step. Baselines are the channel's EMA *before* this sample, so a
 * sudden change shows against the recent past. Null means unknown: a check whose inputs are unknown
 * does not fire (it cannot tell), and is listed in `unknown` of the result.
 */
export interface HealthInput {
  readonly efficiencyHPerJ: number | null;
  readonly efficiencyBaselineHPerJ: number | null;
  readonly hashrateHs: number | null;
  readonly hashrateBaselineHs: number | null;
  readonly hottestC: number | null;
  readonly limitC: number | null;
  readonly latencyMs: number | null;
  readonly latencyBaselineMs: number | null;
  readonly powerW: number | null;
  readonly powerBaselineW: number | null;
  /** Shares rejected or stale in this step, and all shares in this step (from counter deltas). */
  readonly badSharesStep: number | null;
  readonly allSharesStep: number | null;
  readonly throttleFlags: number | null;
}

export type HealthReason =
  | 'efficiency_drop'
  | 'hashrate_drop'
  | 'thermal_margin'
  | 'latency_rise'
  | 'power_jump'
  | 'reject_rise'
  | 'throttled';

export interface HealthBit {
  /** 1 = unhealthy step, 0 = healthy (or nothing known to be wrong). */
  readonly bit: 0 | 1;
  readonly reasons: readonly HealthReason[];
}

const known = (...xs: (number | null)[]): boolean => xs.every((x) => x !== null && Number.isFinite(x));

/** Evaluates the composite health rule for one step. */
export function healthBit(input: HealthInput, options: HealthOptions = DEFAULT_HEALTH_OPTIONS): HealthBit {
  const reasons: HealthReason[] = [];
  const i = input;
  if (known(i.efficiencyHPerJ, i.efficiencyBaselineHPerJ) && i.efficiencyBaselineHPerJ! > 0) {
    if (i.efficiencyHPerJ! < (1 - options.effDropFrac) * i.efficiencyBaselineHPerJ!)
      reasons.push('efficiency_drop');
  }
  if (known(i.hashrateHs, i.hashrateBaselineHs) && i.hashrateBaselineHs! > 0) {
    if (i.hashrateHs! < (1 - options.hashrateDropFrac) * i.hashrateBaselineHs!) reasons.push('hashrate_drop');
  }
  if (known(i.hottestC, i.limitC) && i.limitC! - i.hottestC! < options.thermalMarginC)
    reasons.push('thermal_margin');
  if (known(i.latencyMs, i.latencyBaselineMs)) {
    const allowed = Math.max(options.latencyFloorMs, i.latencyBaselineMs! * (1 + options.latencyRiseFrac));
    if (i.latencyMs! > allowed) reasons.push('latency_rise');
  }
  if (known(i.powerW, i.powerBaselineW)) {
    const jump = i.powerW! - i.powerBaselineW!;
    if (jump > options.powerJumpW && jump > options.powerJumpFrac * i.powerBaselineW!)
      reasons.push('power_jump');
  }
  if (known(i.badSharesStep, i.allSharesStep) && i.allSharesStep! > 0) {
    if (i.badSharesStep! / i.allSharesStep! > options.rejectStepFrac) reasons.push('reject_rise');
  }
  if (i.throttleFlags !== null && (i.throttleFlags & options.throttleMask) !== 0) reasons.push('throttled');
  return { bit: reasons.length > 0 ? 1 : 0, reasons };
}
