/* The getters of the fake libnvidia-ml.so.1 that rigtune's read-only client binds (see fake-nvml.c for
 * the script format); clocks and fan follow the set-point state kept by fake-nvml-control.c. */
#include "fake-nvml.h"

#include <string.h>

typedef struct nvmlMemory_st {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
} nvmlMemory_t;

typedef struct nvmlUtilization_st {
  unsigned int gpu;
  unsigned int memory;
} nvmlUtilization_t;

typedef union nvmlValue_st {
  double dVal;
  int siVal;
  unsigned int uiVal;
  unsigned long ulVal;
  unsigned long long ullVal;
  signed long long sllVal;
  unsigned short usVal;
} nvmlValue_t;

typedef struct nvmlFieldValue_st {
  unsigned int fieldId;
  unsigned int scopeId;
  long long timestamp;
  long long latencyUsec;
  int valueType;
  nvmlReturn_t nvmlReturn;
  nvmlValue_t value;
} nvmlFieldValue_t;

/* The layouts rigtune's decoder assumes (src/protocols/nvml/bindings.ts), checked at compile time. */
_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t size");
_Static_assert(sizeof(nvmlUtilization_t) == 8, "nvmlUtilization_t size");
_Static_assert(sizeof(nvmlFieldValue_t) == 40, "nvmlFieldValue_t size");
_Static_assert(offsetof(nvmlFieldValue_t, valueType) == 24, "nvmlFieldValue_t.valueType");
_Static_assert(offsetof(nvmlFieldValue_t, nvmlReturn) == 28, "nvmlFieldValue_t.nvmlReturn");
_Static_assert(offsetof(nvmlFieldValue_t, value) == 32, "nvmlFieldValue_t.value");

static nvmlReturn_t read_uint(nvmlDevice_t device, const char *key, unsigned int *out) {
  long long v = 0;
  int rc = next_value(device, key, &v);
  if (rc) return rc;
  if (!out) return INVALID_ARGUMENT;
  *out = (unsigned int)v;
  return 0;
}

static nvmlReturn_t read_ull(nvmlDevice_t device, const char *key, unsigned long long *out) {
  long long v = 0;
  int rc = next_value(device, key, &v);
  if (rc) return rc;
  if (!out) return INVALID_ARGUMENT;
  *out = (unsigned long long)v;
  return 0;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power) {
  BEGIN("nvmlDeviceGetPowerUsage", device);
  return read_uint(device, "power_mw", power);
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensorType, unsigned int *temp) {
  BEGIN("nvmlDeviceGetTemperature", device);
  if (sensorType != 0) return INVALID_ARGUMENT;
  return read_uint(device, "temp_gpu_c", temp);
}

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, int type, unsigned int *clock) {
  BEGIN("nvmlDeviceGetClockInfo", device);
  const struct control_state *c = &device->control;
  int rc;
  /* NVML_CLOCK_GRAPHICS (0) and NVML_CLOCK_SM (1) move together; a locked range caps both, the way a
   * busy GPU runs at its lock (an idle one may sit below it: scripts choose the demanded clock). */
  if (type == 0 || type == 1) {
    int graphics = type == 0 && find_key(device, "clock_graphics_mhz");
    const char *key = graphics ? "clock_graphics_mhz" : "clock_sm_mhz";
    rc = read_uint(device, key, clock);
    if (rc == 0) *clock = clamp_clock(*clock, c->gpu_lock_min, c->gpu_lock_max);
    return rc;
  }
  if (type == 2) {
    rc = read_uint(device, "clock_mem_mhz", clock);
    if (rc == 0) *clock = clamp_clock(*clock, c->mem_lock_min, c->mem_lock_max);
    return rc;
  }
  return NOT_SUPPORTED;
}

