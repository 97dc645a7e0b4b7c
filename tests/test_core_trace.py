"""Trace arrivals: a request log replayed row by row (``[arrivals.trace]``, ``sim/trace.py``,
``sim/replay.py``): arrivals at the trace's own times, task times by the stated rule, each
preset read in its exact header, flat memory whatever the length, and every bad input one
line naming the file, the row and the column (exit 2, nothing run)."""

from __future__ import annotations

import gzip
import json
import pathlib
import tracemalloc
from decimal import Decimal

import pytest

from sim import cli, load_scenario
from sim.simulation import Simulation
from sim.trace import azure_ticks, open_trace, scan

ROOT = pathlib.Path(__file__).resolve().parent.parent
AZURE = ROOT / "scenarios/traces/azure-code-2023.csv.gz"

AZURE_ROWS = """TIMESTAMP,ContextTokens,GeneratedTokens
2023-11-16 18:17:03.9799600,4808,10
2023-11-16 18:17:04.0319600,3180,8
2023-11-16 18:17:04.0319600,110,27
2023-11-16 18:17:09.1234567,1000,400
2023-11-16 23:59:59.9999999,20,1
2023-11-17 00:00:00.0000001,20,1
"""

BURSTGPT_ROWS = """Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type
5,ChatGPT,472,18,490,Conversation log
45,ChatGPT,1087,0,1087,Conversation log
118,GPT-4,417,217,634,API log
"""

RIVER_ROWS = """time_s,model,customer,tier,vip,service_s
0.5,image,alice,L2,true,12.5
1.0,text,alice,L2,true,3.0
400.0,text,alice,L2,true,3.0
2.0,text,bob,L1,false,1.0
"""


def write(tmp_path, name: str, text: str | bytes) -> pathlib.Path:
    p = tmp_path / name
    data = text.encode() if isinstance(text, str) else text
    p.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return p


def sim_for(path: pathlib.Path, *sets: str, keep_log: bool = True) -> Simulation:
    sc = load_scenario(None, [f"arrivals.trace.path={json.dumps(str(path))}", *sets])
    return Simulation(sc, seed=4, keep_log=keep_log)


def records(sim, kind: str) -> list[tuple]:
    return [r for r in sim.log.records if r[1] == kind]


# -- arrivals and task times -------------------------------------------------------------------
@pytest.mark.parametrize("speed", [1.0, 2.0, 0.5])
def test_arrivals_are_the_trace_timestamps(tmp_path, speed):
    path = write(tmp_path, "azure.csv.gz", AZURE_ROWS)
    sim = sim_for(path, "arrivals.trace.model='text'", f"arrivals.trace.speed={speed}")
    sim.advance_to(10 * 86400.0)
    stamps = [line.split(",")[0] for line in AZURE_ROWS.splitlines()[1:]]

    def seconds(s: str) -> Decimal:  # by Decimal, apart from the parser under test
        day = int(s[8:10])
        h, m, sec = s[11:].split(":")
        return Decimal(day * 86400 + int(h) * 3600 + int(m) * 60) + Decimal(sec)

    want = [float((seconds(s) - seconds(stamps[0])) / Decimal(str(speed))) for s in stamps]
    got = records(sim, "arrive")
    assert [r[0] for r in got] == pytest.approx(want, abs=1e-9, rel=0)
    assert [r[2] for r in got] == [1, 2, 3, 4, 5, 6]   # a row's customer is its row number
    assert sim.counts["arrived"] == 6 and not sim.arrivals.poisson


def test_seven_fractional_digits_are_exact():
    a = azure_ticks("2023-11-16 18:17:03.9799600")
    b = azure_ticks("2023-11-16 18:17:03.9799601")
    assert b - a == 1
    assert azure_ticks("2023-11-17 00:00:00") - azure_ticks("2023-11-16 23:59:59.9999999") == 1
    assert azure_ticks("1970-01-02 00:00:00") == 86400 * 10**7


def test_task_times_follow_the_token_rule(tmp_path):
    path = write(tmp_path, "azure.csv", AZURE_ROWS)
    sets = ["arrivals.trace.model='text'", "models.text.fail_rate=0",
            "models.text.throttle_rate=0", "models.text.batch_max=1", "door.enabled=false",
            "wait_breaker.enabled=false", "arrivals.trace.base_s=0.5",
            "arrivals.trace.prefill_tokens_per_s=1000", "arrivals.trace.decode_tokens_per_s=20"]
    sim = sim_for(path, *sets)
    sim.advance_to(2 * 86400.0)
    starts = {r[2]: r[0] for r in records(sim, "start")}
    ends = {r[2]: r[0] for r in records(sim, "deliver")}
    rows = [line.split(",") for line in AZURE_ROWS.splitlines()[1:]]
    want = [0.5 + int(c) / 1000 + int(g) / 20 for _, c, g in rows]
    assert len(ends) == len(rows)
    assert [ends[o] - starts[o] for o in sorted(ends)] == pytest.approx(want, rel=1e-9)


