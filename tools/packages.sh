# SPDX-License-Identifier: GPL-3.0-or-later
# Reads Atelier's package lists (packages.txt: what building and running
# Atelier needs, installed by install.sh; .ci/packages: what CI adds for
# the tests).  Sourced by install.sh and .ci/run.
#
# A list has one Debian package a line; '#' starts a comment; a name
# ending in '?' is wanted only where the distribution has it (GIMP 2.10's
# headers are in Debian 12, GIMP 3's in Debian 13).
# shellcheck shell=bash

# atelier_packages FILE...: the names to install, one a line: every plain
# name, and each '?' name that is installed or that apt has a candidate
# for (so run apt-get update first on a fresh machine).
atelier_packages () {
  local name
  sed -e 's/#.*//' -e 's/[[:space:]]//g' "$@" | grep -v '^$' |
    while IFS= read -r name; do
      case $name in
        *\?)
          name=${name%\?}
          if dpkg-query -W -f='${Status}' "$name" 2>/dev/null |
               grep -q ' installed$' ||
             apt-cache policy "$name" 2>/dev/null |
               grep -q 'Candidate: [^(]'; then
            printf '%s\n' "$name"
          fi ;;
        *) printf '%s\n' "$name" ;;
      esac
    done
}

# atelier_missing NAME...: those of the packages NAME... not installed
atelier_missing () {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' ||
      printf '%s\n' "$p"
  done
}
