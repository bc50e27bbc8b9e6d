#!/usr/bin/env bash
# Build the two images of the edge pod as OCI image layouts (and tar archives of them) with buildah,
# without a Docker daemon or any registry:
#
#   edgetrace-tracker-server  scratch + /tracker-server.wasm, the AOT module (wasmedge compile
#                             --generic-binary) for this machine's architecture; entrypoint the module,
#                             annotation module.wasm.image/variant=compat-smart (crun's WasmEdge handler)
#   edgetrace-sidecar         the Node host, uid 10001: this machine's node binary and the shared
#                             libraries it loads, dist/host, `npm ci --omit=dev` node_modules,
#                             build/tracker.wasm and build/ui
#
#   bash scripts/build-images.sh [--out DIR] [--dist DIR] [--core-wasm FILE] [--server-wasm FILE] [--ui DIR]
#
# Defaults: --out build/images, the repository's dist/, build/tracker.wasm, build/tracker-server.wasm and
# build/ui (run `npm run build` first). Writes DIR/<image>/ (OCI layout), DIR/<image>.oci.tar (for
# `k3s ctr images import` on an air-gapped node) and DIR/digests.json ({image: {digest, platform, tag}}).
#
# Reproducible: the layers' files, the config and the history carry SOURCE_DATE_EPOCH (default: the
# last commit's time), owners are 0:0, the rootfs is assembled with fixed modes, layers are written in
# name order; so the same inputs give the same manifest digest (tests/integration/deploy/images.test.ts).
set -Eeuo pipefail

REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
OUT="$REPO_ROOT/build/images"
DIST="$REPO_ROOT/dist"
CORE_WASM="$REPO_ROOT/build/tracker.wasm"
SERVER_WASM="$REPO_ROOT/build/tracker-server.wasm"
UI="$REPO_ROOT/build/ui"
die() {
  printf 'build-images: ERROR: %s\n' "$*" >&2
  exit 1
}
say() { printf 'build-images: %s\n' "$*" >&2; }

while (($#)); do
  case "$1" in
  --out) OUT="$2" ;;
  --dist) DIST="$2" ;;
  --core-wasm) CORE_WASM="$2" ;;
  --server-wasm) SERVER_WASM="$2" ;;
  --ui) UI="$2" ;;
  -h | --help)
    sed -n '2,/^set -Eeuo/{/^set -Eeuo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
    exit 0
    ;;
  *) die "unknown option '$1' (try --help)" ;;
  esac
  shift 2 || die "option $1 needs a value"
done

# buildah needs no daemon; a root Debian machine (CI) gets it from its own archive, others are told how.
if ! command -v buildah >/dev/null; then
  [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null || die "buildah not found: apt-get install -y buildah (Debian)"
  say "buildah not found: installing it with apt-get (Debian's package)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -q --no-install-recommends buildah || { apt-get update -q && apt-get install -y -q --no-install-recommends buildah; }; } >&2 ||
    die "apt-get install buildah failed"
fi
for input in "$DIST/host/main.js" "$CORE_WASM" "$SERVER_WASM" "$UI/index.html"; do
  [[ -e "$input" ]] || die "$input is missing: run npm run build first"
done
WASMEDGE="$(bash "$REPO_ROOT/scripts/install-wasmedge.sh" --print-path)"

case "$(uname -m)" in
x86_64) ARCH=amd64 LIBDIR=lib/x86_64-linux-gnu ;;
aarch64) ARCH=arm64 LIBDIR=lib/aarch64-linux-gnu ;;
*) die "unsupported architecture $(uname -m)" ;;
esac
VERSION="$(node -p 'require(process.argv[1]).version' "$REPO_ROOT/package.json")"
REVISION="$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || printf unknown)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$REPO_ROOT" log -1 --format=%ct 2>/dev/null || printf 0)}"
CREATED="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"

# A private buildah store per run: nothing is left in /var/lib/containers and parallel runs never meet.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/edgetrace-images.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
BUILDAH=(buildah --root "$WORK/store" --runroot "$WORK/run" --storage-driver vfs)
umask 022

labels() {
  local title=$1 description=$2
  printf '%s\n' --label "org.opencontainers.image.title=$title" \
    --label "org.opencontainers.image.description=$description" \
    --label "org.opencontainers.image.version=$VERSION" \
    --label "org.opencontainers.image.revision=$REVISION" \
    --label "org.opencontainers.image.created=$CREATED" \
    --label "org.opencontainers.image.licenses=Apache-2.0" \
    --label "org.opencontainers.image.source=https://github.com/edgetrace/edgetrace"
}

# commit NAME CONTAINER: the OCI layout OUT/NAME (replaced), its tar archive and its digest.
commit() {
  local name=$1 container=$2
  rm -rf "${OUT:?}/$name" "$OUT/$name.oci.tar"
  # gzip layers (buildah's default for oci: is uncompressed); Go's gzip output is deterministic.
  "${BUILDAH[@]}" commit --quiet --format oci --disable-compression=false --timestamp "$SOURCE_DATE_EPOCH" \
    "$container" "oci:$OUT/$name:$VERSION" >/dev/null
  "${BUILDAH[@]}" rm "$container" >/dev/null
  tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner -C "$OUT/$name" -cf "$OUT/$name.oci.tar" .
  node -e 'const [index] = JSON.parse(require("fs").readFileSync(process.argv[1])).manifests; console.log(index.digest)' "$OUT/$name/index.json"
}

