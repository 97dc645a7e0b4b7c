"""Share links in a real browser: a link made natively reopens in the page at the same
moment (same event-log hash at the same simulated second, paused), a link made in the page
reopens in another page the same way, and damaged or hostile links give one line on the page
and the default scenario -- never a traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import browserpage as bp

from sim.share import FORMAT_VERSION

COMMANDS = [{"at_s": 300.0, "name": "capacity", "model": "image", "slots": 8},
            {"at_s": 700.5, "name": "spawn_rate", "rate_per_min": 12.0},
            {"at_s": 900.25, "name": "rent", "model": "video", "slots": 5}]
AT_S = 1234.5


def _native_link(tmp_path, base: str) -> tuple[str, str, str]:
    cmds = tmp_path / "cmds.json"
    cmds.write_text(json.dumps(COMMANDS))
    proc = subprocess.run([sys.executable, "main.py", "--headless", "--frames", "200",
                           "--speed", "600", "--scenario", "rush-hour", "--seed", "7",
                           "--lang", "zh", "--commands", str(cmds), "--seconds", repr(AT_S),
                           "--print-link", "--share-base", base], cwd=bp.ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    link = re.search(r"share link: (\S+)", proc.stdout).group(1)
    t, sha = re.search(r"t=(\S+) s, event_log_sha256 ([0-9a-f]{64})", proc.stdout).groups()
    return link, t, sha


def _landed(page, t: float) -> dict:
    report = page.wait_for(lambda r: r["sim_now"] == t and not r["jumping"], 60,
                           f"the page standing at t={t}")
    page.page.wait_for_timeout(500)
    still = page.report()
    assert still["sim_now"] == t and still["speed"] == 0.0, "not paused at the playhead"
    return report


def test_links_round_trip_native_to_page_to_page(new_page, site, tmp_path):
    link, t, sha = _native_link(tmp_path, site.base + "/index.html")
    assert t == repr(AT_S)
    assert link.startswith(f"{site.base}/index.html#river={FORMAT_VERSION}.")
    page = new_page()
    page.open(site.url(fragment=link.split("#", 1)[1]))
    report = _landed(page, AT_S)
    assert report["event_log_sha256"] == sha, "native -> page: another event log"
    assert report["scenario"] == "rush-hour" and report["seed"] == 7 and report["lang"] == "zh"
    assert report["commands"] == COMMANDS
    assert report["message"] == ""

    again = page.python("import main, river_harness\n"
                        "main.share_link(river_harness.state.app)")
    assert again.startswith(f"{site.base}/index.html#river=")     # the page's own address
    assert again.split("#", 1)[1] == link.split("#", 1)[1]          # the same session

    other = new_page()
    other.open(site.url(fragment=again.split("#", 1)[1]))
    assert _landed(other, AT_S)["event_log_sha256"] == sha, "page -> page: another event log"
    assert page.tracebacks() == [] and other.tracebacks() == []
    assert page.foreign == [] and other.foreign == []


def test_damaged_links_open_the_default_scenario_with_one_line(new_page, site, tmp_path):
    link, _, _ = _native_link(tmp_path, site.base + "/index.html")
    cut = link[:-7]
    flipped = link[:-12] + ("A" if link[-12] != "A" else "B") + link[-11:]
    newer = link.replace(f"river={FORMAT_VERSION}.", f"river={FORMAT_VERSION + 1}.")
    # {"commands": [{"at_s": 5, "name": "capacity", "model": "image", "slots": 501}]}
    out_of_range = link.split("#")[0] + (
        f"#river={FORMAT_VERSION}.eNqrVkrOz81NzEspVrJSiK5WSiyJB7FMdRSU8hJzU4FMpeTEgsTkz"
        "JJKJaBYbn5Kag5IMDM3MT0VJFKck18C1mFgWBtbCwDWohgn")
    page = new_page()
    page.open(site.url(fragment=cut.split("#", 1)[1]))
    first = page.wait_for(lambda r: r["message"] != "", 10, "a line about the cut link")
    assert "link: damaged" in first["message"], first["message"]
    assert first["scenario"] == "default" and first["commands"] == []
    default_seed = first["seed"]
    for bad, words in ((flipped, "link: damaged"),
                       (newer, f"version {FORMAT_VERSION + 1}; this River reads version "
                               f"{FORMAT_VERSION}"),
                       (out_of_range, "capacity.slots")):
        before = page.report()["apps"]
        page.rerun(["--open-link", bad])
        got = page.wait_for(lambda r, n=before: r["apps"] == n + 1 and r["message"] != "",
                            10, f"a line about {bad[-20:]}")
        assert words in got["message"], got["message"]
        assert got["scenario"] == "default" and got["seed"] == default_seed
        assert got["commands"] == [] and got["sim_error"] == ""
    assert page.tracebacks() == [] and page.foreign == []


MINE = '[run]\nhours = 5\nseed = 11\n[arrivals]\nrate_per_min = 17.0\n'
MINE_SET = ("arrivals.rate_per_min=25", "arrivals.vip_share=0.5")
MINE_AT_S = 901.5


def test_an_inline_scenario_link_round_trips_page_to_page(new_page, site, tmp_path):
    """A custom scenario file (not in the page: it travels inline) with --set overrides:
    native -> page, then the page's own link -> another page, same hash at the same second."""
    path = tmp_path / "mine.toml"
    path.write_text(MINE)
    cmds = tmp_path / "cmds.json"
    cmds.write_text(json.dumps(COMMANDS[1:2]))
    argv = [sys.executable, "main.py", "--headless", "--frames", "120", "--speed", "600",
            "--scenario", str(path), "--seed", "3", "--commands", str(cmds), "--seconds",
            repr(MINE_AT_S), "--print-link", "--share-base", site.base + "/index.html"]
    for o in MINE_SET:
        argv += ["--set", o]
    proc = subprocess.run(argv, cwd=bp.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    link = re.search(r"share link: (\S+)", proc.stdout).group(1)
    sha = re.search(r"event_log_sha256 ([0-9a-f]{64})", proc.stdout).group(1)

    page = new_page()
    page.open(site.url(fragment=link.split("#", 1)[1]))
    report = _landed(page, MINE_AT_S)
    assert report["event_log_sha256"] == sha, "native -> page: another event log"
    assert report["scenario"] == "mine" and report["seed"] == 3 and report["message"] == ""
    assert report["commands"] == COMMANDS[1:2]
    again = page.python("import main, river_harness\n"
                        "main.share_link(river_harness.state.app)")
    assert again.split("#", 1)[1] == link.split("#", 1)[1]

    other = new_page()          # the page's link in the address bar: the query's form too
    other.open(site.url() + "&" + again.split("#", 1)[1])
    landed = _landed(other, MINE_AT_S)
    assert landed["event_log_sha256"] == sha, "page -> page: another event log"
    assert landed["scenario"] == "mine" and landed["message"] == ""
    assert page.tracebacks() == [] and other.tracebacks() == []
    assert page.foreign == [] and other.foreign == []
