"""The README a new user reads first (issue 16): its first two lines set up, run and test on a
fresh Debian (PEP 668: a venv, never the system pip); the operator's guide comes first; the
benchmark history lives in docs/; no path or link leaves the repository."""

from __future__ import annotations

import pathlib
import re

from render.i18n import STRINGS
from sim.scenario import SCENARIO_DIR

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINES = README.splitlines()
SETUP = ('python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[dev,dask]" '
         '&& python main.py')
TEST = "python -m pytest -q"
FIRST_SCREEN = 40           # lines


def test_the_first_two_lines_set_up_run_and_test():
    assert LINES[0] == f"Set up and run: `{SETUP}`"
    assert LINES[1] == f"Tests: `{TEST}`"
    ci = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()
          if ln.strip().startswith("python -m pytest")]
    assert ci == [TEST]                      # CI runs exactly the README's test command


def _guide() -> str:
    start = README.index("## Operator's guide")
    return README[start:README.index("\n## ", start + 5)]


def test_the_operators_guide_comes_first():
    at = next(i for i, ln in enumerate(LINES) if ln.startswith("## "))
    assert LINES[at] == "## Operator's guide" and at < FIRST_SCREEN
    guide = _guide()
    for part in ("**Run**", "**Controls**", "**What each figure means**", "**Scenarios**"):
        assert part in guide
    assert "| timeline" in guide                     # the controls table has the timeline
    for toml in SCENARIO_DIR.glob("*.toml"):
        assert f"| `{toml.stem}` |" in guide
    for key, (en, _) in STRINGS.items():            # every tile of the strip is explained
        if key.startswith("kpi_") and key.count("_") == 1 + en.count(" ") and "{" not in en:
            assert en.split(",")[0] in guide, en


def test_benchmark_history_lives_in_docs():
    bench = (ROOT / "docs" / "BENCHMARKS.md").read_text(encoding="utf-8")
    for history in ("| frame_ms median |", "customers/s", "Goal p95"):
        assert history in bench
        assert history not in README
    assert "docs/BENCHMARKS.md" in README


DOCS = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\s]+)`")
TOP = {p.name for p in ROOT.iterdir() if not p.name.startswith(".")}


def test_no_path_or_link_leaves_the_repository():
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        assert "../" not in text and not re.search(r"(?<![\w/.])shared/", text), doc.name
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (doc.parent / target.split("#")[0]).resolve()
            assert path.is_relative_to(ROOT) and path.exists(), (doc.name, target)
        for token in CODE.findall(text):             # plain-text paths of files we ship
            if re.fullmatch(r"[\w.-]+(/[\w.-]+)+\.(md|py|toml|png|tmpl|txt|otf|json)", token) \
                    and token.split("/")[0] in TOP and not re.search(r"\b[A-Z]{2,}\b", token):
                assert (ROOT / token).exists(), (doc.name, token)
