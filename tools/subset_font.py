"""Subset GNU Unifont to the glyphs River Factory's UI uses, for a small browser bundle.

Why: the full Unifont is 5 MB; the browser downloads everything in ``assets/``.  The UI's
words all live in ``render/i18n.py``, so the subset is printable ASCII, a few symbols and the
characters of that table.  The output is committed (CI has neither apt nor network); run this
again after adding a label.  The source font exists only where Debian's ``fonts-unifont`` is
installed: without it the script stops with a one-line message.

    python tools/subset_font.py [--source PATH]
"""

from __future__ import annotations

import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from render.i18n import all_text  # noqa: E402
from render.paths import FONT_FILE, LICENSE_FILE  # noqa: E402

SOURCE = pathlib.Path("/usr/share/fonts/opentype/unifont/unifont.otf")
COPYRIGHT = pathlib.Path("/usr/share/doc/fonts-unifont/copyright")
GPL2 = pathlib.Path("/usr/share/common-licenses/GPL-2")
#: Symbols the UI draws outside the i18n table (money, speed, arrows, separators).
EXTRA = "×$¥€…·•▲▼◀▶→←%#+-=/:;,.()[]<>!?'\"_|~^&*@ "


def charset() -> str:
    ascii_ = "".join(chr(c) for c in range(0x20, 0x7F))
    return "".join(sorted(set(ascii_ + EXTRA + all_text())))


def subset(source: pathlib.Path, out: pathlib.Path) -> int:
    """Write the subset font; return its glyph count."""
    import logging

    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # old-timestamp chatter
    options = ft_subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]          # keep copyright/licence names in the font
    options.notdef_outline = True
    options.desubroutinize = True
    font = TTFont(str(source), recalcTimestamp=False)
    sub = ft_subset.Subsetter(options)
    sub.populate(text=charset())
    sub.subset(font)
    # Fixed timestamps make the output byte-identical from run to run.
    font["head"].created = font["head"].modified = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out), reorderTables=True)
    return len(font.getGlyphOrder())


def write_license(out: pathlib.Path) -> None:
    parts = ["GNU Unifont (subset shipped as assets/" + FONT_FILE.name + ")\n",
             "Subset made by tools/subset_font.py from Debian's fonts-unifont package.\n\n"]
    if COPYRIGHT.exists():
        parts.append(COPYRIGHT.read_text(encoding="utf-8"))
    if GPL2.exists():
        parts.append("\n\n==== GNU General Public License, version 2 ====\n\n")
        parts.append(GPL2.read_text(encoding="utf-8"))
    out.write_text("".join(parts), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=pathlib.Path, default=SOURCE)
    args = ap.parse_args(argv)
    if not args.source.exists():
        print(f"subset_font: source font {args.source} not found; install Debian's "
              "fonts-unifont (apt-get install fonts-unifont) or pass --source PATH",
              file=sys.stderr)
        return 2
    try:
        import fontTools  # noqa: F401
    except ImportError:
        print("subset_font: fontTools is missing (pip install fonttools)", file=sys.stderr)
        return 2
    n = subset(args.source, FONT_FILE)
    if not COPYRIGHT.exists():
        print(f"subset_font: warning: {COPYRIGHT} missing; licence file not refreshed",
              file=sys.stderr)
    else:
        write_license(LICENSE_FILE)
    print(f"wrote {FONT_FILE.relative_to(ROOT)} ({n} glyphs, "
          f"{FONT_FILE.stat().st_size} bytes) and {LICENSE_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
