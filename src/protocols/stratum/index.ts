// Public face of protocols/stratum: the stratum v1 subscribe round-trip probe (no authorize, no
// shares), used by sources/stratum to measure pool latency.

export {
  probeSubscribe,
  SUBSCRIBE_ID,
  type SubscribeProbeOptions,
  type SubscribeProbeResult,
  subscribeLine,
} from './subscribe-probe.ts';
