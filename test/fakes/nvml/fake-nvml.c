/* A fake libnvidia-ml.so.1 for the NVML tests: the real symbol names and C signatures of the calls
 * rigtune reads, serving scripted values so the koffi FFI path runs for real without a GPU.
 *
 * Build: gcc -shared -fPIC -o <dir>/libnvidia-ml.so.1 fake-nvml.c   (add -DFAKE_NVML_OLD to leave
 * out the symbols old drivers lack: ClocksEventReasons, TotalEnergyConsumption, FieldValues).
 *
 * Script ($FAKE_NVML_SCRIPT, read again whenever nvmlInit_v2 finds no client initialised, so close
 * every client between tests): one directive per line, '#' comments.
 *   init_rc N            return code of nvmlInit_v2 (default 0)
 *   count_rc N           return code of nvmlDeviceGetCount_v2 (default 0)
 *   driver_version TEXT / nvml_version TEXT   what nvmlSystemGetDriverVersion / nvmlSystemGetNVMLVersion
 *                        return (rest of the line; "!N" returns code N; left out: NOT_SUPPORTED)
 *   device               starts the next device (index 0, 1, ...)
 *   name TEXT / uuid TEXT   strings (rest of the line); "!N" returns code N instead
 *   KEY TOKEN...         a value per call: TOKEN is an integer (decimal or 0x hex) or !N (return
 *                        code N); the last token repeats; a final +STEP makes a counter that keeps
 *                        adding STEP per call after the list ends. A key left out: NOT_SUPPORTED.
 * Keys: handle (!N: nvmlDeviceGetHandleByIndex_v2 returns N), pci (domain bus device pciDeviceId
 *   subsystem, or !N), power_mw energy_mj temp_gpu_c temp_mem_c (served through
 *   nvmlDeviceGetFieldValues, NVML_FI_DEV_MEMORY_TEMP) clock_sm_mhz clock_mem_mhz fan_pct
 *   util_gpu_pct util_mem_pct mem_total_bytes mem_used_bytes power_limit_mw power_limit_min_mw
 *   power_limit_max_mw power_limit_default_mw enforced_limit_mw pstate clocks_event_reasons
 *   throttle_reasons pcie_tx_kbps pcie_rx_kbps
 * Every call is appended to $FAKE_NVML_LOG (when set) as "name [device index]". Read-only like
 * rigtune: no setter symbol exists here, so a stray call would fail to bind. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int nvmlReturn_t;
typedef struct fake_device *nvmlDevice_t;

typedef struct nvmlPciInfo_st {
  char busIdLegacy[16];
  unsigned int domain;
  unsigned int bus;
  unsigned int device;
  unsigned int pciDeviceId;
  unsigned int pciSubSystemId;
  char busId[32];
} nvmlPciInfo_t;

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

/* The layouts rigtune's decoder assumes (src/protocols/nvml/structs.ts), checked at compile time. */
_Static_assert(sizeof(nvmlPciInfo_t) == 68, "nvmlPciInfo_t size");
_Static_assert(offsetof(nvmlPciInfo_t, domain) == 16, "nvmlPciInfo_t.domain");
_Static_assert(offsetof(nvmlPciInfo_t, busId) == 36, "nvmlPciInfo_t.busId");
_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t size");
_Static_assert(sizeof(nvmlUtilization_t) == 8, "nvmlUtilization_t size");
_Static_assert(sizeof(nvmlFieldValue_t) == 40, "nvmlFieldValue_t size");
_Static_assert(offsetof(nvmlFieldValue_t, valueType) == 24, "nvmlFieldValue_t.valueType");
_Static_assert(offsetof(nvmlFieldValue_t, nvmlReturn) == 28, "nvmlFieldValue_t.nvmlReturn");
_Static_assert(offsetof(nvmlFieldValue_t, value) == 32, "nvmlFieldValue_t.value");

#define NOT_SUPPORTED 3
#define UNINITIALIZED 1
#define INVALID_ARGUMENT 2
#define INSUFFICIENT_SIZE 7
#define MAX_DEVICES 8
#define MAX_KEYS 40
#define MAX_TOKENS 32

struct key {
  char name[32];
  long long values[MAX_TOKENS];
  int codes[MAX_TOKENS]; /* 0: the value stands; else a return code */
  int count;
  long long step;
  int has_step;
  int cursor;
};

