// NVML return codes → ActuatorError reasons, with NVML's code name and a hint in the message.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NVML_RETURN, nvmlReturnName } from '../../../protocols/nvml/index.ts';
import { nvmlActuatorError, reasonOfNvmlCode } from './errors.ts';

test('each NVML code maps to the reason the control layer branches on', () => {
  const expected: [number, string][] = [
    [NVML_RETURN.ERROR_NO_PERMISSION, 'refused'],
    [NVML_RETURN.ERROR_NOT_SUPPORTED, 'unsupported'],
    [NVML_RETURN.ERROR_FUNCTION_NOT_FOUND, 'unsupported'],
    [NVML_RETURN.ERROR_INVALID_ARGUMENT, 'out_of_bounds'],
    [NVML_RETURN.ERROR_GPU_IS_LOST, 'unreachable'],
    [NVML_RETURN.ERROR_UNINITIALIZED, 'unreachable'],
    [NVML_RETURN.ERROR_RESET_REQUIRED, 'unreachable'],
    [NVML_RETURN.ERROR_DRIVER_NOT_LOADED, 'unreachable'],
    [NVML_RETURN.ERROR_LIB_RM_VERSION_MISMATCH, 'unreachable'],
    [NVML_RETURN.ERROR_TIMEOUT, 'unreachable'],
    [NVML_RETURN.ERROR_GPU_NOT_FOUND, 'unreachable'],
    [NVML_RETURN.ERROR_IN_USE, 'refused'],
    [NVML_RETURN.ERROR_UNKNOWN, 'refused'],
  ];
  for (const [code, reason] of expected) assert.equal(reasonOfNvmlCode(code), reason, nvmlReturnName(code));
});

test('the error names the call, NVML code and device; NO_PERMISSION says how to get the right', () => {
  const code = NVML_RETURN.ERROR_NO_PERMISSION;
  const issue = { call: 'nvmlDeviceSetPowerManagementLimit', code, name: nvmlReturnName(code), message: 'x' };
  const err = nvmlActuatorError(issue, 'Setting the power limit of g to 250000 mW', {
    rig: 'r',
    device: 'g',
  });
  assert.equal(err.code, 'RT_ACTUATOR_REFUSED');
  assert.equal(err.reason, 'refused');
  assert.deepEqual(err.where, { rig: 'r', device: 'g', command: 'nvmlDeviceSetPowerManagementLimit' });
  assert.match(
    err.message,
    /^Setting the power limit of g to 250000 mW failed: x \[NVML_ERROR_NO_PERMISSION\]/,
  );
  assert.match(err.message, /run as root or grant the capability/);
});
