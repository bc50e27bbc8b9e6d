#!/usr/bin/env bash
# Provides the HTTP load generator bench:wasmedge drives its throughput runs with: Debian's wrk at
# /usr/bin/wrk (C, one thread, leaves the other core to the server it measures).
set -euo pipefail
# shellcheck source=lib/debian-package.sh
source "$(dirname "$0")/lib/debian-package.sh"
ensure_debian_package ensure-wrk /usr/bin/wrk wrk
