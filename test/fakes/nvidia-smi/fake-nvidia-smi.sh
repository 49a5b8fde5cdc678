#!/bin/sh
# A fake nvidia-smi for the child-process tests: prints a CSV file the way `--query-gpu … -lms N`
# streams it, then behaves as FAKE_SMI_MODE says. Tests copy it to a temp dir as `nvidia-smi`.
#   FAKE_SMI_CSV       file printed to stdout (header and rows, garbage if the test wants some)
#   FAKE_SMI_ARGS_OUT  file the arguments are written to, one per line
#   FAKE_SMI_MODE      stream: print, then wait like -lms until SIGTERM (default)
#                      hang:   ignore SIGTERM (before printing, so a reader that saw the rows knows
#                              the trap is set), print, wait: close() must SIGKILL
#                      exit:   print, write FAKE_SMI_STDERR to stderr, exit FAKE_SMI_EXIT (default 0)
if [ -n "$FAKE_SMI_ARGS_OUT" ]; then printf '%s\n' "$@" > "$FAKE_SMI_ARGS_OUT"; fi
if [ "$FAKE_SMI_MODE" = hang ]; then trap '' TERM; fi
if [ -n "$FAKE_SMI_CSV" ]; then cat "$FAKE_SMI_CSV"; fi
case "${FAKE_SMI_MODE:-stream}" in
  exit)
    if [ -n "$FAKE_SMI_STDERR" ]; then printf '%s\n' "$FAKE_SMI_STDERR" >&2; fi
    exit "${FAKE_SMI_EXIT:-0}"
    ;;
  *)
    exec sleep 600
    ;;
esac
