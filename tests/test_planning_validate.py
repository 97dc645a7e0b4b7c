"""A short validate-style check: the core against Erlang C, Little and Cobham, small runs."""

import pytest

import planning.validate as validate
from planning.cli import build_parser, cmd_validate
from planning.executors import LocalExecutor, SerialExecutor
from planning.validate import Case, run_validation, table

# ~40k customers per system: a few seconds in all, noisier than the real report, so the
# M/M/c and priority checks get a wider tolerance here; Little's law holds on every path.
SMALL = (
    Case("mmc", c=2, lam=1.0, mu=1.0, customers=40_000),
    Case("priority", c=2, lam=1.2, mu=1.0, customers=40_000, vip_share=0.3),
)


@pytest.fixture(scope="module")
def checks():
    report = run_validation(LocalExecutor(workers=2), seeds=4, cases=SMALL, progress=False)
    assert report.cpu_s > 0
    return report.checks


def test_short_validation_agrees_with_theory(checks):
    names = [c.check for c in checks]
    assert names == ["M/M/c mean wait vs Erlang C", "Little's law Lq vs λ·Wq",
                     "priority VIP wait vs Cobham", "priority normal wait vs Cobham",
                     "Little's law Lq vs λ·Wq"]
    for c in checks:
        if c.check.startswith("Little"):
            assert c.passed and abs(c.error) < 0.03, c
        else:
            assert abs(c.error) < 0.15, c
    vip, normal = checks[2], checks[3]
    assert vip.model < normal.model  # the VIP lane really is served first


def test_table_lists_every_check(checks):
    text = table(checks)
    lines = text.splitlines()
    assert len(lines) == 2 + len(checks)
    assert "error" in lines[0] and "result" in lines[0]
    assert all(line.rstrip().endswith(("pass", "FAIL")) for line in lines[2:])


def test_validate_exit_status(monkeypatch, capsys):
    monkeypatch.setattr(validate, "CASES", SMALL[:1])
    args = build_parser().parse_args(["validate", "--seeds", "2", "--scale", "0.25",
                                      "--quiet"])
    monkeypatch.setattr(validate, "WAIT_TOLERANCE", 1.0)  # anything passes
    assert cmd_validate(args, executor=SerialExecutor()) == 0
    assert "0 failed" in capsys.readouterr().out
    monkeypatch.setattr(validate, "WAIT_TOLERANCE", 0.0)  # nothing passes
    assert cmd_validate(args, executor=SerialExecutor()) == 1
    assert "FAIL" in capsys.readouterr().out
