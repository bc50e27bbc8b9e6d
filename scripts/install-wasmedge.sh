#!/usr/bin/env bash
# Install WasmEdge 0.14.x from Debian trixie's packages into <repo>/.tools/wasmedge/
# without touching the machine's apt configuration, lists or dpkg database.
#
#   bash scripts/install-wasmedge.sh               install if needed, print one line saying where
#   bash scripts/install-wasmedge.sh --print-path  install if needed, print only the wrapper path on stdout
#   bash scripts/install-wasmedge.sh --check       exit 0 if the expected version is installed, 1 if not
#   bash scripts/install-wasmedge.sh --force       reinstall even if already installed
#   bash scripts/install-wasmedge.sh --verbose     show apt's output while installing
#
# How it works
#   * A private apt state under .tools/apt-trixie/ (its own apt.conf via APT_CONFIG, sources list, lists,
#     cache, empty dpkg status, no apt.conf.d hooks) points at the machine's own Debian mirror, suite
#     trixie, component main, signed-by the machine's debian-archive-keyring (bookworm's keyring already
#     carries trixie's keys; if it does not, the keyring package of the machine's own suite is fetched
#     through a verified private update and its keyring is used instead -- never trusted=yes).
#   * wasmedge + libwasmedge0 and their run-time library dependencies (Depends resolved recursively with
#     apt-cache against the private trixie lists, restricted to library packages) are fetched with
#     `apt-get download` and unpacked with `dpkg -x` into .tools/wasmedge/root/.
#   * trixie's glibc is newer than bookworm's, so .tools/wasmedge/bin/wasmedge is a small sh wrapper that
#     starts the real binary through trixie's own ld-linux with --library-path root/usr/lib/<triplet>.
#     WasmEdge 0.14 links its AOT output in-process (lld is built into libwasmedge), so
#     `wasmedge compile` needs no external ld/cc.
#
# Environment overrides (all optional)
#   EDGETRACE_WASMEDGE_VERSION  upstream version to require (default 0.14.1)
#   EDGETRACE_DEBIAN_MIRROR     Debian mirror URI (default: the machine's own, else http://deb.debian.org/debian/)
#   EDGETRACE_APT_KEYRING       keyring used to verify trixie's InRelease
#                               (default /usr/share/keyrings/debian-archive-keyring.gpg)
set -Eeuo pipefail

readonly EXPECTED_VERSION="${EDGETRACE_WASMEDGE_VERSION:-0.14.1}"
readonly SUITE=trixie
REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly REPO_ROOT
readonly TOOLS_DIR="$REPO_ROOT/.tools"
readonly PREFIX="$TOOLS_DIR/wasmedge"
readonly APT_DIR="$TOOLS_DIR/apt-trixie"
readonly WRAPPER="$PREFIX/bin/wasmedge"
readonly STAGING="$TOOLS_DIR/.wasmedge.staging"

MODE=install
FORCE=0
VERBOSE=0
# This run's log, set once the run starts one (below), so an error never shows an older run's.
LOG=""

readonly SCRIPT_NAME=install-wasmedge
readonly LOG_TAIL_LINES=25
# shellcheck source=lib/common.sh
source "$REPO_ROOT/scripts/lib/common.sh"
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR

while (($#)); do
  common_option "$1" || die "unknown option '$1' (try --help)"
  shift
done

# Version the installed wrapper reports ("" if none / broken).
installed_version() {
  [[ -x "$WRAPPER" ]] || return 0
  "$WRAPPER" --version 2>/dev/null | sed -n '1s/^wasmedge version \([^[:space:]]*\).*/\1/p' || true
}

report() {
  if [[ $MODE == print-path ]]; then
    printf '%s\n' "$WRAPPER"
  else
    local deb=""
    [[ -r "$PREFIX/VERSION" ]] && deb=" (Debian $(sed -n 's/^debian_version=//p' "$PREFIX/VERSION") from $SUITE)"
    printf 'wasmedge %s%s is installed at %s\n' "$EXPECTED_VERSION" "$deb" "$WRAPPER"
  fi
}

# ---------------------------------------------------------------- fast path
if [[ $FORCE -eq 0 && "$(installed_version)" == "$EXPECTED_VERSION" ]]; then
  [[ $MODE == check ]] && exit 0
  report
  exit 0
fi
if [[ $MODE == check ]]; then
  say "wasmedge $EXPECTED_VERSION is not installed at $WRAPPER (found: '$(installed_version)')"
  exit 1
fi

# ---------------------------------------------------------------- preconditions
for c in apt-get apt-cache apt-config dpkg dpkg-deb sed awk readlink; do
  command -v "$c" >/dev/null 2>&1 || die "'$c' not found: this script needs a Debian-like system with apt and dpkg"
done
ARCH="$(dpkg --print-architecture)"
case "$ARCH" in
amd64) TRIPLET=x86_64-linux-gnu LDSO=ld-linux-x86-64.so.2 ;;
arm64) TRIPLET=aarch64-linux-gnu LDSO=ld-linux-aarch64.so.1 ;;
*) die "unsupported architecture '$ARCH' (supported: amd64, arm64)" ;;
esac

