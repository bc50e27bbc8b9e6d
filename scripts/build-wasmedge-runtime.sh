#!/usr/bin/env bash
# Build WasmEdge 0.14.1 WITHOUT LLVM into <repo>/.tools/wasmedge-runtime/: the runtime that runs our AOT
# modules. Debian's build links libLLVM (130 MB) and loading it costs about 13 ms before any Wasm runs;
# this build starts in about 1.5 ms and runs the AOT modules made by Debian's LLVM-enabled
# `wasmedge compile --generic-binary` (scripts/install-wasmedge.sh) at full native speed. It cannot compile.
#
#   bash scripts/build-wasmedge-runtime.sh               build if needed, print one line saying where
#   bash scripts/build-wasmedge-runtime.sh --print-path  build if needed, print only the binary's path on stdout
#   bash scripts/build-wasmedge-runtime.sh --check       exit 0 if the current build is in .tools/, 1 if not
#   bash scripts/build-wasmedge-runtime.sh --shared      build libwasmedge.so without LLVM instead (what crun's
#                                                        WasmEdge handler loads) into .tools/wasmedge-runtime-shared/
#   bash scripts/build-wasmedge-runtime.sh --force       rebuild even if cached
#   bash scripts/build-wasmedge-runtime.sh --verbose     show cmake's and ninja's output
#
# Sources: the three tarballs in ../shared/vendor/wasmedge/ (WasmEdge trimmed, fmt 11.0.2 with WasmEdge's
# patch applied, spdlog 1.13.0), checked against that folder's SHA256SUMS and against the hashes pinned
# below. Without that folder the same release's upstream tarballs are downloaded from GitHub, checked
# against the pinned upstream hashes, and WasmEdge's fmt patch is applied here.
#
# Cache: a build costs about 7 minutes of 2 cores, so its result is kept OUTSIDE the clone, in
# ${XDG_CACHE_HOME:-~/.cache}/edgetrace/wasmedge-runtime-<variant>-<key>/, where key hashes the tarballs'
# SHA-256s, the variant and this recipe's version. A second run, or a fresh clone on the same machine,
# copies the result (2 MB) into .tools/ and builds nothing.
#
# Needs cmake, ninja and g++: as root on Debian they are installed (apt-get install cmake ninja-build g++)
# when missing; curl only to download sources.
#
# Environment overrides (all optional)
#   EDGETRACE_WASMEDGE_SOURCES  folder of the vendored tarballs + SHA256SUMS (default <repo>/../shared/vendor/wasmedge)
#   EDGETRACE_CACHE_DIR         cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/edgetrace)
#   EDGETRACE_BUILD_JOBS        parallel compile jobs (default: number of CPUs)
set -Eeuo pipefail

readonly VERSION=0.14.1
# Part of the cache key: bump it when the cmake line or the installed layout changes.
readonly RECIPE=1
REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly REPO_ROOT
readonly SOURCES_DIR="${EDGETRACE_WASMEDGE_SOURCES:-$REPO_ROOT/../shared/vendor/wasmedge}"
readonly CACHE_ROOT="${EDGETRACE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/edgetrace}"
readonly JOBS="${EDGETRACE_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# name sha256 [url], one tarball a line. Vendored: ../shared/vendor/wasmedge (its README says what they hold).
readonly VENDORED_TARBALLS="
wasmedge-0.14.1-src.tar.xz 9973b62cbbecda329de97e26a651b7de7a983880b6fc2ca836b61ddce06eccd0
fmt-11.0.2-patched.tar.xz 63586dd3816c0847098179f3e8e1285bd3e45335ab79d38f6935cdb6c33c85c1
spdlog-1.13.0.tar.xz 55ccac46c42cd7a2006049ad434d219eaa5a51d790bcd8cdcd62fb8805c9da94
"
# Upstream: the release's source tarball and the fmt/spdlog tags WasmEdge 0.14.1 pins (cmake/Helper.cmake).
readonly UPSTREAM_TARBALLS="
WasmEdge-0.14.1-src.tar.gz e5a944975fb949ecda73d6fe80a86507deb2d0a221b2274338807b63758350b4 https://github.com/WasmEdge/WasmEdge/releases/download/0.14.1/WasmEdge-0.14.1-src.tar.gz
fmt-11.0.2.tar.gz 6cb1e6d37bdcb756dbbe59be438790db409cdb4868c66e888d5df9f13f7c027f https://github.com/fmtlib/fmt/archive/refs/tags/11.0.2.tar.gz
spdlog-1.13.0.tar.gz 534f2ee1a4dcbeb22249856edfb2be76a1cf4f708a20b0ac2ed090ee24cfdbc9 https://github.com/gabime/spdlog/archive/refs/tags/v1.13.0.tar.gz
"

