#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Atelier benchmark: speed, memory and quality against G'MIC's `stylize`.

A benchmark, not a test: it prints figures and informational PASS/FAIL lines
and exits 0 unless a tool crashed.  Both tools get identical inputs (content and
style resized with PIL/LANCZOS to the same long side, as PNG).  Everything it
writes lands in bench/out/ (git-ignored).  Wall time is measured here, peak RSS
with GNU time.  Usage (from the repository root):

    python3 bench/bench.py --build build            # what `make bench` runs
    python3 bench/bench.py --pairs 2 --sizes 512    # a quick development run
"""
import sys

try:
    from PIL import Image, ImageDraw, ImageFont
except ImportError:                 # e.g. a pyenv python3 first in PATH: use Debian's
    import os
    if sys.executable != '/usr/bin/python3' and os.path.exists('/usr/bin/python3'):
        os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv)
    raise

import argparse, json, os, re, shutil, statistics, subprocess, time

# (label, content, style) relative to ../shared/data.  The first pair is the key one.
PAIRS = [
    ('milk-carton/starry-night', 'content/packaging_grocery_Arla-Standard-Milk.jpg',
     'style/starry_night_vangogh.jpg'),
    ('vitamin-bottle/great-wave', 'content/packaging_abo_B07GTFSCHB_vitamin_bottle_844a1cce.jpg',
     'style/great_wave_hokusai.jpg'),
    ('dress/tiffany-hibiscus', 'content/clothing_dress_3eeaf330.jpg',
     'style/hibiscus_and_parrots_tiffany.png'),
    ('blazer/kandinsky-vii', 'content/clothing_blazer_eccc6e83.jpg',
     'style/composition_vii_kandinsky.jpg'),
    ('kodim04/the-scream', 'content/kodak_kodim04.png', 'style/the_scream_munch.jpg'),
    ('kodim03/grande-jatte', 'content/kodak_kodim03.png',
     'style/grande_jatte_seurat_reproduction.jpg'),
]
BIG_CONTENT = 'content/packaging_abo_B07GTFSCHB_vitamin_bottle_844a1cce.jpg'
BIG_STYLE = 'style/starry_night_vangogh.jpg'     # given at long side 1024
BIG_RUNS = {4096: 1.5, 8000: 2.0}                # side -> peak RSS target in GiB

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.normpath(os.path.join(REPO, '..', 'shared', 'data'))
SCORER = os.path.normpath(os.path.join(REPO, '..', 'shared', 'tools', 'style-score'))
OUT = os.path.join(REPO, 'bench', 'out')
METRICS = ('style', 'texture', 'ssim')
METRIC_FMT = {'style': '%.3g', 'texture': '%.3f', 'ssim': '%.3f'}
failures = []                                    # tool crashes: the exit status


def slug(s):
    return re.sub(r'[^A-Za-z0-9]+', '_', s).strip('_')


def fmt(x, spec='%.2f'):
    return '-' if x is None else spec % x


def get(rec, tool, key):
    return (rec.get(tool) or {}).get(key)


def sc(rec, tool, key):
    return ((rec.get(tool) or {}).get('scores') or {}).get(key)


def mib(kib):
    return fmt(kib and kib / 1024, '%.0f')


COLUMNS = (['pair', 'size', 'Atelier s', 'G\'MIC s', 'ratio', 'Atelier MiB', 'G\'MIC MiB']
           + ['%s photo/Atelier/G\'MIC' % m for m in METRICS])


def row(r):
    """One result as strings, in COLUMNS order."""
    return ([r['pair'], str(r['size']), fmt(get(r, 'atelier', 'time')), fmt(get(r, 'gmic', 'time')),
             fmt(r.get('ratio'), '%.3f'), mib(get(r, 'atelier', 'rss_kib')),
             mib(get(r, 'gmic', 'rss_kib'))]
            + [' / '.join(fmt(sc(r, t, m), METRIC_FMT[m]) for t in ('photo', 'atelier', 'gmic'))
               for m in METRICS])


def machine_info():
    cpu = '?'
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    try:
        banner = subprocess.run(['gmic', 'version'], capture_output=True, text=True).stdout
        gmic = re.search(r'Version ([0-9.]+)', re.sub(r'\x1b\[[0-9;]*m', '', banner)).group(1)
    except (OSError, AttributeError):
        gmic = None
    return {'nproc': len(os.sched_getaffinity(0)), 'cpu': cpu, 'gmic': gmic}


def prepare(src, side, dst, square=False):
    """src resized so its long side is `side` (or to side x side), written as PNG."""
    if os.path.exists(dst) and os.path.getmtime(dst) >= os.path.getmtime(src):
        return dst
    im = Image.open(src).convert('RGB')
    w, h = im.size
    size = (side, side) if square else (max(1, round(w * side / max(w, h))),
                                        max(1, round(h * side / max(w, h))))
    # No ICC profile: GEGL may honour one where G'MIC ignores it.
    im.resize(size, Image.LANCZOS).save(dst, icc_profile=None,
                                        compress_level=1 if side > 2048 else 6)
    return dst


# Peak RSS must come from a process that was small when it started the tool: on
# Linux a child's ru_maxrss starts at its parent's peak RSS (exec records the old
# memory map's high-water mark), so os.wait4 on our own child would report this
# script's peak (the big inputs are made here) for any tool that uses less.
# GNU time (Debian package `time`) is small; failing that a bare python3 -S is.
TIME = '/usr/bin/time'
RSS_HELPER = """import os, subprocess, sys, time
t0 = time.monotonic(); p = subprocess.Popen(sys.argv[2:]); _, st, ru = os.wait4(p.pid, 0)
p.returncode = 0; wall = time.monotonic() - t0
open(sys.argv[1], 'w').write('%d %.6f' % (ru.ru_maxrss, wall))
sys.exit(os.waitstatus_to_exitcode(st) & 255)"""


def run_timed(cmd, log):
    """Runs cmd; returns (exit status, wall seconds, peak RSS in KiB or None)."""
    rss_file = log + '.rss'
    if os.access(TIME, os.X_OK):
        cmd = [TIME, '-f', '%M', '-o', rss_file] + cmd
    else:
        cmd = [sys.executable, '-S', '-c', RSS_HELPER, rss_file] + cmd
    with open(log, 'w') as err:
        t0 = time.monotonic()
        rc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=err, stderr=err).returncode
        wall = time.monotonic() - t0
    try:                        # GNU time puts "Command exited with..." lines first
        with open(rss_file) as f:
            fields = f.read().splitlines()[-1].split()
        rss = int(fields[0])
        wall = float(fields[1]) if len(fields) > 1 else wall
    except (OSError, IndexError, ValueError):
        rss = None
    return rc, wall, rss


def run_tool(name, cmd, out, want_size, log):
    if os.path.exists(out):
        os.remove(out)
    rc, wall, rss = run_timed(cmd, log)
    err = None
    if rc != 0:
        err = 'exit status %d (see %s)' % (rc, os.path.relpath(log, REPO))
    elif not os.path.exists(out):
        err = 'no output written'
    elif want_size and (size := Image.open(out).size) != want_size:
        err = 'output is %dx%d, content is %dx%d' % (size + want_size)
    if err:
        failures.append('%s: %s' % (name, err))
        print('  %s FAILED: %s' % (name, err), flush=True)
        return {'error': err}
    print('  %-8s %7.2f s  %7s MiB' % (name, wall, fmt(rss and rss / 1024, '%.1f')), flush=True)
    return {'time': wall, 'rss_kib': rss, 'output': out}


def score(content, style, output):
    r = subprocess.run([SCORER, content, style, output, '--json'],
                       capture_output=True, text=True)
    if r.returncode != 0:
        failures.append('style-score %s: %s' % (output, r.stderr.strip()))
        return None
    return json.loads(r.stdout)


def bench_pairs(args, atelier, pairs, sizes):
    results = []
    for label, content, style in pairs:
        for side in sizes:
            print('%s @ %d' % (label, side), flush=True)
            stem = '%s_%d' % (slug(label), side)
            c = prepare(os.path.join(DATA, content), side, os.path.join(
                OUT, 'inputs', '%s_%d.png' % (os.path.splitext(os.path.basename(content))[0], side)))
            s = prepare(os.path.join(DATA, style), side, os.path.join(
                OUT, 'inputs', '%s_%d.png' % (os.path.splitext(os.path.basename(style))[0], side)))
            csize = Image.open(c).size
            rec = {'pair': label, 'size': side, 'content': c, 'style': s}
            out = os.path.join(OUT, 'atelier', stem + '.png')
            cmd = [atelier, 'stylize', '--quiet', '--style', s]
            if args.threads:
                cmd += ['--threads', str(args.threads)]
            rec['atelier'] = run_tool('atelier', cmd + [c, out], out, csize,
                                      os.path.join(OUT, 'logs', 'atelier_%s.log' % stem))
            if not args.no_gmic:
                out = os.path.join(OUT, 'gmic', stem + '.png')
                # stylize[0] restyles image 0 (content) after [1] (style); -o[0] saves
                # only image 0.  srand seeds G'MIC's RNG, yet with its default threads
                # the result still varies from run to run, so the limits of our checks
                # would too: the timed run keeps the default threads, and the output
                # scored and shown is the same command's repeatable one-thread run.
                cmd = ['gmic', '-v', '-1', 'srand', '42', c, s, 'stylize[0]', '[1]', '-o[0]', out]
                log = os.path.join(OUT, 'logs', 'gmic_%s.log' % stem)
                rec['gmic'] = run_tool('gmic', cmd, out, csize, log)
                if get(rec, 'gmic', 'output'):
                    env = dict(os.environ, OMP_NUM_THREADS='1')
                    with open(log, 'a') as err:
                        rc = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL,
                                            stdout=err, stderr=err).returncode
                    if rc != 0:
                        failures.append('gmic (one thread): exit status %d' % rc)
                        rec['gmic'] = {'error': 'one-thread run failed'}
            if get(rec, 'atelier', 'time') and get(rec, 'gmic', 'time'):
                rec['ratio'] = rec['atelier']['time'] / rec['gmic']['time']
            rec['photo'] = {'output': c}
            for tool in ('photo', 'atelier', 'gmic'):
                if get(rec, tool, 'output'):
                    rec[tool]['scores'] = score(c, s, rec[tool]['output'])
            results.append(rec)
    return results


def bench_big(args, atelier, sides):
    style = prepare(os.path.join(DATA, BIG_STYLE), 1024,
                    os.path.join(OUT, 'inputs', 'big_style_1024.png'))
    runs = []
    for side in sides:
        print('big %dx%d' % (side, side), flush=True)
        c = prepare(os.path.join(DATA, BIG_CONTENT), side,
                    os.path.join(OUT, 'inputs', 'big_%d.png' % side), square=True)
        out = os.path.join(OUT, 'atelier', 'big_%d.png' % side)
        cmd = [atelier, 'stylize', '--quiet', '--style', style]
        if args.threads:
            cmd += ['--threads', str(args.threads)]
        r = run_tool('atelier', cmd + [c, out], out, (side, side),
                     os.path.join(OUT, 'logs', 'atelier_big_%d.log' % side))
        r.update(side=side, target_gib=BIG_RUNS[side])
        runs.append(r)
        if 'output' in r:
            os.remove(out)         # hundreds of MB; the timing is what matters here
    return runs


def checks(results, big, medians):
    """(name, True/False/None) for every criterion; None = not measured."""
    m = medians.get(1024)
    out = [('median time ratio atelier/gmic at 1024 %s <= 0.2' % fmt(m, '%.3f'),
            m <= 0.2 if m is not None else None)]
    for rec in (r for r in results if r['size'] == 512):
        ta, tg = sc(rec, 'atelier', 'texture'), sc(rec, 'gmic', 'texture')
        sa, sg = sc(rec, 'atelier', 'ssim'), sc(rec, 'gmic', 'ssim')
        out.append(('%s @512: texture %s <= 1.25 x gmic %s' % (rec['pair'], fmt(ta, '%.3f'), fmt(tg, '%.3f')),
                    ta <= 1.25 * tg if None not in (ta, tg) else None))
        out.append(('%s @512: ssim %s >= gmic %s + 0.15' % (rec['pair'], fmt(sa, '%.3f'), fmt(sg, '%.3f')),
                    sa >= sg + 0.15 if None not in (sa, sg) else None))
        if rec['pair'] == PAIRS[0][0]:
            for key, ref in (('style', 0.4), ('texture', 0.7)):
                a, b = sc(rec, 'atelier', key), sc(rec, 'photo', key)
                out.append(('%s @512: %s %s < %.1f x photo %s' % (rec['pair'], key, fmt(a, '%.3f'), ref,
                                                                fmt(b, '%.3f')),
                            a < ref * b if None not in (a, b) else None))
            out.append(('%s @512: ssim %s >= 0.30' % (rec['pair'], fmt(sa, '%.3f')),
                        sa >= 0.30 if sa is not None else None))
    for r in big:
        rss = r.get('rss_kib')
        out.append(('%dx%d: peak RSS %s GiB <= %.1f GiB' % (r['side'], r['side'],
                    fmt(rss and rss / 2**20), r['target_gib']),
                    rss / 2**20 <= r['target_gib'] if rss else None))
    return out


def table(results, big, medians, machine):
    """The results as Markdown (for README's Performance section)."""
    lines = ['Machine: %d CPUs, %s; G\'MIC %s. Quality from `style-score` at 512 '
             '(style, texture: lower is better; ssim: higher is better; photo = the unstyled '
             'content). G\'MIC is timed at its default threads and scored on the same '
             'command run with one thread, whose output repeats.' % (
                 machine['nproc'], machine['cpu'], machine['gmic'] or '?'), '',
             '| ' + ' | '.join(COLUMNS) + ' |', '|' + ' --- |' * len(COLUMNS)]
    lines += ['| ' + ' | '.join(row(r)) + ' |' for r in results]
    lines.append('')
    lines += ['Median time ratio Atelier/G\'MIC at %d: %s' % (k, fmt(v, '%.3f')) +
              '  ' for k, v in medians.items()]
    for r in big:
        lines.append('Atelier at %dx%d: %s s, peak RSS %s MiB  ' % (
            r['side'], r['side'], fmt(r.get('time')), mib(r.get('rss_kib'))))
    return '\n'.join(lines) + '\n'


def contact_sheet(results, path_png, path_jpg, cell_h=256, cell_w=384, cap=28):
    font = ImageFont.load_default()
    rows = [r for r in results if r['size'] == 512]
    if not rows:
        return False
    top = 24
    sheet = Image.new('RGB', (4 * cell_w + 5 * 8, top + len(rows) * (cell_h + cap + 8)), 'white')
    draw = ImageDraw.Draw(sheet)
    for i, name in enumerate(('content', 'style', 'Atelier', 'G\'MIC')):
        draw.text((8 + i * (cell_w + 8), 6), name, fill='black', font=font)
    for j, r in enumerate(rows):
        y = top + j * (cell_h + cap + 8)
        cells = [(r['content'], '%s  (photo: style %s  texture %s)' % (
                     r['pair'].split('/')[0], fmt(sc(r, 'photo', 'style'), '%.3g'),
                     fmt(sc(r, 'photo', 'texture'), '%.3f'))),
                 (r['style'], r['pair'].split('/')[1])]
        for tool in ('atelier', 'gmic'):
            cells.append((get(r, tool, 'output'), '%s s  style %s  texture %s  ssim %s' % (
                fmt(get(r, tool, 'time')), fmt(sc(r, tool, 'style'), '%.3g'),
                fmt(sc(r, tool, 'texture'), '%.3f'), fmt(sc(r, tool, 'ssim'), '%.3f'))
                          if get(r, tool, 'output') else get(r, tool, 'error') or 'not run'))
        for i, (path, text) in enumerate(cells):
            x = 8 + i * (cell_w + 8)
            if path and os.path.exists(path):
                im = Image.open(path).convert('RGB')
                im.thumbnail((cell_w, cell_h), Image.LANCZOS)
                sheet.paste(im, (x + (cell_w - im.width) // 2, y + (cell_h - im.height) // 2))
            else:
                draw.rectangle((x, y, x + cell_w - 1, y + cell_h - 1), fill=(200, 200, 200))
                draw.text((x + cell_w // 2 - 10, y + cell_h // 2), 'n/a', fill='black', font=font)
            draw.text((x, y + cell_h + 6), text, fill='black', font=font)
    sheet.save(path_png)
    small = sheet
    for q in (85, 75, 65, 55, 45):       # the JPEG copy stays around 400 KB or less
        small.save(path_jpg, quality=q, optimize=True)
        if os.path.getsize(path_jpg) <= 400 * 1024:
            break
        if q == 65:
            small = sheet.resize((sheet.width * 3 // 4, sheet.height * 3 // 4), Image.LANCZOS)
    return True


README_START = '<!-- bench:start (written by make bench) -->'
README_END = '<!-- bench:end -->'


def update_readme(table_md, verdicts, sheet):
    """Replaces the README's Performance figures with this run's, and the
    contact sheet in docs/ with this run's."""
    path = os.path.join(REPO, 'README.md')
    with open(path) as f:
        text = f.read()
    if README_START not in text or README_END not in text:
        print('README.md has no bench markers; not updated')
        return
    lines = [README_START, '', table_md.rstrip(), '', 'Checks of this run:', '']
    lines += ['- %s %s' % ({True: 'PASS', False: 'FAIL', None: 'SKIP'}[ok], name)
              for name, ok in verdicts]
    if sheet:
        os.makedirs(os.path.join(REPO, 'docs'), exist_ok=True)
        shutil.copyfile(os.path.join(OUT, 'contact-sheet.jpg'),
                        os.path.join(REPO, 'docs', 'bench-contact-sheet.jpg'))
        lines += ['', 'Content | style | Atelier | G\'MIC, at 512 with defaults:', '',
                  '![contact sheet](docs/bench-contact-sheet.jpg)']
    lines += ['', README_END]
    head, rest = text.split(README_START, 1)
    tail = rest.split(README_END, 1)[1]
    with open(path, 'w') as f:
        f.write(head + '\n'.join(lines) + tail)
    print('updated README.md and docs/bench-contact-sheet.jpg')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--build', default='build', help='directory holding the atelier binary')
    ap.add_argument('--pairs', type=int, default=len(PAIRS), help='run the first N pairs only')
    ap.add_argument('--sizes', default='512,1024', help='long sides, comma-separated')
    ap.add_argument('--threads', type=int, help='pass --threads N to atelier')
    ap.add_argument('--no-gmic', action='store_true', help='skip G\'MIC')
    ap.add_argument('--no-big', action='store_true', help='skip the 4096x4096 run')
    ap.add_argument('--big', action='store_true', help='add an 8000x8000 run')
    ap.add_argument('--readme', action='store_true',
                    help="write the figures into README.md's Performance section "
                         'and the contact sheet to docs/')
    args = ap.parse_args()

    atelier = os.path.abspath(os.path.join(args.build, 'atelier'))
    if not os.access(atelier, os.X_OK):
        sys.exit('bench: %s not found: build it first (make)' % atelier)
    if not os.path.isdir(DATA) or not os.access(SCORER, os.X_OK):
        sys.exit('bench: shared data or scorer missing (%s, %s)' % (DATA, SCORER))
    if not args.no_gmic and not shutil.which('gmic'):
        sys.exit('bench: gmic not in PATH (apt-get install gmic, or --no-gmic)')
    sizes = [int(s) for s in args.sizes.split(',') if s]
    for d in ('inputs', 'atelier', 'gmic', 'logs'):
        os.makedirs(os.path.join(OUT, d), exist_ok=True)

    machine = machine_info()
    print('machine: %d CPUs, %s' % (machine['nproc'], machine['cpu']))
    print('gmic:    %s%s' % (machine['gmic'], ' (not run)' if args.no_gmic else ''))
    print('atelier: %s%s' % (atelier, ' --threads %d' % args.threads if args.threads else ''))
    load = os.getloadavg()[0]
    print('load:    %.2f%s\n' % (load, '  (WARNING: machine busy, timings will suffer)'
                                  if load > 0.5 else ''))
    machine['load'] = load
    machine['rss_by'] = TIME if os.access(TIME, os.X_OK) else 'python3 -S wait4 helper'

    t0 = time.monotonic()
    results = bench_pairs(args, atelier, PAIRS[:args.pairs], sizes)
    big = [] if args.no_big else bench_big(args, atelier, [4096] + ([8000] if args.big else []))

    widths = [26, 5, 9, 9, 6, 11, 9] + [27] * len(METRICS)
    print()
    for cells in [COLUMNS] + [row(r) for r in results]:
        print(' '.join('%-*s' % (w, c) for w, c in zip(widths, cells)))
    medians = {}
    for side in sizes:
        rs = [r['ratio'] for r in results if r['size'] == side and 'ratio' in r]
        medians[side] = statistics.median(rs) if rs else None
        print('median ratio atelier/gmic at %d: %s' % (side, fmt(medians[side], '%.3f')))
    for r in big:
        print('atelier %dx%d: %s s, peak RSS %s MiB' % (r['side'], r['side'], fmt(r.get('time')),
              mib(r.get('rss_kib'))))

    print('\nchecks (informational):')
    verdicts = checks(results, big, medians)
    for name, ok in verdicts:
        print('  %s  %s' % ({True: 'PASS', False: 'FAIL', None: 'SKIP'}[ok], name))

    sheet = contact_sheet(results, os.path.join(OUT, 'contact-sheet.png'),
                          os.path.join(OUT, 'contact-sheet.jpg'))
    table_md = table(results, big, medians, machine)
    with open(os.path.join(OUT, 'results.md'), 'w') as f:
        f.write(table_md)
    with open(os.path.join(OUT, 'results.json'), 'w') as f:
        json.dump({'machine': machine, 'pairs': results, 'big': big,
                   'median_ratio': {str(k): v for k, v in medians.items()},
                   'checks': [{'check': n, 'pass': ok} for n, ok in verdicts],
                   'failures': failures}, f, indent=1)
    if args.readme:
        update_readme(table_md, verdicts, sheet)
    print('\nwrote bench/out/results.md, results.json%s (%.0f s in all)' % (
        ', contact-sheet.png/.jpg' if sheet else '', time.monotonic() - t0))
    if failures:
        print('tool failures:\n  ' + '\n  '.join(failures))
        sys.exit(1)


if __name__ == '__main__':
    main()
