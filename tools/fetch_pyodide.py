"""Fetch Pyodide 0.27.7 (CPython 3.12 for the browser) from npm into an ignored cache, once.

Why: the browser tests (``tests/browser/``) and the benchmark (``bench/bench_browser.py``) run
the real ``main.py`` in Chromium on Pyodide's CPython with pygame-web's pygame-ce wheel
(vendored in ``web/vendor/``).  Pyodide is ~14 MB, so it is not committed: this
script runs ``npm pack pyodide@0.27.7`` (retried: the registry is reachable but can be slow),
checks the tarball's SHA-256 and unpacks the five files the page needs into
``.cache/pyodide-0.27.7/``.  A second run finds them and does nothing.  Both ``.ci/run`` and
the tests' conftest call it; only 0.27.x (emscripten 3.1.58) matches the wheel's ABI.

    python tools/fetch_pyodide.py            # prints the folder; exit 2 with one line on failure
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

VERSION = "0.27.7"
TARBALL_SHA256 = "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343"
FILES = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
         "pyodide-lock.json")
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / f"pyodide-{VERSION}"
ATTEMPTS = 4
NPM_TIMEOUT_S = 300


class FetchError(Exception):
    """Pyodide could not be fetched; ``str`` is the one line to show."""


def cached(cache: Path = CACHE) -> bool:
    """True when every file is there (the marker is written last, after the files)."""
    return (cache / "complete").is_file() and all((cache / f).is_file() for f in FILES)


def _npm_pack(dest: Path) -> bytes:
    """``npm pack`` the release into ``dest``, retrying with a growing pause; the tarball."""
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("fetch_pyodide: npm not found (apt-get install npm); it fetches "
                         f"pyodide@{VERSION} once")
    error = ""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            proc = subprocess.run([npm, "pack", f"pyodide@{VERSION}", "--silent",
                                   "--pack-destination", str(dest)], capture_output=True,
                                  text=True, timeout=NPM_TIMEOUT_S)
            tarball = dest / f"pyodide-{VERSION}.tgz"
            if proc.returncode == 0 and tarball.is_file():
                return tarball.read_bytes()
            error = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        except subprocess.TimeoutExpired:
            error = f"npm pack took over {NPM_TIMEOUT_S} s"
        if attempt < ATTEMPTS:
            time.sleep(5 * attempt)
    raise FetchError(f"fetch_pyodide: npm pack pyodide@{VERSION} failed {ATTEMPTS} times: "
                     f"{error}")


def fetch(cache: Path = CACHE) -> Path:
    """Make sure the cache holds the page's Pyodide files; return the folder."""
    if cached(cache):
        return cache
    with tempfile.TemporaryDirectory() as tmp:
        data = _npm_pack(Path(tmp))
    digest = hashlib.sha256(data).hexdigest()
    if digest != TARBALL_SHA256:
        raise FetchError(f"fetch_pyodide: pyodide-{VERSION}.tgz has sha256 {digest}, "
                         f"expected {TARBALL_SHA256}")
    cache.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for name in FILES:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise FetchError(f"fetch_pyodide: package/{name} missing from the tarball")
            part = cache / (name + ".part")
            part.write_bytes(member.read())
            part.replace(cache / name)
    (cache / "complete").write_text(f"pyodide {VERSION} {TARBALL_SHA256}\n")
    return cache


def main() -> int:
    try:
        print(fetch())
    except FetchError as e:
        print(e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
