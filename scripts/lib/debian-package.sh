# shellcheck shell=bash
# ensure_debian_package NAME BINARY PACKAGE...: what the ensure-*.sh scripts share. Nothing to do
# when BINARY is there; otherwise the packages are installed from Debian's archive (the one package
# source CI reaches), which needs root; without root the run stops with the apt-get line to run.
ensure_debian_package() {
  local name=$1 binary=$2
  shift 2
  if [ -x "$binary" ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "$name: $binary is missing and installing it needs root (apt-get install $*)" >&2
    exit 1
  fi
  echo "$name: installing Debian's $1 package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  # wrk has no --version (it prints its usage and exits 1): say what was installed instead.
  echo "$name: installed $binary ($(dpkg-query -W -f='${Package} ${Version}' "$1"))" >&2
}
