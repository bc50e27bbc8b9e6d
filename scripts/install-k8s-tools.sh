#!/usr/bin/env bash
# Install kustomize 5.6 and promtool 2.53 from Debian trixie's packages into <repo>/.tools/k8s/bin/,
# offline from any Kubernetes or Prometheus download site, without touching the machine's apt state.
#
#   bash scripts/install-k8s-tools.sh               install if needed, print one line saying where
#   bash scripts/install-k8s-tools.sh --print-path  install if needed, print only the bin directory on stdout
#   bash scripts/install-k8s-tools.sh --check       exit 0 if the expected versions are installed, 1 if not
#   bash scripts/install-k8s-tools.sh --force       reinstall even if already installed
#   bash scripts/install-k8s-tools.sh --verbose     show apt's output while installing
#
# How it works
#   * The private trixie apt state of scripts/install-wasmedge.sh (.tools/apt-trixie/trixie, signed lists
#     verified against the machine's Debian keyring) is reused; that script is run first if it is missing.
#     If trixie has moved on and a download 404s, the private lists are refreshed once and the download
#     retried.
#   * `apt-get download kustomize promtool`, `dpkg -x`, and the two binaries are copied to .tools/k8s/bin/.
#     Both are Go programs whose only dependency is libc6 (>= 2.34), which bookworm's glibc 2.36
#     satisfies, so unlike WasmEdge they need no private loader.
#
# Environment overrides (all optional)
#   EDGETRACE_KUSTOMIZE_VERSION  upstream kustomize version to require (default 5.6.0)
#   EDGETRACE_PROMTOOL_VERSION   upstream promtool version to require (default 2.53.3)
set -Eeuo pipefail

readonly KUSTOMIZE_VERSION="${EDGETRACE_KUSTOMIZE_VERSION:-5.6.0}"
readonly PROMTOOL_VERSION="${EDGETRACE_PROMTOOL_VERSION:-2.53.3}"
REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly REPO_ROOT
readonly TOOLS_DIR="$REPO_ROOT/.tools"
readonly PREFIX="$TOOLS_DIR/k8s"
readonly TRIXIE="$TOOLS_DIR/apt-trixie/trixie"
readonly STAGING="$TOOLS_DIR/.k8s.staging"

MODE=install
FORCE=0
VERBOSE=0
LOG=""

readonly SCRIPT_NAME=install-k8s-tools
readonly LOG_TAIL_LINES=25
# shellcheck source=lib/common.sh
source "$REPO_ROOT/scripts/lib/common.sh"
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR

while (($#)); do
  common_option "$1" || die "unknown option '$1' (try --help)"
  shift
done

# "kustomize 5.6.0" / "promtool 2.53.3" as the installed binaries report them ("" if missing).
# Debian's kustomize build reports "(devel)", so its version is the package's, recorded at install,
# once the binary has shown it runs.
kustomize_version() {
  [[ -x "$PREFIX/bin/kustomize" && -r "$PREFIX/PACKAGES" ]] && "$PREFIX/bin/kustomize" version >/dev/null 2>&1 &&
    sed -n 's/^kustomize=\([0-9.]*\).*/\1/p' "$PREFIX/PACKAGES" || true
}
promtool_version() { [[ -x "$PREFIX/bin/promtool" ]] && "$PREFIX/bin/promtool" --version 2>&1 | sed -n '1s/^promtool, version \([0-9.]*\).*/\1/p' || true; }
installed() { [[ "$(kustomize_version)" == "$KUSTOMIZE_VERSION" && "$(promtool_version)" == "$PROMTOOL_VERSION" ]]; }

report() {
  if [[ $MODE == print-path ]]; then
    printf '%s\n' "$PREFIX/bin"
  else
    printf 'kustomize %s and promtool %s are installed in %s\n' "$KUSTOMIZE_VERSION" "$PROMTOOL_VERSION" "$PREFIX/bin"
  fi
}

if [[ $FORCE -eq 0 ]] && installed; then
  [[ $MODE == check ]] && exit 0
  report
  exit 0
fi
if [[ $MODE == check ]]; then
  say "expected kustomize $KUSTOMIZE_VERSION and promtool $PROMTOOL_VERSION in $PREFIX/bin (found: '$(kustomize_version)', '$(promtool_version)')"
  exit 1
fi

for c in apt-get dpkg dpkg-deb sed; do
  command -v "$c" >/dev/null 2>&1 || die "'$c' not found: this script needs a Debian-like system with apt and dpkg"
done

mkdir -p "$TOOLS_DIR"
exec 9>"$TOOLS_DIR/.k8s.lock"
flock 9
if [[ $FORCE -eq 0 ]] && installed; then
  report
  exit 0
fi

if [[ ! -r "$TRIXIE/apt.conf" ]]; then
  say "no private trixie apt state yet: running scripts/install-wasmedge.sh to create it"
  bash "$REPO_ROOT/scripts/install-wasmedge.sh" >/dev/null
fi

LOG="$TOOLS_DIR/k8s-install.log"
: >"$LOG"

rm -rf "$STAGING"
mkdir -p "$STAGING/debs" "$STAGING/root" "$STAGING/bin"
[[ $(id -u) -eq 0 ]] && id _apt >/dev/null 2>&1 && chown _apt "$STAGING/debs"
download() { (cd "$STAGING/debs" && APT_CONFIG="$TRIXIE/apt.conf" run apt-get -q download kustomize promtool); }
say "downloading kustomize and promtool from trixie"
if ! download; then
  say "download failed: refreshing the private trixie lists once"
  APT_CONFIG="$TRIXIE/apt.conf" run apt-get -q --error-on=any update
  download || die "apt-get download kustomize promtool failed (see $LOG)"
fi

shopt -s nullglob
DEBFILES=("$STAGING"/debs/*.deb)
shopt -u nullglob
((${#DEBFILES[@]} == 2)) || die "expected 2 .deb files, found ${#DEBFILES[@]}"
for f in "${DEBFILES[@]}"; do
  dpkg -x "$f" "$STAGING/root"
  printf '%s=%s\n' "$(dpkg-deb -f "$f" Package)" "$(dpkg-deb -f "$f" Version)" >>"$STAGING/PACKAGES"
done
install -m 0755 "$STAGING/root/usr/bin/kustomize" "$STAGING/root/usr/bin/promtool" "$STAGING/bin/"
rm -rf "$STAGING/debs" "$STAGING/root"

rm -rf "$PREFIX"
mv "$STAGING" "$PREFIX"
installed || die "installed binaries report kustomize '$(kustomize_version)' and promtool '$(promtool_version)', expected $KUSTOMIZE_VERSION and $PROMTOOL_VERSION"
report
