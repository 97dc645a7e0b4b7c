"""main.py's command-line contract, its async loop, and what it may import in a browser."""

from __future__ import annotations

import asyncio
import os
import pathlib
import re
import subprocess
import sys

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

import main  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_headless_screenshot_is_written(tmp_path):
    out = tmp_path / "shot.png"
    code = asyncio.run(main.main(["--headless", "--frames", "12", "--screenshot", str(out),
                                  "--scenario", "scenarios/rush-hour.toml", "--seed", "3",
                                  "--speed", "600"]))
    assert code == 0
    img = pygame.image.load(str(out))
    assert img.get_size() == (1280, 720)


def test_headless_screenshot_in_chinese(tmp_path):
    out = tmp_path / "zh.png"
    assert asyncio.run(main.main(["--headless", "--frames", "3", "--screenshot", str(out),
                                  "--lang", "zh"])) == 0
    assert out.exists()


@pytest.mark.parametrize("argv", [
    ["--frames", "x", "--headless"],
    ["--headless", "--speed", "9000"],
    ["--lang", "fr"],
    ["--bogus"],
    ["--headless", "--seed"],
    ["--frames", "3"],
])
def test_bad_input_is_one_line_and_exit_2(argv, capsys):
    assert asyncio.run(main.main(argv)) == 2
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err and "Traceback" not in err


def test_missing_scenario_is_exit_2(capsys):
    assert asyncio.run(main.main(["--headless", "--scenario", "no/such.toml"])) == 2
    assert "no/such.toml" in capsys.readouterr().err


def test_cli_process_exit_code_and_no_traceback():
    r = subprocess.run([sys.executable, "main.py", "--headless", "--frames", "nope"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_bench_last_line_format():
    r = subprocess.run([sys.executable, "main.py", "--headless", "--bench"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120,
                       env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    m = re.fullmatch(r"frame_ms median=(\d+\.\d+) p95=(\d+\.\d+) people=(\d+) "
                     r"ceiling_ms=(\d+\.\d+) ratio=(\d+\.\d+)", last)
    assert m, last
    assert float(m.group(5)) == pytest.approx(float(m.group(1)) / float(m.group(4)), rel=0.03)
    # the lobby's places hold ~210 sprites (the rest of the 490 inside are "+N" badges)
    assert int(m.group(3)) >= 150


def test_main_has_the_pygbag_shape():
    src = (ROOT / "main.py").read_text(encoding="utf-8")
    assert src.startswith("# /// script\n")
    assert "async def main(" in src
    assert "await asyncio.sleep(0)" in src
    assert re.search(r'if __name__ == "__main__":\n    code = asyncio.run\(main\(\)\)', src)
    assert "RESIZABLE" not in src


FORBIDDEN = re.compile(r"^\s*(import|from)\s+(numpy|threading|multiprocessing|subprocess|"
                       r"socket|signal|concurrent)\b|time\.sleep\(", re.M)


def test_browser_path_imports_nothing_forbidden():
    files = [ROOT / "main.py", *sorted((ROOT / "render").rglob("*.py"))]
    for f in files:
        assert not FORBIDDEN.search(f.read_text(encoding="utf-8")), f
    code = ("import sys, main, render.app, render.benchmark; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('numpy', 'multiprocessing')))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                       text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr


def test_a_closed_stdout_is_not_an_error(tmp_path):
    """``main.py ... | head``: the reader is gone before the result line is printed."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        r = subprocess.run([sys.executable, "main.py", "--headless", "--frames", "20",
                            "--screenshot", str(tmp_path / "s.png"),
                            "--record", str(tmp_path / "r.json")],
                           cwd=ROOT, stdout=write_end, stderr=subprocess.PIPE, text=True,
                           timeout=120, env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    finally:
        os.close(write_end)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr
    assert (tmp_path / "s.png").stat().st_size > 1000
    assert (tmp_path / "r.json").exists()
