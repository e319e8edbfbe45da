# SPDX-License-Identifier: GPL-3.0-or-later
# Atelier — top-level build.  `make` builds everything under build/,
# `make check` runs every test, `make bench` runs the benchmark.

CC       ?= cc
BUILD    ?= build
# No -march: the network's convolutions pick AVX-512 or AVX2+FMA at run
# time (net_layers.c), and the example-based engine measured no faster
# built for x86-64-v2 or v3 (see README, Performance).  CFLAGS, CPPFLAGS
# and LDFLAGS from the environment or the command line are used as given
# (dpkg-buildflags passes Debian's); what the sources need is in WARN.
OPT      ?= -O3
CFLAGS   ?= -g $(OPT)
# -MMD -MP: each object's header dependencies in a .d file beside it
WARN      = -std=gnu11 -fopenmp-simd -fno-math-errno -Wall -Wextra \
            -Wno-unused-parameter -MMD -MP
ifdef WERROR
WARN     += -Werror
endif
# gegl-0.4 requires babl (babl.pc in Debian 12, babl-0.1.pc in 13)
PKGS_GEGL = gegl-0.4
GEGL_CFLAGS := $(shell pkg-config --cflags $(PKGS_GEGL) glib-2.0)
GEGL_LIBS   := $(shell pkg-config --libs $(PKGS_GEGL) glib-2.0)
BLAS_CFLAGS := $(shell pkg-config --cflags openblas 2>/dev/null)
BLAS_LIBS   := $(shell pkg-config --libs openblas 2>/dev/null || echo -lopenblas)
# LAPACK's ssyevr (engine/pca.c) through LAPACKE, its C interface; on
# Debian the LAPACK behind it is OpenBLAS's (liblapack.so.3 alternative).
LAPACKE_CFLAGS := $(shell pkg-config --cflags lapacke 2>/dev/null)
LAPACKE_LIBS   := $(shell pkg-config --libs lapacke 2>/dev/null || echo -llapacke)
GLIB_CFLAGS := $(shell pkg-config --cflags glib-2.0)
GLIB_LIBS   := $(shell pkg-config --libs glib-2.0)
# The codecs the engine decodes and encodes image files with.
PKGS_IMAGE   = libpng libjpeg libtiff-4 libwebp
IMAGE_CFLAGS := $(shell pkg-config --cflags $(PKGS_IMAGE))
IMAGE_LIBS   := $(shell pkg-config --libs $(PKGS_IMAGE))
# zlib's crc32 checks .atnet models; libpng needs zlib anyway, but a
# shared libpng does not pass it on to our link.
ZLIB_CFLAGS  := $(shell pkg-config --cflags zlib)
ZLIB_LIBS    := $(shell pkg-config --libs zlib)