def test_task_times_from_a_duration_column_and_visits(tmp_path):
    path = write(tmp_path, "river.csv", "time_s,service_s,customer\n"
                 "0,7.5,a\n1,2.0,a\n2,4.0,b\n500,1.0,a\n")
    sim = sim_for(path, "arrivals.trace.model='text'", "models.text.fail_rate=0",
                  "models.text.throttle_rate=0", "models.text.batch_max=1",
                  "door.enabled=false", "wait_breaker.enabled=false",
                  "arrivals.trace.visit_gap_s=60",
                  "tiers.L1.concurrency=4", "tiers.L2.concurrency=4", "tiers.L3.concurrency=4",
                  "tiers.L4.concurrency=4")
    sim.advance_to(3600.0)
    starts = {r[2]: r[0] for r in records(sim, "start")}
    ends = {r[2]: r[0] for r in records(sim, "deliver")}
    assert [ends[o] - starts[o] for o in sorted(ends)] == pytest.approx([7.5, 2.0, 4.0, 1.0])
    # rows 1 and 2 are one visit of "a" (within 60 s, still inside); row 4 is a new visit
    assert [r[2] for r in records(sim, "arrive")] == [1, 3, 4]
    assert [r[3] for r in records(sim, "place")] == [1, 1, 3, 4]


def test_drawn_task_times_without_tokens_or_durations(tmp_path):
    path = write(tmp_path, "river.csv", "time_s\n0\n1\n2\n")
    sim = sim_for(path, "arrivals.trace.model='image'", "door.enabled=false")
    assert sim.scenario.trace.task == "drawn"
    sim.advance_to(7200.0)
    assert sim.counts["arrived"] == 3 and sim.counts["submitted"] == 3


def test_slider_is_a_speed_multiplier(tmp_path):
    path = write(tmp_path, "river.csv", "time_s\n" + "".join(f"{i * 10}\n" for i in range(20)))
    sim = sim_for(path, "arrivals.trace.model='text'", "arrivals.rate_per_min=6")
    sim.advance_to(45.0)
    sim.command("spawn_rate", rate_per_min=12.0)   # twice the scenario's rate: x2
    sim.advance_to(1000.0)
    times = [r[0] for r in records(sim, "arrive")]
    assert times[:5] == pytest.approx([0, 10, 20, 30, 40])
    assert times[5:8] == pytest.approx([47.5, 52.5, 57.5])
    assert len(times) == 20


