# SPDX-License-Identifier: GPL-3.0-or-later
# The GEGL operations atelier:style-transfer and atelier:color-transfer
# (ops/), included by the Makefile: one loadable module each, with the
# engine linked in statically, laid out as GEGL loads them:
#
#   BUILD/gegl-ops/atelier-style-transfer.so
#   BUILD/gegl-ops/atelier-color-transfer.so
#
# GEGL_PATH=BUILD/gegl-ops:$(GEGL_PLUGINSDIR) makes `gegl` find them in
# place; installed, they go to $XDG_DATA_HOME/gegl-0.4/plug-ins (the user's)
# or $(GEGL_PLUGINSDIR) (everyone's).  tests/cli/test_gegl_ops.sh tests them.

GEGL_OPS_DIR    = $(BUILD)/gegl-ops
GEGL_OPS        = $(GEGL_OPS_DIR)/atelier-style-transfer.so \
                  $(GEGL_OPS_DIR)/atelier-color-transfer.so
GEGL_PLUGINSDIR := $(shell pkg-config --variable=pluginsdir gegl-0.4)
# gegl-op.h includes the operation's own file by name (GEGL_OP_C_SOURCE),
# so ops/ is on the include path; GEGL's headers are system headers to us
# (gegl-op.h's own macros cast function types, which -Wextra reports in
# every file that expands them).  The engine's symbols stay inside each
# module (--exclude-libs): GEGL opens modules with global binding, and two
# copies of the engine must not resolve to each other.
GEGL_OPS_CFLAGS = -Iops -Iengine $(patsubst -I%,-isystem %,$(GEGL_CFLAGS)) \
                  -fPIC \
                  -DMODELSDIR='"$(MODELSDIR)"'
GEGL_OPS_LDFLAGS = -shared -Wl,--exclude-libs,ALL

.PHONY: gegl-ops
all: gegl-ops
gegl-ops: $(GEGL_OPS)

$(GEGL_OPS_DIR)/atelier-%.so: ops/%.c $(BUILD)/paths.stamp \
                              $(BUILD)/libatelier.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(GEGL_OPS_CFLAGS) $< -o $@ $(LDFLAGS) \
	  $(GEGL_OPS_LDFLAGS) $(BUILD)/libatelier.a $(GEGL_LIBS) $(ENGINE_LIBS)
