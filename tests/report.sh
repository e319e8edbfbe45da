# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the shell tests: one line a case ("ok NAME" or "FAIL NAME:
# why"), then "N passed, M failed" (tests/run-all.sh adds these up) and an
# exit status that is non-zero if anything failed.
passed=0
failed=0

ok ()   { echo "ok $1"; passed=$(( passed + 1 )); }
fail () { echo "FAIL $1: $2"; failed=$(( failed + 1 )); }
# check NAME WHY COMMAND...: ok if COMMAND succeeds, else FAIL with WHY.
# With one word after WHY, it is a shell condition run by eval, so it may
# use && and ||: check name "why" '[ "$a" = 1 ] && [ "$b" = 2 ]'.
check () {
  local name=$1 why=$2
  shift 2
  if [ $# -eq 1 ]; then
    if eval "$1"; then ok "$name"; else fail "$name" "$why"; fi
  elif "$@"; then
    ok "$name"
  else
    fail "$name" "$why"
  fi
}
finish () {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}
# relay: passes on the "ok ..." and "FAIL ..." lines of a test run
# elsewhere (read from stdin: relay < <(COMMAND)) and counts them as this
# test's cases; its other lines, its summary included, are dropped.
# relayed_ok and relayed_failed: how many of each it passed on.
relay () {
  local line
  relayed_ok=0
  relayed_failed=0
  while IFS= read -r line; do
    case $line in
      "ok "*)   echo "$line"; relayed_ok=$(( relayed_ok + 1 )) ;;
      "FAIL "*) echo "$line"; relayed_failed=$(( relayed_failed + 1 )) ;;
    esac
  done
  passed=$(( passed + relayed_ok ))
  failed=$(( failed + relayed_failed ))
}
# bail WHY [NAME]: a failed case (NAME, or setup), and stop here
bail () {
  fail "${2:-setup}" "$1"
  finish
}
