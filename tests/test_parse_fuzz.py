"""Fuzz every door a person can push: random bytes, random TOML and JSON trees and random flag
values at ``python -m sim run``, ``sweep``, ``plan`` and ``main.py --headless``, in-process.

Each case must end in exit 0 (or plan's 1: "no capacity meets the target") or exit 2 with
exactly one stderr line and no traceback; an exception escaping the command line fails the
test (hypothesis shrinks it to the smallest input), and so does a case over 5 s (hypothesis'
deadline).  A watchdog stops the process if a case hangs for good (the NaN-hour bug did).

Runs are kept short (a few simulated seconds, tiny grids) and values that only make a run
*long* but are allowed (``--hours 8000``) are skipped: the subject is input handling, not load.
``FUZZ_EXAMPLES=500 pytest tests/test_parse_fuzz.py`` digs deeper than the fixed CI budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import io
import json
import math
import os
import pathlib
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import main as app_main
from sim import schema
from sim.__main__ import main as sim_main
from sim.commands import COMMANDS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=5000, derandomize="FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                database=None)
WORK = pathlib.Path(tempfile.mkdtemp(prefix="river-fuzz-")) / "a" / "b"
WORK.mkdir(parents=True)
OUTPUTS = ("--json", "--log", "--csv", "--png", "--record", "--screenshot")
SAFE_TARGETS = ("/dev/null", "/proc/river-fuzz", "/", "/proc")


@pytest.fixture(autouse=True, scope="module")
def scratch():
    yield
    shutil.rmtree(WORK.parent.parent, ignore_errors=True)


@pytest.fixture(autouse=True)
def watchdog():
    """A case that never returns cannot meet a deadline: dump stacks and exit instead."""
    faulthandler.dump_traceback_later(300, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


class Raw(str):
    """Text emitted verbatim into a TOML or JSON file (5000 digits, 100k brackets)."""


SPECIAL_RAW = [Raw("9" * 400), Raw("9" * 5000), Raw("-" + "9" * 400), Raw("[" * 100_000
               + "]" * 100_000), Raw("1e400"), Raw("-1e400"), Raw("nan"), Raw("inf")]
SPECIAL_TEXT = ["nan", "NaN", "inf", "-inf", "+nan", "1e9", "1e308", "1e-400", "-1", "-0", "0",
                "0.0001", "9" * 400, "9" * 5000, str(2**63), str(2**63 - 1), str(2**64), "0x10",
                "1_0", "١", "½", "", " ", "\t", "x" * 5000, "a=b", "=", "[", "[[0,1],[nan,2]]",
                "models.image.slots=5", "--hours", "-h", "\U0001F600", "é", "\x7f", "中文"]
LOAD_KEYS = {"rate_per_min": 600, "orders_min": 20, "orders_max": 20, "concurrency": 20,
             "slots": 50, "max_rented": 50, "batch_max": 50, "series_len": 1000}


def spec_values(key: str, spec: schema.Spec) -> st.SearchStrategy:
    """Mostly allowed values (to get past the first check), at loads a short run can carry."""
    if spec.kind is bool:
        return st.booleans()
    if spec.choices:
        return st.sampled_from(spec.choices)
    if spec.kind is str:
        return st.text(max_size=14)
    hi = min(spec.hi, LOAD_KEYS.get(key, spec.hi))
    if spec.kind is int:
        return st.integers(int(spec.lo), int(hi))
    return st.floats(spec.lo, hi)


scalars = st.one_of(st.integers(-2**70, 2**70), st.floats(), st.booleans(),
                    st.text(max_size=20), st.sampled_from(SPECIAL_RAW))
trees = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


def key_values(specs: dict[str, schema.Spec]) -> st.SearchStrategy:
    pairs = [st.tuples(st.just(k), st.one_of(spec_values(k, s), trees))
             for k, s in specs.items()]
    pairs.append(st.tuples(st.text(max_size=8), trees))
    return st.lists(st.one_of(pairs), max_size=4).map(dict)


def table_of(specs: dict[str, schema.Spec], names: list[str]) -> st.SearchStrategy:
    return st.dictionaries(st.sampled_from(names) | st.text(max_size=6), key_values(specs),
                           min_size=0, max_size=3)


PROFILES = st.lists(st.lists(st.one_of(st.floats(0, 30), scalars), min_size=0, max_size=3),
                    max_size=4)
sections = st.fixed_dictionaries({}, optional={
    **{name: key_values(specs) for name, specs in schema.SECTIONS.items()},
    "models": table_of(schema.MODEL, ["image", "text", "x", "", "a.b", "中"]),
    "tiers": table_of(schema.TIER, ["L1", "L2", "all", ""]),
    "arrivals": key_values(schema.ARRIVALS).flatmap(
        lambda d: PROFILES.map(lambda p: {**d, "profile": p})),
    "commands": st.lists(st.dictionaries(st.sampled_from(["at_s", "name", "model", "slots"]),
                                         trees, max_size=4), max_size=3),
    "bogus": key_values({})})


def toml_value(v) -> str:
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) \
            else repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + "}"


def to_toml(doc: dict) -> str:
    lines = []
    for name, body in doc.items():
        if name == "commands":
            for entry in body:
                lines += ["[[commands]]", *(f"{json.dumps(k)} = {toml_value(v)}"
                                            for k, v in entry.items())]
        elif name in ("models", "tiers"):
            for entry, keys in body.items():
                lines.append(f"[{name}.{json.dumps(entry)}]")
                lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in keys.items()]
        else:
            lines.append(f"[{json.dumps(name)}]")
            lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in body.items()]
    return "\n".join(lines) + "\n"


def to_json(v) -> str:
    if isinstance(v, Raw):
        return str(v).replace("nan", "NaN").replace("inf", "Infinity")
    if isinstance(v, list):
        return "[" + ", ".join(to_json(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {to_json(x)}" for k, x in v.items()) + "}"
    return json.dumps(v)


commands_json = st.lists(st.sampled_from(list(COMMANDS)).flatmap(
    lambda name: st.tuples(st.one_of(st.floats(0, 30), trees), st.sampled_from([name]) | trees,
                           key_values({**COMMANDS[name], "model": schema.Spec(
                               str, "", choices=("image", "text", "", "sd3"))}))
    .map(lambda t: {"at_s": t[0], "name": t[1], **t[2]})), max_size=4).map(to_json)
files = st.one_of(st.binary(max_size=300).map(lambda b: ("bytes", b)),
                  sections.map(lambda d: ("toml", to_toml(d).encode())))
command_files = st.one_of(st.binary(max_size=200), commands_json.map(str.encode),
                          trees.map(to_json).map(str.encode))
flag_text = st.one_of(st.sampled_from(SPECIAL_TEXT), st.text(max_size=12),
                      st.floats().map(repr), st.integers(-2**80, 2**80).map(str))


def put(name: str, data: bytes) -> str:
    path = WORK / name
    path.write_bytes(data)
    return str(path)


LIMITS = {"--hours": 0.02, "--seconds": 60, "--seeds": 2, "--scale": 0.01, "--frames": 5}


def long_run(flag: str, value: str) -> bool:
    """An allowed value that only makes the case slow (skipped, not a finding)."""
    try:
        return float(value) > LIMITS.get(flag, math.inf)
    except ValueError:
        return False


def check(code: int, err: str, ok: tuple[int, ...] = (0,)) -> None:
    event(f"exit {code}")  # pytest --hypothesis-show-statistics: how deep the cases got
    assert "Traceback" not in err, err
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err
    else:
        assert code in ok, (code, err)


def confined(argv: list[str]) -> list[str]:
    """Output paths kept inside the scratch folder (the cases run there too): a fuzzed
    ``--log /etc/x`` must not write to /etc, nor ``--json 1e9`` into the checkout."""
    out = list(argv)
    for i, arg in enumerate(out[:-1]):
        value = out[i + 1]
        if arg in OUTPUTS and value.startswith("/") and value not in SAFE_TARGETS:
            out[i + 1] = str(WORK / value.lstrip("/"))
    return out


def call_sim(argv: list[str], ok: tuple[int, ...] = (0,)) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(WORK), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        code = sim_main(confined(argv))
    check(code, err.getvalue(), ok)


def call_app(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(WORK), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        code = asyncio.run(app_main.main(confined(argv)))
    check(code, err.getvalue())


RUN = ["run", "--quiet", "--seconds", "20"]
RUN_FLAGS = ["--seed", "--hours", "--seconds", "--set", "--scenario", "--commands", "--json",
             "--log", "--bogus", "-h"]
SWEEP = ["sweep", "--hours", "0.005", "--seeds", "1", "--workers", "1", "--quiet", "--vary",
         "models.image.slots=4,5"]
SWEEP_FLAGS = ["--vary", "--seeds", "--seed-base", "--hours", "--model", "--metric", "--target",
               "--title", "--workers", "--executor", "--set", "--csv", "--png"]
APP = ["--headless", "--frames", "1"]
APP_FLAGS = ["--frames", "--seed", "--speed", "--lang", "--scenario", "--commands", "--bogus"]


# ----------------------------------------------------------------------- python -m sim run
@FUZZ
@given(files)
def test_run_survives_any_scenario_file(file):
    call_sim([*RUN, "--scenario", put("s.toml", file[1])])


@FUZZ
@given(command_files)
def test_run_survives_any_command_file(data):
    call_sim([*RUN, "--commands", put("c.json", data)])


@FUZZ
@given(st.sampled_from(RUN_FLAGS), flag_text)
def test_run_survives_any_flag_value(flag, value):
    assume(not long_run(flag, value))
    if flag == "--hours":
        call_sim(["run", "--quiet", flag, value])
    else:
        call_sim([*RUN, flag, value] if flag != "--seconds" else ["run", "--quiet", flag, value])


@FUZZ
@given(st.sampled_from([f"{n}.{k}" for n, s in schema.SECTIONS.items() for k in s]
                       + [f"models.image.{k}" for k in schema.MODEL] + ["arrivals.profile"]
                       + ["tiers.L1.share", "models..slots", "x"]), flag_text | trees.map(to_json))
def test_run_survives_any_override(key, value):
    assume(not key.startswith("run.hours"))
    call_sim([*RUN, "--set", f"{key}={value}"])


# --------------------------------------------------------------- python -m sim sweep / plan
def sweep_case(base: list[str], flag: str, value: str) -> list[str]:
    if flag == "--vary":
        from planning.grid import GridError, make_grid

        with contextlib.suppress(GridError):
            assume(len(make_grid([value])) <= 3)
    return [*base, flag, value]


@FUZZ
@given(st.sampled_from(SWEEP_FLAGS), flag_text)
def test_sweep_survives_any_flag_value(flag, value):
    assume(not long_run(flag, value) and not value.startswith(("dask", "tcp")))
    call_sim(sweep_case(SWEEP, flag, value))


@FUZZ
@given(st.sampled_from([*SWEEP_FLAGS, "--target"]), flag_text)
def test_plan_survives_any_flag_value(flag, value):
    assume(not long_run(flag, value) and not value.startswith(("dask", "tcp")))
    base = ["plan", "--target", "wait_p95<=900", *SWEEP[1:]]
    call_sim(sweep_case(base, flag, value), ok=(0, 1))


@FUZZ
@given(files)
def test_sweep_survives_any_scenario_file(file):
    call_sim([*SWEEP, "--scenario", put("s.toml", file[1])])


# ------------------------------------------------------------------- main.py --headless
APP_FUZZ = settings(FUZZ, max_examples=max(10, EXAMPLES // 2))


@APP_FUZZ
@given(files, command_files)
def test_app_survives_any_scenario_and_command_file(file, commands):
    call_app([*APP, "--scenario", put("a.toml", file[1]), "--commands", put("a.json", commands)])


@APP_FUZZ
@given(st.sampled_from(APP_FLAGS), flag_text)
def test_app_survives_any_flag_value(flag, value):
    assume(not long_run(flag, value))
    call_app([*APP, flag, value])
