"""The shipped assets: a font that covers every label, its licence, reproducible sprites."""

from __future__ import annotations

import os
import pathlib

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402

from render.i18n import LANGS, STRINGS, all_text, tr  # noqa: E402
from render.paths import FONT_FILE, ICON_FILE, LICENSE_FILE, SPRITE_SHEET  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_subset_font_covers_every_label():
    fontTools = pytest.importorskip("fontTools.ttLib")
    cmap = fontTools.TTFont(str(FONT_FILE))["cmap"].getBestCmap()
    needed = set(all_text()) | {chr(c) for c in range(0x20, 0x7F)} | set("×$…")
    missing = sorted(c for c in needed if ord(c) not in cmap)
    assert not missing, missing
    assert FONT_FILE.stat().st_size < 200_000


def test_font_licence_ships_next_to_it():
    text = LICENSE_FILE.read_text(encoding="utf-8")
    assert "Unifont" in text and "GNU General Public License" in text


def test_every_label_has_both_languages():
    for key, (en, zh) in STRINGS.items():
        assert en and zh, key
        for lang in LANGS:
            n = tr(key, lang).count("{}")
            assert tr(key, lang, *range(n)) is not None


def test_subset_script_fails_clearly_without_the_source(capsys):
    from tools import subset_font

    assert subset_font.main(["--source", "/nonexistent/unifont.otf"]) == 2
    err = capsys.readouterr().err
    assert "fonts-unifont" in err and err.count("\n") == 1


def test_sprite_assets_are_reproducible(tmp_path):
    from tools import make_assets

    written = make_assets.make(tmp_path)
    for path, committed in zip(written, (SPRITE_SHEET, ICON_FILE), strict=True):
        assert path.read_bytes() == committed.read_bytes(), committed.name
