"""Build the self-contained site: the page, the app, Pyodide and the pygame-ce wheel, under
``build/site/``, for any static host; nothing it loads leaves that host.

Why: pygbag's page loads its Python runtime from pygbag's CDN, and a conference-room network
or an intranet that blocks it shows a blank page.  This site carries its own runtime (Pyodide
0.27.7's CPython 3.12, fetched once from npm by ``tools/fetch_pyodide.py``) and pygame-web's
pygame-ce wheel (``web/vendor/``, LGPL-2.1, shipped with its licence).  The app goes in as
``app.zip``, packed from an allow-list (:data:`APP_PARTS`, plus the pure-Python packages the
page imports, :data:`PACKAGES`), never from whatever lies in the folder.

    python tools/build_site.py                  # -> build/site/ (prints its size)
    python -m http.server -d build/site 8000    # then open http://localhost:8000/
    python tools/build_site.py --stage DIR      # only the allow-listed app folder (pygbag's)

Needs npm once (for Pyodide); without it and without the cache: one line, exit 2.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
OUT = ROOT / "build" / "site"
#: what the game is: main.py and the folders it reads (pygbag packs the same, from a stage)
APP_PARTS = ("main.py", "sim", "render", "assets", "scenarios")
#: pure-Python packages the page imports, copied from this environment into the app with
#: their licence: segno draws the share dialog's QR code
PACKAGES = ("segno",)
#: files of a package the app never imports (segno's command line, type stubs)
PACKAGE_SKIP = {"cli.py", "__init__.pyi", "helpers.pyi", "helpers.py", "py.typed"}
PAGE_FILES = ("index.html", "river.js")
WHEEL = "pygame_ce-2.5.7.dev1-cp312-cp312-wasm32_bi_emscripten.whl"
VENDOR_FILES = (WHEEL, "LICENSE-LGPL-2.1.txt")
SKIP_NAMES = {"__pycache__", ".DS_Store"}


class BuildError(Exception):
    """The site cannot be built; ``str`` is the one line to show."""


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wanted(path: Path) -> bool:
    return not (set(path.parts) & SKIP_NAMES) and path.suffix != ".pyc" \
        and not path.name.startswith(".")


def app_files(root: Path = ROOT) -> dict[str, Path]:
    """The app's files, by their path in the app folder: the allow-list, then the packages."""
    files: dict[str, Path] = {}
    for part in APP_PARTS:
        path = root / part
        if path.is_file():
            files[part] = path
            continue
        if not path.is_dir():
            raise BuildError(f"build_site: {part} is missing from {root}")
        for f in sorted(path.rglob("*")):
            rel = f.relative_to(root)
            if f.is_file() and _wanted(rel):
                files[rel.as_posix()] = f
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise BuildError(f"build_site: the package {name!r} is not installed "
                             f"(pip install {name}); the page ships it")
        folder = Path(next(iter(spec.submodule_search_locations)))
        for f in sorted(folder.rglob("*")):
            rel = f.relative_to(folder)
            if f.is_file() and _wanted(rel) and f.name not in PACKAGE_SKIP:
                files[f"{name}/{rel.as_posix()}"] = f
        licence = _licence(folder, name)
        if licence is not None:
            files[f"{name}/LICENSE"] = licence
    return files


def _licence(folder: Path, name: str) -> Path | None:
    for info in sorted(folder.parent.glob(f"{name}-*.dist-info")):
        for cand in (info / "licenses" / "LICENSE", info / "LICENSE"):
            if cand.is_file():
                return cand
    return None


def stage(dest: Path, root: Path = ROOT) -> Path:
    """Copy the app (:func:`app_files`) into ``dest`` (emptied first): pygbag packs this."""
    if dest.exists():
        shutil.rmtree(dest)
    for rel, source in app_files(root).items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return dest


def app_zip(root: Path = ROOT, extra: dict[str, bytes] | None = None) -> bytes:
    """The app as the page unpacks it (``app.zip``), plus ``extra`` files (tests)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for rel, source in app_files(root).items():
            archive.write(source, rel)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def build(out: Path = OUT, root: Path = ROOT, pyodide: Path | None = None) -> Path:
    """Build the site into ``out`` (emptied first); returns ``out``."""
    if pyodide is None:
        fetch = _load_tool("fetch_pyodide")
        try:
            pyodide = fetch.fetch()
        except fetch.FetchError as e:
            raise BuildError(f"build_site: {e}") from None
        files = fetch.FILES
    else:
        files = _load_tool("fetch_pyodide").FILES
    if out.exists():
        shutil.rmtree(out)
    (out / "pyodide").mkdir(parents=True)
    (out / "vendor").mkdir()
    for name in PAGE_FILES:
        shutil.copy2(WEB / name, out / name)
    for name in VENDOR_FILES:
        shutil.copy2(WEB / "vendor" / name, out / "vendor" / name)
    for name in files:
        shutil.copy2(pyodide / name, out / "pyodide" / name)
    shutil.copy2(root / "favicon.png", out / "favicon.png")
    (out / "app.zip").write_bytes(app_zip(root))
    return out


def size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="build_site.py", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=OUT, help=f"default {OUT.relative_to(ROOT)}")
    p.add_argument("--stage", type=Path, default=None, metavar="DIR",
                   help="only copy the allow-listed app into DIR (what pygbag packs)")
    args = p.parse_args(argv)
    try:
        if args.stage is not None:
            dest = stage(args.stage)
            print(f"staged the app in {dest} ({size(dest):,} bytes)")
            return 0
        out = build(args.out)
    except BuildError as e:
        print(e, file=sys.stderr)
        return 2
    app = (out / "app.zip").stat().st_size
    print(f"built {out}: {size(out):,} bytes (app.zip {app:,}); serve it with\n"
          f"  python -m http.server -d {out} 8000   # then open http://localhost:8000/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
