"""The built site runs from any static host with nothing leaving it.

``python tools/build_site.py --out DIR`` (the documented command) builds the site; this test
serves DIR with ``python -m http.server`` itself (a separate process, the folder as it is: no
harness, no extra files), opens the page cold (a fresh browser context: empty cache) and warm
(the same context, reloaded), and fails on any request that is not to that server.  The page
is "loaded" when the app is running and the canvas shows the drawn factory.  The figures it
prints are the README's (size, cold and warm load).
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import zipfile

import browserpage as bp

LOADED_TIMEOUT_S = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _http_server(folder):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1",
                             "--directory", str(folder), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


COLOURS_JS = """() => {
  const c = document.getElementById("canvas");
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  return seen.size;
}"""


def _load(page, url: str) -> float:
    """Seconds from navigation until the app runs and the canvas shows the factory."""
    started = time.perf_counter()
    page.goto(url)
    while time.perf_counter() - started < LOADED_TIMEOUT_S:
        status = page.evaluate("() => window.river && window.river.status")
        assert status != "failed", page.evaluate("() => window.river.error")
        if status == "running" and page.evaluate(COLOURS_JS) >= 12:
            return time.perf_counter() - started
        page.wait_for_timeout(100)
    raise AssertionError(f"the site's page did not show the factory in {LOADED_TIMEOUT_S} s")


def _times(page) -> str:
    t = page.evaluate("() => window.river.times")
    return f"Pyodide {t['pyodide'] / 1000:.1f} s, unpacked {t['unpacked'] / 1000:.1f} s"


def test_the_site_builds_and_runs_offline_from_a_plain_static_server(browser_context,
                                                                      tmp_path):
    out = tmp_path / "site"
    proc = subprocess.run([sys.executable, "tools/build_site.py", "--out", str(out)],
                          cwd=bp.ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "python -m http.server" in proc.stdout
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == sorted([
        "index.html", "river.js", "favicon.png", "app.zip", f"vendor/{bp.build_site.WHEEL}",
        "vendor/LICENSE-LGPL-2.1.txt", *(f"pyodide/{f}" for f in bp.fetch_pyodide.FILES)])
    with zipfile.ZipFile(out / "app.zip") as archive:
        tops = {n.split("/")[0] for n in archive.namelist()}
    assert tops == {*bp.APP_PARTS, "segno"}
    size = sum((out / f).stat().st_size for f in files)

    foreign, seen = [], []
    with _http_server(out) as base:
        # a context of its own: an empty cache (cold), then the same context again (warm)
        context = browser_context.browser.new_context(viewport=bp.VIEWPORT)
        context.route(lambda url: not url.startswith(base + "/"),
                      lambda route: (foreign.append(route.request.url),
                                     route.abort("blockedbyclient")))
        page = context.new_page()
        page.on("request", lambda r: seen.append(r.url))
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        cold = _load(page, base + "/")
        cold_times = _times(page)
        warm = _load(page, base + "/")
        warm_times = _times(page)
        context.close()
    assert foreign == [] and errors == []
    assert all(url.startswith(base + "/") or url.startswith(("data:", "blob:")) for url in seen)
    print(f"\nsite: {size:,} bytes ({len(files)} files); load to a drawn factory from "
          f"python -m http.server: cold {cold:.1f} s ({cold_times}), warm {warm:.1f} s "
          f"({warm_times}); "
          f"{len(seen)} requests, none off the host")
