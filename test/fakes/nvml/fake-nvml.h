/* Shared state of the fake libnvidia-ml.so.1 (fake-nvml.c: script and enumeration; fake-nvml-read.c:
 * the getters rigtune's reader binds; fake-nvml-control.c: the set calls and their read-back state). */
#ifndef FAKE_NVML_H
#define FAKE_NVML_H

#include <stddef.h>

#define INTERNAL __attribute__((visibility("hidden")))

typedef int nvmlReturn_t;
typedef struct fake_device *nvmlDevice_t;

#define SUCCESS 0
#define UNINITIALIZED 1
#define INVALID_ARGUMENT 2
#define NOT_SUPPORTED 3
#define NO_PERMISSION 4
#define NOT_FOUND 6
#define INSUFFICIENT_SIZE 7
#define GPU_IS_LOST 15
#define MAX_DEVICES 8
#define MAX_KEYS 48
#define MAX_TOKENS 32
#define MAX_FANS 4
#define MAX_CLOCKS 400

struct key {
  char name[32];
  long long values[MAX_TOKENS];
  int codes[MAX_TOKENS]; /* 0: the value stands; else a return code */
  int count;
  long long step;
  int has_step;
  int cursor;
};

/* What the set calls changed (fake-nvml-control.c); zeroed when the script is (re)loaded. */
struct control_state {
  unsigned int gpu_lock_min, gpu_lock_max; /* MHz; max 0 = unlocked */
  unsigned int mem_lock_min, mem_lock_max;
  unsigned int fan_manual[MAX_FANS]; /* 1 = NVML_FAN_POLICY_MANUAL, 0 = temperature-continuous (auto) */
  unsigned int fan_target[MAX_FANS]; /* %, meaningful when manual */
  int sets;                          /* set calls that returned SUCCESS */
  int lost;                          /* 1: every device call returns GPU_IS_LOST */
};

struct fake_device {
  char name[128];
  char uuid[128];
  struct key keys[MAX_KEYS];
  int key_count;
  struct control_state control;
};

extern struct fake_device g_devices[MAX_DEVICES];
extern int g_device_count;
extern int g_inits;

INTERNAL void log_call(const char *call, const nvmlDevice_t device);
INTERNAL struct key *find_key(struct fake_device *d, const char *name);
/* The next scripted value of `name` for device `d`: 0 with *out set, or the scripted return code. */
INTERNAL int next_value(struct fake_device *d, const char *name, long long *out);
/* The first scripted value of `name` without moving its cursor: 0 with *out set, or a return code. */
INTERNAL int first_value(struct fake_device *d, const char *name, long long *out);
/* Replaces the scripted sequence of `name` with the constant `value` (adds the key if absent). */
INTERNAL void set_constant(struct fake_device *d, const char *name, long long value);
/* 0 for an initialised library and a known, present device; else the return code to give. */
INTERNAL int check_device(nvmlDevice_t device);
/* Clamps a current clock to a locked range (max 0 = unlocked): what a lock does to a busy GPU. */
INTERNAL unsigned int clamp_clock(unsigned int mhz, unsigned int lo, unsigned int hi);

#define BEGIN(call, device)                                                                                  \
  log_call(call, device);                                                                                    \
  int rc_ = check_device(device);                                                                            \
  if (rc_) return rc_;

#endif
