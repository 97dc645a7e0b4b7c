"""Fixtures for the real-browser tests (see browserpage.py for the harness itself).

When they run: whenever Chromium (``/usr/bin/chromium`` or ``$RIVER_CHROMIUM``), playwright
and Pyodide (fetched once by ``tools/fetch_pyodide.py``, needs npm) are available.
``RIVER_BROWSER_TESTS=1`` (``.ci/run`` sets it) turns a missing piece into a failure;
``RIVER_BROWSER_TESTS=0`` skips them.  Otherwise a missing piece leaves them out of the run
and the summary says so in one line, with how to enable them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browserpage as bp  # noqa: E402

HOW_TO = ("browser tests skipped: {why}; to run them: apt-get install chromium npm, "
          "pip install playwright (never `playwright install`); RIVER_BROWSER_TESTS=1 makes "
          "a missing piece a failure")
MANDATORY = os.environ.get("RIVER_BROWSER_TESTS") == "1"


def _missing() -> str | None:
    """Why the browser tests cannot run here (None: they can)."""
    if os.environ.get("RIVER_BROWSER_TESTS") == "0":
        return "RIVER_BROWSER_TESTS=0"
    if bp.chromium_path() is None:
        return "no chromium at /usr/bin/chromium or $RIVER_CHROMIUM"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed"
    if not bp.fetch_pyodide.cached() and shutil.which("npm") is None:
        return "Pyodide is not in .cache/ and npm is missing to fetch it"
    return None


WHY_NOT = _missing()
if WHY_NOT is not None and not MANDATORY:
    collect_ignore_glob = ["test_*.py"]     # one line in the summary instead of five skips


@pytest.fixture(scope="package")
def pyodide_dir() -> Path:
    """Pyodide's folder; a missing piece fails the tests (RIVER_BROWSER_TESTS=1)."""
    if WHY_NOT is not None:
        pytest.fail(f"browser tests are mandatory here (RIVER_BROWSER_TESTS=1): {WHY_NOT}",
                    pytrace=False)
    try:
        return bp.fetch_pyodide.fetch()
    except bp.fetch_pyodide.FetchError as e:
        if MANDATORY:
            pytest.fail(str(e), pytrace=False)
        pytest.skip(HOW_TO.format(why=e))
    raise AssertionError("unreachable")


@pytest.fixture(scope="package")
def site(pyodide_dir):
    """The loopback server (127.0.0.1, a free port) for the browser tests."""
    s = bp.Site(pyodide_dir)
    yield s
    s.close()


@pytest.fixture(scope="package")
def browser_context(site):
    """One Chromium and one context for the browser tests: its pages share the HTTP cache
    (the Pyodide files), nothing else (each page has its own Pyodide and app).  Package
    scope, not session: playwright's sync API keeps an asyncio loop running while it is
    open, and later tests call ``asyncio.run``."""
    with bp.launch() as chromium:
        context = chromium.new_context(viewport=bp.VIEWPORT)
        yield context
        context.close()


@pytest.fixture
def new_page(browser_context, site):
    """``new_page()`` -> a RiverPage (1280x720) of its own; all closed after the test."""
    pages = []

    def make() -> bp.RiverPage:
        page = browser_context.new_page()
        pages.append(page)
        return bp.RiverPage(page, site)

    yield make
    for page in pages:
        with contextlib.suppress(Exception):
            page.close()


_seconds: dict[str, float] = {}
_ran: set[str] = set()


def pytest_runtest_logreport(report) -> None:
    """Time each browser test (setup + call + teardown) for the closing line."""
    _seconds[report.nodeid] = _seconds.get(report.nodeid, 0.0) + report.duration
    if report.when == "call":
        _ran.add(report.nodeid)


def pytest_terminal_summary(terminalreporter) -> None:
    if WHY_NOT is not None and not MANDATORY:
        terminalreporter.write_line(HOW_TO.format(why=WHY_NOT))
    elif _ran:
        terminalreporter.write_line(
            f"browser tests (tests/browser/): {len(_ran)} ran in "
            f"{sum(_seconds.values()):.0f} s (Chromium {bp.chromium_path()}, "
            f"Pyodide {bp.fetch_pyodide.VERSION})")