mkdir -p "$OUT"

# ---------------------------------------------------------------- wasm image
say "compiling the AOT module for linux/$ARCH (generic binary: no host-specific CPU features)"
"$WASMEDGE" compile --generic-binary "$SERVER_WASM" "$WORK/tracker-server.wasm" >"$WORK/compile.log" 2>&1 ||
  die "wasmedge compile failed: $(tail -5 "$WORK/compile.log")"
chmod 0644 "$WORK/tracker-server.wasm"
ctr="$("${BUILDAH[@]}" from --quiet scratch)"
"${BUILDAH[@]}" copy --quiet --chown 0:0 "$ctr" "$WORK/tracker-server.wasm" /tracker-server.wasm >/dev/null
mapfile -t LABELS < <(labels edgetrace-tracker-server 'tracker-server.wasm (AOT) for WasmEdge: the edge tracker HTTP server on :8080')
"${BUILDAH[@]}" config --os linux --arch "$ARCH" --entrypoint '["/tracker-server.wasm"]' --cmd '' \
  --annotation module.wasm.image/variant=compat-smart --label module.wasm.image/variant=compat-smart \
  "${LABELS[@]}" --created-by 'scripts/build-images.sh' "$ctr"
WASM_DIGEST="$(commit edgetrace-tracker-server "$ctr")"

# ---------------------------------------------------------------- sidecar rootfs
say "assembling the sidecar rootfs (npm ci --omit=dev)"
ROOTFS="$WORK/rootfs"
APP="$ROOTFS/app"
mkdir -p "$APP/build" "$ROOTFS/etc" "$ROOTFS/usr/local/bin" "$ROOTFS/$LIBDIR" "$ROOTFS/tmp"
cp "$REPO_ROOT/package.json" "$REPO_ROOT/package-lock.json" "$APP/"
# --ignore-scripts: better-sqlite3's install would fetch a prebuilt binary or node headers from the
# internet; its addon is the one already built against this very node binary (same ABI).
(cd "$APP" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1) ||
  die "npm ci failed: $(tail -5 "$WORK/npm.log")"
ADDON=node_modules/better-sqlite3/build/Release/better_sqlite3.node
mkdir -p "$APP/$(dirname "$ADDON")"
cp "$REPO_ROOT/$ADDON" "$APP/$ADDON"
# better-sqlite3's C sources (SQLite's amalgamation is 9 MB) are only needed to build the addon.
rm -rf "$APP/node_modules/better-sqlite3/deps" "$APP/node_modules/better-sqlite3/src"
cp -r "$DIST/host" "$APP/dist-host" && mkdir -p "$APP/dist" && mv "$APP/dist-host" "$APP/dist/host"
find "$APP/dist" -name '*.map' -delete
cp "$CORE_WASM" "$APP/build/tracker.wasm"
cp -r "$UI" "$APP/build/ui"
NODE_BIN="$(readlink -f "$(command -v node)")"
cp "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
# The loader and every library node and the addon load, at the paths the loader looks in.
for lib in $(ldd "$NODE_BIN" "$REPO_ROOT/$ADDON" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' | sort -u); do
  mkdir -p "$ROOTFS$(dirname "$lib")"
  cp -L "$lib" "$ROOTFS$lib"
done
printf 'root:x:0:0:root:/root:/sbin/nologin\nedgetrace:x:10001:10001:edgetrace:/app:/sbin/nologin\n' >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nedgetrace:x:10001:\n' >"$ROOTFS/etc/group"
chmod -R u=rwX,go=rX "$ROOTFS"
chmod 1777 "$ROOTFS/tmp"
find "$ROOTFS" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

ctr="$("${BUILDAH[@]}" from --quiet scratch)"
"${BUILDAH[@]}" copy --quiet --chown 0:0 "$ctr" "$ROOTFS" / >/dev/null
mapfile -t LABELS < <(labels edgetrace-sidecar 'edgetrace Node host: the sidecar of tracker-server.wasm (JOURNAL_TAIL) or the hub')
"${BUILDAH[@]}" config --os linux --arch "$ARCH" --user 10001:10001 --workingdir /app \
  --env NODE_ENV=production --entrypoint '["/usr/local/bin/node","/app/dist/host/main.js"]' --cmd '' \
  --port 8080 "${LABELS[@]}" --created-by 'scripts/build-images.sh' "$ctr"
SIDECAR_DIGEST="$(commit edgetrace-sidecar "$ctr")"

cat >"$OUT/digests.json" <<EOF
{
  "edgetrace-sidecar": { "digest": "$SIDECAR_DIGEST", "platform": "linux/$ARCH", "tag": "$VERSION" },
  "edgetrace-tracker-server": { "digest": "$WASM_DIGEST", "platform": "linux/$ARCH", "tag": "$VERSION" }
}
EOF
say "edgetrace-tracker-server@$WASM_DIGEST, edgetrace-sidecar@$SIDECAR_DIGEST (linux/$ARCH) in $OUT"