MODE=install
VARIANT=static
FORCE=0
VERBOSE=0
LOG=""

readonly SCRIPT_NAME=build-wasmedge-runtime
readonly LOG_TAIL_LINES=30
# shellcheck source=lib/common.sh
source "$REPO_ROOT/scripts/lib/common.sh"
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR

while (($#)); do
  case "$1" in
  --shared) VARIANT=shared ;;
  *) common_option "$1" || die "unknown option '$1' (try --help)" ;;
  esac
  shift
done

if [[ $VARIANT == static ]]; then
  readonly TARGET_DIR="$REPO_ROOT/.tools/wasmedge-runtime"
  readonly PRODUCT="$TARGET_DIR/bin/wasmedge"
else
  readonly TARGET_DIR="$REPO_ROOT/.tools/wasmedge-runtime-shared"
  readonly PRODUCT="$TARGET_DIR/lib/libwasmedge.so.0"
fi

# ---------------------------------------------------------------- sources and cache key
# Vendored tarballs when their folder exists, else the upstream ones (downloaded below if missing).
if [[ -r "$SOURCES_DIR/SHA256SUMS" ]]; then
  ORIGIN=vendored
  TARBALLS="$VENDORED_TARBALLS"
else
  ORIGIN=upstream
  TARBALLS="$UPSTREAM_TARBALLS"
fi
KEY="$(printf 'recipe=%s variant=%s version=%s\n%s' "$RECIPE" "$VARIANT" "$VERSION" "$TARBALLS" | sha256sum | cut -c1-16)"
readonly KEY
readonly CACHE_DIR="$CACHE_ROOT/wasmedge-runtime-$VARIANT-$KEY"

report() {
  if [[ $MODE == print-path ]]; then
    printf '%s\n' "$PRODUCT"
  else
    printf 'wasmedge %s without LLVM (%s) is at %s (cache %s)\n' "$VERSION" "$VARIANT" "$PRODUCT" "$CACHE_DIR"
  fi
}
installed_key() { sed -n 's/^key=//p' "$TARGET_DIR/BUILD-INFO" 2>/dev/null || true; }

# ---------------------------------------------------------------- fast paths
if [[ $FORCE -eq 0 && -e "$PRODUCT" && "$(installed_key)" == "$KEY" ]]; then
  [[ $MODE == check ]] && exit 0
  report
  exit 0
fi
if [[ $MODE == check ]]; then
  say "the LLVM-free wasmedge ($VARIANT, key $KEY) is not in $TARGET_DIR"
  exit 1
fi

# install_from_cache: copy (not link) the cached build into .tools/, so the clone keeps working when the
# cache is cleaned; swapped in through a staging folder so a reader never sees half a copy.
install_from_cache() {
  local staging="$TARGET_DIR.staging.$$"
  rm -rf "$staging"
  mkdir -p "$(dirname -- "$TARGET_DIR")"
  cp -a "$CACHE_DIR" "$staging"
  rm -rf "$TARGET_DIR"
  mv "$staging" "$TARGET_DIR"
}

mkdir -p "$CACHE_ROOT"
# One builder per variant and cache at a time (parallel clones and test set-ups); re-check once we
# hold the lock.
exec 9>"$CACHE_ROOT/wasmedge-runtime-$VARIANT.lock"
flock 9
if [[ $FORCE -eq 0 && -r "$CACHE_DIR/BUILD-INFO" ]]; then
  install_from_cache
  report
  exit 0
fi

