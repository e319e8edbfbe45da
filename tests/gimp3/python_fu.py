# SPDX-License-Identifier: GPL-3.0-or-later
# The README's Python-Fu example, run by tests/gimp3/filters3.sh in
# gimp-console-3.0 --batch-interpreter=python-fu-eval: a layer, the
# example's calls verbatim, then what they gave ("PYTHON-FU" lines).
from gi.repository import Gimp, Gio

image = Gimp.Image.new(64, 48, Gimp.ImageBaseType.RGB)
layer = Gimp.Layer.new(image, "content", 64, 48, Gimp.ImageType.RGB_IMAGE,
                       100, Gimp.LayerMode.NORMAL)
image.insert_layer(layer, None, 0)
layer.fill(Gimp.FillType.WHITE)

# ---- the README's example ----
pdb = Gimp.get_pdb()
proc = pdb.lookup_procedure("plug-in-atelier-style-transfer-file")
config = proc.create_config()
config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
config.set_property("image", image)
config.set_core_object_array("drawables", [layer])
config.set_property("style", "great-wave")
config.set_property("strength", 70.0)
config.set_property("output", "new-layer")
result = proc.run(config)
if result.index(0) != Gimp.PDBStatusType.SUCCESS:
    raise RuntimeError(result.index(1))   # the plug-in's message
new_layer = result.index(1)
# ----

print("PYTHON-FU layers", len(image.get_layers()))
print("PYTHON-FU name", new_layer.get_name())
config.set_property("style", "/no/such/style.png")
result = proc.run(config)
print("PYTHON-FU bad", result.index(0) != Gimp.PDBStatusType.SUCCESS,
      len(image.get_layers()))
