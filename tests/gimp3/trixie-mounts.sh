# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced: trixie_mount ROOT / trixie_umount ROOT bind the host's /proc,
# /dev and /dev/pts into the Debian 13 root (GIMP, GLib and apt need them)
# and take them away again; both are safe to call twice.
trixie_mount () {
  local root=$1 d
  for d in proc dev dev/pts; do
    mountpoint -q "$root/$d" && continue
    ${SUDO:-} mkdir -p "$root/$d"
    case $d in
      proc) ${SUDO:-} mount -t proc proc "$root/proc" ;;
      *)    ${SUDO:-} mount --bind "/$d" "$root/$d" ;;
    esac
  done
}

trixie_umount () {
  local root=$1 d
  for d in dev/pts dev proc; do
    mountpoint -q "$root/$d" && ${SUDO:-} umount -l "$root/$d" || true
  done
}