mkdir -p "$TOOLS_DIR" "$APT_DIR"

# One installer at a time (parallel test set-ups); re-check once we hold the lock.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TOOLS_DIR/.wasmedge.lock"
  flock 9
  if [[ $FORCE -eq 0 && "$(installed_version)" == "$EXPECTED_VERSION" ]]; then
    report
    exit 0
  fi
fi

LOG="$APT_DIR/install.log"
: >"$LOG"

# ---------------------------------------------------------------- mirror
# The machine's own Debian mirror: the repository of its native suite, read from its sources
# (both one-line and deb822 formats) via apt itself; needs no `apt-get update` of the system.
detect_mirror() {
  local codename="" uri
  if [[ -r /etc/os-release ]]; then
    codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
  fi
  local targets
  # shellcheck disable=SC2016 # $(...) here are apt's format fields, not shell expansions
  targets="$(apt-get indextargets --no-release-info --format '$(TARGET_OF) $(RELEASE) $(REPO_URI)' 2>/dev/null | sort -u || true)"
  uri="$(awk -v c="$codename" '$1 == "deb" && c != "" && $2 == c && $3 ~ /^https?:\/\// { print $3; exit }' <<<"$targets")"
  if [[ -z "$uri" ]]; then
    uri="$(awk '$1 == "deb" && $2 !~ /security/ && $3 ~ /^https?:\/\/.*\/debian\/?$/ { print $3; exit }' <<<"$targets")"
  fi
  printf '%s' "${uri:-http://deb.debian.org/debian/}"
}
MIRROR="${EDGETRACE_DEBIAN_MIRROR:-$(detect_mirror)}"
MIRROR="${MIRROR%/}/"

# ---------------------------------------------------------------- private apt state
# write_apt_conf DIR SOURCES_LINE: a self-contained apt configuration under DIR, used via APT_CONFIG.
# APT_CONFIG is read before Dir::Etc::Parts/Main, so pointing those at private (empty) places keeps the
# system's apt.conf.d hooks (PackageKit, appstream, docker-clean ...) and preferences out of it. Only
# proxy settings are carried over from the system configuration, so a proxied machine still works.
write_apt_conf() {
  local dir=$1 line=$2
  mkdir -p "$dir"/{etc/apt.conf.d,etc/preferences.d,etc/sources.list.d,etc/trusted.gpg.d,state/lists/partial,cache/archives/partial,log}
  printf '%s\n' "$line" >"$dir/etc/sources.list"
  : >"$dir/state/status"
  {
    printf 'Dir::Etc::Parts "%s/etc/apt.conf.d";\n' "$dir"
    printf 'Dir::Etc::Main "%s/etc/apt.conf";\n' "$dir"
    printf 'Dir::Etc::SourceList "%s/etc/sources.list";\n' "$dir"
    printf 'Dir::Etc::SourceParts "%s/etc/sources.list.d";\n' "$dir"
    printf 'Dir::Etc::Preferences "%s/etc/preferences";\n' "$dir"
    printf 'Dir::Etc::PreferencesParts "%s/etc/preferences.d";\n' "$dir"
    printf 'Dir::Etc::Trusted "%s/etc/trusted.gpg";\n' "$dir"
    printf 'Dir::Etc::TrustedParts "%s/etc/trusted.gpg.d";\n' "$dir"
    printf 'Dir::State "%s/state";\n' "$dir"
    printf 'Dir::State::Lists "%s/state/lists";\n' "$dir"
    printf 'Dir::State::status "%s/state/status";\n' "$dir"
    printf 'Dir::Cache "%s/cache";\n' "$dir"
    printf 'Dir::Log "%s/log";\n' "$dir"
    printf 'APT::Architecture "%s";\n' "$ARCH"
    printf 'APT::Architectures { "%s"; };\n' "$ARCH"
    printf 'Acquire::Languages "none";\n'
    # Keep the private state small: compressed lists, no binary caches (apt-cache is called 3 times).
    printf 'Acquire::GzipIndexes "true";\n'
    printf 'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n'
    printf 'APT::Get::List-Cleanup "true";\n'
    # Carry over proxy settings (only) from the system's apt configuration.
    apt-config dump 2>/dev/null | grep -E '^Acquire::(http|https|ftp)::Proxy' || true
  } >"$dir/apt.conf"
  : >"$dir/etc/apt.conf"
  if [[ $(id -u) -eq 0 ]] && id _apt >/dev/null 2>&1; then
    # apt drops to _apt to download; let it write there (avoids the "unsandboxed as root" warning).
    chown _apt "$dir/state/lists/partial" "$dir/cache/archives/partial" 2>/dev/null || true
  fi
}

