#!/usr/bin/env bash
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

# It finds the status file (the first string in the Script-Fu), the input
# list and the report file (the plug-in's 3rd and 4th string arguments)
# and acts as FAKE_MODE says.
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
  silent) exit 0 ;;
esac
exec /usr/bin/python3 - "$script" <<'PY'
import os, re, sys
def strings(text):
    return [re.sub(r'\\(.)', r'\1', s)
            for s in re.findall(r'"((?:[^"\\]|\\.)*)"', text)]
script = sys.argv[1]
status = strings(script)[0]
call = strings(script.split("plug-in-atelier-batch RUN-NONINTERACTIVE")[1])
inputs, report = call[2].split("\n"), call[3]
mode = os.environ["FAKE_MODE"]
with open(status, "w") as f:
    f.write("missing\n" if mode == "missing" else "returned 0\n")
if mode == "partial":
    out = os.path.join(os.environ["FAKE_OUT"], "x.png")
    open(out, "w").close()
    with open(report, "w") as f:
        f.write("ok %s -> %s\n" % (inputs[0], out))
if mode == "lying":
    with open(report, "w") as f:
        for i in inputs:
            f.write("ok %s -> /nonexistent/out.png\n" % i)
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
  'grep -qF "(plug-in-atelier-batch RUN-NONINTERACTIVE $(sfq "$style") 55.5 2 2 1 42 $(sfq "$FAKE_OUT") $(sfq "$in/a.png $in/b.png")" <<<"$args" &&
   grep -qF -- "-b (gimp-quit 0)" <<<"$args" && grep -qF "(catch " <<<"$args"'
fake silent --style "$style" --seed 4294967295 -o "$FAKE_OUT" "$in/a.png"
args=$(tr '\n' ' ' <"$FAKE_ARGS" | tr -s ' ')
check batch-seed-modulo "gimp-console got: $(head -c 500 <<<"$args")" \
  'grep -qF "RUN-NONINTERACTIVE $(sfq "$style") 70 1 1 0 -1 " <<<"$args"'
fake silent --style starry --quality normal -o "$FAKE_OUT" "$in/a.png"
args=$(tr '\n' ' ' <"$FAKE_ARGS" | tr -s ' ')
check batch-preset-and-defaults "gimp-console got: $(head -c 500 <<<"$args")" \
  'grep -qF "RUN-NONINTERACTIVE \"starry\" 70 1 1 0 1 " <<<"$args"'

finish
