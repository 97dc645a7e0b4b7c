"""The share dialog and the clipboard in a real browser (web/river.js ``shareLink``).

Where the page may write the clipboard (a secure context -- loopback is one -- with the
clipboard permissions granted) the link lands there and the dialog says it was copied.  Where
it may not -- the page inside a cross-origin iframe that does not delegate the clipboard, as
itch.io embeds a game -- the copy is refused, and the link is still there as selectable text
(the page's text field, all of it) and the dialog says to select it.
"""

from __future__ import annotations

import contextlib
import json
import time

import browserpage as bp

ARGS = ["--scenario", "rush-hour", "--seed", "7", "--speed", "0"]


def _open_share(evaluate) -> None:
    evaluate("() => window.river.py.runPython("
             "'import river_harness\\nriver_harness.state.app.apply(\"_share\", {})')")


def _dialog(evaluate) -> dict:
    return json.loads(evaluate("() => window.river.py.runPython("
                               "'import json, river_harness\\n"
                               "d = river_harness.state.app.overlays.share\\n"
                               "json.dumps({\"open\": d.open, \"link\": d.link, "
                               "\"copied\": d.copied})')"))


def test_the_link_reaches_the_clipboard_where_allowed(browser_context, site):
    context = browser_context.browser.new_context(
        viewport=bp.VIEWPORT, permissions=["clipboard-read", "clipboard-write"])
    try:
        page = bp.RiverPage(context.new_page(), site)
        page.open(site.url(args=ARGS))
        assert page.page.evaluate("() => window.isSecureContext")
        _open_share(page.page.evaluate)
        page.page.wait_for_function("() => window.river.copied === true", timeout=10000)
        link = page.page.evaluate("() => document.getElementById('share').value")
        assert link.startswith(f"{site.base}/index.html#river=")
        assert page.page.evaluate("() => navigator.clipboard.readText()") == link
        page.page.wait_for_timeout(300)            # a frame draws the dialog's last line
        dialog = _dialog(page.page.evaluate)
        assert dialog == {"open": True, "link": link, "copied": True}
        assert page.tracebacks() == [] and page.foreign == []
    finally:
        with contextlib.suppress(Exception):
            context.close()


def test_where_the_clipboard_is_refused_the_link_is_selectable_text(browser_context, site):
    """itch.io's case: the app in a cross-origin iframe without ``allow="clipboard-write"``
    (``localhost`` embeds ``127.0.0.1``: two origins, one loopback server)."""
    port = site.base.rsplit(":", 1)[1]
    inner = site.url(args=ARGS)
    site.add("embed.html", (f'<!doctype html><title>embed</title><iframe id="game" '
                            f'src="{inner}" width="1280" height="720"></iframe>').encode())
    context = browser_context.browser.new_context(viewport={"width": 1300, "height": 760})
    try:
        page = context.new_page()
        page.goto(f"http://localhost:{port}/embed.html")
        frame = _frame(page, site.base)
        assert frame.evaluate("() => window.isSecureContext")     # secure, yet refused
        _open_share(frame.evaluate)
        frame.wait_for_function("() => window.river.copied === false", timeout=10000)
        field = frame.evaluate("""() => { const f = document.getElementById('share');
            f.focus(); f.select();
            return [f.style.display, f.value, f.selectionStart, f.selectionEnd,
                    f.readOnly]; }""")
        display, link, first, last, read_only = field
        assert display == "block" and read_only
        assert link.startswith(f"{site.base}/index.html#river=")
        assert (first, last) == (0, len(link)), "the whole link is selectable"
        frame.wait_for_timeout(300)
        assert _dialog(frame.evaluate) == {"open": True, "link": link, "copied": False}
        assert frame.evaluate("() => window.river.status") == "running"
    finally:
        with contextlib.suppress(Exception):
            context.close()


def _frame(page, base: str, timeout_s: float = bp.LOAD_TIMEOUT_S):
    """The embedded app's frame, once its app draws."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        frame = next((f for f in page.frames if f.url.startswith(base + "/index.html")), None)
        if frame is not None:
            text = frame.evaluate("() => window.river && window.river.report()")
            report = json.loads(text) if text else {}
            if report.get("app") and report.get("frames", 0) > 0:
                return frame
        page.wait_for_timeout(200)
    raise AssertionError(f"the embedded app did not start within {timeout_s:.0f} s")