# apt_update DIR: `apt-get update` against the private state in DIR; every warning is an error.
apt_update() {
  APT_CONFIG="$1/apt.conf" run apt-get -q --error-on=any update
}

KEYRING="${EDGETRACE_APT_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}"
[[ -r "$KEYRING" ]] || die "keyring $KEYRING not found (install debian-archive-keyring, or set EDGETRACE_APT_KEYRING)"

TRIXIE="$APT_DIR/trixie"
update_trixie() {
  rm -rf "$TRIXIE/state/lists" "$TRIXIE/cache"
  write_apt_conf "$TRIXIE" "deb [arch=$ARCH signed-by=$1] $MIRROR $SUITE main"
  apt_update "$TRIXIE"
}

say "updating private $SUITE package lists from $MIRROR (keyring $KEYRING)"
if ! update_trixie "$KEYRING"; then
  if grep -qE 'NO_PUBKEY|EXPKEYSIG|not signed|signatures (couldn.t|were invalid)|is not signed' "$LOG"; then
    # The machine's keyring lacks trixie's keys: fetch the debian-archive-keyring package of the machine's
    # own suite (verified by the keyring we have) and use the newer keyring it ships.
    codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
    [[ -n "$codename" ]] || die "$KEYRING cannot verify $SUITE and the machine's Debian codename is unknown"
    say "$KEYRING cannot verify $SUITE; fetching debian-archive-keyring from $codename (verified with that keyring)"
    BOOT="$APT_DIR/keyring-bootstrap"
    rm -rf "$BOOT"
    # Only the suite itself: it is signed with the release key too; -updates carries archive keys only.
    write_apt_conf "$BOOT" "deb [arch=$ARCH signed-by=$KEYRING] $MIRROR $codename main"
    apt_update "$BOOT" || die "could not update private $codename lists to fetch a newer keyring (see $LOG)"
    mkdir -p "$BOOT/debs" "$BOOT/root"
    [[ $(id -u) -eq 0 ]] && id _apt >/dev/null 2>&1 && chown _apt "$BOOT/debs"
    (cd "$BOOT/debs" && APT_CONFIG="$BOOT/apt.conf" run apt-get -q download debian-archive-keyring)
    dpkg -x "$BOOT"/debs/debian-archive-keyring_*.deb "$BOOT/root"
    KEYRING="$BOOT/root/usr/share/keyrings/debian-archive-keyring.gpg"
    [[ -r "$KEYRING" ]] || die "debian-archive-keyring from $codename does not ship $KEYRING"
    update_trixie "$KEYRING" || die "even $codename's newest debian-archive-keyring cannot verify $SUITE's Release file (see $LOG); set EDGETRACE_APT_KEYRING to a keyring that holds trixie's archive keys"
  else
    die "apt-get update for $SUITE failed (see $LOG)"
  fi
fi

