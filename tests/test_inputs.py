"""Bad input, from every door: scenario files, ``--set``, command files, flags of
``python -m sim run|sweep|plan|validate`` and of ``main.py``.

The promise (RULES.md): exactly one stderr line naming the file or flag, the key and what is
allowed, exit status 2; never a traceback, never a hang, never a silent default.  The same
check answers a key whether it comes from a file, ``--set`` or a flag (one ``Spec``).
"""

from __future__ import annotations

import ast
import asyncio
import json
import os
import pathlib
import stat
import subprocess
import sys
import threading

import pytest
from conftest import ROOT

import main as app_main
from sim import CommandError, Scenario, ScenarioError, Simulation, load_scenario
from sim.__main__ import main as sim_main
from sim.commands import Command

FONT = ROOT / "assets" / "unifont-subset.otf"


def one_line(err: str) -> str:
    """The single stderr line (and no traceback)."""
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def sim_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    code = sim_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def app_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    code = asyncio.run(app_main.main(list(argv)))
    out, err = capsys.readouterr()
    return code, out, err


def refused(argv: list[str], capsys, *needles: str, app: bool = False) -> str:
    code, _, err = (app_cli if app else sim_cli)(argv, capsys)
    line = one_line(err)
    assert code == 2, (code, line)
    for needle in needles:
        assert needle in line, (needle, line)
    return line


def write(tmp_path: pathlib.Path, name: str, data: bytes | str) -> str:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode())
    return str(p)


RUN = ["run", "--quiet", "--seconds", "60"]


# ------------------------------------------------------------------ #3 non-finite numbers
@pytest.mark.parametrize("profile", ["[[0, 1], [nan, 2]]", "[[0, 1], [inf, 2]]",
                                     "[[0, 1], [-nan, 2]]", "[[0, nan]]", "[[0, 1], [3, inf]]",
                                     "[[0, 1], [2, 1], [1, 1]]", "[[0, 1], [9000, 1]]"])
def test_profile_hours_must_be_finite_and_rising(profile, tmp_path, capsys):
    """A NaN hour compared false with everything and hung the arrival loop."""
    with pytest.raises(ScenarioError, match="arrivals.profile"):
        load_scenario(None, [f"arrivals.profile={profile}"])
    path = write(tmp_path, "nan.toml", f"[arrivals]\nprofile = {profile}\n")
    refused([*RUN, "--scenario", path], capsys, path, "arrivals.profile", "finite")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan"])
def test_non_finite_values_are_refused_in_files_and_overrides(value, tmp_path, capsys):
    path = write(tmp_path, "v.toml", f"[arrivals]\nrate_per_min = {value}\n")
    refused([*RUN, "--scenario", path], capsys, path, "arrivals.rate_per_min")
    refused([*RUN, "--set", f"models.image.mean_task_s={value}"], capsys,
            "models.image.mean_task_s", "--set")


@pytest.mark.parametrize("entry, needle", [
    ('{"at_s": NaN, "name": "spawn_rate", "rate_per_min": 1}', "NaN"),
    ('{"at_s": 1, "name": "spawn_rate", "rate_per_min": NaN}', "NaN"),
    ('{"at_s": Infinity, "name": "pause"}', "Infinity"),
    ('{"at_s": 1, "name": "outage", "model": "image", "duration_s": -Infinity}', "-Infinity"),
    ('{"at_s": 1, "name": "spawn_rate", "rate_per_min": 1e400}', "rate_per_min"),
    ('{"at_s": 1e999, "name": "pause"}', "at_s"),
])
def test_non_finite_numbers_in_command_files(entry, needle, tmp_path, capsys):
    """JSON's NaN/Infinity (which Python's json accepts) and 1e400 (which reads as inf)."""
    path = write(tmp_path, "c.json", f"[{entry}]")
    refused([*RUN, "--commands", path], capsys, path, needle)
    refused(["--headless", "--commands", path], capsys, path, needle, app=True)


@pytest.mark.parametrize("flag, value", [("--hours", "nan"), ("--seconds", "inf"),
                                         ("--seed", "nan")])
