/* The set calls of the fake libnvidia-ml.so.1 with per-device state, device limits (INVALID_ARGUMENT
 * outside them) and scripted faults, plus the getters that read that state back or state the limits.
 *
 * Control keys (script format in fake-nvml.c):
 *   power_limit_mw / power_limit_min_mw / power_limit_max_mw / power_limit_default_mw   the limit and its
 *                        range (first values); nvmlDeviceSetPowerManagementLimit replaces power_limit_mw
 *                        (and enforced_limit_mw) with the new constant
 *   supported_mem_clocks MHZ...      nvmlDeviceGetSupportedMemoryClocks (in the order given)
 *   graphics_clocks MIN MAX STEP     nvmlDeviceGetSupportedGraphicsClocks, MAX down to MIN (for every
 *                        supported memory clock; another memory clock: NOT_FOUND)
 *   fans N, fan_min_pct N, fan_max_pct N   fan count and range; fan_pct is the automatic speed
 *   set_power_limit_rc / set_gpu_locked_clocks_rc / reset_gpu_locked_clocks_rc / set_mem_locked_clocks_rc /
 *   reset_mem_locked_clocks_rc / set_fan_speed_rc / set_default_fan_speed_rc   TOKEN... per call: 0 goes
 *                        ahead, !N returns N (e.g. !4 NO_PERMISSION, !3 NOT_SUPPORTED, !15 GPU lost)
 *   ignore_power_limit 1 / ignore_gpu_locked_clocks 1 / ignore_mem_locked_clocks 1 / ignore_fan 1
 *                        "accepted but ignored": the set returns SUCCESS and changes nothing
 *   lose_after_sets N    after N successful set calls the GPU falls off the bus: every call → GPU_IS_LOST
 * A locked range caps nvmlDeviceGetClockInfo (fake-nvml-read.c); NVML has no getter for the range. */
#include "fake-nvml.h"

typedef unsigned int nvmlFanControlPolicy_t;

/* The scripted return code of a set call: 0 = go ahead (no key, or a value token). */
static int scripted_rc(nvmlDevice_t d, const char *key) {
  long long ignored = 0;
  return find_key(d, key) ? next_value(d, key, &ignored) : 0;
}

static int is_ignored(nvmlDevice_t d, const char *key) {
  long long v = 0;
  return first_value(d, key, &v) == 0 && v != 0;
}

/* Counts a set call that returned SUCCESS; the GPU is lost after `lose_after_sets` of them. */
static nvmlReturn_t accepted(nvmlDevice_t d) {
  long long n = 0;
  d->control.sets++;
  if (first_value(d, "lose_after_sets", &n) == 0 && d->control.sets >= n) d->control.lost = 1;
  return SUCCESS;
}

static unsigned int fan_count(nvmlDevice_t d) {
  long long n = 0;
  if (first_value(d, "fans", &n) != 0 || n < 0) return 0;
  return n > MAX_FANS ? MAX_FANS : (unsigned int)n;
}

/* Copies `n` clocks into the caller's array, NVML style: too small → INSUFFICIENT_SIZE with *count = n. */
static nvmlReturn_t copy_clocks(const unsigned int *clocks, unsigned int n, unsigned int *count,
                                unsigned int *out) {
  if (!count) return INVALID_ARGUMENT;
  if (*count < n || !out) {
    *count = n;
    return n == 0 ? SUCCESS : INSUFFICIENT_SIZE;
  }
  for (unsigned int i = 0; i < n; i++) out[i] = clocks[i];
  *count = n;
  return SUCCESS;
}

static unsigned int mem_clocks(nvmlDevice_t d, unsigned int *out) {
  struct key *k = find_key(d, "supported_mem_clocks");
  unsigned int n = 0;
  for (int i = 0; k && i < k->count && n < MAX_CLOCKS; i++)
    if (!k->codes[i]) out[n++] = (unsigned int)k->values[i];
  return n;
}

static unsigned int graphics_clocks(nvmlDevice_t d, unsigned int *out) {
  struct key *k = find_key(d, "graphics_clocks");
  unsigned int n = 0;
  if (!k || k->count < 3 || k->values[2] <= 0) return 0;
  for (long long mhz = k->values[1]; mhz >= k->values[0] && n < MAX_CLOCKS; mhz -= k->values[2])
    out[n++] = (unsigned int)mhz;
  return n;
}

/* Lowest and highest of `n` clocks. */
static void range_of(const unsigned int *clocks, unsigned int n, unsigned int *lo, unsigned int *hi) {
  *lo = clocks[0];
  *hi = clocks[0];
  for (unsigned int i = 1; i < n; i++) {
    if (clocks[i] < *lo) *lo = clocks[i];
    if (clocks[i] > *hi) *hi = clocks[i];
  }
}

