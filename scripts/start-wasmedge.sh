#!/usr/bin/env bash
# Runs the WasmEdge pair from a fresh clone, as the K3s pod runs it (docs/wasmedge-server.md,
# "Running the pair locally"): tracker-server.wasm AOT-compiled under the LLVM-free WasmEdge on PORT
# (default 8080), and the Node service as its sidecar on 127.0.0.1:SIDECAR_PORT (default 8081),
# both on DATA_DIR (default ./data). Set-up as scripts/start.sh does it, plus both WasmEdge builds:
# Debian's (compiles AOT) and the LLVM-free one (runs it, starts in a few ms).
#
#   npm run start:wasmedge
#   PORT=9090 SIDECAR_PORT=9091 DATA_DIR=/srv/edgetrace npm run start:wasmedge
#
# Every other variable reaches the sidecar as for `npm start` (API_KEYS_FILE, ROLE, AMQP_URL, …);
# the server gets those it reads (--env) and its API key file's folder mapped into its sandbox.
# SIGTERM or SIGINT stops both; when either exits, the other is stopped and the script exits with
# the first one's status.
#
# Environment of the script itself:
#   EDGETRACE_SKIP_BUILD=true   use the tree as built (CI and tests build once, before)
#   EDGETRACE_SERVER_WASM       run this tracker-server.wasm instead of build/tracker-server.wasm
set -euo pipefail
cd "$(dirname "$0")/.."
REPO_ROOT="$(pwd -P)"

PORT="${PORT:-8080}"
SIDECAR_PORT="${SIDECAR_PORT:-8081}"
DATA_DIR="${DATA_DIR:-./data}"
# The sidecar's own SHUTDOWN_TIMEOUT (10 s) bounds its graceful stop; past it and this grace, kill.
STOP_GRACE_S=12

say() { printf 'start-wasmedge: %s\n' "$*" >&2; }

if [[ "${EDGETRACE_SKIP_BUILD:-false}" != true ]]; then
  bash scripts/ensure-dependencies.sh
  npm run --silent build
fi
server_wasm="${EDGETRACE_SERVER_WASM:-$REPO_ROOT/build/tracker-server.wasm}"
[[ -f "$server_wasm" && -f dist/host/main.js ]] || {
  say "$server_wasm or dist/host/main.js is missing: run npm run build"
  exit 1
}
debian_wasmedge="$(bash scripts/install-wasmedge.sh --print-path)"
runtime="$(bash scripts/build-wasmedge-runtime.sh --print-path)"

# AOT for any CPU of the architecture (the form the LLVM-free runtime runs), cached by the module's
# hash: `npm run build` rewrites the .wasm every time, and compiling it costs 20–60 s.
aot="${server_wasm%.wasm}.generic.aot.wasm"
hash="$(sha256sum "$server_wasm" | cut -d' ' -f1)"
if [[ ! -f "$aot" || "$(cat "$aot.sha256" 2>/dev/null)" != "$hash" ]]; then
  say "AOT-compiling $server_wasm (once per build of it)"
  rm -f "$aot.sha256"
  "$debian_wasmedge" compile --generic-binary "$server_wasm" "$aot.tmp" >/dev/null
  mv "$aot.tmp" "$aot"
  printf '%s\n' "$hash" >"$aot.sha256"
fi

mkdir -p "$DATA_DIR"
data_dir="$(cd "$DATA_DIR" && pwd -P)"
# WasmEdge passes no environment unless asked, and sees only the folders mapped into it.
server_args=(--dir "$data_dir:$data_dir")
for name in JOURNAL_SEGMENT_BYTES API_KEYS_FILE HOST AUTH_FAILURE_LIMIT AUTH_FAILURE_WINDOW; do
  [[ -n "${!name:-}" ]] && server_args+=(--env "$name=${!name}")
done
if [[ -n "${API_KEYS_FILE:-}" ]]; then
  keys_dir="$(cd "$(dirname "$API_KEYS_FILE")" && pwd -P)"
  [[ "$keys_dir" != "$data_dir" ]] && server_args+=(--dir "$keys_dir:$keys_dir")
fi

server_pid=""
sidecar_pid=""
# Running, not a zombie waiting to be reaped (kill -0 succeeds on those too).
alive() { [[ -n "$1" && -r "/proc/$1/stat" ]] && [[ "$(cut -d')' -f2 "/proc/$1/stat" 2>/dev/null)" != " Z"* ]]; }
stop_both() {
  for pid in "$server_pid" "$sidecar_pid"; do
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
  done
  for ((i = 0; i < STOP_GRACE_S * 10; i++)); do
    alive "$server_pid" || alive "$sidecar_pid" || return 0
    sleep 0.1
  done
  say "still running after ${STOP_GRACE_S}s: killing"
  kill -KILL "$server_pid" "$sidecar_pid" 2>/dev/null || true
}
on_signal() {
  trap '' TERM INT
  say "$1: stopping the server and the sidecar"
  stop_both
  wait 2>/dev/null || true
  exit 0
}
trap 'on_signal SIGTERM' TERM
trap 'on_signal SIGINT' INT

"$runtime" "${server_args[@]}" "$aot" --port "$PORT" --data-dir "$data_dir" --sidecar-port "$SIDECAR_PORT" &
server_pid=$!
# The service refuses EDGETRACE_* names it does not know: this script's own settings stay here.
env -u EDGETRACE_SKIP_BUILD -u EDGETRACE_SERVER_WASM \
  JOURNAL_TAIL=true PORT="$SIDECAR_PORT" HOST=127.0.0.1 DATA_DIR="$data_dir" node dist/host/main.js &
sidecar_pid=$!
say "server (pid $server_pid) on 127.0.0.1:$PORT, sidecar (pid $sidecar_pid) on 127.0.0.1:$SIDECAR_PORT, data in $data_dir"

# Whichever exits first takes the other down: the pair only makes sense whole.
set +e
wait -n "$server_pid" "$sidecar_pid"
status=$?
set -e
trap '' TERM INT
if alive "$server_pid"; then first="sidecar"; else first="server"; fi
say "the $first exited with status $status: stopping the other"
stop_both
wait 2>/dev/null || true
exit "$status"