def test_non_finite_flags(flag, value, capsys):
    refused(["run", flag, value], capsys, flag)


# ----------------------------------------------------------- #4 commands: one validator
UNKNOWN_MODEL = [{"at_s": 5, "name": "capacity", "model": "sd3", "slots": 3}]


def test_api_refuses_a_command_for_an_unknown_model():
    """Simulation(commands=...) used to accept it and die later with a KeyError."""
    scenario = load_scenario(None)
    with pytest.raises(CommandError, match="unknown model 'sd3'"):
        Simulation(scenario, commands=[Command(5.0, "capacity", {"model": "sd3", "slots": 3})])
    with pytest.raises(CommandError, match="'capacity.slots' = 1000000"):
        Simulation(scenario, commands=[Command(5.0, "capacity", {"model": "image",
                                                                 "slots": 10**6})])
    with pytest.raises(CommandError, match="unknown command"):
        Simulation(scenario, commands=[Command(5.0, "explode", {})])


def test_main_refuses_commands_for_an_unknown_model(tmp_path, capsys):
    """main.py --commands used to run on and show 'simulation stopped: KeyError', exit 0."""
    path = write(tmp_path, "c.json", json.dumps(UNKNOWN_MODEL))
    line = refused(["--headless", "--commands", path], capsys, path, "unknown model 'sd3'",
                   app=True)
    cli = refused([*RUN, "--commands", path], capsys, path)
    assert line.split(path, 1)[1] == cli.split(path, 1)[1]  # the same validator said it


def test_the_api_and_the_command_lines_give_the_same_line(tmp_path, capsys):
    """One validator: a command file read before its scenario is known (main.py) is checked
    by Simulation.__init__ and still named by its file and index."""
    from sim.commands import load_commands

    path = write(tmp_path, "c.json", json.dumps(UNKNOWN_MODEL))
    with pytest.raises(CommandError) as err:
        Simulation(load_scenario(None), commands=load_commands(path))
    cli = refused([*RUN, "--commands", path], capsys, path)
    assert cli == f"error: {err.value}"


# --------------------------------------------------------- #5 no traceback, whatever bytes
DEEP = "[" * 100_000 + "]" * 100_000
BAD_SCENARIOS = {
    "invalid utf-8": b"[arrivals]\nrate_per_min = 3 # \xff\xfe\n",
    "400-digit float key": "[arrivals]\nrate_per_min = " + "9" * 400 + "\n",
    "5000-digit integer": "[run]\nseed = " + "9" * 5000 + "\n",
    "100k-deep array": "[arrivals]\nprofile = " + DEEP + "\n",
    "400-digit tier int": "[tiers.L1]\nconcurrency = " + "9" * 400 + "\n",
}


@pytest.mark.parametrize("case", list(BAD_SCENARIOS))
def test_bad_scenario_bytes_are_one_line(case, tmp_path, capsys):
    path = write(tmp_path, "bad.toml", BAD_SCENARIOS[case])
    refused([*RUN, "--scenario", path], capsys, path)
    refused(["--headless", "--scenario", path], capsys, path, app=True)


BAD_COMMANDS = {
    "invalid utf-8": b'[{"at_s": 1, "name": "pause\xff"}]',
    "name is a list": '[{"at_s": 1, "name": ["pause"]}]',
    "name is an object": '[{"at_s": 1, "name": {"x": 1}}]',
    "400-digit float": '[{"at_s": 1, "name": "spawn_rate", "rate_per_min": ' + "9" * 400 + "}]",
    "400-digit at_s": '[{"at_s": ' + "9" * 400 + ', "name": "pause"}]',
    "5000-digit integer": '[{"at_s": 1, "name": "cancel_order", "order_id": '
                          + "9" * 5000 + "}]",
    "100k-deep array": DEEP,
}


@pytest.mark.parametrize("case", list(BAD_COMMANDS))
def test_bad_command_files_are_one_line(case, tmp_path, capsys):
    path = write(tmp_path, "bad.json", BAD_COMMANDS[case])
    refused([*RUN, "--commands", path], capsys, path)
    refused(["--headless", "--commands", path], capsys, path, app=True)


