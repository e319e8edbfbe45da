#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# atelier-batch, as installed by install.sh into ~/.local/bin: restyles
# every input in one headless GIMP run through plug-in-atelier-batch, and
# judges the result from the plug-in's report, not gimp-console's status.
#
#   tests/gimp/test_batch.sh BUILD_DIR
#
# Prints "ok NAME" or "FAIL NAME: why" per case, then "N passed, M failed";
# exits non-zero if anything failed.  The last cases replace gimp-console
# by a stand-in (ATELIER_GIMP_CONSOLE) to check time-outs, missing or
# incomplete reports and the arguments passed, without starting GIMP.
. "$(dirname "$0")/lib.sh" "$@"

gimp_setup
export PATH=$bin_dir:$PATH
batch=$bin_dir/atelier-batch
[ -x "$batch" ] || bail "install.sh did not install $batch"

# Inputs and a style, made with PIL: gradients with a few shapes, and a
# seeded random mosaic.
mkdir -p "$tmp/in" "$tmp/odd dir"
"$py" - "$tmp/in" <<'PY' || bail "cannot make the test images"
import random, sys
from PIL import Image, ImageDraw
d = sys.argv[1]
def content(w, h, c1, c2):
    im = Image.new("RGB", (w, h))
    px = im.load()
    for y in range(h):
        for x in range(w):
            t = (x + y) / (w + h)
            px[x, y] = tuple(int(a + (b - a) * t) for a, b in zip(c1, c2))
    dr = ImageDraw.Draw(im)
    dr.ellipse((w // 4, h // 4, 3 * w // 4, 3 * h // 4), fill=(240, 230, 200))
    dr.rectangle((w // 3, h // 3, w // 2, h // 2), fill=(20, 20, 20))
    return im
content(64, 48, (200, 60, 40), (30, 90, 210)).save(d + "/a.png")
content(48, 64, (20, 160, 60), (230, 220, 40)).save(d + "/b.png")
content(80, 40, (90, 40, 160), (250, 160, 120)).save(d + "/c.jpg", quality=95)
rnd = random.Random(5)
st = Image.new("RGB", (64, 64))
dr = ImageDraw.Draw(st)
for i in range(60):
    x, y = rnd.randrange(64), rnd.randrange(64)
    r = rnd.randrange(3, 12)
    dr.ellipse((x - r, y - r, x + r, y + r),
               fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
st.save(d + "/style.png")
PY
head -c 4096 /dev/urandom >"$tmp/in/corrupt.png"
in=$tmp/in
style=$in/style.png

# run_batch ARGS...: runs atelier-batch; sets rc, and out/err files
run_batch () {
  atelier-batch "$@" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
}
errs () { head -c 400 "$tmp/stderr" | tr '\n' '|'; }

# ---- three good inputs ----

run_batch --style "$style" --quality preview --strength 80 --seed 3 \
  -o "$tmp/out1" "$in/a.png" "$in/b.png" "$in/c.jpg"
check batch-three "exit status $rc: $(errs)" [ "$rc" -eq 0 ]
check batch-three-outputs "outputs: $(ls "$tmp/out1" 2>/dev/null | tr '\n' ' ')" \
  '[ -f "$tmp/out1/a.png" ] && [ -f "$tmp/out1/b.png" ] && [ -f "$tmp/out1/c.jpg" ] &&
   [ "$(ls "$tmp/out1" | wc -l)" = 3 ]'
check batch-three-sizes "sizes $(size_of "$tmp/out1/a.png") / $(size_of "$tmp/out1/b.png") / $(size_of "$tmp/out1/c.jpg")" \
  '[ "$(size_of "$tmp/out1/a.png")" = "64 48" ] && [ "$(size_of "$tmp/out1/b.png")" = "48 64" ] &&
   [ "$(size_of "$tmp/out1/c.jpg")" = "80 40" ]'
read -r _ mean _ < <(diff_stats "$in/a.png" "$tmp/out1/a.png" 2>/dev/null)
check batch-three-restyled "a.png changed by mean ${mean:-?}" fcmp "${mean:-0} > 4"
check batch-three-format "c.jpg's output is not a JPEG" \
  '"$py" -c "import sys; from PIL import Image; sys.exit(Image.open(sys.argv[1]).format != \"JPEG\")" "$tmp/out1/c.jpg"'
check batch-three-stdout "stdout: $(head -c 300 "$tmp/stdout" | tr '\n' '|')" \
  '[ "$(grep -c "^ok $in/" "$tmp/stdout")" = 3 ]'
check batch-three-summary "stderr: $(errs)" \
  grep -qx '3 of 3 images restyled' "$tmp/stderr"

# a progress line on a terminal: images done of all, rate, time left
if command -v script >/dev/null 2>&1; then
  script -qec "atelier-batch --style '$style' --quality preview -o '$tmp/out-tty' '$in/a.png' '$in/b.png'" \
    /dev/null >"$tmp/tty" 2>&1
  check batch-progress-on-terminal "$(tr '\r\n' '||' <"$tmp/tty" | head -c 300)" \
    'grep -aq "2/2 .*images/s" "$tmp/tty"'
fi

# --backdrop reaches the plug-in: on a product shot auto (the default)
# and off differ (a run is deterministic, so any difference is the
# option's; since the tone map both keep the photo's light, and the mean
# difference on this synthetic shot is about 2.7 of 255)
"$py" "$repo/tests/product_image.py" "$in/product.png" || bail "cannot make the product shot"
run_batch --style "$style" --quality preview -o "$tmp/out-bd-auto" "$in/product.png"
rc_auto=$rc
run_batch --style "$style" --quality preview --backdrop off -o "$tmp/out-bd-off" "$in/product.png"
read -r _ mean _ < <(diff_stats "$tmp/out-bd-auto/product.png" "$tmp/out-bd-off/product.png" 2>/dev/null)
check batch-backdrop-off "exit status $rc_auto/$rc; auto and off differ by mean ${mean:-?}: $(errs)" \
  '[ "$rc_auto$rc" = 00 ] && fcmp "${mean:-0} > 1"'

# ---- one corrupt input among three ----

run_batch --style "$style" --quality 0 -o "$tmp/out2" \
  "$in/a.png" "$in/corrupt.png" "$in/c.jpg"
check batch-corrupt-exit "exit status $rc, expected 1" [ "$rc" = 1 ]
check batch-corrupt-outputs "outputs: $(ls "$tmp/out2" 2>/dev/null | tr '\n' ' ')" \
  '[ -f "$tmp/out2/a.png" ] && [ -f "$tmp/out2/c.jpg" ] && [ ! -e "$tmp/out2/corrupt.png" ] &&
   [ "$(ls "$tmp/out2" | wc -l)" = 2 ]'
check batch-corrupt-named "stderr: $(errs)" \
  grep -q "^FAIL $in/corrupt.png: ." "$tmp/stderr"
check batch-corrupt-only-bad-named "stderr: $(errs)" \
  '[ "$(grep -c "^FAIL" "$tmp/stderr")" = 1 ]'
check batch-corrupt-summary "stderr: $(errs)" \
  grep -qx '2 of 3 images restyled' "$tmp/stderr"

# a corrupt style: the plug-in refuses the call, every input fails
run_batch --style "$in/corrupt.png" --quality 0 -o "$tmp/out-cs" "$in/a.png"
check batch-corrupt-style "exit status $rc; stderr: $(errs)" \
  '[ "$rc" = 1 ] && grep -q "^FAIL $in/a.png: " "$tmp/stderr" &&
   grep -q "corrupt.png" "$tmp/stderr" && [ ! -e "$tmp/out-cs/a.png" ]'

# a missing input is a failed input, the rest still done
run_batch --style "$style" --quality 0 -o "$tmp/out3" "$in/a.png" "$in/nothing.png"
check batch-missing-input "exit status $rc; stderr: $(errs)" \
  '[ "$rc" = 1 ] && grep -q "^FAIL $in/nothing.png: ." "$tmp/stderr" && [ -f "$tmp/out3/a.png" ]'

# ---- names that need escaping, relative paths ----

odd='we "quoted" back\slash ü'
cp "$in/a.png" "$tmp/odd dir/$odd.png"
(cd "$tmp/odd dir" && atelier-batch --style ../in/style.png --quality preview \
   -o "out dir" "$odd.png" </dev/null >"$tmp/stdout" 2>"$tmp/stderr")
rc=$?
check batch-odd-names "exit status $rc; outputs: $(ls "$tmp/odd dir/out dir" 2>/dev/null | tr '\n' ' '); stderr: $(errs)" \
  '[ "$rc" = 0 ] && [ -f "$tmp/odd dir/out dir/$odd.png" ]'

# ---- many inputs under a long folder, two broken ones among them ----

# 150 inputs reached the plug-in as one Script-Fu string, which TinyScheme
# cannot read past 1024 bytes: every file failed.  A JPEG with a bad
# Huffman table made libjpeg exit the plug-in, so nothing after it was
# tried and no report was written; a PNG with half its zlib stream was
# restyled from black rows.
"$py" "$repo/tests/broken_images.py" "$tmp/broken" 2>/dev/null ||
  { mkdir -p "$tmp/broken" && "$py" "$repo/tests/broken_images.py" "$tmp/broken"; } ||
  bail "cannot make the broken images"
long=$tmp/product-shots-for-the-spring-catalogue-2027-all-variants/colourways-and-sizes-approved-by-the-client
mkdir -p "$long"
many=()
for i in $(seq -w 1 150); do
  case $i in
    050) cp "$tmp/broken/bad-huffman.jpg" "$long/p$i.jpg"; many+=("$long/p$i.jpg") ;;
    100) cp "$tmp/broken/cut-zlib.png" "$long/p$i.png"; many+=("$long/p$i.png") ;;
    *) cp "$in/a.png" "$long/p$i.png"; many+=("$long/p$i.png") ;;
  esac
done
run_batch --style "$style" --quality preview -o "$tmp/out-many" "${many[@]}"
n_out=$(find "$tmp/out-many" -type f | wc -l)
check batch-many-exit "exit status $rc; $(tail -c 300 "$tmp/stderr" | tr '\n' '|')" [ "$rc" = 1 ]
check batch-many-outputs "$n_out outputs, expected 148" [ "$n_out" = 148 ]
check batch-many-bad-named "stderr: $(grep FAIL "$tmp/stderr" | head -c 400 | tr '\n' '|')" \
  '[ "$(grep -c "^FAIL" "$tmp/stderr")" = 2 ] &&
   grep -q "^FAIL $long/p050.jpg: .*Huffman" "$tmp/stderr" &&
   grep -q "^FAIL $long/p100.png: ." "$tmp/stderr"'
check batch-many-summary "stderr: $(tail -c 200 "$tmp/stderr")" \
  grep -qx '148 of 150 images restyled' "$tmp/stderr"
# the same list from a file
printf '%s\n' "${many[@]}" >"$tmp/many.list"
run_batch --style "$style" --quality preview --resume -q -o "$tmp/out-many" --files-from "$tmp/many.list"
check batch-files-from "exit status $rc; $(tail -c 200 "$tmp/stderr")" \
  '[ "$rc" = 1 ] && grep -qx "148 of 150 images restyled" "$tmp/stderr"'

# ---- names byte for byte; outputs that would overwrite; FIFOs ----

mkdir -p "$tmp/names"
cp "$in/b.png" "$tmp/names/t.png "             # a trailing blank
cp "$in/a.png" "$tmp/names/t.png"              # another file
cp "$in/a.png" "$tmp/names/caf"$'\xe9'".png"   # Latin-1, not UTF-8
mkfifo "$tmp/names/pipe.png"
run_batch --style "$style" --quality preview -o "$tmp/out-names" \
  "$tmp/names/t.png " "$tmp/names/pipe.png" "$tmp/names/caf"$'\xe9'".png"
check batch-trailing-blank "exit $rc; t.png is $(size_of "$tmp/out-names/t.png" 2>/dev/null), expected 48 64 (b.png's)" \
  '[ "$(size_of "$tmp/out-names/t.png")" = "48 64" ]'
check batch-latin1-name "outputs: $(ls "$tmp/out-names" 2>/dev/null | tr '\n' ' ')" \
  '[ -f "$tmp/out-names/caf"$'"'"'\xe9'"'"'".png" ]'
check batch-fifo-refused "exit $rc; stderr: $(errs)" \
  '[ "$rc" = 1 ] && grep -q "^FAIL $tmp/names/pipe.png: ." "$tmp/stderr"'
mkdir -p "$tmp/out-style"
cp "$style" "$tmp/out-style/a.png"
run_batch --style "$tmp/out-style/a.png" --quality preview -o "$tmp/out-style" "$in/a.png" "$in/b.png"
check batch-output-is-style "exit $rc; stderr: $(errs)" \
  '[ "$rc" = 1 ] && cmp -s "$style" "$tmp/out-style/a.png" &&
   grep -q "^FAIL $in/a.png: .*style" "$tmp/stderr" && [ -f "$tmp/out-style/b.png" ]'

# ---- a kill of GIMP mid-batch, then --resume ----

# Inputs large enough that GIMP is still busy when it is killed.
"$py" - "$tmp/slow" <<'PY' || bail "cannot make the slow inputs"
import os, random, sys
from PIL import Image
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
rnd = random.Random(7)
for i in range(24):
    im = Image.new("RGB", (160, 120))
    im.putdata([(rnd.randrange(256), rnd.randrange(256), 90) for _ in range(160 * 120)])
    im.save("%s/s%02d.png" % (d, i))
PY
slow=("$tmp"/slow/s*.png)
# For the signal cases: so many inputs (links to the slow ones) that the
# batch cannot finish between its second output and the signal, however
# the machine schedules the test.
mkdir -p "$tmp/signal-in"
for i in $(seq -w 1 240); do
  ln -f "${slow[$((10#$i % ${#slow[@]}))]}" "$tmp/signal-in/m$i.png" || bail "cannot link the signal inputs"
done
sig_inputs=("$tmp"/signal-in/m*.png)
# wait_outputs DIR N PID: until DIR holds N files (or PID ended, or 120 s)
wait_outputs () {
  local _
  for _ in $(seq 1200); do
    [ "$(find "$1" -type f -name '*.png' 2>/dev/null | wc -l)" -ge "$2" ] && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
# no_gimp_left: no gimp-console or Atelier plug-in of this profile runs
no_gimp_left () {
  local _
  for _ in $(seq 50); do
    if ! pgrep -f "$plugin_dir/atelier" >/dev/null &&
       ! pgrep -f "^[^ ]*gimp-console" >/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}
atelier-batch --style "$style" --quality normal -o "$tmp/out-kill" "${slow[@]}" \
  </dev/null >"$tmp/stdout" 2>"$tmp/stderr" &
bpid=$!
wait_outputs "$tmp/out-kill" 3 "$bpid"
gpid=$(pgrep -P "$bpid" -f gimp-console)
[ -n "$gpid" ] && kill -KILL "$gpid"
wait "$bpid"
rc=$?
n_ok=$(grep -c '^ok ' "$tmp/stdout")
n_out=$(find "$tmp/out-kill" -type f | wc -l)
check batch-kill-exit "exit $rc after killing GIMP $gpid; $(tail -c 300 "$tmp/stderr" | tr '\n' '|')" \
  '[ -n "$gpid" ] && [ "$rc" = 1 ]'
check batch-kill-report-true "$n_ok reported done, $n_out outputs" \
  '[ "$n_ok" -ge 3 ] && [ "$n_out" -ge "$n_ok" ] && [ "$n_out" -le $(( n_ok + 1 )) ] &&
   [ "$(grep -c "^FAIL .*: not done" "$tmp/stderr")" = $(( ${#slow[@]} - n_ok )) ] &&
   ! grep "^ok " "$tmp/stdout" | sed "s/.* -> //" | while IFS= read -r f; do [ -f "$f" ] || echo "$f"; done | grep -q .'
check batch-kill-no-orphans "a GIMP process of this profile is still running" no_gimp_left
check batch-kill-no-temporary "left: $(ls -A "$tmp/out-kill" | grep '^\.' | tr '\n' ' ')" \
  '! ls -A "$tmp/out-kill" | grep -q "^\.atelier-"'
md5_before=$(cd "$tmp/out-kill" && md5sum -- * | sort)
run_batch --style "$style" --quality normal --resume -o "$tmp/out-kill" "${slow[@]}"
md5_done=$(cd "$tmp/out-kill" && md5sum -- * | sort)
check batch-resume "exit $rc; $(grep -c '^skip ' "$tmp/stdout") skipped; $(tail -c 200 "$tmp/stderr")" \
  '[ "$rc" = 0 ] && [ "$(grep -c "^skip " "$tmp/stdout")" -ge "$n_ok" ] &&
   [ "$(find "$tmp/out-kill" -type f | wc -l)" = ${#slow[@]} ] &&
   grep -qx "${#slow[@]} of ${#slow[@]} images restyled" "$tmp/stderr"'
check batch-resume-keeps-done "an output done before --resume changed" \
  '[ -z "$(comm -23 <(printf "%s\n" "$md5_before") <(printf "%s\n" "$md5_done"))" ]'
# an incomplete output is done again, not skipped
head -c 200 "$tmp/out-kill/s05.png" >"$tmp/cut.png" && mv "$tmp/cut.png" "$tmp/out-kill/s05.png"
run_batch --style "$style" --quality normal --resume -o "$tmp/out-kill" "${slow[@]}"
check batch-resume-redoes-incomplete "exit $rc; stdout: $(grep s05 "$tmp/stdout")" \
  '[ "$rc" = 0 ] && grep -q "^ok $tmp/slow/s05.png -> " "$tmp/stdout" &&
   [ "$(size_of "$tmp/out-kill/s05.png")" = "160 120" ]'

# ---- Ctrl-C and SIGTERM stop GIMP too ----

# Ctrl-C reaches the terminal's foreground process group: here the batch's
# own group (set -m), signalled as a whole.  GIMP runs in a session of its
# own, so the script has to stop it.
signal_case () {
  local what=$1 signal=$2 code=$3 target bpid sdir=$tmp/out-$1
  rm -rf "$sdir"
  set -m
  # with SIGINT and SIGTERM as a terminal gives them: a shell without job
  # control starts its background jobs with SIGINT ignored, and a script
  # cannot trap a signal ignored when it started (a CI run from nohup ... &)
  env --default-signal=INT,TERM \
    atelier-batch --style "$style" --quality normal -o "$sdir" "${sig_inputs[@]}" \
    </dev/null >"$tmp/stdout" 2>"$tmp/stderr" &
  bpid=$!
  set +m
  wait_outputs "$sdir" 2 "$bpid"
  target=$bpid
  [ "$signal" = INT ] && target=-$bpid
  kill "-$signal" -- "$target"
  wait "$bpid"
  rc=$?
  n_ok=$(grep -c '^ok ' "$tmp/stdout")
  n_out=$(find "$sdir" -type f | wc -l)
  check "batch-$what-exit" "exit $rc, expected $code; $(tail -c 300 "$tmp/stderr" | tr '\n' '|')" \
    '[ "$rc" = "$code" ] && grep -q "stopped by SIG$signal" "$tmp/stderr"'
  check "batch-$what-no-orphans" "a GIMP process of this profile is still running" no_gimp_left
  check "batch-$what-report" "$n_ok reported done, $n_out outputs, temporary: $(ls -A "$sdir" | grep -c '^\.')" \
    '[ "$n_ok" -ge 2 ] && [ "$n_out" = "$n_ok" ] && ! ls -A "$sdir" | grep -q "^\."'
}
signal_case ctrl-c INT 130
signal_case sigterm TERM 143

# ---- shards: N runs, or N machines, give one run's outputs ----

shard_inputs=("$in/a.png" "$in/b.png" "$in/c.jpg" "${slow[@]:0:5}")
run_batch --style "$style" --quality preview --seed 9 -q -o "$tmp/out-one" "${shard_inputs[@]}"
rc_one=$rc
# same_outputs DIR: DIR holds exactly out-one's files, bit for bit
same_outputs () {
  [ "$(ls "$1" 2>/dev/null)" = "$(ls "$tmp/out-one")" ] &&
    for f in "$tmp"/out-one/*; do cmp -s "$f" "$1/${f##*/}" || return 1; done
}
for k in 1 2 3; do
  run_batch --style "$style" --quality preview --seed 9 -q --shard "$k/3" -o "$tmp/out-shards" "${shard_inputs[@]}"
  [ "$rc" = 0 ] || break
done
check batch-shards "exit $rc/$rc_one; shards wrote: $(ls "$tmp/out-shards" 2>/dev/null | tr '\n' ' ')" \
  '[ "$rc_one" = 0 ] && [ "$rc" = 0 ] && same_outputs "$tmp/out-shards"'
usage_shard () {
  run_batch --style "$style" --shard "$1" -o "$tmp/out-usage" "$in/a.png"
  check "batch-shard-usage-$1" "exit $rc" '[ "$rc" = 2 ]'
}
usage_shard 0/2
usage_shard 3/2
usage_shard 1
# GNU parallel with two local workers (-S 2/: is this machine, two jobs)
if command -v parallel >/dev/null 2>&1; then
  printf '%s\n' "${shard_inputs[@]}" >"$tmp/shard.list"
  parallel --will-cite -S 2/: atelier-batch --style "$style" --quality preview \
    --seed 9 -q --shard {}/2 -o "$tmp/out-parallel" --files-from "$tmp/shard.list" \
    ::: 1 2 </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  check batch-gnu-parallel "exit $rc; $(errs); wrote: $(ls "$tmp/out-parallel" 2>/dev/null | tr '\n' ' ')" \
    '[ "$rc" = 0 ] && same_outputs "$tmp/out-parallel"'
else
  fail batch-gnu-parallel "GNU parallel is not installed (apt-get install parallel)"
fi
# the Slurm job array of the README: each task as sbatch would start it
for k in 1 2 3; do
  SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=3 ATELIER_STYLE=$style \
    ATELIER_LIST=$tmp/shard.list ATELIER_OUT=$tmp/out-slurm \
    ATELIER_OPTIONS="--quality preview --seed 9" \
    bash "$repo/docs/atelier-batch.sbatch" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  [ "$rc" = 0 ] || break
done
check batch-slurm-array "exit $rc; $(errs); wrote: $(ls "$tmp/out-slurm" 2>/dev/null | tr '\n' ' ')" \
  '[ "$rc" = 0 ] && same_outputs "$tmp/out-slurm"'

# ---- a style network as the batch's style ----

"$build/atelier" net-import --ncnn "$repo/../shared/data/weights/fast-style-ncnn-fp16/mosaic.bin" \
  "$tmp/mosaic.atnet" >/dev/null 2>&1
run_batch --style "$tmp/mosaic.atnet" --quality preview -o "$tmp/out-net" "$in/a.png" "$in/c.jpg"
read -r _ mean _ < <(diff_stats "$in/a.png" "$tmp/out-net/a.png" 2>/dev/null)
check batch-network-style "exit $rc, a.png changed by ${mean:-?}; $(errs)" \
  '[ "$rc" = 0 ] && [ -f "$tmp/out-net/c.jpg" ] && fcmp "${mean:-0} > 4"'
head -c 100000 "$tmp/mosaic.atnet" >"$tmp/cut.atnet"
run_batch --style "$tmp/cut.atnet" --quality preview -o "$tmp/out-cutnet" "$in/a.png" "$in/b.png"
check batch-corrupt-network "exit $rc; $(errs)" \
  '[ "$rc" = 1 ] && [ "$(grep -c "^FAIL" "$tmp/stderr")" = 2 ] && grep -q "cut.atnet" "$tmp/stderr" &&
   [ ! -e "$tmp/out-cutnet/a.png" ]'

# a style by name, from the GIMP profile's atelier-styles folder, where a
# broken network is skipped and the rest still load
mkdir -p "$GIMP2_DIRECTORY/atelier-styles"
cp "$tmp/mosaic.atnet" "$GIMP2_DIRECTORY/atelier-styles/"
cp "$tmp/cut.atnet" "$GIMP2_DIRECTORY/atelier-styles/broken.atnet"
run_batch --style mosaic --quality preview -o "$tmp/out-named" "$in/a.png"
check batch-style-by-name "exit $rc; $(errs)" \
  '[ "$rc" = 0 ] && cmp -s "$tmp/out-named/a.png" "$tmp/out-net/a.png"'
rm -f "$GIMP2_DIRECTORY/atelier-styles/broken.atnet"
# a shipped style (models/, installed beside the plug-in) and a mix of two
shipped=($(ATELIER_STYLE_PATH=$repo/models XDG_DATA_HOME=$tmp/no-data "$build/atelier" list-styles 2>/dev/null |
           grep -P '\tnetwork\t' | cut -f1 | head -2))
run_batch --style "${shipped[0]:-none}" --quality preview -o "$tmp/out-shipped" "$in/a.png"
read -r _ mean _ < <(diff_stats "$in/a.png" "$tmp/out-shipped/a.png" 2>/dev/null)
check batch-shipped-style "style ${shipped[0]:-none}: exit $rc, a.png changed by ${mean:-?}; $(errs)" \
  '[ "$rc" = 0 ] && fcmp "${mean:-0} > 4"'
run_batch --style "${shipped[0]:-none}=0.5,${shipped[1]:-none}=0.5" --quality preview -o "$tmp/out-mix" "$in/a.png"
read -r _ mean _ < <(diff_stats "$tmp/out-shipped/a.png" "$tmp/out-mix/a.png" 2>/dev/null)
check batch-style-mix "exit $rc, differs from ${shipped[0]:-none} alone by ${mean:-?}; $(errs)" \
  '[ "$rc" = 0 ] && fcmp "${mean:-0} > 1"'

# ---- usage errors: exit 2, no GIMP run ----

usage_case () {
  local name=$1
  shift
  rm -rf "$tmp/out-usage"
  run_batch "$@"
  if [ "$rc" != 2 ]; then
    fail "$name" "exit status $rc, expected 2: $(errs)"
  elif ! grep -q '^atelier-batch: ' "$tmp/stderr"; then
    fail "$name" "no 'atelier-batch: ' message: $(errs)"
  elif [ -e "$tmp/out-usage" ]; then
    fail "$name" "the output directory was created"
  else
    ok "$name"
  fi
}
usage_case usage-no-arguments
usage_case usage-no-style -o "$tmp/out-usage" "$in/a.png"
usage_case usage-no-output --style "$style" "$in/a.png"
usage_case usage-no-inputs --style "$style" -o "$tmp/out-usage"
usage_case usage-unknown-option --style "$style" --bogus -o "$tmp/out-usage" "$in/a.png"
usage_case usage-strength-high --style "$style" --strength 500 -o "$tmp/out-usage" "$in/a.png"
usage_case usage-strength-text --style "$style" --strength much -o "$tmp/out-usage" "$in/a.png"
usage_case usage-scale --style "$style" --scale 9 -o "$tmp/out-usage" "$in/a.png"
usage_case usage-quality --style "$style" --quality ultra -o "$tmp/out-usage" "$in/a.png"
usage_case usage-seed --style "$style" --seed -4 -o "$tmp/out-usage" "$in/a.png"
usage_case usage-seed-too-big --style "$style" --seed 4294967296 -o "$tmp/out-usage" "$in/a.png"
usage_case usage-backdrop --style "$style" --backdrop none -o "$tmp/out-usage" "$in/a.png"
usage_case usage-same-output-jpeg --style "$style" -o "$tmp/out-usage" "$in/c.jpg" "$tmp/c.JPEG"
usage_case usage-timeout --style "$style" --timeout soon -o "$tmp/out-usage" "$in/a.png"
usage_case usage-same-output --style "$style" -o "$tmp/out-usage" "$in/a.png" "$tmp/odd dir/../in/a.png"
usage_case usage-missing-value --style "$style" -o "$tmp/out-usage" "$in/a.png" --seed
run_batch --help
check batch-help "exit status $rc" '[ "$rc" = 0 ] && grep -q -- "--preserve-colors" "$tmp/stdout"'
run_batch --style "$tmp/no-style.png" -o "$tmp/out-nostyle" "$in/a.png"
check batch-missing-style "exit status $rc; stderr: $(errs)" \
  '[ "$rc" = 1 ] && grep -q "no-style.png" "$tmp/stderr"'

# ---- a stand-in gimp-console ----

# It finds the status file (the first string in the Script-Fu), the inputs
# file and the report file (the plug-in's 3rd and 4th string arguments),
# keeps a copy of the inputs file in $FAKE_ARGS.inputs and acts as
# FAKE_MODE says.
cat >"$tmp/fake-console" <<'EOF'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$FAKE_ARGS"
script=
while [ $# -gt 0 ]; do
  if [ "$1" = -b ] && [ -z "$script" ]; then script=$2; fi
  shift
done
case $FAKE_MODE in
  hang) exec sleep 60 ;;
esac
exec /usr/bin/python3 - "$script" <<'PY'
import os, re, sys
def strings(text):
    return [re.sub(r'\\(.)', r'\1', s)
            for s in re.findall(r'"((?:[^"\\]|\\.)*)"', text)]
script = sys.argv[1]
status = strings(script)[0]
call = strings(script.split("plug-in-atelier-batch RUN-NONINTERACTIVE")[1])
with open(call[2], "rb") as f:
    listed = f.read()
with open(os.environ["FAKE_ARGS"] + ".inputs", "wb") as f:
    f.write(listed)
inputs, report = listed.decode().split("\n")[:-1], call[3]
mode = os.environ["FAKE_MODE"]
if mode == "silent":
    sys.exit(0)
with open(status, "w") as f:
    f.write("missing\n" if mode == "missing" else "returned 0\n")
if mode == "partial":
    out = os.path.join(os.environ["FAKE_OUT"],
                       os.path.splitext(os.path.basename(inputs[0]))[0] + ".png")
    open(out, "w").close()
    with open(report, "w") as f:
        f.write("1 ok %s -> %s\n" % (inputs[0], out))
if mode == "lying":
    with open(report, "w") as f:
        for n, i in enumerate(inputs):
            f.write("%d ok %s -> %s\n" % (n + 1, i, os.path.join(
                os.environ["FAKE_OUT"], "lying", os.path.basename(i))))
PY
EOF
chmod +x "$tmp/fake-console"
export FAKE_ARGS=$tmp/fake-args FAKE_OUT=$tmp/fake-out
mkdir -p "$FAKE_OUT"
fake () {
  FAKE_MODE=$1 ATELIER_GIMP_CONSOLE=$tmp/fake-console run_batch "${@:2}"
}

SECONDS=0
fake hang --style "$style" --timeout 2 -o "$FAKE_OUT" "$in/a.png"
check batch-timeout "exit status $rc after ${SECONDS}s; stderr: $(errs)" \
  '[ "$rc" = 124 ] && [ "$SECONDS" -lt 30 ] && grep -q "^FAIL $in/a.png: " "$tmp/stderr"'
fake silent --style "$style" -o "$FAKE_OUT" "$in/a.png"
check batch-no-report "exit status $rc; stderr: $(errs)" \
  '[ "$rc" = 1 ] && grep -q "^FAIL $in/a.png: " "$tmp/stderr" && grep -qx "0 of 1 images restyled" "$tmp/stderr"'
fake missing --style "$style" -o "$FAKE_OUT" "$in/a.png"
check batch-plugin-missing "exit status $rc; stderr: $(errs)" \
  '[ "$rc" = 1 ] && grep -qi "install" "$tmp/stderr"'
fake partial --style "$style" -o "$FAKE_OUT" "$in/a.png" "$in/b.png"
check batch-incomplete-report "exit status $rc; stderr: $(errs)" \
  '[ "$rc" = 1 ] && grep -q "^FAIL $in/b.png: " "$tmp/stderr" && grep -qx "1 of 2 images restyled" "$tmp/stderr"'
fake lying --style "$style" -o "$FAKE_OUT" "$in/a.png"
check batch-output-missing "exit status $rc; stderr: $(errs)" \
  '[ "$rc" = 1 ] && grep -q "^FAIL $in/a.png: " "$tmp/stderr"'

# the options arrive as the plug-in's arguments; gimp-console always quits
fake silent --style "$style" --strength 55.5 --scale 2 --quality best \
  --preserve-colors --seed 42 -o "$FAKE_OUT" "$in/a.png" "$in/b.png"
args=$(tr '\n' ' ' <"$FAKE_ARGS" | tr -s ' ')
check batch-arguments "gimp-console got: $(head -c 500 <<<"$args")" \
  'grep -qF "(plug-in-atelier-batch RUN-NONINTERACTIVE $(sfq "$style") 55.5 2 2 1 42 $(sfq "$FAKE_OUT")" <<<"$args" &&
   grep -qF " 0 128 0)" <<<"$args" &&
   grep -qF -- "-b (gimp-quit 0)" <<<"$args" && grep -qF "(catch " <<<"$args"'
check batch-arguments-inputs-file "inputs file: $(head -c 300 "$FAKE_ARGS.inputs" | tr '\n' '|')" \
  '[ "$(cat "$FAKE_ARGS.inputs")" = "$(printf "%s\n" "$in/a.png" "$in/b.png")" ]'
fake silent --style "$style" --resume --max-megapixels 2.5 -o "$FAKE_OUT" "$in/a.png"
args=$(tr '\n' ' ' <"$FAKE_ARGS" | tr -s ' ')
check batch-arguments-resume "gimp-console got: $(head -c 500 <<<"$args")" \
  'grep -qF " 1 2.5 0)" <<<"$args"'
fake silent --style "$style" --backdrop off -o "$FAKE_OUT" "$in/a.png"
args=$(tr '\n' ' ' <"$FAKE_ARGS" | tr -s ' ')
check batch-arguments-backdrop "gimp-console got: $(head -c 500 <<<"$args")" \
  'grep -qF " 0 128 1)" <<<"$args"'
# tens of thousands of inputs reach the plug-in whole, in one GIMP run
seq -f "$tmp/many/photo-%05g.jpg" 1 20000 >"$tmp/20000.list"
fake silent --style "$style" -o "$FAKE_OUT" --files-from "$tmp/20000.list"
check batch-20000-inputs "the plug-in got $(wc -l <"$FAKE_ARGS.inputs") lines" \
  'cmp -s "$tmp/20000.list" "$FAKE_ARGS.inputs"'
fake silent --style "$style" --seed 4294967295 -o "$FAKE_OUT" "$in/a.png"
args=$(tr '\n' ' ' <"$FAKE_ARGS" | tr -s ' ')
check batch-seed-modulo "gimp-console got: $(head -c 500 <<<"$args")" \
  'grep -qF "RUN-NONINTERACTIVE $(sfq "$style") 70 1 1 0 -1 " <<<"$args"'
fake silent --style starry --quality normal -o "$FAKE_OUT" "$in/a.png"
args=$(tr '\n' ' ' <"$FAKE_ARGS" | tr -s ' ')
check batch-preset-and-defaults "gimp-console got: $(head -c 500 <<<"$args")" \
  'grep -qF "RUN-NONINTERACTIVE \"starry\" 70 1 1 0 1 " <<<"$args"'

finish
