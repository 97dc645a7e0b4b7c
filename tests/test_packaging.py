"""The browser package: pygbag 0.9.3 builds it offline, and it holds the game and nothing else.

pygbag fetches its page template and favicon from its CDN unless given local files, and it
retries an unreachable URL every 5 s forever, so every build here passes local files (or
relies on the repo's own default.tmpl and favicon.png), points --cdn at a closed port, and runs
under a timeout.  Builds run on a temporary copy of the project, never in the working tree,
with decoy folders added (a venv, tool caches, docs, ...) so the pygbag.ini check does not depend
on what happens to lie around today.  What cannot be checked here: loading the page itself (the
Python runtime comes from the CDN when a browser opens it).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = Path(__file__).resolve().parent / "web"
APP = "river-factory"  # folder name of the copy = name of the archive pygbag makes
OFFLINE_CDN = "http://127.0.0.1:9/"  # the discard port: nothing answers
BUILD_TIMEOUT_S = 60
SIZE_GOAL_BYTES = 1_000_000

PACKED_TOP = {"main.py", "sim", "render", "assets", "scenarios", "segno"}   # segno: the QR code
NEVER_PACKED = {
    "tests", "docs", "bench", "planning", "tools", "build", "dist", "venv", "static",
    ".venv", ".git", ".ci", ".pytest_cache", ".ruff_cache", ".hypothesis", ".benchmarks",
    ".cache", "river_factory.egg-info", "pyproject.toml", "pygbag.ini", "default.tmpl",
    "favicon.png", "README.md", ".gitignore", "venv-river", ".venv-x", "web",
}
# Planted in the copy when missing: what a developer's or CI's checkout may hold at build time.
DECOYS = (
    ".venv/lib/python3.11/site-packages/decoy.py",
    ".pytest_cache/v/cache/lastfailed",
    ".ruff_cache/decoy",
    ".hypothesis/examples/decoy",
    ".cache/pyodide-0.27.7/pyodide.js",
    ".benchmarks/decoy.json",
    ".ci/run",
    ".git/config",
    "river_factory.egg-info/PKG-INFO",
    "dist/decoy.whl",
    "venv/decoy.py",
    "tests/test_decoy.py",
    "docs/decoy.md",
    "bench/decoy.py",
    "planning/decoy.py",
    "tools/decoy.py",
    "README.md",
    "sim/__pycache__/decoy.cpython-311.pyc",
    # virtual environments under names no deny-list knows: only an allow-list keeps them out
    "venv-river/lib/python3.11/site-packages/decoy.py",
    "venv-river/pyvenv.cfg",
    ".venv-x/lib/python3.11/site-packages/decoy.py",
)
SKIP_WHEN_COPYING = {".git", "build", "dist", ".venv", "venv", "__pycache__", ".pytest_cache",
                     ".ruff_cache", ".hypothesis", ".mypy_cache", ".benchmarks"}


def _project_files() -> list[Path]:
    """The files of the working tree git would commit (tracked or not ignored), else a walk."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
             "--exclude-standard"],
            capture_output=True, check=True, timeout=30,
        ).stdout.decode().split("\0")
        files = [ROOT / name for name in listed if name]
    except (OSError, subprocess.SubprocessError):
        files = []
        for folder, dirs, names in os.walk(ROOT):
            dirs[:] = [d for d in dirs if d not in SKIP_WHEN_COPYING
                       and not d.endswith(".egg-info")]
            files.extend(Path(folder, name) for name in names)
    return [f for f in files if f.is_file()]


def _copy_project(dest: Path) -> Path:
    app = dest / APP
    for source in _project_files():
        target = app / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    for rel in DECOYS:
        target = app / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("decoy: must not be packed\n")
    return app


def _pygbag(app: Path, *options: str) -> tuple[float, str]:
    """Runs ``tools/build_pygbag.py --build <options> --cdn <closed port>`` of the copy ``app``:
    its allow-listed stage is packed and the page copied back to ``app/build/web``."""
    tool = _load_tool("build_pygbag")
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    started = time.perf_counter()
    try:
        done = tool.run(["--build", *options, "--cdn", OFFLINE_CDN], root=app,
                        timeout_s=BUILD_TIMEOUT_S, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"pygbag did not finish in {BUILD_TIMEOUT_S} s (it retries files it "
                    "cannot fetch forever: is a local template/icon missing?)")
    seconds = time.perf_counter() - started
    assert done.returncode == 0, f"pygbag failed ({done.returncode}):\n{done.stdout[-3000:]}"
    return seconds, done.stdout