# The core engine: C99 + pthreads + OpenBLAS/LAPACKE + the image codecs, no GLib,
# so it builds and fuzzes alone.  gegl_adapter.c is the only file that sees GEGL.
CORE_SRC = $(filter-out engine/gegl_adapter.c,$(wildcard engine/*.c))
CORE_OBJ = $(CORE_SRC:%.c=$(BUILD)/%.o)
ADAPTER_OBJ = $(BUILD)/engine/gegl_adapter.o

ENGINE_LIBS = $(IMAGE_LIBS) $(ZLIB_LIBS) $(LAPACKE_LIBS) $(BLAS_LIBS) \
              -lpthread -lm

UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Where `make install` puts things (DESTDIR in front of each, for
# packaging).  The commands and the CLI's paths follow PREFIX; the GIMP
# plug-ins and the GEGL operations go where GIMP and GEGL look, whatever
# PREFIX is: GIMP2_PLUGINDIR/atelier/ (GIMP 2.10's plug-ins folder, from
# pkg-config gimp-2.0), GIMP3_PLUGINDIR/atelier/ and GEGL_PLUGINSDIR.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share
LOCALEDIR  ?= $(DATADIR)/locale
MODELSDIR  ?= $(DATADIR)/atelier/models
MANDIR     ?= $(DATADIR)/man
GIMP2_LIBDIR := $(shell pkg-config --variable=gimplibdir gimp-2.0 2>/dev/null)
GIMP2_PLUGINDIR ?= $(or $(GIMP2_LIBDIR),/usr/lib/gimp/2.0)/plug-ins
GIMP3_LIBDIR := $(shell pkg-config --variable=gimplibdir gimp-3.0 2>/dev/null)
GIMP3_PLUGINDIR ?= $(or $(GIMP3_LIBDIR),/usr/lib/gimp/3.0)/plug-ins
GEGL_PLUGINSDIR ?= $(shell pkg-config --variable=pluginsdir gegl-0.4 2>/dev/null)
INSTALL    ?= install

# The GIMP 2.10 plug-in: one binary with its translations beside it, laid
# out as it is installed (<gimp profile>/plug-ins/atelier/).
GIMP_CFLAGS := $(shell pkg-config --cflags gimpui-2.0 2>/dev/null)
GIMP_LIBS   := $(shell pkg-config --libs gimpui-2.0 2>/dev/null)
PLUGIN_DIR  = $(BUILD)/plugins/atelier
# plugins/*.c are shared with the GIMP 3 front end (mk/gimp3.mk)
PLUGIN_SRC  = $(wildcard plugins/*.c plugins/gimp2/*.c)
PLUGIN_OBJ  = $(PLUGIN_SRC:%.c=$(BUILD)/%.o)
PLUGIN_BIN  = $(PLUGIN_DIR)/atelier
LINGUAS     = $(basename $(notdir $(wildcard po/*.po)))
PLUGIN_MO   = $(LINGUAS:%=$(PLUGIN_DIR)/locale/%/LC_MESSAGES/atelier.mo)
# the catalogues of the command line, installed in LOCALEDIR
CLI_MO      = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/atelier.mo)
# GTK 2's headers use deprecated GLib API; they are system headers to us.
PLUGIN_CFLAGS = $(patsubst -I%,-isystem %,$(GIMP_CFLAGS)) -Iengine -Iplugins \
                -DGETTEXT_PACKAGE='"atelier"' -DLOCALEDIR='"$(LOCALEDIR)"'
XGETTEXT_FLAGS = --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
                 --keyword=ATELIER_N_ \
                 --keyword=C_:1c,2 --add-comments=TRANSLATORS: \
                 --package-name=atelier --package-version=$(shell \
                 sed -n 's/^\#define ATELIER_VERSION "\(.*\)"/\1/p' engine/atelier.h)

.PHONY: all check check-unit check-cli check-asan check-po fuzz bench clean \
        plugin pot update-po cli translations unit-tests install \
        uninstall deb FORCE

all: $(BUILD)/libatelier-core.a $(BUILD)/libatelier.a $(BUILD)/atelier \
     $(UNIT_BIN) $(BUILD)/tests/net_run plugin translations

cli: $(BUILD)/atelier
translations: $(CLI_MO)

$(BUILD)/engine/%.o: engine/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(BLAS_CFLAGS) $(LAPACKE_CFLAGS) \
	  $(IMAGE_CFLAGS) -fPIC -pthread -c $< -o $@

$(ADAPTER_OBJ): engine/gegl_adapter.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(GEGL_CFLAGS) -fPIC -c $< -o $@

$(BUILD)/libatelier-core.a: $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libatelier.a: $(CORE_OBJ) $(ADAPTER_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The paths compiled into the programs (the CLI's MODELSDIR, where
# `make install` puts the shipped styles, and LOCALEDIR), rewritten only
# when they change: `make install PREFIX=/usr` after a plain `make`
# rebuilds what holds them.
$(BUILD)/paths.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo 'MODELSDIR=$(MODELSDIR) LOCALEDIR=$(LOCALEDIR)' | cmp -s - $@ || \
	  echo 'MODELSDIR=$(MODELSDIR) LOCALEDIR=$(LOCALEDIR)' >$@

$(BUILD)/atelier: cli/atelier.c $(BUILD)/libatelier.a $(BUILD)/paths.stamp
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -Iengine $(GEGL_CFLAGS) \
	  -DMODELSDIR='"$(MODELSDIR)"' -DLOCALEDIR='"$(LOCALEDIR)"' $< -o $@ \
	  $(LDFLAGS) $(BUILD)/libatelier.a $(GEGL_LIBS) $(ENGINE_LIBS)

$(BUILD)/locale/%/LC_MESSAGES/atelier.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libatelier.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -Iengine -Itests/unit \
	  $(GEGL_CFLAGS) $(IMAGE_CFLAGS) $< -o $@ \
	  $(LDFLAGS) $(BUILD)/libatelier.a $(GEGL_LIBS) $(ENGINE_LIBS)

# The allocation-failure test: the engine's calls of the allocator and of
# pthread_create go to the test's wrappers, which fail the N-th; glib's,
# OpenBLAS's and libc's own calls stay unwrapped (shared libraries).
ALLOC_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
             -Wl,--wrap=pthread_create
$(BUILD)/tests/test_alloc_fail: tests/unit/test_alloc_fail.c \
                                $(BUILD)/libatelier-core.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -Iengine -Itests/unit \
	  $(GLIB_CFLAGS) $< -o $@ $(LDFLAGS) $(ALLOC_WRAP) \
	  $(BUILD)/libatelier-core.a $(GLIB_LIBS) $(ENGINE_LIBS)

# The reference test's runner: a network on raw floats (tests/e2e).
$(BUILD)/tests/net_run: tests/e2e/net_run.c $(BUILD)/libatelier-core.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -Iengine $< -o $@ $(LDFLAGS) \
	  $(BUILD)/libatelier-core.a $(ENGINE_LIBS)

plugin: $(PLUGIN_BIN) $(PLUGIN_MO)

# (LOCALEDIR is compiled in: the catalogues' folder if none is beside the
# binary)
$(BUILD)/plugins/%.o: plugins/%.c $(BUILD)/paths.stamp
	@mkdir -p $(dir $@)
	@test -n "$(GIMP_CFLAGS)" || { echo "pkg-config finds no gimpui-2.0:" \
	  "install libgimp2.0-dev to build the GIMP plug-in" >&2; exit 1; }
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(PLUGIN_CFLAGS) -c $< -o $@

$(PLUGIN_BIN): $(PLUGIN_OBJ) $(BUILD)/libatelier.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $(PLUGIN_OBJ) -o $@ \
	  $(BUILD)/libatelier.a $(GIMP_LIBS) $(GEGL_LIBS) $(ENGINE_LIBS)

$(PLUGIN_DIR)/locale/%/LC_MESSAGES/atelier.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt -c -o $@ $<

# po/atelier.pot from the sources in po/POTFILES; `make update-po` merges
# it into every po/*.po.
pot:
	xgettext $(XGETTEXT_FLAGS) --files-from=po/POTFILES -o po/atelier.pot

update-po: pot
	@for po in po/*.po; do \
	  msgmerge --quiet --update --backup=none $$po po/atelier.pot; done

# Every catalogue complete (no untranslated or fuzzy message) and
# po/atelier.pot up to date with the sources' messages.
check-po:
	@set -e; for po in po/*.po; do \
	  stats=$$(LC_ALL=C msgfmt -c --statistics -o /dev/null $$po 2>&1); \
	  echo "$$po: $$stats"; \
	  case "$$stats" in *untranslated*|*fuzzy*) exit 1;; esac; \
	done
	@mkdir -p $(BUILD)
	@xgettext $(XGETTEXT_FLAGS) --files-from=po/POTFILES -o $(BUILD)/atelier.pot
	@diff -q -I '^"POT-Creation-Date:' -I '^#:' po/atelier.pot \
	  $(BUILD)/atelier.pot >/dev/null || \
	  { echo "po/atelier.pot is out of date: run 'make pot'" >&2; exit 1; }

check: all
	@tests/run-all.sh $(BUILD)

check-unit: all
	@tests/run-all.sh $(BUILD) unit

# the unit tests' binaries alone, without the plug-ins (debian/rules runs
# them with tests/run-all.sh BUILD unit)
unit-tests: $(UNIT_BIN)

# Unit tests under AddressSanitizer + UBSan, in their own build tree.
check-asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" all CC="$(CC) -fsanitize=address,undefined"
	@ASAN_OPTIONS=detect_leaks=1 tests/run-all.sh build-asan unit

# The image decoder under libFuzzer (+ ASan/UBSan) for FUZZ_TIME seconds,
# from a seed corpus of small PNG/JPEG/TIFF/WebP files made by
# tests/fuzz/seeds.py; what it finds is left in build-fuzz/ (crash-*,
# timeout-*, leak-*).  The .atnet parser likewise (fuzz_net, seeds from
# tests/fuzz/net_seeds.c, findings net-crash-* ...); each target gets half
# of FUZZ_TIME.
FUZZ_CC   ?= clang
FUZZ_TIME ?= 60
FUZZ_SRC   = engine/image_decode.c engine/file_io.c engine/context.c \
             tests/fuzz/fuzz_decode.c
FUZZ_NET_SRC = engine/net_file.c engine/context.c
fuzz:
	@mkdir -p build-fuzz/corpus
	$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -Iengine $(BLAS_CFLAGS) \
	  $(IMAGE_CFLAGS) $(FUZZ_SRC) -o build-fuzz/fuzz_decode \
	  $(IMAGE_LIBS) $(BLAS_LIBS) -lpthread -lm
	/usr/bin/python3 tests/fuzz/seeds.py build-fuzz/seeds
	$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -Iengine $(BLAS_CFLAGS) \
	  $(ZLIB_CFLAGS) $(FUZZ_NET_SRC) tests/fuzz/fuzz_net.c \
	  -o build-fuzz/fuzz_net $(ZLIB_LIBS) $(BLAS_LIBS) -lpthread -lm
	$(FUZZ_CC) -std=gnu11 -g -O1 -Iengine $(BLAS_CFLAGS) $(ZLIB_CFLAGS) \
	  $(FUZZ_NET_SRC) tests/fuzz/net_seeds.c -o build-fuzz/net_seeds \
	  $(ZLIB_LIBS) $(BLAS_LIBS) -lpthread -lm
	@mkdir -p build-fuzz/net-corpus build-fuzz/net-seeds
	build-fuzz/net_seeds build-fuzz/net-seeds
	@cd build-fuzz && half=$$(( ($(FUZZ_TIME) + 1) / 2 )); \
	if ./fuzz_decode -max_total_time=$$half \
	  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus seeds \
	  2>fuzz.log; then \
	  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units)' fuzz.log; \
	else tail -40 fuzz.log; echo "0 passed, 1 failed"; exit 1; fi; \
	if ./fuzz_net -max_total_time=$$half -timeout=10 -rss_limit_mb=2048 \
	  -print_final_stats=1 -artifact_prefix=net- net-corpus net-seeds \
	  2>fuzz-net.log; then \
	  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units)' \
	    fuzz-net.log; \
	  echo "1 passed, 0 failed"; \
	else tail -40 fuzz-net.log; echo "0 passed, 1 failed"; exit 1; fi

bench: all $(BUILD)/bench/net_layers_bench
	/usr/bin/python3 bench/bench.py --build $(BUILD) --readme --big
	tools/bench-batch.sh $(BUILD) 20
	/usr/bin/python3 bench/net_bench.py --build $(BUILD)
	/usr/bin/python3 bench/styles_bench.py --build $(BUILD) --sheet
	/usr/bin/python3 bench/grid.py --build $(BUILD)

# The example-based engine over the whole grid of shared pairs (18 photos x
# 6 paintings, 3 seeds) against G'MIC: also the last step of `make bench`.
.PHONY: bench-grid
bench-grid: all
	/usr/bin/python3 bench/grid.py --build $(BUILD)

# The layer kernels' micro-benchmark, kept out of `make check`: GFLOP/s of
# each convolution of Johnson's net at 1024^2 beside OpenBLAS's sgemm.
.PHONY: bench-layers
bench-layers: $(BUILD)/bench/net_layers_bench
	$(BUILD)/bench/net_layers_bench

$(BUILD)/bench/net_layers_bench: bench/net_layers_bench.c \
                                 $(BUILD)/libatelier-core.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -Iengine $(BLAS_CFLAGS) $< -o $@ \
	  $(LDFLAGS) $(BUILD)/libatelier-core.a $(ENGINE_LIBS)

clean:
	rm -rf build build-asan build-fuzz

# ---- install ----

# make install [PREFIX=/usr/local] [DESTDIR=DIR]: the commands atelier and
# atelier-batch, the shipped styles (MODELSDIR), the catalogues
# (LOCALEDIR) and the GIMP 2.10 plug-in's folder as install.sh lays it out
# (the binary, locale/, models/: here a link to MODELSDIR); the GIMP 3
# plug-in (make plugin3) and the GEGL operations (make gegl-ops) when they
# are built; the commands' manual pages (docs/man) in MANDIR/man1.  `make
# uninstall` with the same variables removes it all.
PLUGIN3_BUILT   = $(BUILD)/gimp3/atelier
GEGL_OPS_BUILT  = $(wildcard $(BUILD)/gegl-ops/*.so)
INSTALL_MODELS  = $(wildcard models/*.atnet)
MAN1_PAGES      = atelier.1 atelier-batch.1
MAN1_BUILT      = $(MAN1_PAGES:%=$(BUILD)/man/%)

# a manual page with the folder of the shipped styles the command looks in
$(BUILD)/man/%.1: docs/man/%.1 $(BUILD)/paths.stamp
	@mkdir -p $(dir $@)
	sed 's|@MODELSDIR@|$(MODELSDIR)|g' $< >$@

# $(call install-plugin-folder,BUILT,DEST): BUILT's files into DEST (the
# old DEST replaced whole), executables 755; DEST/models -> MODELSDIR.
# One shell command, so it can stand inside an if.
install-plugin-folder = rm -rf "$(DESTDIR)$(2)" && \
  (cd "$(1)" && find . -type f) | sort | while IFS= read -r f; do \
    f=$${f\#./}; if [ -x "$(1)/$$f" ]; then m=755; else m=644; fi; \
    echo "  $(1)/$$f -> $(DESTDIR)$(2)/$$f"; \
    $(INSTALL) -D -m $$m "$(1)/$$f" "$(DESTDIR)$(2)/$$f" || exit 1; \
  done && \
  ln -s "$$(realpath -m -s --relative-to="$(2)" "$(MODELSDIR)")" \
    "$(DESTDIR)$(2)/models"

install: $(BUILD)/atelier $(CLI_MO) $(MAN1_BUILT) $(if $(GIMP_CFLAGS),plugin)
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MODELSDIR)" \
	  "$(DESTDIR)$(MANDIR)/man1"
	$(INSTALL) -m 755 $(BUILD)/atelier "$(DESTDIR)$(BINDIR)/atelier"
	$(INSTALL) -m 755 bin/atelier-batch "$(DESTDIR)$(BINDIR)/atelier-batch"
	$(INSTALL) -m 644 $(MAN1_BUILT) "$(DESTDIR)$(MANDIR)/man1/"
ifneq ($(INSTALL_MODELS),)
	$(INSTALL) -m 644 $(INSTALL_MODELS) "$(DESTDIR)$(MODELSDIR)/"
endif
	for l in $(LINGUAS); do \
	  $(INSTALL) -D -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/atelier.mo \
	    "$(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/atelier.mo" || exit 1; done
ifneq ($(GIMP_CFLAGS),)
	@echo "GIMP 2.10 plug-in: $(DESTDIR)$(GIMP2_PLUGINDIR)/atelier"
	@$(call install-plugin-folder,$(PLUGIN_DIR),$(GIMP2_PLUGINDIR)/atelier)
else
	@echo "make install: pkg-config finds no gimpui-2.0 (libgimp2.0-dev): no GIMP 2.10 plug-in"
endif
	@if [ -x "$(PLUGIN3_BUILT)/atelier" ]; then \
	  echo "GIMP 3 plug-in: $(DESTDIR)$(GIMP3_PLUGINDIR)/atelier"; \
	  $(call install-plugin-folder,$(PLUGIN3_BUILT),$(GIMP3_PLUGINDIR)/atelier); \
	else echo "make install: no GIMP 3 plug-in built ($(PLUGIN3_BUILT)/atelier; make plugin3)"; fi
ifneq ($(GEGL_OPS_BUILT),)
	$(INSTALL) -d "$(DESTDIR)$(GEGL_PLUGINSDIR)"
	$(INSTALL) -m 644 $(GEGL_OPS_BUILT) "$(DESTDIR)$(GEGL_PLUGINSDIR)/"
else
	@echo "make install: no GEGL operations built ($(BUILD)/gegl-ops/*.so; make gegl-ops)"
endif

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/atelier" "$(DESTDIR)$(BINDIR)/atelier-batch"
	rm -f $(foreach m,$(MAN1_PAGES),"$(DESTDIR)$(MANDIR)/man1/$(m)")
	rm -rf "$(DESTDIR)$(MODELSDIR)"
	rmdir "$(DESTDIR)$(MODELSDIR)/.." 2>/dev/null || true
	rm -f $(foreach l,$(LINGUAS),"$(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES/atelier.mo")
	rm -rf "$(DESTDIR)$(GIMP2_PLUGINDIR)/atelier" "$(DESTDIR)$(GIMP3_PLUGINDIR)/atelier"
	rm -f $(foreach o,$(sort atelier-style-transfer.so atelier-color-transfer.so \
	        $(notdir $(GEGL_OPS_BUILT))),"$(DESTDIR)$(GEGL_PLUGINSDIR)/$(o)")

# The Debian package (debian/), built outside build/ (in debian/build);
# the .deb and its .changes and .buildinfo land in ../ as dpkg-buildpackage
# leaves them.  Not part of `make check`: it builds everything again and
# runs the unit tests.  DEB_JOBS: make's jobs (default: one per core).
DEB_JOBS ?= auto
deb:
	dpkg-buildpackage -b -us -uc -j$(DEB_JOBS)

# the header dependencies the compiler wrote (-MMD) beside each object
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Front ends beyond GIMP 2.10, each in its own fragment: the GEGL
# operations (mk/gegl-ops.mk) and the GIMP 3 plug-in (mk/gimp3.mk).
-include mk/gegl-ops.mk
-include mk/gimp3.mk