# The build tools, from Debian when missing and we may install (as ensure-rabbitmq.sh does).
missing=()
for c in cmake ninja g++; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
if ((${#missing[@]})) && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  say "installing Debian's cmake, ninja-build and g++ (missing: ${missing[*]})"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends cmake ninja-build g++ >&2 ||
    die "could not install cmake, ninja-build and g++ with apt-get"
fi
for c in cmake ninja g++ tar xz sha256sum strip; do
  command -v "$c" >/dev/null 2>&1 || die "'$c' not found; on Debian (as root): apt-get install -y cmake ninja-build g++ xz-utils"
done

# The build folder is kept until the result is published, so a run that fails late (or is
# interrupted) resumes where it stopped instead of paying the 7 minutes again.
WORK="$CACHE_ROOT/wasmedge-runtime-build-$VARIANT-$KEY"
mkdir -p "$WORK"
# The log outlives the work folder, so a failed build can be read afterwards.
LOG="$CACHE_ROOT/wasmedge-runtime-$VARIANT.log"
: >"$LOG"

# verify FILE SHA256: the file's hash must be the pinned one.
verify() {
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  [[ "$got" == "$2" ]] || die "$1 has SHA-256 $got, expected $2 (corrupt or a different release)"
}

# unpack TARBALL DIR: extract with the top folder stripped, so vendored and upstream layouts agree.
unpack() {
  mkdir -p "$2"
  tar -xf "$1" -C "$2" --strip-components=1
}

rm -rf "$WORK/src.tmp"
if [[ -d "$WORK/src" ]]; then
  say "resuming the build in $WORK"
elif [[ $ORIGIN == vendored ]]; then
  say "verifying the vendored tarballs in $SOURCES_DIR against SHA256SUMS"
  (cd "$SOURCES_DIR" && sha256sum --check --strict --quiet SHA256SUMS) >>"$LOG" 2>&1 ||
    die "the tarballs in $SOURCES_DIR do not match their SHA256SUMS"
  while read -r name sum; do
    [[ -n "$name" ]] || continue
    grep -qE "^$sum [ *]$name\$" "$SOURCES_DIR/SHA256SUMS" ||
      die "$SOURCES_DIR/SHA256SUMS does not list $name with the pinned hash $sum (a different vendor drop?)"
    verify "$SOURCES_DIR/$name" "$sum"
  done <<<"$VENDORED_TARBALLS"
  unpack "$SOURCES_DIR/wasmedge-0.14.1-src.tar.xz" "$WORK/src.tmp/wasmedge"
  unpack "$SOURCES_DIR/fmt-11.0.2-patched.tar.xz" "$WORK/src.tmp/fmt"
  unpack "$SOURCES_DIR/spdlog-1.13.0.tar.xz" "$WORK/src.tmp/spdlog"
else
  command -v curl >/dev/null 2>&1 || die "'curl' not found: needed to download the sources ($SOURCES_DIR does not exist)"
  command -v patch >/dev/null 2>&1 || die "'patch' not found: needed to patch fmt (apt-get install -y patch)"
  DOWNLOADS="$CACHE_ROOT/downloads"
  mkdir -p "$DOWNLOADS"
  while read -r name sum url; do
    [[ -n "$name" ]] || continue
    if [[ ! -r "$DOWNLOADS/$name" ]] || [[ "$(sha256sum "$DOWNLOADS/$name" | cut -d' ' -f1)" != "$sum" ]]; then
      say "downloading $url"
      curl -fsSL --retry 3 -o "$DOWNLOADS/$name.part" "$url" || die "could not download $url"
      mv "$DOWNLOADS/$name.part" "$DOWNLOADS/$name"
    fi
    verify "$DOWNLOADS/$name" "$sum"
  done <<<"$UPSTREAM_TARBALLS"
  unpack "$DOWNLOADS/WasmEdge-0.14.1-src.tar.gz" "$WORK/src.tmp/wasmedge"
  unpack "$DOWNLOADS/fmt-11.0.2.tar.gz" "$WORK/src.tmp/fmt"
  unpack "$DOWNLOADS/spdlog-1.13.0.tar.gz" "$WORK/src.tmp/spdlog"
  # What WasmEdge's own FetchContent does to fmt (cmake/Helper.cmake), done here because we build offline.
  run patch -d "$WORK/src.tmp/fmt" -p1 -i "$WORK/src.tmp/wasmedge/cmake/0001-support-arithmetic-operations-in-uint128_fallback.patch"
  # Without VERSION the build calls itself 0.0.0-unreleased (it would ask git otherwise).
  [[ -s "$WORK/src.tmp/wasmedge/VERSION" ]] || printf '%s' "$VERSION" >"$WORK/src.tmp/wasmedge/VERSION"
fi
[[ -d "$WORK/src" ]] || mv "$WORK/src.tmp" "$WORK/src"

# ---------------------------------------------------------------- build
CMAKE_ARGS=(
  -S "$WORK/src/wasmedge" -B "$WORK/build" -G Ninja -DCMAKE_BUILD_TYPE=Release
  -DWASMEDGE_USE_LLVM=OFF -DWASMEDGE_BUILD_PLUGINS=OFF -DWASMEDGE_BUILD_TESTS=OFF -DWASMEDGE_BUILD_EXAMPLE=OFF
  -DCMAKE_DISABLE_FIND_PACKAGE_spdlog=ON -DFETCHCONTENT_FULLY_DISCONNECTED=ON
  -DFETCHCONTENT_SOURCE_DIR_FMT="$WORK/src/fmt" -DFETCHCONTENT_SOURCE_DIR_SPDLOG="$WORK/src/spdlog"
)
if [[ $VARIANT == static ]]; then
  # The README's line that worked: one static tool linking only libstdc++, libm, libgcc_s and libc.
  CMAKE_ARGS+=(-DWASMEDGE_BUILD_SHARED_LIB=OFF -DWASMEDGE_LINK_TOOLS_STATIC=ON)
  TARGETS=(wasmedge)
else
  # The shared library, and a tool linked to it so the library can be checked by running something.
  CMAKE_ARGS+=(-DWASMEDGE_BUILD_SHARED_LIB=ON -DWASMEDGE_LINK_TOOLS_STATIC=OFF)
  TARGETS=(wasmedge_shared wasmedge)
fi
say "building WasmEdge $VERSION without LLVM ($VARIANT, $ORIGIN sources, -j$JOBS); about 7 minutes on 2 cores"
say "log: $LOG"
run cmake "${CMAKE_ARGS[@]}" || die "cmake could not configure the build (see the log above)"
# nice: the build takes every core for minutes; let interactive work and tests go first.
run nice -n 10 ninja -C "$WORK/build" -j "$JOBS" "${TARGETS[@]}" || die "the build failed (see the log above)"

# ---------------------------------------------------------------- collect and verify
OUT="$WORK/out"
rm -rf "$OUT"
mkdir -p "$OUT/bin"
if [[ $VARIANT == static ]]; then
  cp "$WORK/build/tools/wasmedge/wasmedge" "$OUT/bin/wasmedge"
  strip "$OUT/bin/wasmedge"
else
  mkdir -p "$OUT/lib" "$OUT/include/wasmedge"
  cp -a "$WORK/build/lib/api/"libwasmedge.so* "$OUT/lib/"
  # The C API headers as the build generates them (wasmedge.h, enum_*.h, enum.inc, version.h, int128.h).
  cp "$WORK/build/include/api/wasmedge/"* "$OUT/include/wasmedge/"
  strip --strip-unneeded "$OUT/lib/"libwasmedge.so.*.*
  # A tool linked to the library, kept only to smoke-test it (run with LD_LIBRARY_PATH below).
  cp "$WORK/build/tools/wasmedge/wasmedge" "$OUT/bin/wasmedge"
  strip "$OUT/bin/wasmedge"
fi

# Proofs: no libLLVM in the dependencies, the right version, and a trivial module (exporting an empty
# _start) runs.
for obj in "$OUT"/bin/wasmedge "$OUT"/lib/libwasmedge.so.0; do
  [[ -e "$obj" ]] || continue
  if LD_LIBRARY_PATH="$OUT/lib" ldd "$obj" 2>&1 | tee -a "$LOG" | grep -qi llvm; then
    die "$obj links LLVM: the build did not honour WASMEDGE_USE_LLVM=OFF"
  fi
done
got="$(LD_LIBRARY_PATH="$OUT/lib" "$OUT/bin/wasmedge" --version 2>&1 || true)"
printf '+ wasmedge --version\n%s\n' "$got" >>"$LOG"
grep -qE "(^|[^0-9.])${VERSION//./\\.}([^0-9.]|$)" <<<"$got" ||
  die "the built wasmedge does not report version $VERSION; it says: $got"
printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x07\x0a\x01\x06_start\x00\x00\x0a\x04\x01\x02\x00\x0b' >"$WORK/t.wasm"
LD_LIBRARY_PATH="$OUT/lib" run "$OUT/bin/wasmedge" "$WORK/t.wasm" || die "the built wasmedge could not run a trivial module"

{
  printf 'key=%s\nversion=%s\nvariant=%s\nrecipe=%s\norigin=%s\n' "$KEY" "$VERSION" "$VARIANT" "$RECIPE" "$ORIGIN"
  printf 'built=%s\nhost=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(uname -srm)"
  printf '%s\n' "$TARBALLS" | sed '/^$/d; s/^/tarball /'
} >"$OUT/BUILD-INFO"

# Publish to the cache atomically (a rename), then copy into this clone.
rm -rf "$CACHE_DIR"
mv "$OUT" "$CACHE_DIR"
rm -rf "$WORK"
install_from_cache
say "built in $SECONDS s"
report