struct fake_device {
  char name[128];
  char uuid[128];
  struct key keys[MAX_KEYS];
  int key_count;
};

static struct fake_device g_devices[MAX_DEVICES];
static int g_device_count;
static char g_driver_version[96];
static char g_nvml_version[96];
static int g_init_rc;
static int g_count_rc;
static int g_inits;

static void log_call(const char *call, const nvmlDevice_t device) {
  const char *path = getenv("FAKE_NVML_LOG");
  FILE *f;
  if (!path || !(f = fopen(path, "a"))) return;
  if (device) fprintf(f, "%s %d\n", call, (int)(device - g_devices));
  else fprintf(f, "%s\n", call);
  fclose(f);
}

static struct key *find_key(struct fake_device *d, const char *name) {
  for (int i = 0; i < d->key_count; i++)
    if (strcmp(d->keys[i].name, name) == 0) return &d->keys[i];
  return NULL;
}

static void parse_tokens(struct key *k, char *rest) {
  for (char *tok = strtok(rest, " \t\r\n"); tok && k->count < MAX_TOKENS; tok = strtok(NULL, " \t\r\n")) {
    if (tok[0] == '+') {
      k->step = strtoll(tok + 1, NULL, 0);
      k->has_step = 1;
    } else if (tok[0] == '!') {
      k->codes[k->count++] = atoi(tok + 1);
    } else {
      k->values[k->count] = (long long)strtoull(tok, NULL, 0);
      k->codes[k->count++] = 0;
    }
  }
}

static void load_script(void) {
  const char *path = getenv("FAKE_NVML_SCRIPT");
  char line[512];
  FILE *f;
  memset(g_devices, 0, sizeof g_devices);
  g_device_count = 0;
  g_driver_version[0] = '\0';
  g_nvml_version[0] = '\0';
  g_init_rc = 0;
  g_count_rc = 0;
  if (!path || !(f = fopen(path, "r"))) return;
  while (fgets(line, sizeof line, f)) {
    char *hash = strchr(line, '#');
    char word[32] = {0};
    int used = 0;
    if (hash) *hash = '\0';
    if (sscanf(line, " %31s %n", word, &used) < 1) continue;
    char *rest = line + used;
    rest[strcspn(rest, "\r\n")] = '\0';
    struct fake_device *d = g_device_count > 0 ? &g_devices[g_device_count - 1] : NULL;
    if (strcmp(word, "init_rc") == 0) g_init_rc = atoi(rest);
    else if (strcmp(word, "count_rc") == 0) g_count_rc = atoi(rest);
    else if (strcmp(word, "driver_version") == 0)
      snprintf(g_driver_version, sizeof g_driver_version, "%s", rest);
    else if (strcmp(word, "nvml_version") == 0) snprintf(g_nvml_version, sizeof g_nvml_version, "%s", rest);
    else if (strcmp(word, "device") == 0 && g_device_count < MAX_DEVICES) g_device_count++;
    else if (d && strcmp(word, "name") == 0) snprintf(d->name, sizeof d->name, "%s", rest);
    else if (d && strcmp(word, "uuid") == 0) snprintf(d->uuid, sizeof d->uuid, "%s", rest);
    else if (d && d->key_count < MAX_KEYS) {
      struct key *k = &d->keys[d->key_count++];
      snprintf(k->name, sizeof k->name, "%s", word);
      parse_tokens(k, rest);
    }
  }
  fclose(f);
}

/* The next scripted value of `name` for device `d`: 0 with *out set, or the scripted return code. */
static int next_value(struct fake_device *d, const char *name, long long *out) {
  struct key *k = find_key(d, name);
  if (!k || k->count == 0) return NOT_SUPPORTED;
  int i = k->cursor < k->count ? k->cursor : k->count - 1;
  long long extra = 0;
  if (k->cursor >= k->count && k->has_step) extra = k->step * (long long)(k->cursor - k->count + 1);
  k->cursor++;
  if (k->codes[i]) return k->codes[i];
  *out = k->values[i] + extra;
  return 0;
}

static int check_device(nvmlDevice_t device) {
  if (g_inits <= 0) return UNINITIALIZED;
  if (device < g_devices || device >= g_devices + g_device_count) return INVALID_ARGUMENT;
  return 0;
}

