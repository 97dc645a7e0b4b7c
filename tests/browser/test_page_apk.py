"""The archive pygbag builds is complete: the page runs the app from the ``.apk`` itself.

``pygbag --build`` (offline, as tests/test_packaging.py runs it, plus ``--no_opt``) packs the
app into ``river-factory.apk``, a zip with the app under ``assets/``.  The page unpacks that
archive instead of the test's own zip and runs main.py from it; then every asset and scenario
of the working tree must be found at runtime where the app looks for them (``render.paths``,
``sim.scenario``) with the same bytes, and the app must load every scenario (the S key) and
draw Chinese labels (the L key, the font in assets/).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import time

import test_packaging as packaging

from sim.scenario import SCENARIO_DIR

ROOT = packaging.ROOT
APK_ROOT = "/home/pyodide/app/assets"


def _packed_files() -> dict[str, str]:
    """assets/* and scenarios/*.toml of the working tree -> sha256."""
    files = [*sorted((ROOT / "assets").rglob("*")), *sorted(SCENARIO_DIR.glob("*.toml"))]
    return {f.relative_to(ROOT).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in files if f.is_file() and not f.name.startswith(".")}


FOUND_AT_RUNTIME = """
import hashlib, json, main, render.paths, sim.scenario
from render.app import scenario_names
root = render.paths.ROOT
found = {{rel: hashlib.sha256((root / rel).read_bytes()).hexdigest()
          if (root / rel).is_file() else None for rel in {rels!r}}}
json.dumps({{"main": main.__file__, "root": str(root),
            "scenario_dir": str(sim.scenario.SCENARIO_DIR), "names": scenario_names(),
            "found": found}})
"""


def _build(tmp_path) -> bytes:
    app = packaging._copy_project(tmp_path)
    packaging._pygbag(app, "--template", str(packaging.WEB / "tiny.tmpl"),
                      "--icon", str(packaging.WEB / "fav.png"), "--no_opt")
    return (app / "build" / "web" / f"{packaging.APP}.apk").read_bytes()


def test_the_page_runs_from_pygbags_apk(new_page, site, tmp_path):
    page = new_page()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:   # pygbag packs while the page
        apk = pool.submit(_build, tmp_path)                   # loads Pyodide
        url = site.url(site.add(f"/{packaging.APP}.apk", apk.result),
                       ["--scenario", "default", "--seed", "7"], root="assets")
        page.goto(url)
        apk.result()                     # a failed build fails here, with pygbag's output
        start = page.wait_running(time.perf_counter())
    assert start["scenario"] == "default"

    expected = _packed_files()
    runtime = json.loads(page.python(FOUND_AT_RUNTIME.format(rels=sorted(expected))))
    assert runtime["main"] == f"{APK_ROOT}/main.py"
    assert runtime["root"] == APK_ROOT and runtime["scenario_dir"] == f"{APK_ROOT}/scenarios"
    missing = sorted(rel for rel, sha in runtime["found"].items() if sha is None)
    assert missing == [], f"not found at runtime from the .apk: {missing}"
    assert runtime["found"] == expected
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    assert runtime["names"] == names

    seen = []
    for _ in names:                              # S: the next scenario, all the way round
        before = seen[-1] if seen else "default"
        page.page.keyboard.press("KeyS")
        got = page.wait_for(lambda r, b=before: r["scenario"] != b, 10,
                            "S loads the next scenario")
        seen.append(got["scenario"])
    assert sorted(seen) == names and seen[-1] == "default"
    page.page.keyboard.press("KeyL")
    got = page.wait_for(lambda r: r["lang"] == "zh", 5, "L switches to Chinese")
    assert got["sim_error"] == "" and page.tracebacks() == [], page.problems()
    assert page.foreign == []
