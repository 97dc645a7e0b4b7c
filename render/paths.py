"""Where the renderer's files live: next to the package, never relative to the CWD.

pygbag mounts the app folder in an in-memory file system and starts from an unknown working
directory, so every asset path is derived from this file's location.
"""

from __future__ import annotations

import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
FONT_FILE = ASSETS / "unifont-subset.otf"
LICENSE_FILE = ASSETS / "unifont-LICENSE.txt"
SPRITE_SHEET = ASSETS / "sprites.png"
ICON_FILE = ASSETS / "icon.png"
