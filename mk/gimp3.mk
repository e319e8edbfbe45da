# SPDX-License-Identifier: GPL-3.0-or-later
# The GIMP 3 plug-in: `make plugin3` where pkg-config finds gimpui-3.0
# (Debian 13's libgimp-3.0-dev; tests/gimp3/ builds it in a Debian 13
# root from this checkout).  One binary, laid out as GIMP 3 installs it:
# each plug-in in its own folder named after it, the catalogues beside it
# ($(BUILD)/gimp3/atelier/atelier, .../locale/).  The shared glue
# (plugins/*.c) is compiled again against libgimp 3.

GIMP3_CFLAGS := $(shell pkg-config --cflags gimpui-3.0 2>/dev/null)
GIMP3_LIBS   := $(shell pkg-config --libs gimpui-3.0 2>/dev/null)
PLUGIN3_DIR   = $(BUILD)/gimp3/atelier
PLUGIN3_SRC   = $(wildcard plugins/*.c plugins/gimp3/*.c)
PLUGIN3_OBJ   = $(PLUGIN3_SRC:plugins/%.c=$(BUILD)/gimp3/obj/%.o)
PLUGIN3_BIN   = $(PLUGIN3_DIR)/atelier
PLUGIN3_MO    = $(LINGUAS:%=$(PLUGIN3_DIR)/locale/%/LC_MESSAGES/atelier.mo)
PLUGIN3_FLAGS = $(patsubst -I%,-isystem %,$(GIMP3_CFLAGS)) -Iengine \
                -Iplugins -Iplugins/gimp3 -DGETTEXT_PACKAGE='"atelier"' \
                -DLOCALEDIR='"$(LOCALEDIR)"'

.PHONY: plugin3
plugin3: $(PLUGIN3_BIN) $(PLUGIN3_MO)

$(BUILD)/gimp3/obj/%.o: plugins/%.c $(BUILD)/paths.stamp
	@mkdir -p $(dir $@)
	@test -n "$(GIMP3_CFLAGS)" || { echo "pkg-config finds no gimpui-3.0:" \
	  "install libgimp-3.0-dev to build the GIMP 3 plug-in" >&2; exit 1; }
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(PLUGIN3_FLAGS) -c $< -o $@

$(PLUGIN3_BIN): $(PLUGIN3_OBJ) $(BUILD)/libatelier.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $(PLUGIN3_OBJ) -o $@ \
	  $(BUILD)/libatelier.a $(GIMP3_LIBS) $(GEGL_LIBS) $(ENGINE_LIBS)

$(PLUGIN3_DIR)/locale/%/LC_MESSAGES/atelier.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt -c -o $@ $<
