"""Share links (sim/share.py, main.py --open-link): the same moment reopens, and nothing a
stranger can put in a link gets past one clear line and the default scenario.

The fuzz cases cut a real link at every position and flip random bytes of it (a seeded
generator, so a failure replays); each must either decode to the very session it was made
from, or give one line and the default scenario -- whose run must then have the default
scenario's digest, so no part of the damaged link was applied.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import re
import zlib

import pytest

import main as app_main
from render.i18n import LANGS
from sim import Simulation, load_scenario
from sim.commands import validate_commands
from sim.share import (
    FORMAT_VERSION,
    MAX_JSON_BYTES,
    MAX_LINK_CHARS,
    LinkError,
    Shared,
    decode,
    encode,
    from_session,
    open_link,
)

MODELS = tuple(load_scenario("rush-hour").models)
COMMANDS = [{"at_s": 300.0, "name": "capacity", "model": "image", "slots": 8},
            {"at_s": 700.5, "name": "spawn_rate", "rate_per_min": 12.0},
            {"at_s": 900.25, "name": "rent", "model": "video", "slots": 5}]
SESSION = Shared(scenario="rush-hour", seed=7, at_s=1234.5, lang="zh",
                 overrides=("run.hours=6",),
                 commands=tuple(validate_commands(COMMANDS, MODELS)))
SECONDS = 120.0   # how far the fuzz cases run the scenario they got


def _digest(shared: Shared, seconds: float = SECONDS) -> str:
    sim = shared.simulation()
    sim.advance_to(seconds)
    return sim.event_log_sha256()


def _payload(obj) -> str:
    data = zlib.compress(json.dumps(obj).encode(), 9)
    return f"http://h/#river={FORMAT_VERSION}." + \
        base64.urlsafe_b64encode(data).rstrip(b"=").decode()


DEFAULT_DIGEST = _digest(Shared())


def test_a_link_round_trips_the_whole_session():
    link = encode(SESSION, "https://example.org/river/")
    assert link.startswith(f"https://example.org/river/#river={FORMAT_VERSION}.")
    assert len(link) < 400
    back = decode(link, LANGS)
    assert back == SESSION
    assert back.built.run.hours == 6
    assert _digest(back, 1234.5) == _digest(SESSION, 1234.5)


def test_the_fragment_alone_or_a_query_opens_too():
    link = encode(SESSION)
    fragment = link.split("#", 1)[1]
    assert decode(fragment, LANGS) == SESSION
    assert decode("http://h/index.html?x=1&" + fragment, LANGS) == SESSION


def test_truncation_at_every_position_is_one_line_and_the_default():
    link = encode(SESSION)
    seen = set()
    for cut in range(len(link)):
        shared, problem = open_link(link[:cut], LANGS)
        assert problem and "\n" not in problem, cut
        assert shared == Shared() and shared.overlay is None
        seen.add(problem.split(":")[1].split("(")[0].strip())
    assert _digest(shared) == DEFAULT_DIGEST
    assert len(seen) >= 3     # empty, not a link, damaged base64, damaged compression, ...


def test_random_byte_flips_never_half_apply():
    link = encode(SESSION)
    rng = random.Random(24)
    refused = 0
    for _ in range(1500):
        chars = bytearray(link.encode())
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(chars))
            chars[i] = rng.randrange(256)
        text = chars.decode("latin-1")
        shared, problem = open_link(text, LANGS)
        if problem:
            refused += 1
            assert "\n" not in problem and shared == Shared()
            assert "Traceback" not in problem
        else:   # a flip in the base URL, or in the bits base64 drops: the same session
            assert shared == SESSION, text
    assert refused > 500
    assert _digest(open_link(text[:40], LANGS)[0]) == DEFAULT_DIGEST


@pytest.mark.parametrize(("link", "words"), [
    ("", "empty"),
    (f"http://h/#river={FORMAT_VERSION}.!!!!", "base64"),
    (f"http://h/#river={FORMAT_VERSION}.AAAAAAAA", "compressed"),
    ("http://h/#nothing", "not a River link"),
    (_payload([1, 2]), "object"),
    (_payload({"scenario": "rush-hour", "speed": 3}), "unknown key 'speed'"),
    (_payload({"scenario": "../../etc/passwd"}), "scenario"),
    (_payload({"scenario": "nowhere"}), "not a built-in"),
    (_payload({"commands": [{"at_s": 5, "name": "capacity", "model": "image",
                             "slots": 501}]}), "0 to 500"),
    (_payload({"commands": [{"at_s": -1, "name": "spawn_rate", "rate_per_min": 1}]}),
     "at_s"),
    (_payload({"commands": [{"at_s": 1, "name": "explode"}]}), "unknown command"),
    (_payload({"lang": "xx"}), "lang"),
    (_payload({"seed": "7"}), "seed"),
    (_payload({"at_s": 1e300}), "at_s"),
    (_payload({"set": ["arrivals.trace.path=/etc/passwd"]}), "may not name a file"),
    (_payload({"set": ["run.hours=-3"]}), "run.hours"),
    (_payload({"scenario": "x", "overlay": {"arrivals": {"trace": {"path": "/etc/x"}}}}),
     "may not name a file"),
    (_payload({"scenario": "x", "overlay": {"run": {"hours": None}}}), "run.hours"),
    (f"http://h/#river={FORMAT_VERSION}." + "A" * (MAX_LINK_CHARS + 1), "over the 2,048"),
])
def test_hostile_links_are_one_line_and_the_default(link, words):
    shared, problem = open_link(link, LANGS)
    assert words in problem and "\n" not in problem
    assert shared == Shared()


def test_a_json_nan_or_a_repeated_key_is_refused():
    for raw in ('{"at_s": NaN}', '{"seed": 1, "seed": 2}'):
        data = base64.urlsafe_b64encode(zlib.compress(raw.encode())).rstrip(b"=").decode()
        shared, problem = open_link(f"#river={FORMAT_VERSION}.{data}", LANGS)
        assert problem and shared == Shared()


def test_a_decompression_bomb_is_refused_unread():
    bomb = zlib.compress(b'{"scenario": "' + b"a" * (20 * MAX_JSON_BYTES) + b'"}', 9)
    link = f"#river={FORMAT_VERSION}." + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    assert len(link) <= MAX_LINK_CHARS       # small enough to be a link at all
    shared, problem = open_link(link, LANGS)
    assert f"inflates past {MAX_JSON_BYTES:,} bytes" in problem and shared == Shared()


def test_another_format_version_names_both():
    link = encode(SESSION).replace(f"river={FORMAT_VERSION}.", f"river={FORMAT_VERSION + 1}.")
    shared, problem = open_link(link, LANGS)
    assert f"version {FORMAT_VERSION + 1}" in problem and f"version {FORMAT_VERSION}," in problem
    assert "default scenario" in problem and shared == Shared()


def test_a_session_too_long_for_a_link_is_refused_with_one_line():
    rng = random.Random(5)
    many = [{"at_s": float(i) + rng.random(), "name": "spawn_rate",
             "rate_per_min": round(rng.uniform(0, 900), 3)} for i in range(2000)]
    shared = Shared(commands=tuple(validate_commands(many, MODELS)))
    with pytest.raises(LinkError, match="over the 2,048 a link may have"):
        encode(shared)


def test_a_scenario_file_travels_inline(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[run]\nhours = 5\nseed = 11\n[arrivals]\nrate_per_min = 17.0\n')
    session = {"scenario": str(path), "seed": 11, "sim_seconds": 600.0, "overrides": [],
               "commands": [{"at_s": 60.0, "name": "spawn_rate", "rate_per_min": 3.0}]}
    shared = from_session(session)
    assert shared.overlay == {"run": {"hours": 5, "seed": 11}, "arrivals": {"rate_per_min": 17.0}}
    back = decode(encode(shared), LANGS)
    assert back.built.arrivals.rate_per_min == 17.0 and back.commands == shared.commands
    native = Simulation(load_scenario(path), seed=11, commands=shared.commands)
    native.advance_to(600.0)
    assert _digest(back, 600.0) == native.event_log_sha256()


def _run_main(argv, capsys) -> tuple[int, str, str]:
    code = asyncio.run(app_main.main(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_native_open_link_reopens_the_same_moment(tmp_path, capsys):
    cmds = tmp_path / "cmds.json"
    cmds.write_text(json.dumps(COMMANDS))
    code, out, _ = _run_main(["--headless", "--frames", "200", "--speed", "600", "--scenario",
                              "rush-hour", "--seed", "7", "--lang", "zh", "--commands",
                              str(cmds), "--seconds", "1234.5", "--print-link"], capsys)
    assert code == 0
    link = re.search(r"share link: (\S+)", out).group(1)
    first = re.search(r"t=(\S+) s, event_log_sha256 ([0-9a-f]{64})", out).groups()
    assert first[0] == "1234.5"
    code, out, err = _run_main(["--headless", "--open-link", link, "--print-link"], capsys)
    assert code == 0 and err == ""
    again = re.search(r"t=(\S+) s, event_log_sha256 ([0-9a-f]{64})", out).groups()
    assert again == first
    assert re.search(r"share link: (\S+)", out).group(1) == link
    sim = Simulation(load_scenario("rush-hour"), seed=7,
                     commands=validate_commands(COMMANDS, MODELS))
    sim.advance_to(1234.5)
    assert first[1] == sim.event_log_sha256()


def test_native_open_link_is_paused_at_the_playhead(screen):
    from render.app import App

    link = encode(SESSION)
    opts = app_main.parse_args(["--open-link", link])
    replay = app_main.load_inputs(opts)
    app = App(opts["scenario"], opts["seed"], opts["lang"], opts["speed"],
              overrides=opts["overrides"], commands=replay)
    app_main.open_at_playhead(app, opts["playhead"], "", headless=False)
    for _ in range(600):
        app.step(1 / 60)
        if not app.presenter.busy:
            break
    for _ in range(30):
        app.step(1 / 60)
    assert app.sim.now == 1234.5 and app.speed == 0.0 and app.lang == "zh"
    assert app.sim.event_log_sha256() == _digest(SESSION, 1234.5)


def test_a_bad_link_natively_is_one_line_and_the_default(capsys):
    code, out, err = _run_main(["--headless", "--open-link", f"http://h/#river={FORMAT_VERSION}.eNo",
                                "--print-link"], capsys)
    assert code == 0
    assert err.count("\n") == 1 and "opening the default scenario" in err
    assert "t=0.0 s" in out


def test_open_link_brings_its_own_session(capsys):
    code, _, err = _run_main(["--headless", "--open-link", "x", "--scenario", "mmc"], capsys)
    assert code == 2 and "--open-link brings its own session" in err


MINE = '[run]\nhours = 5\nseed = 11\n[arrivals]\nrate_per_min = 17.0\n'
MINE_SET = ["arrivals.rate_per_min=25", "arrivals.vip_share=0.5"]


def _mine_link(tmp_path, capsys) -> tuple[str, tuple[str, str]]:
    path = tmp_path / "mine.toml"
    path.write_text(MINE)
    cmds = tmp_path / "cmds.json"
    cmds.write_text(json.dumps(COMMANDS[1:2]))
    argv = ["--headless", "--frames", "120", "--speed", "600", "--scenario", str(path),
            "--seed", "3", "--commands", str(cmds), "--seconds", "901.5", "--print-link"]
    for o in MINE_SET:
        argv += ["--set", o]
    code, out, err = _run_main(argv, capsys)
    assert code == 0, err
    link = re.search(r"share link: (\S+)", out).group(1)
    return link, re.search(r"t=(\S+) s, event_log_sha256 ([0-9a-f]{64})", out).groups()


def test_an_inline_scenario_link_reopens_the_same_moment_natively(tmp_path, capsys):
    """A custom scenario file with --set overrides travels inline and reopens in the app
    (no file of that name where it opens) at the same hash and second, and the app shares
    the very same link again."""
    link, first = _mine_link(tmp_path, capsys)
    assert first[0] == "901.5"
    shared = decode(link, LANGS)
    assert shared.overlay == {"run": {"hours": 5, "seed": 11},
                              "arrivals": {"rate_per_min": 17.0}}
    assert shared.overrides == tuple(MINE_SET)
    (tmp_path / "mine.toml").unlink()          # the opener has no such file
    code, out, err = _run_main(["--headless", "--open-link", link, "--print-link"], capsys)
    assert code == 0 and err == ""
    assert re.search(r"t=(\S+) s, event_log_sha256 ([0-9a-f]{64})", out).groups() == first
    assert re.search(r"share link: (\S+)", out).group(1) == link
    sc = Shared(overlay=dict(shared.overlay)).scenario_object().derive(MINE_SET)
    assert sc.arrivals.rate_per_min == 25.0 and sc.arrivals.vip_share == 0.5
    sim = Simulation(sc, seed=3, commands=validate_commands(COMMANDS[1:2], MODELS))
    sim.advance_to(901.5)
    assert first[1] == sim.event_log_sha256()


def test_the_app_keeps_an_inline_scenario_through_jumps_and_reset(tmp_path, capsys, screen):
    from render.app import App

    link, (_, sha) = _mine_link(tmp_path, capsys)
    opts = app_main.parse_args(["--open-link", link])
    replay = app_main.load_inputs(opts)
    app = App(opts["scenario"], opts["seed"], opts["lang"], opts["speed"],
              overrides=opts["overrides"], commands=replay)
    app_main.open_at_playhead(app, opts["playhead"], "", headless=True)
    assert app.scenario_name == "mine" and app.sim.event_log_sha256() == sha
    assert app_main.share_link(app).split("#")[1] == link.split("#")[1]
    app.apply("_jump", {"t_s": 400.0})          # a jump back replays the inline scenario
    while app.presenter.busy:
        app.step(0.0)
    assert app.sim.now == 400.0 and app_main.share_link(app) != link
    app.apply("_reset", {})                     # a new seed, the same inline scenario
    assert app.scenario_name == "mine" and app.seed == 4
    assert app.session()["overlay"] == decode(link, LANGS).overlay
    assert app.sim.scenario.arrivals.rate_per_min == 25.0
    capsys.readouterr()
    assert app_main.record_session(app, str(tmp_path / "rec.json")) == 0
    out = capsys.readouterr().out
    assert "came inline in a share link" in out and "--scenario mine" not in out


def test_main_set_overrides_a_scenario_value_and_is_checked(capsys):
    code, out, _ = _run_main(["--headless", "--scenario", "rush-hour", "--set",
                              "run.hours=6", "--print-link"], capsys)
    assert code == 0 and decode(re.search(r"share link: (\S+)", out).group(1),
                                LANGS).overrides == ("run.hours=6",)
    code, _, err = _run_main(["--headless", "--set", "run.hours=-1"], capsys)
    assert code == 2 and err.count("\n") == 1 and "run.hours" in err
