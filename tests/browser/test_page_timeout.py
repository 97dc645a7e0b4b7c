"""pygbag's page (default.tmpl) when its Python runtime cannot load: after the loading
timeout a clear message and a Retry button, never "Loading Python" forever (issue 16)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _page_without_runtime() -> bytes:
    """default.tmpl as pygbag fills it, its runtime CDN a folder that does not exist."""
    text = (ROOT / "default.tmpl").read_text(encoding="utf-8")
    values = {"cdn": "/no-runtime-here/", "PYBUILD": "3.12", "xtermjs": "0",
              "ume_block": "1", "can_close": "0", "archive": "river-factory",
              "autorun": "0", "width": "1280", "height": "720"}
    for key, value in values.items():
        text = text.replace("{{cookiecutter." + key + "}}", value)
    assert "{{" not in text
    return text.encode("utf-8")


def test_a_runtime_that_does_not_load_shows_a_message_and_a_retry(browser_context, site):
    site.add("/pygbag-page.html", _page_without_runtime())
    page = browser_context.new_page()
    try:
        page.goto(f"{site.base}/pygbag-page.html?rf_timeout_s=2")
        status = page.locator("#rfstatus")
        assert "Loading Python" in status.inner_text()
        retry = page.locator("#rfretry")
        retry.wait_for(state="visible", timeout=10_000)
        assert "did not start" in status.inner_text()
        assert "retry" in page.locator("#rfhelp").inner_text()
        loads = site.requests.count("/pygbag-page.html")
        retry.click()                                    # the button takes the click
        page.wait_for_function("document.readyState === 'complete'")
        page.locator("#rfstatus").wait_for(state="visible")
        assert site.requests.count("/pygbag-page.html") == loads + 1
        assert "Loading Python" in page.locator("#rfstatus").inner_text()
    finally:
        page.close()