# Belt and braces: apt has verified the signature already; show who signed it and insist on a good one.
INRELEASE="$(find "$TRIXIE/state/lists" -maxdepth 1 -name "*_dists_${SUITE}_InRelease" | head -n1)"
[[ -n "$INRELEASE" ]] || die "no signed InRelease for $SUITE was fetched (a Release without InRelease is not accepted)"
if command -v gpgv >/dev/null 2>&1; then
  sigs="$(gpgv --status-fd 1 --keyring "$KEYRING" "$INRELEASE" 2>/dev/null | awk '$2 == "GOODSIG" { $1 = $2 = $3 = ""; sub(/^ +/, ""); print }' || true)"
  [[ -n "$sigs" ]] || die "gpgv finds no good signature on $INRELEASE with $KEYRING"
  while IFS= read -r s; do printf '+ good signature: %s\n' "$s" >>"$LOG"; done <<<"$sigs"
fi

APTC=(env "APT_CONFIG=$TRIXIE/apt.conf" apt-cache)

# ---------------------------------------------------------------- version
candidate() { "${APTC[@]}" policy "$1" 2>>"$LOG" | awk '$1 == "Candidate:" { print $2 }'; }
DEB_VERSION="$(candidate wasmedge)"
LIB_VERSION="$(candidate libwasmedge0)"
[[ -n "$DEB_VERSION" && "$DEB_VERSION" != "(none)" ]] || die "$SUITE at $MIRROR has no 'wasmedge' package"
[[ "$LIB_VERSION" == "$DEB_VERSION" ]] || die "wasmedge ($DEB_VERSION) and libwasmedge0 ($LIB_VERSION) versions differ in $SUITE"
upstream="${DEB_VERSION#*:}"
upstream="${upstream%-*}"
upstream="${upstream%%+*}"
upstream="${upstream%%~*}"
if [[ "$upstream" != "$EXPECTED_VERSION" ]]; then
  die "$SUITE serves wasmedge $DEB_VERSION (upstream $upstream), expected $EXPECTED_VERSION; set EDGETRACE_WASMEDGE_VERSION=$upstream to accept it"
fi
[[ "$upstream" == 0.14.* ]] || die "wasmedge $upstream is not a 0.14.x release"
say "$SUITE serves wasmedge $DEB_VERSION"

