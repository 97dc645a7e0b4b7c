"""The browser page fills the window keeping the picture's aspect, with square pixels.

The page pygbag really builds from default.tmpl is opened in Chromium (no Python runtime: its
CDN is a closed port here, and the CSS does not need it) at several window sizes, after
writing the inline size pygbag's loader writes, and the canvas box is measured.
"""

from __future__ import annotations

import shutil

import pytest
from test_packaging import _copy_project, _pygbag

CHROMIUM = shutil.which("chromium")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

VIEWPORTS = [(1920, 1080), (1000, 800), (800, 450), (2560, 1000), (1366, 768), (390, 844)]


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    app = _copy_project(tmp_path_factory.mktemp("fill"))
    _pygbag(app)
    return (app / "build" / "web" / "index.html").as_uri()


def test_the_page_fills_the_window_keeping_the_aspect(page_url):
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(page_url, wait_until="domcontentloaded")
            # what pygbag's loader does before our app runs (gui_divider 2: half size)
            page.evaluate("() => { const c = document.getElementById('canvas');"
                          " c.style.width = '640px'; c.style.height = '360px'; }")
            for vw, vh in VIEWPORTS:
                page.set_viewport_size({"width": vw, "height": vh})
                box = page.evaluate(
                    "() => { const c = document.getElementById('canvas');"
                    " const r = c.getBoundingClientRect(); const s = getComputedStyle(c);"
                    " return {x: r.x, y: r.y, w: r.width, h: r.height, cw: c.width,"
                    " ch: c.height, rendering: s.imageRendering,"
                    " bg: getComputedStyle(document.body).backgroundColor}; }")
                _check(box, vw, vh)
        finally:
            browser.close()


def _check(box: dict, vw: int, vh: int) -> None:
    where = f"window {vw}x{vh}: {box}"
    assert (box["cw"], box["ch"]) == (1280, 720), where
    scale = min(vw / 1280, vh / 720)
    assert box["w"] == pytest.approx(1280 * scale, abs=1), where     # fills one side...
    assert box["h"] == pytest.approx(720 * scale, abs=1), where      # ...keeping 16:9
    assert box["x"] == pytest.approx((vw - box["w"]) / 2, abs=1), where   # centred
    assert box["y"] == pytest.approx((vh - box["h"]) / 2, abs=1), where
    assert box["rendering"] == "pixelated", where
    assert box["bg"] == "rgb(0, 0, 0)", where                        # black bars