def test_loop_and_slice(tmp_path):
    path = write(tmp_path, "river.csv", "time_s\n" + "".join(f"{i}\n" for i in range(10)))
    sim = sim_for(path, "arrivals.trace.model='text'", "arrivals.trace.start_s=2",
                  "arrivals.trace.window_s=5", "arrivals.trace.loop=true")
    sim.advance_to(12.5)
    got = records(sim, "arrive")
    assert [r[0] for r in got] == pytest.approx([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    ids = [r[2] for r in got]
    assert len(set(ids)) == len(ids)   # a loop's rows are new customers


def test_poisson_beside_the_trace(tmp_path):
    path = write(tmp_path, "river.csv", "time_s\n0\n30\n60\n")
    sim = sim_for(path, "arrivals.trace.model='text'", "arrivals.trace.poisson=true",
                  "arrivals.rate_per_min=10")
    sim.advance_to(600.0)
    ids = [r[2] for r in records(sim, "arrive")]
    assert {1, 2, 3} <= set(ids) and len(ids) > 20 and len(set(ids)) == len(ids)


# -- each preset in its exact header -----------------------------------------------------------
def test_azure_preset():
    s = scan(open_trace(AZURE, "azure-llm-2023")).stats()
    assert s["rows"] == 8819 and s["peak_minute_rows"] == 632
    assert round(s["mean_rate_per_min"]) == 154
    assert 13.0 < s["interarrival_cv"] < 13.3 and 155 < s["dispersion_per_min"] < 165


def test_burstgpt_preset(tmp_path):
    path = write(tmp_path, "burst.csv", BURSTGPT_ROWS)
    r = open_trace(path, "auto")
    assert r.preset.name == "burstgpt"
    rows = list(r.rows())
    assert [x.t_s for x in rows] == [0.0, 40.0, 113.0]
    assert [x.model for x in rows] == ["ChatGPT", "ChatGPT", "GPT-4"]
    assert [x.failed for x in rows] == [False, True, False]
    sim = sim_for(path, "arrivals.trace.model={ChatGPT='text', GPT-4='image'}",
                  "arrivals.trace.skip_failed=true")
    sim.advance_to(3600.0)
    assert [r[4] for r in records(sim, "place")] == ["text", "image"]


@pytest.mark.parametrize("name", ["river.csv", "river.csv.gz", "river.jsonl", "river.jsonl.gz"])
def test_river_preset_csv_and_jsonl(tmp_path, name):
    if "jsonl" in name:
        lines = RIVER_ROWS.splitlines()
        keys = lines[0].split(",")
        text = "".join(json.dumps(dict(zip(keys, line.split(","), strict=True))) + "\n"
                       for line in sorted(lines[1:], key=lambda x: float(x.split(",")[0])))
    else:
        lines = RIVER_ROWS.splitlines()
        text = "\n".join([lines[0], *sorted(lines[1:], key=lambda x: float(x.split(",")[0]))])
    path = write(tmp_path, name, text)
    rows = list(open_trace(path).rows())
    assert [(x.model, x.customer, x.tier, x.vip, x.service_s) for x in rows] == [
        ("image", "alice", "L2", True, 12.5), ("text", "alice", "L2", True, 3.0),
        ("text", "bob", "L1", False, 1.0), ("text", "alice", "L2", True, 3.0)]
    sim = sim_for(path, "door.enabled=false")
    sim.advance_to(3600.0)
    arrive = records(sim, "arrive")
    assert [r[3] for r in arrive] == ["L2", "L1", "L2"]


def test_the_shipped_scenario_runs():
    sc = load_scenario("azure-code-2023")
    assert sc.trace.scan.rows == 8819 and sc.trace.task == "tokens"
    sim = Simulation(sc, seed=1)
    sim.advance_to(3600.0)
    s = sim.summary()
    assert sim.counts["arrived"] == 8819
    assert s["customers"]["rejected"] == 0
    # the stated T is the token rule's mean over the hour
    t = sc.trace
    st = t.scan.stats()
    mean = (t.base_s + st["context_tokens_mean"] / t.prefill_tokens_per_s
            + st["generated_tokens_mean"] / t.decode_tokens_per_s)
    assert sc.models["llm"].mean_task_s == pytest.approx(mean, abs=0.01)


def test_trace_stats_cli(capsys):
    assert cli.main(["trace-stats", str(AZURE)]) == 0
    out = capsys.readouterr().out
    assert "8,819" in out and "632" in out and "154.0 per min" in out
    assert cli.main(["trace-stats", str(AZURE), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == 8819


def test_run_trace_flag(tmp_path, capsys, monkeypatch):
    path = write(tmp_path, "azure.csv", AZURE_ROWS)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "s.json"
    assert cli.main(["run", "--trace", "azure.csv", "--trace-format", "azure-llm-2023",
                     "--set", "arrivals.trace.model='text'", "--hours", "1",
                     "--json", str(out), "--quiet"]) == 0
    assert json.loads(out.read_text())["customers"]["arrived"] == 4
    assert path.exists()


# -- scale -----------------------------------------------------------------------------------
def _synthetic(path: pathlib.Path, n: int) -> float:
    t = 0.0
    with gzip.open(path, "wt", compresslevel=1) as f:
        f.write("time_s,service_s\n")
        for i in range(n):
            t += 0.002 * (1 + (i * 7919) % 10)
            f.write(f"{t:.4f},0.05\n")
    return t


def _peak(path: pathlib.Path, span: float) -> int:
    sim = sim_for(path, "arrivals.trace.model='text'", "door.admit_per_min=0", "door.burst=1",
                  keep_log=False)
    tracemalloc.start()
    try:
        sim.advance_to(span + 60.0)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        assert sim.arrivals.trace.replayed == sim.scenario.trace.scan.rows


def test_memory_is_flat_in_the_trace_length(tmp_path):
    """20 k and 60 k rows (bench/bench_trace.py does 100 k and 1 M): the replay keeps one
    row in hand, so three times the rows is not more memory."""
    small, large = tmp_path / "small.csv.gz", tmp_path / "large.csv.gz"
    p_small = _peak(small, _synthetic(small, 20_000))
    p_large = _peak(large, _synthetic(large, 60_000))
    assert p_large <= p_small * 1.10 + 64 * 1024, (p_small, p_large)


# -- bad input -------------------------------------------------------------------------------
BAD = [
    ("missing.csv", "TIMESTAMP,ContextTokens\n2023-11-16 18:17:03.9799600,4808\n",
     "azure-llm-2023", "row 0, column 'GeneratedTokens': missing"),
    ("stamp.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03,1,2\n"
     "2023-11-16 18:1x:03,1,2\n", "azure-llm-2023", "row 2, column 'TIMESTAMP'"),
    ("neg.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03,-4,2\n",
     "azure-llm-2023", "row 1, column 'ContextTokens': '-4' is not a token count"),
    ("frac.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03,4,2.5\n",
     "azure-llm-2023", "row 1, column 'GeneratedTokens': '2.5' is not a token count"),
    ("empty.csv", "", "auto", "row 0: an empty file"),
    ("latin1.csv", b"time_s,model\n1,caf\xe9\n", "river", "row 1: not UTF-8"),
    ("binary.csv", b"time_s\n\x00\x01\x02\x03\n", "river", "row 1: a NUL byte"),
    ("long.csv", "time_s\n" + "1" * (3 * 2**20) + "\n", "river", "row 1: a line longer"),
    ("header.csv", "when,what\n1,2\n", "auto", "row 0: a header of no known format"),
    ("model.csv", "time_s,model\n1,text\n2,gpt9\n", "river",
     "row 2, column 'model': model 'gpt9' is not in the scenario"),
    ("notgz.csv.gz", None, "river", "row 0: not a gzip file"),
]


@pytest.mark.parametrize("name, text, fmt, needle", BAD, ids=[b[0] for b in BAD])
def test_bad_traces_get_one_line(tmp_path, capsys, name, text, fmt, needle):
    if text is None:
        path = tmp_path / name
        path.write_text("time_s\n1\n")
    else:
        path = write(tmp_path, name, text)
    out = tmp_path / "summary.json"
    code = cli.main(["run", "--trace", str(path), "--trace-format", fmt, "--json", str(out)])
    err = capsys.readouterr()
    assert code == 2
    assert err.err.count("\n") == 1 and needle in err.err and str(path) in err.err, err.err
    assert not out.exists() and err.out == ""   # nothing half-run


def test_decreasing_timestamp_at_row_5000_is_refused_before_the_run(tmp_path, capsys):
    lines = ["time_s"] + [str(i) for i in range(5000)]
    lines[5000] = "1.5"    # row 5000 goes back in time
    path = write(tmp_path, "back.csv.gz", "\n".join(lines) + "\n")
    code = cli.main(["run", "--trace", str(path), "--set", "arrivals.trace.model='text'"])
    err = capsys.readouterr()
    assert code == 2 and err.out == ""
    assert "row 5000, column 'time_s': the time goes back" in err.err


def test_unknown_format_and_bad_keys(tmp_path, capsys):
    path = write(tmp_path, "t.csv", "time_s\n1\n")
    assert cli.main(["run", "--trace", str(path), "--trace-format", "excel"]) == 2
    assert "invalid choice: 'excel'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="arrivals.trace.format"):
        load_scenario(None, [f"arrivals.trace.path={json.dumps(str(path))}",
                             "arrivals.trace.format='excel'"])
    with pytest.raises(ValueError, match="'arrivals.trace.model': 'gpt9' is not a model"):
        load_scenario(None, ["arrivals.trace.model='gpt9'"])
    with pytest.raises(ValueError, match="unknown key 'arrivals.trace.sped'"):
        load_scenario(None, ["arrivals.trace.sped=2"])
    with pytest.raises(ValueError, match="'arrivals.trace.speed' = 0"):
        load_scenario(None, ["arrivals.trace.speed=0"])
    with pytest.raises(ValueError, match="cannot read trace"):
        load_scenario(None, ["arrivals.trace.path='no/such/file.csv'"])


def test_truncated_gzip_is_one_line(tmp_path, capsys):
    data = gzip.compress(("time_s\n" + "".join(f"{i}\n" for i in range(50_000))).encode())
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    assert cli.main(["trace-stats", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read" in err and str(path) in err
