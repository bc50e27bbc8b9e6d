#!/usr/bin/env bash
# Provide a crun built with the WasmEdge handler (`+WASM:wasmedge`), with a libwasmedge.so.0 it can
# load: what a K3s node's `crun-wasmedge` runtime runs, for tests/integration/deploy/crun-wasm-image.test.ts
# and `npm run bench:crun`.
#
#   bash scripts/ensure-crun.sh               provide it if needed, print one line saying where
#   bash scripts/ensure-crun.sh --print-path  provide it if needed, print only the crun command's path
#   bash scripts/ensure-crun.sh --check       exit 0 if it is there, 1 if not
#   bash scripts/ensure-crun.sh --force       refetch the private copy (below) even if present
#   bash scripts/ensure-crun.sh --verbose     show apt's output
#
# Where it comes from, first match wins:
#   1. the machine's `crun` when it reports +WASM:wasmedge and ldconfig knows libwasmedge.so.0
#      (a Debian trixie node after `apt-get install crun libwasmedge0`);
#   2. as root on a Debian whose own suite carries libwasmedge0 (trixie or newer): that same
#      `apt-get install crun libwasmedge0`;
#   3. as root on an older Debian (bookworm: its crun 1.8 has no WasmEdge handler): trixie's crun and
#      its libraries unpacked into <repo>/.tools/crun/ through the private trixie apt state of
#      scripts/install-wasmedge.sh (which also provides trixie's libwasmedge0 and glibc), started by a
#      wrapper through trixie's loader, as that script does for wasmedge.
# Anything else is an error saying what to install: the tests fail rather than skip.
#
# The wrapper puts LD_LIBRARY_PATH first on its library path, so `LD_LIBRARY_PATH=<dir> crun ...` makes
# crun's dlopen("libwasmedge.so.0") load <dir>'s library (the LLVM-free build of
# `scripts/build-wasmedge-runtime.sh --shared`) with either kind of crun.
set -Eeuo pipefail

REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly REPO_ROOT
readonly TOOLS_DIR="$REPO_ROOT/.tools"
readonly PREFIX="$TOOLS_DIR/crun"
readonly STAGING="$TOOLS_DIR/.crun.staging"
readonly WRAPPER="$PREFIX/bin/crun"
# install-wasmedge.sh's layout: its private trixie apt configuration and its unpacked root (libc6,
# libstdc++6, libwasmedge0 and the rest of wasmedge's libraries, and trixie's loader).
readonly TRIXIE_APT_CONF="$TOOLS_DIR/apt-trixie/trixie/apt.conf"
readonly WASMEDGE_ROOT="$TOOLS_DIR/wasmedge/root"

MODE=install
FORCE=0
VERBOSE=0
LOG=""
readonly SCRIPT_NAME=ensure-crun
readonly LOG_TAIL_LINES=25
# shellcheck source=lib/common.sh
source "$REPO_ROOT/scripts/lib/common.sh"
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR

