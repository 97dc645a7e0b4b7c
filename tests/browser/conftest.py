"""Fixtures for the real-browser tests (see browserpage.py for the harness itself).

When they run: whenever Chromium (``/usr/bin/chromium`` or ``$RIVER_CHROMIUM``), playwright
and Pyodide (fetched once by ``tools/fetch_pyodide.py``, needs npm) are available.
``RIVER_BROWSER_TESTS=1`` (``.ci/run`` sets it) turns a missing piece into a failure;
``RIVER_BROWSER_TESTS=0`` skips them.  Otherwise a missing piece skips them with one line
saying how to enable them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browserpage as bp  # noqa: E402

HOW_TO = ("browser tests skipped: {why}; to run them: apt-get install chromium npm, "
          "pip install playwright (never `playwright install`); RIVER_BROWSER_TESTS=1 makes "
          "a missing piece a failure")


def _unavailable(why: str) -> None:
    """Skip the browser tests, or fail them where they are mandatory (CI)."""
    if os.environ.get("RIVER_BROWSER_TESTS") == "1":
        pytest.fail(f"browser tests are mandatory here (RIVER_BROWSER_TESTS=1): {why}",
                    pytrace=False)
    pytest.skip(HOW_TO.format(why=why))


@pytest.fixture(scope="session")
def pyodide_dir() -> Path:
    """Every piece is there (else skip, or fail under RIVER_BROWSER_TESTS=1)."""
    if os.environ.get("RIVER_BROWSER_TESTS") == "0":
        pytest.skip("browser tests skipped: RIVER_BROWSER_TESTS=0")
    if bp.chromium_path() is None:
        _unavailable("no chromium at /usr/bin/chromium or $RIVER_CHROMIUM")
    if importlib.util.find_spec("playwright") is None:
        _unavailable("playwright is not installed")
    try:
        return bp.fetch_pyodide.fetch()
    except bp.fetch_pyodide.FetchError as e:
        _unavailable(str(e))
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def site(pyodide_dir):
    """The loopback server (127.0.0.1, a free port) for the whole session."""
    s = bp.Site(pyodide_dir)
    yield s
    s.close()


@pytest.fixture(scope="session")
def browser(site):
    with bp.launch() as chromium:
        yield chromium


@pytest.fixture
def new_page(browser, site):
    """``new_page()`` -> a RiverPage in a fresh context (1280x720); all closed afterwards."""
    contexts = []

    def make() -> bp.RiverPage:
        context = browser.new_context(viewport=bp.VIEWPORT)
        contexts.append(context)
        return bp.RiverPage(context.new_page(), site)

    yield make
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()
