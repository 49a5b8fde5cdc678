/* A fake libnvidia-ml.so.1 for the NVML tests: the real symbol names and C signatures of the calls
 * rigtune makes, serving scripted values (and keeping set-point state) so koffi runs without a GPU.
 *
 * Build: gcc -shared -fPIC -o <dir>/libnvidia-ml.so.1 fake-nvml.c fake-nvml-read.c fake-nvml-control.c
 * (add -DFAKE_NVML_OLD to leave out the symbols old drivers lack: ClocksEventReasons,
 * TotalEnergyConsumption, FieldValues, FanControlPolicy_v2, TargetFanSpeed, Set/ResetMemoryLockedClocks).
 *
 * Script ($FAKE_NVML_SCRIPT, read again whenever nvmlInit_v2 finds no client initialised, so close
 * every client between tests; the set-point state starts afresh then too): one directive per line.
 *   init_rc N            return code of nvmlInit_v2 (default 0)
 *   count_rc N           return code of nvmlDeviceGetCount_v2 (default 0)
 *   driver_version TEXT / nvml_version TEXT   what nvmlSystemGetDriverVersion / nvmlSystemGetNVMLVersion
 *                        return (rest of the line; "!N" returns code N; left out: NOT_SUPPORTED)
 *   device               starts the next device (index 0, 1, ...)
 *   name TEXT / uuid TEXT   strings (rest of the line); "!N" returns code N instead
 *   KEY TOKEN...         a value per call: TOKEN is an integer (decimal or 0x hex) or !N (return
 *                        code N); the last token repeats; a final +STEP makes a counter that keeps
 *                        adding STEP per call after the list ends. A key left out: NOT_SUPPORTED;
 *                        a key given twice: the later line wins.
 * Reader keys: handle (!N: nvmlDeviceGetHandleByIndex_v2 returns N), pci (domain bus device pciDeviceId
 *   subsystem, or !N), power_mw energy_mj temp_gpu_c temp_mem_c (served through
 *   nvmlDeviceGetFieldValues, NVML_FI_DEV_MEMORY_TEMP) clock_sm_mhz clock_graphics_mhz (default:
 *   clock_sm_mhz) clock_mem_mhz fan_pct util_gpu_pct util_mem_pct mem_total_bytes mem_used_bytes
 *   power_limit_mw power_limit_min_mw power_limit_max_mw power_limit_default_mw enforced_limit_mw pstate
 *   clocks_event_reasons throttle_reasons pcie_tx_kbps pcie_rx_kbps
 * Control keys (fake-nvml-control.c): see the header comment there.
 * Every call is appended to $FAKE_NVML_LOG (when set) as "name [device index]". */
#include "fake-nvml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct nvmlPciInfo_st {
  char busIdLegacy[16];
  unsigned int domain;
  unsigned int bus;
  unsigned int device;
  unsigned int pciDeviceId;
  unsigned int pciSubSystemId;
  char busId[32];
} nvmlPciInfo_t;

/* The layout rigtune's decoder assumes (src/protocols/nvml/bindings.ts), checked at compile time. */
_Static_assert(sizeof(nvmlPciInfo_t) == 68, "nvmlPciInfo_t size");
_Static_assert(offsetof(nvmlPciInfo_t, domain) == 16, "nvmlPciInfo_t.domain");
_Static_assert(offsetof(nvmlPciInfo_t, busId) == 36, "nvmlPciInfo_t.busId");

struct fake_device g_devices[MAX_DEVICES];
int g_device_count;
int g_inits;
static char g_driver_version[96];
static char g_nvml_version[96];
static int g_init_rc;
static int g_count_rc;

void log_call(const char *call, const nvmlDevice_t device) {
  const char *path = getenv("FAKE_NVML_LOG");
  FILE *f;
  if (!path || !(f = fopen(path, "a"))) return;
  if (device) fprintf(f, "%s %d\n", call, (int)(device - g_devices));
  else fprintf(f, "%s\n", call);
  fclose(f);
}

/* The key's last line wins, so a test can append an override to a shared script. */
struct key *find_key(struct fake_device *d, const char *name) {
  for (int i = d->key_count - 1; i >= 0; i--)
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

int next_value(struct fake_device *d, const char *name, long long *out) {
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

int first_value(struct fake_device *d, const char *name, long long *out) {
  struct key *k = find_key(d, name);
  if (!k || k->count == 0) return NOT_SUPPORTED;
  if (k->codes[0]) return k->codes[0];
  *out = k->values[0];
  return 0;
}

void set_constant(struct fake_device *d, const char *name, long long value) {
  struct key *k = find_key(d, name);
  if (!k) {
    if (d->key_count >= MAX_KEYS) return;
    k = &d->keys[d->key_count++];
    snprintf(k->name, sizeof k->name, "%s", name);
  }
  k->values[0] = value;
  k->codes[0] = 0;
  k->count = 1;
  k->has_step = 0;
  k->cursor = 0;
}

int check_device(nvmlDevice_t device) {
  if (g_inits <= 0) return UNINITIALIZED;
  if (device < g_devices || device >= g_devices + g_device_count) return INVALID_ARGUMENT;
  if (device->control.lost) return GPU_IS_LOST;
  return 0;
}

unsigned int clamp_clock(unsigned int mhz, unsigned int lo, unsigned int hi) {
  if (hi == 0) return mhz;
  if (mhz > hi) return hi;
  return mhz < lo ? lo : mhz;
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
  case 6: return "Not Found";
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
