"""The same run in the browser as natively: the determinism promise across platforms.

A scenario, seed 7 and a recorded command file are played through the app's own frame loop
in the page (``main.py --commands F --seconds S --speed 600``: input, step, draw, flip, await;
the simulation cut wherever the frames fall and stopped at S) on CPython 3.12 in WebAssembly,
and must give the same ``event_log_sha256`` as ``python -m sim run --seconds S --commands F``
on this machine's CPython.  To fit the suite's time budget the page's clock does not wait for
the display: each frame reports 40-100 ms (seeded, irregular), so frames cut simulated time
at 24-60 s steps, as fast as the page draws them.  The runs follow each other in one page
(main.main returns on QUIT and is called again), so Pyodide loads once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import browserpage as bp

SEED = 7
RIVER_SESSION = [
    {"at_s": 600.0, "name": "capacity", "model": "image", "slots": 14},
    {"at_s": 1200.25, "name": "spawn_rate", "rate_per_min": 6.0},
    {"at_s": 1800.0, "name": "rent", "model": "video", "slots": 5},
    {"at_s": 2400.5, "name": "breaker_multiplier", "multiplier": 2.0},
    {"at_s": 3000.0, "name": "pause", "model": "audio"},
    {"at_s": 3300.0, "name": "resume", "model": "audio"},
    {"at_s": 3500.0, "name": "vip_share", "share": 0.4},
]
MMC_SESSION = [
    {"at_s": 1800.0, "name": "capacity", "model": "job", "slots": 11},
    {"at_s": 5400.25, "name": "spawn_rate", "rate_per_min": 480.0},
    {"at_s": 7200.0, "name": "pause", "model": "job"},
    {"at_s": 7230.0, "name": "resume", "model": "job"},
]
# the Azure trace's hour: 4 more slots at 10 min, the trace played x2 (the spawn slider) at 20
AZURE_SESSION = [
    {"at_s": 600.0, "name": "capacity", "model": "llm", "slots": 10},
    {"at_s": 1200.25, "name": "spawn_rate", "rate_per_min": 308.0},
]
# scenario -> (simulated seconds, session); rush-hour runs through its flash crowd (3-3.5 h),
# outage through its 20-minute outage (1-1.33 h), mmc for 2 h past its last command (~450k
# events: every wait is estimated at enqueue since the honest ETA, so 3 h no longer fit)
CASES = {
    "default": (3600.0, RIVER_SESSION),
    "outage": (7200.0, RIVER_SESSION),
    "rush-hour": (12600.0, RIVER_SESSION),
    "mmc": (7260.0, MMC_SESSION),
    "azure-code-2023": (3600.0, AZURE_SESSION),   # replays a gzip trace in the page
}
SESSION_FILES = {"river.json": RIVER_SESSION, "mmc.json": MMC_SESSION,
                 "azure.json": AZURE_SESSION}
RUN_TIMEOUT_S = 300.0


def _native(scenario: str, seconds: float, session: list, tmp_path) -> dict:
    cmds = tmp_path / f"{scenario}.json"
    cmds.write_text(json.dumps(session))
    out = tmp_path / f"{scenario}-summary.json"
    proc = subprocess.run([sys.executable, "-m", "sim", "run", "--scenario", scenario,
                           "--seed", str(SEED), "--seconds", repr(seconds), "--commands",
                           str(cmds), "--json", str(out), "--quiet"], cwd=bp.ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text())


def _args(scenario: str) -> list[str]:
    seconds, session = CASES[scenario]
    name = next(n for n, s in SESSION_FILES.items() if s is session)
    return ["--scenario", scenario, "--seed", str(SEED), "--speed", "600",
            "--commands", name, "--seconds", repr(seconds)]


def test_browser_and_native_runs_have_the_same_event_log(new_page, site, tmp_path):
    app = site.add("/same-run.zip", bp.app_zip(
        {name: json.dumps(s).encode() for name, s in SESSION_FILES.items()}))
    started = time.perf_counter()
    page = new_page()
    scenarios = list(CASES)
    page.open(site.url(app, _args(scenarios[0]), clock="fast"))
    native = {sc: _native(sc, s, session, tmp_path) for sc, (s, session) in CASES.items()}
    lines = []
    for run, scenario in enumerate(scenarios, start=1):
        if run > 1:
            page.rerun(_args(scenario))
        seconds, session = CASES[scenario]
        report = page.wait_for(lambda r, n=run, s=seconds: r["apps"] == n and r["sim_now"] == s,
                               RUN_TIMEOUT_S - (time.perf_counter() - started),
                               f"{scenario}: the page reaching t={seconds:.0f} s")
        expected = native[scenario]
        assert report["scenario"] == scenario and report["seed"] == SEED
        assert report["sim_error"] == "" and page.tracebacks() == [], page.problems()
        assert report["commands"] == session, f"{scenario}: the replayed commands differ"
        assert report["event_log_sha256"] == expected["event_log_sha256"], \
            f"{scenario}: browser and native event logs differ at t={seconds:.0f} s"
        lines.append(f"{scenario} {seconds:.0f} s, {expected['events']} events: "
                     f"{expected['event_log_sha256'][:16]} "
                     f"(done {time.perf_counter() - started:.0f} s after the page opened)")
    assert page.foreign == []
    print(f"\nsame hashes after {time.perf_counter() - started:.0f} s:\n" + "\n".join(lines))
