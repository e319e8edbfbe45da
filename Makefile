# Atelier — top-level build.  `make` builds everything under build/,
# `make check` runs every test, `make bench` runs the benchmark.

CC       ?= cc
BUILD    ?= build
OPT      ?= -O3 -march=x86-64-v2 -fno-math-errno
CFLAGS   ?= -g $(OPT)
WARN      = -std=gnu11 -fopenmp-simd -Wall -Wextra -Wno-unused-parameter
ifdef WERROR
WARN     += -Werror
endif
PKGS_GEGL = gegl-0.4 babl
GEGL_CFLAGS := $(shell pkg-config --cflags $(PKGS_GEGL) glib-2.0)
GEGL_LIBS   := $(shell pkg-config --libs $(PKGS_GEGL) glib-2.0)
BLAS_CFLAGS := $(shell pkg-config --cflags openblas 2>/dev/null)
BLAS_LIBS   := $(shell pkg-config --libs openblas 2>/dev/null || echo -lopenblas)
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

# The core engine: C99 + pthreads + OpenBLAS + the image codecs, no GLib,
# so it builds and fuzzes alone.  gegl_adapter.c is the only file that sees GEGL.
CORE_SRC = $(filter-out engine/gegl_adapter.c,$(wildcard engine/*.c))
CORE_OBJ = $(CORE_SRC:%.c=$(BUILD)/%.o)
ADAPTER_OBJ = $(BUILD)/engine/gegl_adapter.o

ENGINE_LIBS = $(IMAGE_LIBS) $(ZLIB_LIBS) $(BLAS_LIBS) -lpthread -lm

UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# The GIMP 2.10 plug-in: one binary with its translations beside it, laid
# out as it is installed (<gimp profile>/plug-ins/atelier/).
PREFIX     ?= /usr/local
LOCALEDIR  ?= $(PREFIX)/share/locale
GIMP_CFLAGS := $(shell pkg-config --cflags gimpui-2.0 2>/dev/null)
GIMP_LIBS   := $(shell pkg-config --libs gimpui-2.0 2>/dev/null)
PLUGIN_DIR  = $(BUILD)/plugins/atelier
PLUGIN_SRC  = $(wildcard plugins/*.c)
PLUGIN_OBJ  = $(PLUGIN_SRC:%.c=$(BUILD)/%.o)
PLUGIN_BIN  = $(PLUGIN_DIR)/atelier
LINGUAS     = $(basename $(notdir $(wildcard po/*.po)))
PLUGIN_MO   = $(LINGUAS:%=$(PLUGIN_DIR)/locale/%/LC_MESSAGES/atelier.mo)
# GTK 2's headers use deprecated GLib API; they are system headers to us.
PLUGIN_CFLAGS = $(patsubst -I%,-isystem %,$(GIMP_CFLAGS)) -Iengine \
                -DGETTEXT_PACKAGE='"atelier"' -DLOCALEDIR='"$(LOCALEDIR)"'
XGETTEXT_FLAGS = --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
                 --keyword=C_:1c,2 --add-comments=TRANSLATORS: \
                 --package-name=atelier --package-version=$(shell \
                 sed -n 's/^\#define ATELIER_VERSION "\(.*\)"/\1/p' engine/atelier.h)

.PHONY: all check check-unit check-cli check-asan check-po fuzz bench clean \
        plugin pot update-po

all: $(BUILD)/libatelier-core.a $(BUILD)/libatelier.a $(BUILD)/atelier \
     $(UNIT_BIN) $(BUILD)/tests/net_run plugin

$(BUILD)/engine/%.o: engine/%.c engine/*.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(BLAS_CFLAGS) $(IMAGE_CFLAGS) -fPIC -pthread -c $< -o $@

$(ADAPTER_OBJ): engine/gegl_adapter.c engine/*.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(GEGL_CFLAGS) -fPIC -c $< -o $@

$(BUILD)/libatelier-core.a: $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libatelier.a: $(CORE_OBJ) $(ADAPTER_OBJ)
	@rm -f $@
	ar rcs $@ $^

# MODELSDIR: where install.sh --system puts the shipped styles
$(BUILD)/atelier: cli/atelier.c $(BUILD)/libatelier.a
	$(CC) $(WARN) $(CFLAGS) -Iengine $(GEGL_CFLAGS) \
	  -DMODELSDIR='"$(PREFIX)/share/atelier/models"' $< -o $@ \
	  $(BUILD)/libatelier.a $(GEGL_LIBS) $(ENGINE_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/*.h $(BUILD)/libatelier.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -Iengine -Itests/unit $(GEGL_CFLAGS) \
	  $(IMAGE_CFLAGS) $< -o $@ \
	  $(BUILD)/libatelier.a $(GEGL_LIBS) $(ENGINE_LIBS)

# The reference test's runner: a network on raw floats (tests/e2e).
$(BUILD)/tests/net_run: tests/e2e/net_run.c engine/*.h $(BUILD)/libatelier-core.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -Iengine $< -o $@ $(BUILD)/libatelier-core.a \
	  $(ENGINE_LIBS)

plugin: $(PLUGIN_BIN) $(PLUGIN_MO)

$(BUILD)/plugins/%.o: plugins/%.c plugins/*.h engine/atelier.h
	@mkdir -p $(dir $@)
	@test -n "$(GIMP_CFLAGS)" || { echo "pkg-config finds no gimpui-2.0:" \
	  "install libgimp2.0-dev to build the GIMP plug-in" >&2; exit 1; }
	$(CC) $(WARN) $(CFLAGS) $(PLUGIN_CFLAGS) -c $< -o $@

$(PLUGIN_BIN): $(PLUGIN_OBJ) $(BUILD)/libatelier.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PLUGIN_OBJ) -o $@ \
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

# The layer kernels' micro-benchmark, kept out of `make check`: GFLOP/s of
# each convolution of Johnson's net at 1024^2 beside OpenBLAS's sgemm.
.PHONY: bench-layers
bench-layers: $(BUILD)/bench/net_layers_bench
	$(BUILD)/bench/net_layers_bench

$(BUILD)/bench/net_layers_bench: bench/net_layers_bench.c engine/*.h \
                                 $(BUILD)/libatelier-core.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -Iengine $(BLAS_CFLAGS) $< -o $@ \
	  $(BUILD)/libatelier-core.a $(ENGINE_LIBS)

clean:
	rm -rf build build-asan build-fuzz
