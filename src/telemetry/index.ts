// Public face of telemetry/: readings → derived series (counter rates with reset detection, EMAs,
// staleness, ring buffers). Pure: no I/O, no clock; imports only core.

export { type CounterStep, CounterTracker, type CounterTrackerOptions } from './counter-tracker.ts';
export {
  type CounterDeltas,
  DeviceSeries,
  type DeviceSeriesOptions,
  type TelemetrySnapshot,
} from './device-series.ts';
export { type EmaStep, EmaTracker } from './ema.ts';
export { RingBuffer } from './ring-buffer.ts';
