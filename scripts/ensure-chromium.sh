#!/usr/bin/env bash
# Provides the headless browser the console test drives: Debian's chromium package at
# /usr/bin/chromium. playwright-core only speaks the DevTools protocol to it; Playwright's own
# browser download (npx playwright install) cannot reach its CDN from CI, Debian's archive can.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing and installing it needs root (apt-get install chromium)" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version >&2
