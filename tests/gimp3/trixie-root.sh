#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Creates (once) the Debian 13 root the GIMP 3 tests run in and prints its
# path.  The root lives outside the checkout, in ATELIER_TRIXIE_ROOT
# (default /var/cache/atelier/trixie): a fresh one is a debootstrap of
# trixie plus GIMP 3, its headers and the build tools, about 2 GB and two
# minutes.  A root that finished installing carries .atelier-ready (with
# the package list it holds); a half-made one is removed and made again.
set -euo pipefail

ROOT=${ATELIER_TRIXIE_ROOT:-/var/cache/atelier/trixie}
# what building and testing Atelier for GIMP 3 needs inside the root
PACKAGES="gimp libgimp-3.0-dev build-essential pkg-config libgegl-dev
  libbabl-dev gegl libopenblas-dev liblapacke-dev libpng-dev libjpeg-dev libtiff-dev
  libwebp-dev zlib1g-dev gettext python3 python3-gi gir1.2-gimp-3.0
  python3-numpy python3-pil ca-certificates locales"
# the Chinese cases need a zh_CN locale: under C.UTF-8, Debian 13's glibc
# ignores LANGUAGE
LOCALES="zh_CN.UTF-8"
STAMP="$ROOT/.atelier-ready"
want=$(echo $PACKAGES $LOCALES)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "$ROOT"
  exit 0
fi

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
if ! command -v debootstrap >/dev/null; then
  $SUDO apt-get install -y -qq --no-install-recommends debootstrap >&2
fi

in_root () {
  $SUDO chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"
}

if [ ! -x "$ROOT/usr/bin/apt-get" ] || [ ! -f "$ROOT/.atelier-bootstrapped" ]; then
  $SUDO rm -rf "$ROOT"
  $SUDO mkdir -p "$(dirname "$ROOT")"
  echo "trixie-root: debootstrap into $ROOT" >&2
  $SUDO debootstrap --variant=minbase trixie "$ROOT" >&2
  $SUDO touch "$ROOT/.atelier-bootstrapped"
fi

# apt inside the root needs /proc and /dev for a few postinst scripts
. "$(dirname "$0")/trixie-mounts.sh"
trixie_mount "$ROOT"
trap 'trixie_umount "$ROOT"' EXIT
$SUDO cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
echo "trixie-root: installing GIMP 3 and the build tools" >&2
in_root apt-get update -qq >&2
in_root apt-get install -y -qq --no-install-recommends $PACKAGES >&2
for l in $LOCALES; do
  in_root localedef -i "${l%%.*}" -f "${l#*.}" "$l" >&2
done
echo "$want" | $SUDO tee "$STAMP" >/dev/null
echo "$ROOT"
