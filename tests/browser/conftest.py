"""The browser harness: a loopback HTTP server, Chromium driven by playwright, the test page.

The page (``page/``) runs the real ``main.py`` on Pyodide's CPython 3.12 with pygame-web's
pygame-ce wheel (``vendor/``), as ``../shared/BROWSER.md`` describes.  Everything it loads is
served here from ``127.0.0.1`` (port 0): the page, Pyodide (fetched once by
``tools/fetch_pyodide.py`` into ``.cache/``), the wheel, and the app as a zip built from the
working tree (or pygbag's ``.apk``).

When the browser tests run: whenever ``/usr/bin/chromium`` (or ``$RIVER_CHROMIUM``),
playwright and Pyodide are available.  ``RIVER_BROWSER_TESTS=1`` (``.ci/run`` sets it) turns a
missing piece into a failure; ``RIVER_BROWSER_TESTS=0`` skips them.  Otherwise a missing piece
skips them with one line saying how to enable them.
"""

from __future__ import annotations

import contextlib
import http.server
import importlib.util
import io
import json
import os
import shutil
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PAGE = HERE / "page"
VENDOR = HERE / "vendor"
WHEEL = "pygame_ce-2.5.7.dev1-cp312-cp312-wasm32_bi_emscripten.whl"
APP_PARTS = ("main.py", "sim", "render", "assets", "scenarios")
CHROMIUM_FLAGS = ("--no-sandbox", "--headless", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run")
VIEWPORT = {"width": 1280, "height": 720}
LOAD_TIMEOUT_S = 30.0
HOW_TO = ("browser tests skipped: {why}; to run them: apt-get install chromium npm, "
          "pip install playwright (never `playwright install`); RIVER_BROWSER_TESTS=1 makes "
          "this a failure")
TYPES = {".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm",
         ".json": "application/json", ".py": "text/plain", ".zip": "application/zip",
         ".whl": "application/zip", ".apk": "application/zip"}


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fetch_pyodide = _load_tool("fetch_pyodide")


def chromium_path() -> str | None:
    path = os.environ.get("RIVER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def _unavailable(why: str) -> None:
    """Skip the browser tests, or fail them where they are mandatory (CI)."""
    if os.environ.get("RIVER_BROWSER_TESTS") == "1":
        pytest.fail(f"browser tests are mandatory here (RIVER_BROWSER_TESTS=1): {why}",
                    pytrace=False)
    pytest.skip(HOW_TO.format(why=why))


@pytest.fixture(scope="session")
def browser_ready() -> Path:
    """Every piece is there (else skip/fail); returns the Pyodide folder."""
    if os.environ.get("RIVER_BROWSER_TESTS") == "0":
        pytest.skip("browser tests skipped: RIVER_BROWSER_TESTS=0")
    if chromium_path() is None:
        _unavailable("no chromium at /usr/bin/chromium or $RIVER_CHROMIUM")
    if importlib.util.find_spec("playwright") is None:
        _unavailable("playwright is not installed")
    try:
        return fetch_pyodide.fetch()
    except fetch_pyodide.FetchError as e:
        _unavailable(str(e))
    raise AssertionError("unreachable")


def app_zip(extra: dict[str, bytes] | None = None) -> bytes:
    """The app as the page unpacks it: what pygbag packs, from the working tree, plus
    ``extra`` files (path in the archive -> bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in APP_PARTS:
            path = ROOT / part
            files = [path] if path.is_file() else sorted(path.rglob("*"))
            for f in files:
                if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc":
                    archive.write(f, f.relative_to(ROOT).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


class Site:
    """The files the page may load, by URL path; tests add their own (``add``)."""

    def __init__(self, pyodide: Path) -> None:
        self.routes: dict[str, Path | bytes] = {}
        for f in PAGE.iterdir():
            self.routes["/" + f.name] = f
        for name in fetch_pyodide.FILES:
            self.routes["/pyodide/" + name] = pyodide / name
        self.routes["/vendor/" + WHEEL] = VENDOR / WHEEL
        self.routes["/app.zip"] = app_zip()
        self.requests: list[str] = []
        self.base = ""

    def add(self, path: str, data: Path | bytes) -> str:
        self.routes[path] = data
        return path

    def url(self, app: str = "app.zip", args: list[str] | tuple = (), root: str = "") -> str:
        query = f"app={quote(app)}&root={quote(root)}&args={quote(json.dumps(list(args)))}"
        return f"{self.base}/index.html?{query}"


def _handler(site: Site):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 -- the http.server API
            path = self.path.split("?", 1)[0]
            site.requests.append(path)
            body = site.routes.get(path)
            if body is None:
                self.send_error(404)
                return
            data = body if isinstance(body, bytes) else body.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(Path(path).suffix,
                                                       "application/octet-stream"))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture(scope="session")
def site(browser_ready):
    """The loopback server (127.0.0.1, a free port) for the whole session."""
    s = Site(browser_ready)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(s))
    server.daemon_threads = True
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield s
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(site):
    """Headless Debian Chromium (never playwright's own download), fresh profile per run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), headless=True,
                                     args=list(CHROMIUM_FLAGS), chromium_sandbox=False)
        yield chromium
        chromium.close()


class RiverPage:
    """One page running the app: console lines, page errors and off-loopback requests kept."""

    def __init__(self, page, site: Site) -> None:
        self.page = page
        self.site = site
        self.console: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, request) -> None:
        if not request.url.startswith(self.site.base + "/") and \
                not request.url.startswith(("data:", "blob:")):
            self.foreign.append(request.url)

    def open(self, url: str, timeout_s: float = LOAD_TIMEOUT_S) -> dict:
        """Load the page and wait until the app object exists and has drawn a frame."""
        started = time.perf_counter()
        self.page.goto(url)
        while time.perf_counter() - started < timeout_s:
            status = self.page.evaluate("() => window.river && window.river.status")
            if status in ("failed", "exited"):
                break
            if status == "running":
                report = self.report()
                if report["app"] and report["frames"] > 0:
                    report["load_s"] = time.perf_counter() - started
                    return report
            self.page.wait_for_timeout(200)
        raise AssertionError(f"the app did not start within {timeout_s:.0f} s "
                             f"(status {status!r}):\n{self.problems()}")

    def report(self) -> dict:
        return json.loads(self.page.evaluate("() => window.river.report()"))

    def python(self, code: str):
        """Run Python in the page (``river_harness`` is importable) and return its result."""
        return self.page.evaluate("code => window.river.py.runPython(code)", code)

    def wait_for(self, predicate, timeout_s: float, what: str) -> dict:
        """Poll the report until ``predicate(report)``; fail naming ``what``."""
        started = time.perf_counter()
        while True:
            report = self.report()
            if predicate(report):
                return report
            if time.perf_counter() - started > timeout_s:
                raise AssertionError(f"{what}: not within {timeout_s:.0f} s "
                                     f"(t={report.get('sim_now')})\n{self.problems()}")
            self.page.wait_for_timeout(100)

    def tracebacks(self) -> list[str]:
        return [line for line in self.console
                if "Traceback" in line or line.startswith("pageerror")] + self.errors

    def problems(self) -> str:
        status = self.page.evaluate("() => window.river && [window.river.status, "
                                    "window.river.error]")
        tail = "\n".join(self.console[-30:])
        return f"status/error: {status}\npage errors: {self.errors}\nconsole tail:\n{tail}"

    def canvas_box(self) -> dict:
        return self.page.evaluate(
            "() => { const r = document.getElementById('canvas').getBoundingClientRect();"
            " return {x: r.x, y: r.y, width: r.width, height: r.height}; }")

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        """A canvas pixel (1280x720 space) -> page coordinates, whatever the CSS scale."""
        box = self.canvas_box()
        return box["x"] + x * box["width"] / 1280, box["y"] + y * box["height"] / 720


@pytest.fixture
def river(browser, site):
    """A fresh browser context and page for one test (closed afterwards)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    rp = RiverPage(page, site)
    yield rp
    with contextlib.suppress(Exception):
        context.close()


@pytest.fixture
def river_factory(browser, site):
    """Several pages at once (``river_factory()`` -> a RiverPage), all closed afterwards."""
    contexts = []

    def make() -> RiverPage:
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        return RiverPage(context.new_page(), site)

    yield make
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()