@pytest.mark.parametrize("override", [
    "arrivals.rate_per_min=" + "9" * 400,
    "run.seed=" + "9" * 5000,
    "arrivals.profile=" + DEEP,
    "models.image.label=" + "x" * 100_000,
])
def test_bad_override_values_are_one_line(override, capsys):
    line = refused([*RUN, "--set", override], capsys, "--set")
    assert len(line) < 400  # the value is quoted, not dumped


def test_a_5000_character_scenario_path(capsys):
    long = "x" * 5000 + ".toml"
    refused([*RUN, "--scenario", long], capsys, "cannot read scenario")
    refused(["--headless", "--scenario", long], capsys, "scenario", app=True)


@pytest.mark.parametrize("flag", ["--scenario", "--commands"])
def test_an_endless_input_file_is_refused_not_read_for_ever(flag, capsys):
    """/dev/zero as a scenario used to be read until memory ran out."""
    refused([*RUN, flag, "/dev/zero"], capsys, "/dev/zero", "larger than 16 MB")


def test_a_closed_stdout_prints_no_traceback():
    """`python -m sim run ... | head -1`: the reader is gone before the table is printed."""
    proc = subprocess.Popen([sys.executable, "-m", "sim", "run", "--seconds", "600"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert err == ""


# -------------------------------------------------------- #6 flags and files: one bound
@pytest.mark.parametrize("argv, flag, allowed", [
    (["run", "--hours", "1e9"], "--hours", "from 0 to 8760"),
    (["run", "--hours", "1e308"], "--hours", "from 0 to 8760"),
    (["run", "--seconds", "1e12"], "--seconds", "from 0 to 31536000"),
    (["run", "--seed", "100000000000000000000000"], "--seed", "from 0 to 9223372036854775807"),
    (["sweep", "--hours", "1e9"], "--hours", "8760"),
    (["plan", "--hours", "1e308", "--target", "wait_p95<=1"], "--hours", "8760"),
    (["sweep", "--seed-base", str(2**63)], "--seed-base", "9223372036854775807"),
    (["sweep", "--seed-base", "-1"], "--seed-base", "from 0 to"),
    (["sweep", "--seeds", "1000000000"], "--seeds", "from 1 to"),
    (["sweep", "--workers", "1000000000"], "--workers", "from 1 to"),
    (["validate", "--scale", "1e300"], "--scale", "to"),
    (["validate", "--seeds", "0"], "--seeds", "from 1 to"),
])
def test_flags_are_bounded_like_the_file_keys(argv, flag, allowed, capsys):
    refused([*argv, "--scenario", "no-such-file.toml"] if argv[0] != "validate" else argv,
            capsys, flag, allowed)


def test_flag_and_file_bounds_are_the_same_spec(tmp_path, capsys):
    path = write(tmp_path, "h.toml", "[run]\nhours = 1e9\n")
    file_line = refused([*RUN[:2], "--scenario", path], capsys, "run.hours")
    flag_line = refused(["run", "--hours", "1e9"], capsys, "--hours")
    assert file_line.split("expected ")[1] == flag_line.split("expected ")[1]


def test_main_seed_is_bounded_like_run_seed(capsys):
    refused(["--headless", "--seed", str(2**63)], capsys, "--seed",
            "from 0 to 9223372036854775807", app=True)
    refused(["--headless", "--frames", str(10**12)], capsys, "--frames", app=True)


def test_sweep_refuses_a_grid_too_big_to_list(capsys):
    """Three 10,000-value axes are 10^12 points: refused before listing them."""
    vary = [f"--vary=models.{m}.slots=0:9999:1" for m in ("image", "audio", "text")]
    refused(["sweep", *vary, "--quiet"], capsys, "--vary", "runs")


@pytest.mark.parametrize("key", ["run.hours=1,2", "run.seed=1,2"])
def test_sweep_refuses_to_vary_what_it_would_ignore(key, capsys):
    """Every task runs --hours with its own seed: varying run.* gave identical rows."""
    refused(["sweep", "--vary", key, "--hours", "0.005", "--seeds", "1", "--workers", "1",
             "--quiet"], capsys, "--vary run.", "--hours")


# ------------------------------------------------------- #7 where --json / --log write
def test_json_to_a_symlink_writes_its_target(tmp_path, capsys):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert sim_cli([*RUN, "--json", str(link), "--log", str(link) + ".log"], capsys)[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["sim_seconds"] == 60
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "link.json.log",
                                                          "real.json"]


def test_json_to_a_fifo_writes_through(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    assert sim_cli([*RUN, "--json", str(fifo)], capsys)[0] == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(got[0])["sim_seconds"] == 60


def test_json_to_dev_stdout(tmp_path):
    """/dev/stdout is a link to /proc/self/fd/1 (a pipe here).  The same link made in
    tmp_path: the old rename-over-it replaced it (and, run as root, /dev/stdout itself)."""
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    r = subprocess.run([sys.executable, "-m", "sim", *RUN, "--json", str(stdout)],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["sim_seconds"] == 60
    assert stdout.is_symlink()


@pytest.mark.parametrize("flag", ["--json", "--log"])
def test_write_errors_name_the_users_path_not_the_temp_file(flag, capsys):
    line = refused([*RUN, flag, "/proc/river-out.json"], capsys, "/proc/river-out.json")
    assert ".tmp" not in line


def test_heatmap_write_error_is_one_line(tmp_path, capsys):
    line = refused(["sweep", "--vary", "models.image.slots=5,6", "--seeds", "1", "--hours",
                    "0.01", "--workers", "1", "--quiet", "--png", "/proc/river.png"],
                   capsys, "/proc/river.png")
    assert ".tmp" not in line


# ----------------------------------------------------------------------- #13 CLI parts
@pytest.mark.parametrize("argv", [[], ["--help"], ["-h"], ["run", "--help"],
                                  ["sweep", "--help"]])
def test_help_is_not_an_error(argv, capsys):
    code, out, err = sim_cli(argv, capsys)
    assert code == 0 and err == ""
    assert "usage:" in out and ("sweep" in out or argv)


def test_main_help_is_not_an_error(capsys):
    code, out, err = app_cli(["--help"], capsys)
    assert code == 0 and err == ""
    assert "--headless" in out and "--record" in out


@pytest.mark.parametrize("text, key", [
    ('[models.""]\nlabel = "x"\n', "models"),
    ('[models."a.b"]\nlabel = "x"\n', "models"),
    ('[tiers.""]\nshare = 1.0\n', "tiers"),
    ('[models.image]\nlabel = "' + "W" * 40 + '"\n', "models.image.label"),
    ('[models.image]\nlabel = "SD\U0001F600"\n', "models.image.label"),
    ('[models.image]\nlabel = ""\n', "models.image.label"),
    ('[models.image]\nlabel = "a\\nb"\n', "models.image.label"),
])
def test_model_names_and_labels_the_ui_can_draw(text, key, tmp_path):
    path = write(tmp_path, "m.toml", text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert path in msg and key in msg and "\n" not in msg


def test_label_charset_is_covered_by_the_font():
    from fontTools.ttLib import TTFont

    from sim.schema import LABEL_CHARS

    cmap = TTFont(str(FONT)).getBestCmap()
    assert all(ord(c) in cmap for c in LABEL_CHARS)
    for label in ("SD1.5", "VideoGen", "M/M/c"):
        load_scenario(None, [f'models.image.label="{label}"'])


# --------------------------------------------------------- issue 10: parser and imports
def project_imports() -> dict[str, set[str]]:
    """module -> project modules it imports (anywhere in the file, function bodies too)."""
    files = [*ROOT.glob("sim/*.py"), *ROOT.glob("planning/*.py"), *ROOT.glob("render/**/*.py"),
             ROOT / "main.py"]
    names = {}
    for f in files:
        name = ".".join(f.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        names[name] = f
    graph = {}
    for name, f in names.items():
        deps = set()
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    sub = f"{node.module}.{a.name}"
                    deps.add(sub if sub in names else node.module)
        graph[name] = {d for d in deps if d in names and d != name}
    return graph


def test_no_import_cycle_among_project_modules():
    graph = project_imports()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            assert state.get(dep) != 1, "import cycle: " + " -> ".join([*path, node, dep])
            if dep not in state:
                visit(dep, [*path, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_sim_core_does_not_import_planning():
    graph = project_imports()
    for name, deps in graph.items():
        if name.startswith("sim") and name != "sim.__main__":
            assert not any(d.startswith("planning") for d in deps), name


def run_py(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_missing_numpy_is_one_line_saying_what_to_install():
    r = run_py("import sys; sys.modules['numpy'] = None\n"
               "from sim.__main__ import main; sys.exit(main(['sweep', '--vary', 'x.y=1']))")
    assert r.returncode == 2
    assert "pip install numpy" in one_line(r.stderr)
    r = run_py("import sys; sys.modules['numpy'] = None\n"
               "from sim.__main__ import main; sys.exit(main(['run', '--seconds', '1']))")
    assert r.returncode == 0, r.stderr  # run never needed numpy


def test_a_real_import_bug_in_planning_is_not_hidden():
    r = run_py("import sys; sys.modules['planning.grid'] = None\n"
               "from sim.__main__ import main; sys.exit(main(['sweep', '--vary', 'x.y=1']))")
    assert r.returncode != 0 and "planning.grid" in r.stderr


def test_main_uses_the_shared_parser(capsys):
    import sim.cli

    assert isinstance(app_main.build_parser(), sim.cli.Parser)
    line = refused(["--bogus"], capsys, "main.py", app=True)
    assert "unrecognized arguments: --bogus" in line


@pytest.mark.parametrize("argv, key, value", [
    ([], "frames", None), (["--headless"], "frames", 1),
    (["--headless", "--frames=5"], "frames", 5), (["--speed", "0"], "speed", 0.0),
    (["--lang", "zh"], "lang", "zh"), (["--headless", "--bench"], "bench", True),
    (["--record", "r.json"], "record", "r.json"), (["--seed", "7"], "seed", 7),
])
def test_main_keeps_its_flags(argv, key, value):
    assert app_main.parse_args(argv)[key] == value


def test_check_value_lives_in_the_schema():
    from sim import schema

    spec = schema.Spec(float, 1.0, 0.0, 2.0)
    with pytest.raises(ScenarioError):
        schema.check_value(spec, float("nan"), "k", "src", ScenarioError)
    assert schema.check_value(spec, 2, "k", "src", ScenarioError) == 2.0
    assert isinstance(Scenario, type)


@pytest.mark.parametrize("text", ["a\rb", "a\nb", "a\x85b", "a\x1b[2Jb", "a\u2028b"])
def test_control_characters_in_input_are_shown_escaped(text, capsys):
    """A path or key echoed raw could break the one line (or rewrite the terminal)."""
    line = refused([*RUN, "--scenario", text], capsys, "cannot read scenario")
    assert line.isprintable() and repr(text)[2:-2] in line
    line = refused(["--headless", "--scenario", text], capsys, "cannot read scenario", app=True)
    assert line.isprintable()


@pytest.mark.parametrize("argv", [[*RUN, "--json", ""], [*RUN, "--log", ""],
                                  [*RUN, "--commands", ""], [*RUN, "--scenario", ""],
                                  ["sweep", "--vary", "models.image.slots=1", "--csv", ""]])
def test_an_empty_path_is_refused_not_ignored(argv, capsys):
    """`--commands ''` used to replay nothing and `--json ''` to write nothing, silently."""
    refused(argv, capsys, "expected a file path, got ''")


@pytest.mark.parametrize("flag", ["--commands", "--record", "--screenshot", "--scenario"])
def test_main_refuses_an_empty_path(flag, capsys):
    refused(["--headless", flag, ""], capsys, flag, "expected a file path", app=True)