nvmlReturn_t nvmlDeviceSetPowerManagementLimit(nvmlDevice_t device, unsigned int limit) {
  BEGIN("nvmlDeviceSetPowerManagementLimit", device);
  long long lo = 0, hi = 0, now = 0;
  int rc = scripted_rc(device, "set_power_limit_rc");
  if (rc) return rc;
  if (first_value(device, "power_limit_mw", &now) || first_value(device, "power_limit_min_mw", &lo) ||
      first_value(device, "power_limit_max_mw", &hi))
    return NOT_SUPPORTED;
  if ((long long)limit < lo || (long long)limit > hi) return INVALID_ARGUMENT;
  if (!is_ignored(device, "ignore_power_limit")) {
    set_constant(device, "power_limit_mw", limit);
    if (find_key(device, "enforced_limit_mw")) set_constant(device, "enforced_limit_mw", limit);
  }
  return accepted(device);
}

nvmlReturn_t nvmlDeviceGetSupportedMemoryClocks(nvmlDevice_t device, unsigned int *count,
                                                unsigned int *clocksMHz) {
  BEGIN("nvmlDeviceGetSupportedMemoryClocks", device);
  unsigned int clocks[MAX_CLOCKS];
  unsigned int n = mem_clocks(device, clocks);
  if (n == 0) return NOT_SUPPORTED;
  return copy_clocks(clocks, n, count, clocksMHz);
}

nvmlReturn_t nvmlDeviceGetSupportedGraphicsClocks(nvmlDevice_t device, unsigned int memoryClockMHz,
                                                  unsigned int *count, unsigned int *clocksMHz) {
  BEGIN("nvmlDeviceGetSupportedGraphicsClocks", device);
  unsigned int mem[MAX_CLOCKS], clocks[MAX_CLOCKS];
  unsigned int nm = mem_clocks(device, mem), n = graphics_clocks(device, clocks);
  int known = 0;
  if (n == 0 || nm == 0) return NOT_SUPPORTED;
  for (unsigned int i = 0; i < nm; i++) known |= mem[i] == memoryClockMHz;
  if (!known) return NOT_FOUND;
  return copy_clocks(clocks, n, count, clocksMHz);
}

nvmlReturn_t nvmlDeviceSetGpuLockedClocks(nvmlDevice_t device, unsigned int minGpuClockMHz,
                                          unsigned int maxGpuClockMHz) {
  BEGIN("nvmlDeviceSetGpuLockedClocks", device);
  unsigned int clocks[MAX_CLOCKS], lo = 0, hi = 0;
  int rc = scripted_rc(device, "set_gpu_locked_clocks_rc");
  if (rc) return rc;
  unsigned int n = graphics_clocks(device, clocks);
  if (n == 0) return NOT_SUPPORTED;
  range_of(clocks, n, &lo, &hi);
  if (minGpuClockMHz > maxGpuClockMHz || minGpuClockMHz < lo || maxGpuClockMHz > hi) return INVALID_ARGUMENT;
  if (!is_ignored(device, "ignore_gpu_locked_clocks")) {
    device->control.gpu_lock_min = minGpuClockMHz;
    device->control.gpu_lock_max = maxGpuClockMHz;
  }
  return accepted(device);
}

nvmlReturn_t nvmlDeviceResetGpuLockedClocks(nvmlDevice_t device) {
  BEGIN("nvmlDeviceResetGpuLockedClocks", device);
  unsigned int clocks[MAX_CLOCKS];
  int rc = scripted_rc(device, "reset_gpu_locked_clocks_rc");
  if (rc) return rc;
  if (graphics_clocks(device, clocks) == 0) return NOT_SUPPORTED;
  if (!is_ignored(device, "ignore_gpu_locked_clocks")) {
    device->control.gpu_lock_min = 0;
    device->control.gpu_lock_max = 0;
  }
  return accepted(device);
}

#ifndef FAKE_NVML_OLD
nvmlReturn_t nvmlDeviceSetMemoryLockedClocks(nvmlDevice_t device, unsigned int minMemClockMHz,
                                             unsigned int maxMemClockMHz) {
  BEGIN("nvmlDeviceSetMemoryLockedClocks", device);
  unsigned int clocks[MAX_CLOCKS], lo = 0, hi = 0;
  int rc = scripted_rc(device, "set_mem_locked_clocks_rc");
  if (rc) return rc;
  unsigned int n = mem_clocks(device, clocks);
  if (n == 0) return NOT_SUPPORTED;
  range_of(clocks, n, &lo, &hi);
  if (minMemClockMHz > maxMemClockMHz || minMemClockMHz < lo || maxMemClockMHz > hi) return INVALID_ARGUMENT;
  if (!is_ignored(device, "ignore_mem_locked_clocks")) {
    device->control.mem_lock_min = minMemClockMHz;
    device->control.mem_lock_max = maxMemClockMHz;
  }
  return accepted(device);
}

