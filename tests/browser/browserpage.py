"""Serve the built site on loopback and drive it in Chromium: shared by the tests and the bench.

The page is the product's own (``web/``, built by ``tools/build_site.py`` into a temporary
folder: the page, Pyodide fetched once by ``tools/fetch_pyodide.py`` into ``.cache/``, the
pygame-ce wheel, the app zip packed from its allow-list).  :class:`Site` serves that folder as
it is with the standard library's static file server (``python -m http.server``'s handler)
on ``127.0.0.1`` (a free port); the tests only add files to it (the harness ``page/harness.py``,
an app zip with session files).  :class:`RiverPage` wraps one playwright page, keeps its
console and page errors, and refuses (and records) any request that would leave loopback.
No pytest here.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
HARNESS = HERE / "page" / "harness.py"
CANVAS_W, CANVAS_H = 1280, 720
CHROMIUM_FLAGS = ("--no-sandbox", "--headless", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run")
VIEWPORT = {"width": CANVAS_W, "height": CANVAS_H}
LOAD_TIMEOUT_S = 30.0
LOOPBACK = ("http://127.0.0.1:", "http://localhost:", "data:", "blob:")


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fetch_pyodide = _load_tool("fetch_pyodide")
build_site = _load_tool("build_site")
APP_PARTS = build_site.APP_PARTS


def chromium_path() -> str | None:
    """Debian's chromium (``$RIVER_CHROMIUM`` overrides); never playwright's download."""
    path = os.environ.get("RIVER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def app_zip(extra: dict[str, bytes] | None = None) -> bytes:
    """The app as the site ships it (``build_site.app_zip``: the allow-list, from the working
    tree) plus ``extra`` files (path in the archive -> bytes)."""
    return build_site.app_zip(ROOT, extra)


class Site:
    """The built site in a temporary folder, served as it is on 127.0.0.1 by the standard
    library's static file server; ``add`` puts more files in the folder (tests)."""

    def __init__(self, pyodide: Path, folder: Path | None = None) -> None:
        self._tmp = None if folder is not None else tempfile.mkdtemp(prefix="river-site-")
        self.folder = folder if folder is not None else build_site.build(
            Path(self._tmp) / "site", ROOT, pyodide)
        shutil.copy2(HARNESS, self.folder / "harness.py")
        self.requests: list[str] = []
        handler = functools.partial(_Handler, self.requests, directory=str(self.folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def add(self, path: str, data: Path | bytes | Callable[[], bytes]) -> str:
        """Write a file into the served folder (a callable is called now); its URL path."""
        if isinstance(data, Path):
            data = data.read_bytes()
        elif not isinstance(data, bytes):
            data = data()
        target = self.folder / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return path.lstrip("/")

    def url(self, app: str = "app.zip", args: list[str] | tuple = (), root: str = "",
            clock: str = "real", fragment: str = "") -> str:
        """The page running ``main.main(args)`` from archive ``app`` (main.py under ``root``)
        with the harness; ``clock``: "real", or frames as fast as the page draws them
        ("fast": 40-100 ms each, "skip": 100 ms each; ``page/harness.py``); ``fragment``: the
        address's ``#...`` (a share link's)."""
        query = (f"harness=harness.py&app={quote(app)}&root={quote(root)}"
                 f"&args={quote(json.dumps(list(args)))}&clock={clock}")
        return f"{self.base}/index.html?{query}" + (f"#{fragment}" if fragment else "")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """``python -m http.server``'s handler; it only notes the paths asked, and is quiet."""

    def __init__(self, seen: list[str], *args, **kwargs) -> None:
        self.seen = seen
        super().__init__(*args, **kwargs)

    def do_GET(self):  # noqa: N802 -- the http.server API
        self.seen.append(self.path.split("?", 1)[0])
        super().do_GET()

    def log_message(self, *args):
        pass


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
        page.route(lambda url: not url.startswith(LOOPBACK), self._refuse)

    def _request(self, request) -> None:
        if not request.url.startswith((self.site.base + "/", "data:", "blob:")):
            self.foreign.append(request.url)

    @staticmethod
    def _refuse(route) -> None:
        """A request that would leave loopback fails at once (and ``foreign`` has it): the
        site must run with nothing but its own host."""
        route.abort("blockedbyclient")

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