def _load_tool(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def test_build(tmp_path_factory):
    """The app packed with the project's tiny offline test template and favicon."""
    app = _copy_project(tmp_path_factory.mktemp("pack"))
    seconds, output = _pygbag(app, "--template", str(WEB / "tiny.tmpl"),
                              "--icon", str(WEB / "fav.png"))
    web = app / "build" / "web"
    apk, tgz = web / f"{APP}.apk", web / f"{APP}.tar.gz"
    print(
        f"\npygbag --build --template tests/web/tiny.tmpl --icon tests/web/fav.png "
        f"--cdn {OFFLINE_CDN} {APP}: {seconds:.2f} s; {APP}.apk {apk.stat().st_size:,} bytes, "
        f"{APP}.tar.gz {tgz.stat().st_size:,} bytes"
    )
    return {"app": app, "web": web, "apk": apk, "tgz": tgz, "seconds": seconds, "log": output}


@pytest.fixture(scope="module")
def page_build(tmp_path_factory):
    """The real page: plain `pygbag --build --archive .`, offline thanks to the repo's files."""
    app = _copy_project(tmp_path_factory.mktemp("page"))
    seconds, output = _pygbag(app, "--archive")
    return {"app": app, "web": app / "build" / "web", "seconds": seconds, "log": output}


def _apk_names(apk: Path) -> list[str]:
    with zipfile.ZipFile(apk) as archive:
        assert archive.testzip() is None
        return archive.namelist()


def _packed_paths(names: list[str]) -> set[str]:
    """Archive member names without pygbag's "assets/" prefix: paths from the app root."""
    assert all(n.startswith("assets/") for n in names), names
    return {n.removeprefix("assets/") for n in names}


def test_build_makes_the_web_folder(test_build):
    web = test_build["web"]
    for name in ("index.html", "favicon.png", f"{APP}.apk", f"{APP}.tar.gz"):
        assert (web / name).is_file(), f"missing build/web/{name}"
    assert (web / "favicon.png").read_bytes() == (WEB / "fav.png").read_bytes()
    page = (web / "index.html").read_text(encoding="utf-8")
    assert f'data-archive="{APP}"' in page and f'data-cdn="{OFFLINE_CDN}"' in page
    assert "{{cookiecutter." not in page


def test_archive_holds_only_the_game(test_build):
    packed = _packed_paths(_apk_names(test_build["apk"]))
    tops = {p.split("/")[0] for p in packed}
    assert tops <= PACKED_TOP, f"packed but not part of the game: {sorted(tops - PACKED_TOP)}"
    leaked = sorted(p for p in packed if p.split("/")[0] in NEVER_PACKED or
                    "__pycache__" in p.split("/") or p.endswith(".pyc"))
    assert leaked == []


def test_archive_holds_the_whole_game(test_build):
    app = test_build["app"]
    packed = _packed_paths(_apk_names(test_build["apk"]))
    expected = {"main.py"}
    for folder, pattern in (("sim", "*.py"), ("render", "*.py"), ("assets", "*"),
                            ("scenarios", "*.toml"), ("scenarios", "*.gz"),
                            ("scenarios", "*.txt"), ("scenarios", "ATTRIBUTION.md")):
        found = {
            p.relative_to(app).as_posix()
            for p in (app / folder).rglob(pattern)
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
        }
        if folder != "assets":
            assert found, f"{folder}/ has no {pattern} files to pack"
        expected |= found
    missing = sorted(expected - packed)
    assert missing == [], f"not packed: {missing}"
    with zipfile.ZipFile(test_build["apk"]) as archive:
        main_src = archive.read("assets/main.py").decode("utf-8")
    compile(main_src, "main.py", "exec")


def test_a_stray_venv_under_any_name_stays_out(test_build):
    """The copy holds virtual environments no deny-list names; the pack is from the
    allow-listed stage (tools/build_pygbag.py), so neither is read, let alone packed."""
    app = test_build["app"]
    assert (app / "venv-river" / "pyvenv.cfg").is_file() and (app / ".venv-x").is_dir()
    packed = _packed_paths(_apk_names(test_build["apk"]))
    assert not [p for p in packed if "venv" in p or "decoy" in p]
    staged = app / "build" / "pygbag" / APP
    made_by_pygbag = {"build", "main-pygbag.py"}
    assert sorted(p.name for p in staged.iterdir() if p.name not in made_by_pygbag) == sorted(
        [*PACKED_TOP, "default.tmpl", "favicon.png", "pygbag.ini"])


def test_tarball_matches_the_apk(test_build):
    with tarfile.open(test_build["tgz"], "r:gz") as tar:
        tar_names = sorted(m.name for m in tar.getmembers() if m.isfile())
    assert tar_names == sorted(_apk_names(test_build["apk"]))


def test_archive_size(test_build):
    size = test_build["apk"].stat().st_size
    assert size <= SIZE_GOAL_BYTES, f"{APP}.apk is {size:,} bytes; goal <= {SIZE_GOAL_BYTES:,}"


def test_real_page_builds_offline_from_the_repo_template(page_build):
    """`pygbag --build .` uses the repo's default.tmpl and favicon.png: nothing is fetched."""
    web = page_build["web"]
    page = (web / "index.html").read_text(encoding="utf-8")
    assert "{{cookiecutter." not in page
    assert "<title>River Factory</title>" in page
    assert "image-rendering: pixelated" in page
    assert re.search(r"click anywhere", page, re.I), "the click-to-start step is not explained"
    assert f'src="{OFFLINE_CDN}pythons.js"' in page, "the runtime must come from --cdn"
    assert f'bundle = "{APP}"' in page and f'archive : "{APP}"' in page
    assert (web / "favicon.png").read_bytes() == (ROOT / "favicon.png").read_bytes()
    png = (web / "favicon.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") >= 16 and int.from_bytes(png[20:24], "big") >= 16


def test_real_page_python_block_compiles(page_build):
    """The Python in the page runs in the browser before main.py: at least it must parse."""
    page = (page_build["web"] / "index.html").read_text(encoding="utf-8")
    match = re.search(r"async defer>#<!--\n(.*?)\n# --></script>", page, re.S)
    assert match, "the page's Python block is not where pythons.js looks for it"
    tree = ast.parse(match.group(1), filename="index.html")
    defs = {n.name for n in tree.body if isinstance(n, ast.AsyncFunctionDef)}
    assert "custom_site" in defs
    assert "asyncio.run(custom_site())" in match.group(1)
    assert 'f"{bundle}.tar.gz"' in match.group(1) and 'f"{bundle}.apk"' in match.group(1)


def test_itch_archive(page_build):
    """`--archive` makes build/web.zip for itch.io: the page, its icon and the .apk."""
    web_zip = page_build["web"].parent / "web.zip"
    with zipfile.ZipFile(web_zip) as archive:
        assert sorted(archive.namelist()) == sorted(["index.html", "favicon.png", f"{APP}.apk"])
