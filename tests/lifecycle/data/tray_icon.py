# A tray icon through GTK3's Gtk.StatusIcon (XEmbed, _NET_SYSTEM_TRAY_S0), as desktop applets
# make them: a 22x22 red square that writes "activated" to argv[1] when clicked.
import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import GdkPixbuf, Gtk  # noqa: E402

pixbuf = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8, 22, 22)
pixbuf.fill(0xFF0000FF)
icon = Gtk.StatusIcon.new_from_pixbuf(pixbuf)
icon.set_title("rdk-tray")
icon.connect("activate", lambda *_: open(sys.argv[1], "w").write("activated"))
Gtk.main()
