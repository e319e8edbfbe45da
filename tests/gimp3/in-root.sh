#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command in the Debian 13 root (tests/gimp3/trixie-root.sh makes
# it once) with this checkout at /src, ../shared at /shared and the
# host's /proc and /dev, all unmounted again when the command ends,
# however it ends.
#
#   tests/gimp3/in-root.sh COMMAND...     (run in /src, as root)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "$here/../shared" 2>/dev/null && pwd -P || true)
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
ROOT=$("$here/tests/gimp3/trixie-root.sh")
. "$here/tests/gimp3/trixie-mounts.sh"

cleanup () {
  mountpoint -q "$ROOT/src" && $SUDO umount -l "$ROOT/src" || true
  mountpoint -q "$ROOT/shared" && $SUDO umount -l "$ROOT/shared" || true
  trixie_umount "$ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trixie_mount "$ROOT"
$SUDO mkdir -p "$ROOT/src" "$ROOT/shared"
mountpoint -q "$ROOT/src" || $SUDO mount --bind "$here" "$ROOT/src"
if [ -n "$shared" ] && ! mountpoint -q "$ROOT/shared"; then
  $SUDO mount --bind "$shared" "$ROOT/shared"
fi
$SUDO chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 TERM=dumb /bin/bash -c 'cd /src && "$@"' bash "$@"