nvmlReturn_t nvmlDeviceGetFanSpeed(nvmlDevice_t device, unsigned int *speed) {
  BEGIN("nvmlDeviceGetFanSpeed", device);
  if (device->control.fan_manual[0]) {
    *speed = device->control.fan_target[0]; /* the intended speed of fan 0, as set */
    return 0;
  }
  return read_uint(device, "fan_pct", speed);
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization) {
  BEGIN("nvmlDeviceGetUtilizationRates", device);
  long long gpu = 0, mem = 0;
  int rc = next_value(device, "util_gpu_pct", &gpu);
  int rc2 = next_value(device, "util_mem_pct", &mem);
  if (rc) return rc;
  if (rc2) return rc2;
  utilization->gpu = (unsigned int)gpu;
  utilization->memory = (unsigned int)mem;
  return 0;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
  BEGIN("nvmlDeviceGetMemoryInfo", device);
  long long total = 0, used = 0;
  int rc = next_value(device, "mem_total_bytes", &total);
  int rc2 = next_value(device, "mem_used_bytes", &used);
  if (rc) return rc;
  if (rc2) return rc2;
  memory->total = (unsigned long long)total;
  memory->used = (unsigned long long)used;
  memory->free = (unsigned long long)(total - used);
  return 0;
}

nvmlReturn_t nvmlDeviceGetPowerManagementLimit(nvmlDevice_t device, unsigned int *limit) {
  BEGIN("nvmlDeviceGetPowerManagementLimit", device);
  return read_uint(device, "power_limit_mw", limit);
}

nvmlReturn_t nvmlDeviceGetPowerManagementLimitConstraints(nvmlDevice_t device, unsigned int *minLimit,
                                                          unsigned int *maxLimit) {
  BEGIN("nvmlDeviceGetPowerManagementLimitConstraints", device);
  long long lo = 0, hi = 0;
  int rc = next_value(device, "power_limit_min_mw", &lo);
  int rc2 = next_value(device, "power_limit_max_mw", &hi);
  if (rc) return rc;
  if (rc2) return rc2;
  *minLimit = (unsigned int)lo;
  *maxLimit = (unsigned int)hi;
  return 0;
}

nvmlReturn_t nvmlDeviceGetPowerManagementDefaultLimit(nvmlDevice_t device, unsigned int *defaultLimit) {
  BEGIN("nvmlDeviceGetPowerManagementDefaultLimit", device);
  return read_uint(device, "power_limit_default_mw", defaultLimit);
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int *limit) {
  BEGIN("nvmlDeviceGetEnforcedPowerLimit", device);
  return read_uint(device, "enforced_limit_mw", limit);
}

nvmlReturn_t nvmlDeviceGetPerformanceState(nvmlDevice_t device, int *pState) {
  BEGIN("nvmlDeviceGetPerformanceState", device);
  return read_uint(device, "pstate", (unsigned int *)pState);
}

nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t device, unsigned long long *reasons) {
  BEGIN("nvmlDeviceGetCurrentClocksThrottleReasons", device);
  return read_ull(device, "throttle_reasons", reasons);
}

nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t device, int counter, unsigned int *value) {
  BEGIN("nvmlDeviceGetPcieThroughput", device);
  if (counter == 0) return read_uint(device, "pcie_tx_kbps", value);
  if (counter == 1) return read_uint(device, "pcie_rx_kbps", value);
  return INVALID_ARGUMENT;
}

#ifndef FAKE_NVML_OLD
nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy) {
  BEGIN("nvmlDeviceGetTotalEnergyConsumption", device);
  return read_ull(device, "energy_mj", energy);
}

nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t device, unsigned long long *reasons) {
  BEGIN("nvmlDeviceGetCurrentClocksEventReasons", device);
  return read_ull(device, "clocks_event_reasons", reasons);
}

/* Serves NVML_FI_DEV_MEMORY_TEMP (82) as an unsigned int; other ids answer NOT_SUPPORTED per value,
 * the way the real library reports per-field failures with the call itself succeeding. */
nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t device, int valuesCount, nvmlFieldValue_t *values) {
  BEGIN("nvmlDeviceGetFieldValues", device);
  if (valuesCount < 0 || (valuesCount > 0 && !values)) return INVALID_ARGUMENT;
  for (int i = 0; i < valuesCount; i++) {
    long long v = 0;
    values[i].timestamp = 1764174303110000LL;
    values[i].latencyUsec = 0;
    if (values[i].fieldId != 82) {
      values[i].nvmlReturn = NOT_SUPPORTED;
      continue;
    }
    values[i].nvmlReturn = next_value(device, "temp_mem_c", &v);
    values[i].valueType = 1; /* NVML_VALUE_TYPE_UNSIGNED_INT */
    values[i].value.ullVal = 0;
    values[i].value.uiVal = (unsigned int)v;
  }
  return 0;
}
#endif
