#!/usr/bin/env bash
# Provides the headless browser the console test drives: Debian's chromium package at
# /usr/bin/chromium. playwright-core only speaks the DevTools protocol to it; Playwright's own
# browser download (npx playwright install) cannot reach its CDN from CI, Debian's archive can.
set -euo pipefail
# shellcheck source=lib/debian-package.sh
source "$(dirname "$0")/lib/debian-package.sh"
ensure_debian_package ensure-chromium /usr/bin/chromium chromium fonts-dejavu-core
