// NVML return codes as ActuatorError reasons, so the control layer branches on refused / unsupported /
// out_of_bounds / unreachable without knowing NVML; the message keeps NVML's own name for the code.

import { ActuatorError, type ActuatorErrorReason, type ErrorWhere } from '../../../core/errors.ts';
import { NVML_RETURN, type NvmlIssue } from '../../../protocols/nvml/index.ts';

/** Codes after which the GPU or the library cannot be reached (GPU_IS_LOST: fallen off the bus). */
const UNREACHABLE: ReadonlySet<number> = new Set([
  NVML_RETURN.ERROR_UNINITIALIZED,
  NVML_RETURN.ERROR_DRIVER_NOT_LOADED,
  NVML_RETURN.ERROR_TIMEOUT,
  NVML_RETURN.ERROR_GPU_IS_LOST,
  NVML_RETURN.ERROR_RESET_REQUIRED,
  NVML_RETURN.ERROR_LIB_RM_VERSION_MISMATCH,
  NVML_RETURN.ERROR_GPU_NOT_FOUND,
]);

/** What an operator can do about a refused or unsupported call. */
const HINTS: Readonly<Record<number, string>> = {
  [NVML_RETURN.ERROR_NO_PERMISSION]:
    'NVML set calls need root/admin rights: run as root or grant the capability to the rigtune service',
  [NVML_RETURN.ERROR_NOT_SUPPORTED]: 'this GPU, its driver or its firmware does not allow this change',
  [NVML_RETURN.ERROR_FUNCTION_NOT_FOUND]: 'the installed NVIDIA driver is too old for this call',
  [NVML_RETURN.ERROR_INVALID_ARGUMENT]: 'the value is outside what the GPU accepts',
};

/**
 * The reason for an NVML code: NO_PERMISSION → refused; NOT_SUPPORTED and a missing symbol →
 * unsupported; INVALID_ARGUMENT → out_of_bounds; GPU lost, uninitialised, reset required, driver
 * gone, timeout → unreachable; any other code → refused (the device said no).
 */
export function reasonOfNvmlCode(code: number): ActuatorErrorReason {
  if (code === NVML_RETURN.ERROR_NOT_SUPPORTED || code === NVML_RETURN.ERROR_FUNCTION_NOT_FOUND)
    return 'unsupported';
  if (code === NVML_RETURN.ERROR_INVALID_ARGUMENT) return 'out_of_bounds';
  if (UNREACHABLE.has(code)) return 'unreachable';
  return 'refused';
}

/** True when the code means the GPU handle (or the library state) is no longer usable. */
export function isUnreachableCode(code: number): boolean {
  return UNREACHABLE.has(code);
}

/** An ActuatorError for a failed NVML call: `what` failed, NVML's message and code name, a hint. */
export function nvmlActuatorError(issue: NvmlIssue, what: string, where: ErrorWhere): ActuatorError {
  const hint = HINTS[issue.code];
  const message = `${what} failed: ${issue.message} [${issue.name}]${hint ? `; ${hint}` : ''}`;
  return new ActuatorError(reasonOfNvmlCode(issue.code), message, { ...where, command: issue.call });
}