# ---------------------------------------------------------------- package set
# Depends/Pre-Depends of wasmedge, recursively, restricted to library packages (lib*, zlib1g): that
# drops e.g. gcc-14-base, which carries only documentation. The loader check below proves the set.
mapfile -t PKGS < <(
  "${APTC[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances wasmedge 2>>"$LOG" |
    awk '/^[^ <]/ { print $1 }' | sort -u |
    awk '$0 == "wasmedge" || $0 == "zlib1g" || /^lib/'
)
((${#PKGS[@]} >= 3)) || die "could not resolve wasmedge's dependencies in $SUITE (see $LOG)"
printf '+ packages: %s\n' "${PKGS[*]}" >>"$LOG"

# ---------------------------------------------------------------- download
DEBS="$APT_DIR/debs"
rm -rf "$DEBS"
mkdir -p "$DEBS"
[[ $(id -u) -eq 0 ]] && id _apt >/dev/null 2>&1 && chown _apt "$DEBS"
SPECS=()
for p in "${PKGS[@]}"; do
  case "$p" in
  wasmedge | libwasmedge0) SPECS+=("$p=$DEB_VERSION") ;;
  *) SPECS+=("$p") ;;
  esac
done
say "downloading ${#PKGS[@]} packages from $SUITE"
(cd "$DEBS" && APT_CONFIG="$TRIXIE/apt.conf" run apt-get -q download "${SPECS[@]}")
shopt -s nullglob
DEBFILES=("$DEBS"/*.deb)
shopt -u nullglob
((${#DEBFILES[@]} == ${#PKGS[@]})) || die "expected ${#PKGS[@]} .deb files in $DEBS, found ${#DEBFILES[@]}"
DOWNLOAD_BYTES="$(cat "${DEBFILES[@]}" | wc -c)"

# ---------------------------------------------------------------- unpack (into staging, then swap)
rm -rf "$STAGING"
mkdir -p "$STAGING/root" "$STAGING/bin"
for f in "${DEBFILES[@]}"; do
  dpkg -x "$f" "$STAGING/root"
  printf '%s=%s\n' "$(dpkg-deb -f "$f" Package)" "$(dpkg-deb -f "$f" Version)" >>"$STAGING/PACKAGES"
done

LIBDIR_REL="usr/lib/$TRIPLET"
[[ -x "$STAGING/root/$LIBDIR_REL/$LDSO" ]] || die "$SUITE's libc6 did not provide $LIBDIR_REL/$LDSO"
[[ -x "$STAGING/root/usr/bin/wasmedge" ]] || die "the wasmedge package did not provide usr/bin/wasmedge"

# The wrapper locates root/ relative to itself, so .tools/ can be moved (e.g. a fresh work tree).
cat >"$STAGING/bin/wasmedge" <<EOF
#!/bin/sh
# Generated by scripts/install-wasmedge.sh: WasmEdge $DEB_VERSION from Debian $SUITE, started through
# $SUITE's own dynamic loader (the machine's glibc may be older than what these binaries need).
# --inhibit-cache keeps the host's /etc/ld.so.cache (and its older libraries) out of the picture.
self=\$(readlink -f -- "\$0") || exit 127
root=\${self%/bin/*}/root
lib=\$root/$LIBDIR_REL
exec "\$lib/$LDSO" --inhibit-cache --library-path "\$lib" --argv0 wasmedge "\$root/usr/bin/wasmedge" "\$@"
EOF
chmod 0755 "$STAGING/bin/wasmedge"

# ---------------------------------------------------------------- verify
# 1. trixie's loader resolves every needed library inside root/.
L="$STAGING/root/$LIBDIR_REL"
for obj in "$STAGING/root/usr/bin/wasmedge" "$L/libwasmedge.so.0"; do
  listing="$("$L/$LDSO" --inhibit-cache --library-path "$L" --list "$obj" 2>&1)" || die "loader --list failed for $obj: $listing"
  printf '+ %s --list %s\n%s\n' "$LDSO" "$obj" "$listing" >>"$LOG"
  bad="$(grep -E '=>' <<<"$listing" | grep -vF "=> $STAGING/root/" || true)"
  [[ -z "$bad" ]] || die "libraries not resolved inside root/ for $obj:
$bad"
done
# 2. version, interpreter, AOT compile (universal wasm + shared object) and AOT run of a tiny module
#    exporting an empty _start.
got="$("$STAGING/bin/wasmedge" --version 2>&1 | sed -n '1s/^wasmedge version \([^[:space:]]*\).*/\1/p')"
[[ "$got" == "$EXPECTED_VERSION" ]] || die "installed wasmedge reports version '$got', expected $EXPECTED_VERSION"
smoke="$STAGING/smoke"
mkdir -p "$smoke"
printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x07\x0a\x01\x06_start\x00\x00\x0a\x04\x01\x02\x00\x0b' >"$smoke/t.wasm"
run "$STAGING/bin/wasmedge" "$smoke/t.wasm" || die "wasmedge could not run a trivial module (see $LOG)"
run "$STAGING/bin/wasmedge" compile "$smoke/t.wasm" "$smoke/t.aot.wasm" || die "wasmedge compile (universal wasm) failed (see $LOG)"
run "$STAGING/bin/wasmedge" compile "$smoke/t.wasm" "$smoke/t.aot.so" || die "wasmedge compile (shared object) failed (see $LOG)"
run "$STAGING/bin/wasmedge" "$smoke/t.aot.wasm" || die "wasmedge could not run its AOT universal wasm (see $LOG)"
run "$STAGING/bin/wasmedge" "$smoke/t.aot.so" || die "wasmedge could not run its AOT shared object (see $LOG)"
rm -rf "$smoke"

{
  printf 'upstream_version=%s\n' "$EXPECTED_VERSION"
  printf 'debian_version=%s\n' "$DEB_VERSION"
  printf 'suite=%s\nmirror=%s\narch=%s\n' "$SUITE" "$MIRROR" "$ARCH"
  printf 'download_bytes=%s\n' "$DOWNLOAD_BYTES"
} >"$STAGING/VERSION"

rm -rf "$PREFIX"
mv "$STAGING" "$PREFIX"
rm -rf "$DEBS" # 40 MiB of .deb files are not needed once unpacked
say "installed ${#PKGS[@]} packages ($((DOWNLOAD_BYTES / 1024 / 1024)) MiB downloaded, $(du -sm "$PREFIX" | cut -f1) MiB unpacked)"
report
