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

# The core engine: C99 + pthreads + OpenBLAS, no GLib, so it builds and
# fuzzes alone.  gegl_adapter.c is the only file that sees GEGL.
CORE_SRC = $(filter-out engine/gegl_adapter.c,$(wildcard engine/*.c))
CORE_OBJ = $(CORE_SRC:%.c=$(BUILD)/%.o)
ADAPTER_OBJ = $(BUILD)/engine/gegl_adapter.o

ENGINE_LIBS = $(BLAS_LIBS) -lpthread -lm

UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all check check-unit check-cli check-asan bench clean

all: $(BUILD)/libatelier-core.a $(BUILD)/libatelier.a $(BUILD)/atelier $(UNIT_BIN)

$(BUILD)/engine/%.o: engine/%.c engine/*.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(BLAS_CFLAGS) -fPIC -pthread -c $< -o $@

$(ADAPTER_OBJ): engine/gegl_adapter.c engine/*.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(GEGL_CFLAGS) -fPIC -c $< -o $@

$(BUILD)/libatelier-core.a: $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libatelier.a: $(CORE_OBJ) $(ADAPTER_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/atelier: cli/atelier.c $(BUILD)/libatelier.a
	$(CC) $(WARN) $(CFLAGS) -Iengine $(GEGL_CFLAGS) $< -o $@ \
	  $(BUILD)/libatelier.a $(GEGL_LIBS) $(ENGINE_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/*.h $(BUILD)/libatelier.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -Iengine -Itests/unit $(GEGL_CFLAGS) $< -o $@ \
	  $(BUILD)/libatelier.a $(GEGL_LIBS) $(ENGINE_LIBS)

check: all
	@tests/run-all.sh $(BUILD)

check-unit: all
	@tests/run-all.sh $(BUILD) unit

# Unit tests under AddressSanitizer + UBSan, in their own build tree.
check-asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" all CC="$(CC) -fsanitize=address,undefined"
	@ASAN_OPTIONS=detect_leaks=1 tests/run-all.sh build-asan unit

bench: all
	/usr/bin/python3 bench/bench.py --build $(BUILD) --readme --big

clean:
	rm -rf build build-asan