#define BEGIN(call, device)                                                                                  \
  log_call(call, device);                                                                                    \
  int rc_ = check_device(device);                                                                            \
  if (rc_) return rc_;

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

static nvmlReturn_t copy_string(const char *text, char *buf, unsigned int length) {
  if (text[0] == '\0') return NOT_SUPPORTED;
  if (text[0] == '!') return atoi(text + 1);
  if (!buf || strlen(text) + 1 > length) return INSUFFICIENT_SIZE;
  strcpy(buf, text);
  return 0;
}

nvmlReturn_t nvmlInit_v2(void) {
  log_call("nvmlInit_v2", NULL);
  if (g_inits == 0) load_script();
  if (g_init_rc) return g_init_rc;
  g_inits++;
  return 0;
}

nvmlReturn_t nvmlShutdown(void) {
  log_call("nvmlShutdown", NULL);
  if (g_inits <= 0) return UNINITIALIZED;
  g_inits--;
  return 0;
}

const char *nvmlErrorString(nvmlReturn_t result) {
  switch (result) {
  case 0: return "Success";
  case 1: return "Uninitialized";
  case 2: return "Invalid Argument";
  case 3: return "Not Supported";
  case 4: return "Insufficient Permissions";
  case 9: return "Driver Not Loaded";
  case 15: return "GPU is lost";
  case 16: return "GPU requires restart";
  default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
  log_call("nvmlSystemGetDriverVersion", NULL);
  if (g_inits <= 0) return UNINITIALIZED;
  return copy_string(g_driver_version, version, length);
}

nvmlReturn_t nvmlSystemGetNVMLVersion(char *version, unsigned int length) {
  log_call("nvmlSystemGetNVMLVersion", NULL);
  if (g_inits <= 0) return UNINITIALIZED;
  return copy_string(g_nvml_version, version, length);
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount) {
  log_call("nvmlDeviceGetCount_v2", NULL);
  if (g_inits <= 0) return UNINITIALIZED;
  if (g_count_rc) return g_count_rc;
  *deviceCount = (unsigned int)g_device_count;
  return 0;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  log_call("nvmlDeviceGetHandleByIndex_v2", NULL);
  if (g_inits <= 0) return UNINITIALIZED;
  if (index >= (unsigned int)g_device_count) return INVALID_ARGUMENT;
  long long ignored = 0;
  int rc = find_key(&g_devices[index], "handle") ? next_value(&g_devices[index], "handle", &ignored) : 0;
  if (rc) return rc;
  *device = &g_devices[index];
  return 0;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
  BEGIN("nvmlDeviceGetName", device);
  return copy_string(device->name, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
  BEGIN("nvmlDeviceGetUUID", device);
  return copy_string(device->uuid, uuid, length);
}

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t *pci) {
  BEGIN("nvmlDeviceGetPciInfo_v3", device);
  struct key *k = find_key(device, "pci");
  if (!k || k->count == 0) return NOT_SUPPORTED;
  if (k->codes[0]) return k->codes[0];
  memset(pci, 0, sizeof *pci);
  pci->domain = (unsigned int)k->values[0];
  pci->bus = k->count > 1 ? (unsigned int)k->values[1] : 0;
  pci->device = k->count > 2 ? (unsigned int)k->values[2] : 0;
  pci->pciDeviceId = k->count > 3 ? (unsigned int)k->values[3] : 0;
  pci->pciSubSystemId = k->count > 4 ? (unsigned int)k->values[4] : 0;
  snprintf(pci->busIdLegacy, sizeof pci->busIdLegacy, "%04X:%02X:%02X.0", pci->domain & 0xffff, pci->bus,
           pci->device);
  snprintf(pci->busId, sizeof pci->busId, "%08X:%02X:%02X.0", pci->domain, pci->bus, pci->device);
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
  if (type == 1) return read_uint(device, "clock_sm_mhz", clock);
  if (type == 2) return read_uint(device, "clock_mem_mhz", clock);
  return NOT_SUPPORTED;
}

nvmlReturn_t nvmlDeviceGetFanSpeed(nvmlDevice_t device, unsigned int *speed) {
  BEGIN("nvmlDeviceGetFanSpeed", device);
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