while (($#)); do
  common_option "$1" || die "unknown option '$1' (try --help)"
  shift
done

has_wasm_handler() { "$1" --version 2>/dev/null | grep -q '+WASM:wasmedge'; }

# The crun to use, or nothing: the machine's (case 1) before the private copy (case 3).
find_crun() {
  local system
  system="$(command -v crun || true)"
  if [[ -n "$system" ]] && has_wasm_handler "$system" && ldconfig -p 2>/dev/null | grep -q 'libwasmedge\.so\.0 '; then
    printf '%s\n' "$system"
  elif [[ $FORCE -eq 0 && -x "$WRAPPER" ]] && has_wasm_handler "$WRAPPER"; then
    printf '%s\n' "$WRAPPER"
  fi
}

report() {
  if [[ $MODE == print-path ]]; then
    printf '%s\n' "$1"
  else
    printf 'crun %s with the WasmEdge handler is at %s\n' "$("$1" --version | sed -n '1s/^crun version //p')" "$1"
  fi
}

found="$(find_crun)"
if [[ -n "$found" ]]; then
  [[ $MODE == check ]] || report "$found"
  exit 0
fi
[[ $MODE == check ]] && exit 1

[[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null ||
  die "no crun with the WasmEdge handler (+WASM:wasmedge) and libwasmedge.so.0: as root on Debian trixie run apt-get install -y crun libwasmedge0 (or run this script as root)"

mkdir -p "$TOOLS_DIR"
exec 9>"$TOOLS_DIR/.crun.lock"
flock 9
found="$(find_crun)"
if [[ -n "$found" ]]; then
  report "$found"
  exit 0
fi
LOG="$TOOLS_DIR/crun-install.log"
: >"$LOG"
export DEBIAN_FRONTEND=noninteractive

# ---------------------------------------------------------------- case 2: the machine's own suite
candidate() { apt-cache policy "$1" 2>>"$LOG" | awk '$1 == "Candidate:" { print $2 }'; }
if [[ -n "$(candidate libwasmedge0)" && "$(candidate libwasmedge0)" != "(none)" ]]; then
  say "installing crun and libwasmedge0 with apt-get (this machine's Debian suite)"
  run apt-get install -y -q --no-install-recommends crun libwasmedge0 ||
    { run apt-get update -q && run apt-get install -y -q --no-install-recommends crun libwasmedge0; } ||
    die "apt-get install crun libwasmedge0 failed"
  found="$(find_crun)"
  [[ -n "$found" ]] || die "the installed crun ($(command -v crun || printf 'none')) has no WasmEdge handler (+WASM:wasmedge)"
  report "$found"
  exit 0
fi

# ---------------------------------------------------------------- case 3: trixie's, unpacked
say "this Debian has no libwasmedge0: unpacking Debian trixie's crun into $PREFIX"
bash "$REPO_ROOT/scripts/install-wasmedge.sh" >>"$LOG" 2>&1 || die "scripts/install-wasmedge.sh failed"
[[ -r "$TRIXIE_APT_CONF" && -d "$WASMEDGE_ROOT" ]] || die "install-wasmedge.sh left no trixie apt state at $TRIXIE_APT_CONF"
ARCH="$(dpkg --print-architecture)"
case "$ARCH" in
amd64) TRIPLET=x86_64-linux-gnu LDSO=ld-linux-x86-64.so.2 ;;
arm64) TRIPLET=aarch64-linux-gnu LDSO=ld-linux-aarch64.so.1 ;;
*) die "unsupported architecture '$ARCH' (supported: amd64, arm64)" ;;
esac
APT=(env "APT_CONFIG=$TRIXIE_APT_CONF")
# crun's Depends, recursively, minus the libraries the wasmedge root already holds (libc6 among them).
mapfile -t PKGS < <(
  "${APT[@]}" apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances crun 2>>"$LOG" | awk '/^[^ <]/ { print $1 }' | sort -u |
    awk '$0 == "crun" || /^lib/' | grep -vxF -f <(sed 's/=.*//' "$TOOLS_DIR/wasmedge/PACKAGES")
)
((${#PKGS[@]} >= 2)) || die "could not resolve crun's dependencies in trixie (see $LOG)"
rm -rf "$STAGING"
mkdir -p "$STAGING/debs" "$STAGING/root" "$STAGING/bin"
id _apt >/dev/null 2>&1 && chown _apt "$STAGING/debs"
say "downloading ${PKGS[*]} from trixie"
# The private lists may predate a trixie point release (the .debs they name are gone): refresh once.
if ! (cd "$STAGING/debs" && run "${APT[@]}" apt-get -q download "${PKGS[@]}"); then
  run "${APT[@]}" apt-get -q --error-on=any update
  (cd "$STAGING/debs" && run "${APT[@]}" apt-get -q download "${PKGS[@]}")
fi
for deb in "$STAGING"/debs/*.deb; do
  dpkg -x "$deb" "$STAGING/root"
  printf '%s=%s\n' "$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Version)" >>"$STAGING/PACKAGES"
done
rm -rf "$STAGING/debs"
[[ -x "$STAGING/root/usr/bin/crun" ]] || die "the crun package did not provide usr/bin/crun"

# Paths are found relative to the wrapper, so .tools/ can move; LD_LIBRARY_PATH comes first (above).
cat >"$STAGING/bin/crun" <<EOF
#!/bin/sh
# Generated by scripts/ensure-crun.sh: crun from Debian trixie, started through trixie's own loader
# with the libraries of .tools/crun/root and .tools/wasmedge/root (trixie's glibc and libwasmedge0).
self=\$(readlink -f -- "\$0") || exit 127
tools=\${self%/crun/bin/*}
lib=\$tools/crun/root/usr/lib/$TRIPLET:\$tools/wasmedge/root/usr/lib/$TRIPLET
exec "\$tools/wasmedge/root/usr/lib/$TRIPLET/$LDSO" --inhibit-cache --library-path "\${LD_LIBRARY_PATH:+\$LD_LIBRARY_PATH:}\$lib" --argv0 crun "\$tools/crun/root/usr/bin/crun" "\$@"
EOF
chmod 0755 "$STAGING/bin/crun"
rm -rf "$PREFIX"
mv "$STAGING" "$PREFIX"
has_wasm_handler "$WRAPPER" || die "trixie's crun at $WRAPPER does not run or has no WasmEdge handler: $("$WRAPPER" --version 2>&1 | head -3)"
report "$WRAPPER"
