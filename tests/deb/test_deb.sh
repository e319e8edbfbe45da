#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package: builds it (dpkg-buildpackage -b -us -uc) on this
# Debian 12 machine (GIMP 2.10) and in the Debian 13 root of tests/gimp3
# (GIMP 3), runs lintian on each (no error, no tag about the manual
# pages), and checks that each .deb holds the commands and their manual
# pages, the styles, the catalogues, the GEGL operations and its GIMP's
# plug-in, and that the unpacked command restyles an image.  The Debian 13
# package is then installed in the root, used as a user would use it
# (tests/deb/installed3.sh: the commands, GIMP 3, GEGL, the Chinese
# catalogue) and purged again.  Slow (two package builds), so .ci/run
# runs it beside make check, not in it.
#
#   tests/deb/test_deb.sh [trixie-only|bookworm-only]
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/report.sh"
only=${1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# lintian_checks NAME LOG: lintian's output in LOG has no error and no
# tag about the manual pages; its lines are shown as comments
man_tags='^[EW]: .*(manual-page|manpage|groff-message|whatis|hyphen-used-as-minus-sign)'
lintian_checks () {
  local log=$2
  sed 's/^/# lintian: /' "$log"
  check "$1-lintian-no-errors" "$(grep '^E:' "$log" | head -3 | tr '\n' '|')" \
    '! grep -q "^E:" "$log"'
  check "$1-lintian-man-pages" "$(grep -E "$man_tags" "$log" | head -3 | tr '\n' '|')" \
    '! grep -qE "$man_tags" "$log"'
}

# check_deb NAME DEB PLUGIN_DIR: the package's files, and it works
check_deb () {
  local name=$1 deb=$2 plugdir=$3 root=$tmp/$1
  mkdir -p "$root"
  dpkg-deb -x "$deb" "$root" 2>/dev/null
  check "$name-has-commands" "no usr/bin/atelier or atelier-batch in $deb" \
    '[ -x "$root/usr/bin/atelier" ] && [ -x "$root/usr/bin/atelier-batch" ]'
  check "$name-has-styles" "no shipped styles in usr/share/atelier/models" \
    'ls "$root"/usr/share/atelier/models/*.atnet >/dev/null 2>&1'
  check "$name-has-catalogue" "no zh_CN catalogue" \
    'ls "$root"/usr/share/locale/zh_CN/LC_MESSAGES/atelier.mo "$root$plugdir"/locale/zh_CN/LC_MESSAGES/atelier.mo >/dev/null 2>&1'
  check "$name-has-man-pages" "no usr/share/man/man1/atelier.1.gz or atelier-batch.1.gz" \
    '[ -f "$root/usr/share/man/man1/atelier.1.gz" ] && [ -f "$root/usr/share/man/man1/atelier-batch.1.gz" ]'
  check "$name-has-plugin" "no $plugdir/atelier in the package" \
    '[ -x "$root$plugdir/atelier" ]'
  # models/ beside the plug-in is a relative link to the shipped styles
  check "$name-plugin-finds-styles" "$plugdir/models -> $(readlink "$root$plugdir/models")" \
    '[ -f "$root$plugdir/models/atelier-8-styles.atnet" ]'
  check "$name-has-gegl-ops" "no GEGL operations in the package" \
    '[ -n "$(find "$root" -name "atelier-style-transfer.so" | head -1)" ]'
}

if [ "$only" != trixie-only ]; then
  if ! command -v dpkg-buildpackage >/dev/null || ! command -v lintian >/dev/null ||
     ! dpkg -s debhelper >/dev/null 2>&1; then
    fail bookworm-deb-tools "dpkg-dev, debhelper and lintian are needed (.ci/packages)"
  else
    rm -f "$here"/../atelier_*_amd64.deb "$here"/../atelier_*_amd64.changes
    if (cd "$here" && make deb DEB_JOBS=2) >"$tmp/deb.log" 2>&1; then
      ok bookworm-deb-builds
      deb=$(ls "$here"/../atelier_*_amd64.deb | head -1)
      changes=$(ls "$here"/../atelier_*_amd64.changes | head -1)
      lintian --fail-on error "$changes" >"$tmp/lintian.log" 2>&1
      lintian_checks bookworm "$tmp/lintian.log"
      # Not installed on this machine: dpkg -i here would put commands in
      # /usr/bin and a second atelier plug-in in GIMP 2.10's own folder
      # for every user and test of the machine (the GIMP 2.10 tests of make
      # check, which may run beside this one, install the plug-in in a
      # profile of their own and would load both), and a killed test
      # would leave them there.  So the Debian 12 package's files are
      # checked as dpkg-deb unpacks them (dpkg-deb -x: what dpkg-deb -c
      # lists) and the unpacked command is run; the Debian 13 package is
      # installed and used below, in its root, where nothing else runs.
      check_deb bookworm "$deb" /usr/lib/gimp/2.0/plug-ins/atelier
      /usr/bin/python3 -c "from PIL import Image; Image.new('RGB',(48,32),(200,60,40)).save('$tmp/in.png')"
      ATELIER_STYLE_PATH=$tmp/bookworm/usr/share/atelier/models \
        "$tmp/bookworm/usr/bin/atelier" stylize --style starry-night \
        "$tmp/in.png" "$tmp/out.png" >/dev/null 2>&1
      check bookworm-deb-command-works "the unpacked atelier did not restyle with a shipped style" \
        '[ -s "$tmp/out.png" ]'
    else
      fail bookworm-deb-builds "$(tail -c 600 "$tmp/deb.log" | tr '\n' '|')"
    fi
  fi
fi

if [ "$only" != bookworm-only ]; then
  # the root gets the packaging tools for this test only; the package is
  # built from a copy of the checkout's files (the root has no git)
  mkdir -p "$here/build-trixie"
  git -C "$here" ls-files -z --cached --others --exclude-standard \
    >"$here/build-trixie/deb-files.list"
  if "$here/tests/gimp3/in-root.sh" bash -c '
      set -e
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends debhelper dpkg-dev lintian >/dev/null
      rm -rf /tmp/atelier-deb && mkdir -p /tmp/atelier-deb
      (cd /src && xargs -0 cp --parents -t /tmp/atelier-deb \
        </src/build-trixie/deb-files.list)
      ln -sfn /shared /tmp/shared
      cd /tmp/atelier-deb && dpkg-buildpackage -b -us -uc -j2 >/tmp/deb.log 2>&1 ||
        { tail -c 600 /tmp/deb.log; exit 1; }
      lintian --fail-on error /tmp/atelier_*_amd64.changes >/tmp/lintian.log 2>&1 || true
      mkdir -p /src/build-trixie/deb && rm -f /src/build-trixie/deb/*
      cp /tmp/atelier_*_amd64.deb /tmp/lintian.log /src/build-trixie/deb/' \
      >"$tmp/trixie.log" 2>&1; then
    ok trixie-deb-builds
    lintian_checks trixie "$here/build-trixie/deb/lintian.log"
    check_deb trixie "$(ls "$here"/build-trixie/deb/atelier_*_amd64.deb | grep -v dbgsym | head -1)" \
      /usr/lib/x86_64-linux-gnu/gimp/3.0/plug-ins/atelier
    # installed, used as nobody with a fresh profile, purged (a trap)
    relay < <("$here/tests/gimp3/in-root.sh" tests/deb/installed3.sh build-trixie/deb 2>&1 |
              sed -E 's/^(ok|FAIL) /\1 trixie-installed-/')
    [ $(( relayed_ok + relayed_failed )) -gt 0 ] ||
      fail trixie-installed "tests/deb/installed3.sh ran no case"
    left=$("$here/tests/gimp3/in-root.sh" sh -c \
      'dpkg-query -W -f="\${db:Status-Status}" atelier 2>/dev/null || echo not-installed
       [ ! -e /usr/bin/atelier ] || echo " /usr/bin/atelier"' 2>&1)
    check trixie-root-clean-again "the root's atelier: $left" '[ "$left" = not-installed ]'
  else
    fail trixie-deb-builds "$(tail -c 600 "$tmp/trixie.log" | tr '\n' '|')"
  fi
fi
finish
