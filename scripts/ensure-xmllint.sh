#!/usr/bin/env bash
# Provides the XSD validator the XML answer tests check against GS1's EPCIS 2.0 query XSD: libxml2's
# xmllint from Debian's libxml2-utils package at /usr/bin/xmllint.
set -euo pipefail
# shellcheck source=lib/debian-package.sh
source "$(dirname "$0")/lib/debian-package.sh"
ensure_debian_package ensure-xmllint /usr/bin/xmllint libxml2-utils
