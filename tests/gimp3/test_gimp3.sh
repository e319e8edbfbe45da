#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# GIMP 3: builds the GIMP 3 plug-in (and the GEGL operations) from this
# checkout inside the Debian 13 root and runs the GIMP 3 cases there
# (tests/gimp3/filters3.sh).  The root is made once and cached outside
# the checkout (tests/gimp3/trixie-root.sh, ATELIER_TRIXIE_ROOT); the
# mounts are undone however the test ends (tests/gimp3/in-root.sh).
#
#   tests/gimp3/test_gimp3.sh [BUILD_DIR]   (BUILD_DIR is the host's, unused:
#                                            the root builds build-trixie/)
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/report.sh"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "$here/tests/gimp3/trixie-root.sh" >"$log" 2>&1; then
  bail "the Debian 13 root could not be made: $(tail -c 400 "$log" | tr '\n' '|')"
fi
if ! "$here/tests/gimp3/in-root.sh" make -j2 BUILD=build-trixie \
     cli translations plugin3 gegl-ops >"$log" 2>&1; then
  bail "the GIMP 3 build failed: $(grep -m3 -e 'error' "$log" | tr '\n' '|')"
fi
ok gimp3-plugin-and-gegl-ops-build
relay < <("$here/tests/gimp3/in-root.sh" tests/gimp3/filters3.sh build-trixie)
[ "$relayed_ok" -gt 0 ] || fail gimp3-cases "filters3.sh ran no case"
finish
