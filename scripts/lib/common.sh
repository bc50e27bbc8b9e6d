# shellcheck shell=bash
# What scripts/install-wasmedge.sh and scripts/build-wasmedge-runtime.sh share: messages named after
# the script, errors that end a run showing the tail of its log first, `run` into that log, --help
# printed from the script's header comment, and the options both scripts take.
#
# Set before sourcing: SCRIPT_NAME (the prefix of every message) and LOG_TAIL_LINES. Set while
# running: LOG (this run's log; empty until the run has started one, so an error never shows an older
# run's log), VERBOSE (1: the tools' output goes to the terminal, so there is no tail to show), and
# MODE / FORCE, which common_option sets.

say() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }

# show_log: the end of this run's log, where the tools (apt, cmake, ninja) wrote their own errors.
show_log() {
  if [[ -n "${LOG:-}" && -s "$LOG" && ${VERBOSE:-0} -eq 0 ]]; then
    printf '%s: last lines of %s:\n' "$SCRIPT_NAME" "$LOG" >&2
    tail -n "$LOG_TAIL_LINES" "$LOG" | sed 's/^/    /' >&2
  fi
}

die() {
  show_log
  printf '%s: ERROR: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit 1
}

on_err() {
  local rc=$? line=$1 cmd=$2
  show_log
  printf '%s: ERROR: command failed (exit %s) at line %s: %s\n' "$SCRIPT_NAME" "$rc" "$line" "$cmd" >&2
  exit "$rc"
}

# run COMMAND...: the command's output goes to the log (or to the terminal too with --verbose).
run() {
  printf '+ %s\n' "$*" >>"$LOG"
  if [[ ${VERBOSE:-0} -eq 1 ]]; then
    "$@" 2>&1 | tee -a "$LOG" >&2
  else
    "$@" >>"$LOG" 2>&1
  fi
}

# usage: the sourcing script's header comment, from line 2 down to its `set -Eeuo` line.
usage() { sed -n '2,/^set -Eeuo/{/^set -Eeuo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[-1]}"; }

# common_option ARG: takes the options both scripts have; returns 1 for any other.
common_option() {
  case "$1" in
  --print-path) MODE=print-path ;;
  --check) MODE=check ;;
  --force) FORCE=1 ;;
  --verbose | -v) VERBOSE=1 ;;
  -h | --help)
    usage
    exit 0
    ;;
  *) return 1 ;;
  esac
}