nvmlReturn_t nvmlDeviceResetMemoryLockedClocks(nvmlDevice_t device) {
  BEGIN("nvmlDeviceResetMemoryLockedClocks", device);
  unsigned int clocks[MAX_CLOCKS];
  int rc = scripted_rc(device, "reset_mem_locked_clocks_rc");
  if (rc) return rc;
  if (mem_clocks(device, clocks) == 0) return NOT_SUPPORTED;
  if (!is_ignored(device, "ignore_mem_locked_clocks")) {
    device->control.mem_lock_min = 0;
    device->control.mem_lock_max = 0;
  }
  return accepted(device);
}
#endif

nvmlReturn_t nvmlDeviceGetNumFans(nvmlDevice_t device, unsigned int *numFans) {
  BEGIN("nvmlDeviceGetNumFans", device);
  if (!find_key(device, "fans")) return NOT_SUPPORTED;
  *numFans = fan_count(device);
  return SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMinMaxFanSpeed(nvmlDevice_t device, unsigned int *minSpeed,
                                         unsigned int *maxSpeed) {
  BEGIN("nvmlDeviceGetMinMaxFanSpeed", device);
  long long lo = 0, hi = 0;
  if (fan_count(device) == 0 || first_value(device, "fan_min_pct", &lo) ||
      first_value(device, "fan_max_pct", &hi))
    return NOT_SUPPORTED;
  *minSpeed = (unsigned int)lo;
  *maxSpeed = (unsigned int)hi;
  return SUCCESS;
}

nvmlReturn_t nvmlDeviceSetFanSpeed_v2(nvmlDevice_t device, unsigned int fan, unsigned int speed) {
  BEGIN("nvmlDeviceSetFanSpeed_v2", device);
  long long lo = 0, hi = 0;
  int rc = scripted_rc(device, "set_fan_speed_rc");
  if (rc) return rc;
  if (fan_count(device) == 0) return NOT_SUPPORTED;
  if (fan >= fan_count(device)) return INVALID_ARGUMENT;
  if (first_value(device, "fan_min_pct", &lo) || first_value(device, "fan_max_pct", &hi))
    return NOT_SUPPORTED;
  if ((long long)speed < lo || (long long)speed > hi) return INVALID_ARGUMENT;
  if (!is_ignored(device, "ignore_fan")) {
    device->control.fan_manual[fan] = 1; /* setting a speed switches the fan to the manual policy */
    device->control.fan_target[fan] = speed;
  }
  return accepted(device);
}

nvmlReturn_t nvmlDeviceSetDefaultFanSpeed_v2(nvmlDevice_t device, unsigned int fan) {
  BEGIN("nvmlDeviceSetDefaultFanSpeed_v2", device);
  int rc = scripted_rc(device, "set_default_fan_speed_rc");
  if (rc) return rc;
  if (fan_count(device) == 0) return NOT_SUPPORTED;
  if (fan >= fan_count(device)) return INVALID_ARGUMENT;
  if (!is_ignored(device, "ignore_fan")) device->control.fan_manual[fan] = 0;
  return accepted(device);
}

/* The speed the driver's own curve asks for (automatic policy): the scripted fan_pct. */
static nvmlReturn_t auto_speed(nvmlDevice_t device, unsigned int *speed) {
  long long v = 0;
  int rc = next_value(device, "fan_pct", &v);
  if (rc == 0) *speed = (unsigned int)v;
  return rc;
}

nvmlReturn_t nvmlDeviceGetFanSpeed_v2(nvmlDevice_t device, unsigned int fan, unsigned int *speed) {
  BEGIN("nvmlDeviceGetFanSpeed_v2", device);
  if (fan >= fan_count(device)) return fan_count(device) == 0 ? NOT_SUPPORTED : INVALID_ARGUMENT;
  if (!device->control.fan_manual[fan]) return auto_speed(device, speed);
  *speed = device->control.fan_target[fan];
  return SUCCESS;
}

#ifndef FAKE_NVML_OLD
nvmlReturn_t nvmlDeviceGetTargetFanSpeed(nvmlDevice_t device, unsigned int fan,
                                         unsigned int *targetSpeed) {
  BEGIN("nvmlDeviceGetTargetFanSpeed", device);
  if (fan >= fan_count(device)) return fan_count(device) == 0 ? NOT_SUPPORTED : INVALID_ARGUMENT;
  if (!device->control.fan_manual[fan]) return auto_speed(device, targetSpeed);
  *targetSpeed = device->control.fan_target[fan];
  return SUCCESS;
}

nvmlReturn_t nvmlDeviceGetFanControlPolicy_v2(nvmlDevice_t device, unsigned int fan,
                                              nvmlFanControlPolicy_t *policy) {
  BEGIN("nvmlDeviceGetFanControlPolicy_v2", device);
  if (fan >= fan_count(device)) return fan_count(device) == 0 ? NOT_SUPPORTED : INVALID_ARGUMENT;
  *policy = device->control.fan_manual[fan]; /* NVML_FAN_POLICY_MANUAL = 1, TEMPERATURE_CONTINOUS_SW = 0 */
  return SUCCESS;
}
#endif
