#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the test suite and sums it up.
#
#   tests/run-all.sh BUILD [unit]
#
# 1. every GTest binary BUILD/tests/test_* (run with --tap: each "ok" line
#    is a pass, each "not ok" a failure, "# SKIP" and "# TODO" count as
#    neither; when a binary dies in a test (a failed g_assert aborts), that
#    test counts as failed and the rest of its list (-l) run by -p; a
#    binary that exits non-zero after its last test, e.g. on a leak
#    report, counts one failure);
# 2. unless the second argument is "unit", every tests/cli/*.sh,
#    tests/e2e/*.sh, tests/gimp/test_*.sh (headless GIMP 2.10 with the
#    plug-in installed in a throw-away profile) and tests/gimp3/test_*.sh
#    (GIMP 3 in a Debian 13 root), given BUILD as $1; they
#    print "ok ..." / "FAIL ..." lines and end with "N passed, M failed",
#    whose counts are added (no such line, or a non-zero exit with
#    nothing failed, is one failure).
#
# The last line printed is exactly "N passed, M failed" over everything;
# the exit status is non-zero if M > 0 or anything crashed.  Per-file
# lines start with "PASS" / "FAIL" / "#" so they never look like it.
set -u

build=${1:-build}
only=${2:-}
# BUILD may be relative to where we were called from
if [ -d "$build" ]; then
  build=$(cd "$build" && pwd)
fi
cd "$(dirname "$0")/.." || exit 1
passed=0
failed=0
crashed=0
summary_re='^[0-9]+ passed, [0-9]+ failed'

if command -v timeout >/dev/null 2>&1; then
  limit="timeout 600"
else
  limit=""
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs one GTest binary; when it dies in a test, counts that test as
# failed and runs the rest (by -p) so one crash does not hide the others.
run_unit () {
  local bin=$1 name rc ok skip notok line path last
  local -a all=() todo=() args=() failures=()
  local -A seen=()

  name=${bin##*/}
  ok=0
  skip=0
  notok=0
  mapfile -t all < <("$bin" -l 2>/dev/null | grep '^/')
  while :; do
    args=()
    for path in "${todo[@]}"; do
      args+=(-p "$path")
    done
    # in a subshell, so the shell's own "Aborted" notice lands in the log
    ( $limit "$bin" --tap --keep-going "${args[@]}"; exit $? ) >"$log" 2>&1
    rc=$?
    last=
    while IFS= read -r line; do
      case $line in
        "ok "*"# SKIP"*)
          skip=$(( skip + 1 )); path=$(echo "$line" | awk '{print $3}')
          last=ok ;;
        "ok "*)
          ok=$(( ok + 1 )); path=$(echo "$line" | awk '{print $3}')
          last=ok ;;
        "not ok "*"# TODO"*)
          path=$(echo "$line" | awk '{print $4}')
          last=ok ;;
        "not ok "*)
          notok=$(( notok + 1 )); path=$(echo "$line" | awk '{print $4}')
          failures+=("$path")
          last=failed ;;
        *)
          continue ;;
      esac
      seen[$path]=1
    done < <(grep -E '^(not )?ok [0-9]+' "$log")
    if [ "$rc" -ne 0 ]; then
      crashed=1
      grep -E -e '^Bail out|ERROR|Sanitizer|runtime error|^SUMMARY' \
        -e '^    #[0-9]|Aborted|Segmentation|Killed|Terminated' \
        "$log" | head -30 | sed 's/^/#   /'
    fi
    [ "$rc" -ne 0 ] || break
    todo=()
    for path in "${all[@]}"; do
      [ -n "${seen[$path]:-}" ] || todo+=("$path")
    done
    # a test that reported "not ok" and then bailed out: already counted
    if [ "$last" = failed ]; then
      [ ${#todo[@]} -gt 0 ] || break
      continue
    fi
    # otherwise the first test that did not report is the one that died
    if [ ${#todo[@]} -eq 0 ]; then
      # died after its last test (a leak report, say): one failure,
      # unless a test already failed
      if [ "$notok" -eq 0 ] && [ ${#failures[@]} -eq 0 ]; then
        notok=$(( notok + 1 ))
        failures+=("(exit status $rc after the last test)")
      fi
      break
    fi
    notok=$(( notok + 1 ))
    failures+=("${todo[0]} (exit status $rc)")
    seen[${todo[0]}]=1
    todo=("${todo[@]:1}")
    [ ${#todo[@]} -gt 0 ] || break
  done
  passed=$(( passed + ok ))
  failed=$(( failed + notok ))
  if [ "$notok" -eq 0 ]; then
    if [ "$skip" -gt 0 ]; then
      echo "PASS $name: $ok passed, $skip skipped"
    else
      echo "PASS $name: $ok passed"
    fi
  else
    echo "FAIL $name: $ok passed, $notok failed"
    for path in "${failures[@]}"; do
      echo "#   failed: $path"
    done
  fi
}

run_script () {
  local script=$1 rc line p=0 f=0

  # stream the script's own lines, keep its summary for counting
  bash "$script" "$build" 2>&1 | tee "$log" | grep -vE "$summary_re"
  rc=${PIPESTATUS[0]}
  line=$(grep -E "$summary_re" "$log" | tail -1)
  if [ -n "$line" ]; then
    p=$(echo "$line" | awk '{print $1}')
    f=$(echo "$line" | awk '{print $3}')
  fi
  if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
    crashed=1
    f=$(( f + 1 ))
    echo "FAIL $script: exit status $rc${line:+ after \"$line\"}"
  fi
  passed=$(( passed + p ))
  failed=$(( failed + f ))
  echo "# $script: $p passed, $f failed"
}

shopt -s nullglob
bins=("$build"/tests/test_*)
if [ ${#bins[@]} -eq 0 ]; then
  echo "FAIL no unit test binaries in $build/tests (run make first)"
  failed=$(( failed + 1 ))
fi
for bin in "${bins[@]}"; do
  if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
    continue
  fi
  run_unit "$bin"
done

if [ "$only" != unit ]; then
  for script in tests/cli/*.sh tests/e2e/*.sh tests/gimp/test_*.sh \
                tests/gimp3/test_*.sh; do
    [ -f "$script" ] || continue
    run_script "$script"
  done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$crashed" -eq 0 ]
