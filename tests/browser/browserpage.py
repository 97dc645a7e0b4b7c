"""Serve the test page on loopback and drive it in Chromium: shared by the tests and the bench.

The page (``page/``) runs the real ``main.py`` on Pyodide's CPython 3.12 with pygame-web's
pygame-ce wheel (``vendor/``), as ``docs/BROWSER.md`` describes.  Everything it loads is
served by :class:`Site` from ``127.0.0.1`` (a free port): the page, Pyodide (fetched once by
``tools/fetch_pyodide.py`` into ``.cache/``), the wheel, and the app as a zip built from the
working tree (or pygbag's ``.apk``).  :class:`RiverPage` wraps one playwright page and keeps
its console, page errors and any request that left loopback.  No pytest here.
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
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PAGE = HERE / "page"
VENDOR = HERE / "vendor"
WHEEL = "pygame_ce-2.5.7.dev1-cp312-cp312-wasm32_bi_emscripten.whl"
APP_PARTS = ("main.py", "sim", "render", "assets", "scenarios")   # what pygbag.ini packs
CANVAS_W, CANVAS_H = 1280, 720
CHROMIUM_FLAGS = ("--no-sandbox", "--headless", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run")
VIEWPORT = {"width": CANVAS_W, "height": CANVAS_H}
LOAD_TIMEOUT_S = 30.0
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
    """Debian's chromium (``$RIVER_CHROMIUM`` overrides); never playwright's download."""
    path = os.environ.get("RIVER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


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
    """The files the page may load, by URL path, served on 127.0.0.1 (``add`` adds more).

    A route is a file, bytes, or a function returning bytes, called when the page asks
    (so a slow build can run while the page loads Pyodide)."""

    def __init__(self, pyodide: Path) -> None:
        self.routes: dict[str, Path | bytes | Callable[[], bytes]] = {}
        for f in PAGE.iterdir():
            self.routes["/" + f.name] = f
        for name in fetch_pyodide.FILES:
            self.routes["/pyodide/" + name] = pyodide / name
        self.routes["/vendor/" + WHEEL] = VENDOR / WHEEL
        self.routes["/app.zip"] = app_zip()
        self.requests: list[str] = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add(self, path: str, data: Path | bytes | Callable[[], bytes]) -> str:
        self.routes[path] = data
        return path.lstrip("/")

    def url(self, app: str = "app.zip", args: list[str] | tuple = (), root: str = "",
            clock: str = "real") -> str:
        """The page running ``main.main(args)`` from archive ``app`` (main.py under ``root``);
        ``clock``: "real", or frames as fast as the page draws them ("fast": 40-100 ms
        each, "skip": 100 ms each; ``page/harness.py``)."""
        query = (f"app={quote(app)}&root={quote(root)}&args={quote(json.dumps(list(args)))}"
                 f"&clock={clock}")
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
            if isinstance(body, Path):
                data = body.read_bytes()
            elif isinstance(body, bytes):
                data = body
            else:
                try:
                    data = body()
                except BaseException:  # noqa: BLE001 -- the test reports the cause itself
                    self.send_error(500)
                    return
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(Path(path).suffix,
                                                       "application/octet-stream"))
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "max-age=3600")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


@contextlib.contextmanager
def launch():
    """Headless Debian Chromium driven by playwright; a fresh temporary profile each time."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True,
                                    args=list(CHROMIUM_FLAGS), chromium_sandbox=False)
        try:
            yield browser
        finally:
            browser.close()


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
        if not request.url.startswith((self.site.base + "/", "data:", "blob:")):
            self.foreign.append(request.url)

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def open(self, url: str, timeout_s: float = LOAD_TIMEOUT_S) -> dict:
        """Load the page; wait until the app object exists and a frame was shown."""
        started = time.perf_counter()
        self.page.goto(url)
        return self.wait_running(started, timeout_s)

    def wait_running(self, started: float, timeout_s: float = LOAD_TIMEOUT_S) -> dict:
        status = None
        while time.perf_counter() - started < timeout_s:
            status = self.page.evaluate("() => window.river && window.river.status")
            if status in ("failed", "exited"):
                break
            report = self.report()
            if report["app"] and report["frames"] > 0:
                report["load_s"] = time.perf_counter() - started
                return report
            self.page.wait_for_timeout(200)
        raise AssertionError(f"the app did not start within {timeout_s:.0f} s "
                             f"(status {status!r}):\n{self.problems()}")

    def rerun(self, args: list[str]) -> None:
        """End the running ``main.main`` (a QUIT event) and start ``main.main(args)`` in the
        same page: one Pyodide load for several runs."""
        self.python("import river_harness; river_harness.quit()")
        self.page.wait_for_function("() => window.river.status !== 'running'")
        status = self.page.evaluate("() => window.river.status")
        assert status == "exited", f"main.main ended with {status!r}:\n{self.problems()}"
        self.page.evaluate("args => { window.river.run(args); }", args)

    def report(self) -> dict:
        """The harness's report (``{"app": False}`` while the page is still loading)."""
        text = self.page.evaluate("() => window.river && window.river.report()")
        return json.loads(text) if text else {"app": False, "frames": 0}

    def python(self, code: str):
        """Run Python in the page (``river_harness`` is importable) and return its result."""
        return self.page.evaluate("code => window.river.py.runPython(code)", code)

    def wait_for(self, predicate, timeout_s: float, what: str) -> dict:
        """Poll the report until ``predicate(report)``; fail naming ``what``."""
        started = time.perf_counter()
        while True:
            report = self.report()
            if report["app"] and predicate(report):
                return report
            if time.perf_counter() - started > timeout_s:
                raise AssertionError(f"{what}: not within {timeout_s:.0f} s "
                                     f"(t={report.get('sim_now')})\n{self.problems()}")
            self.page.wait_for_timeout(100)

    def tracebacks(self) -> list[str]:
        """Python tracebacks printed to the console, and uncaught page errors."""
        return [line for line in self.console if "Traceback" in line or "Error:" in line] \
            + self.errors

    def problems(self) -> str:
        status = self.page.evaluate("() => window.river && [window.river.status, "
                                    "window.river.error]")
        tail = "\n".join(self.console[-30:])
        return f"status/error: {status}\npage errors: {self.errors}\nconsole tail:\n{tail}"

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        """A canvas pixel (1280x720) -> page coordinates, whatever the canvas's CSS scale."""
        box = self.page.evaluate(
            "() => { const r = document.getElementById('canvas').getBoundingClientRect();"
            " return [r.x, r.y, r.width, r.height]; }")
        return box[0] + x * box[2] / CANVAS_W, box[1] + y * box[3] / CANVAS_H

    def screenshot(self, rect) -> bytes:
        """PNG of a canvas rectangle ``(x, y, w, h)`` as shown at the 1:1 viewport.  With
        ``RIVER_BROWSER_SHOTS=DIR`` the whole page is also saved there at each call, so a
        person can look at what the tests saw."""
        x, y, w, h = rect
        keep = os.environ.get("RIVER_BROWSER_SHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            n = len(list(Path(keep).glob("*.png")))
            self.page.screenshot(path=str(Path(keep) / f"shot-{n:03d}.png"))
        return self.page.screenshot(clip={"x": x, "y": y, "width": w, "height": h})
