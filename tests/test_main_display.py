"""First run without a display: one line that says so and what to do, never a window drawn
off screen that looks hung (issue 16).  Detected by the driver SDL chose, not $DISPLAY."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import main

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_the_line_is_for_the_offscreen_driver_only():
    line = main.no_display_line("offscreen", headless=False)
    assert line is not None and "\n" not in line
    assert "--headless" in line and "Xvfb" in line
    for driver in ("x11", "wayland", "windows", "cocoa", "dummy", "KMSDRM"):
        assert main.no_display_line(driver, headless=False) is None
    assert main.no_display_line("offscreen", headless=True) is None


def _run_without_display(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env.update(extra_env)
    return subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_python_main_without_a_display_says_so_in_one_line():
    """A machine with no display at all (SDL falls back to 'offscreen')..."""
    done = _run_without_display({})
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert len(lines) == 1 and "--headless" in lines[0] and "Xvfb" in lines[0], done.stderr
    assert done.stdout.strip() == ""


def test_a_display_variable_pointing_nowhere_is_no_display_either():
    """...and one whose $DISPLAY names no server: SDL again chose 'offscreen'."""
    done = _run_without_display({"DISPLAY": ":97"})
    assert done.returncode == 1 and "--headless" in done.stderr, done.stderr
