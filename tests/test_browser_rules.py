"""The browser rules (docs/PYGBAG.md), checked statically on everything main.py imports.

pygbag runs main.py on a WebAssembly CPython that has no threads, processes, sockets or signals,
whose event loop runs only while the game awaits, and whose files are whatever was packed.  None
of that can be tried here (the runtime comes from a CDN), so this module reads the source: it
walks main.py's import graph through the project's own modules (AST, nothing is imported) and
fails on a module the browser lacks or forbids, a blocking call, a frame loop without an await,
a path read relative to the working directory, or an asset in a format the build rejects.

The checker is tested on small sources first, so a rule that silently stopped working shows up.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "main.py"

# Folders pygbag.ini packs next to main.py; project modules anywhere else are not in the browser.
PACKED_PACKAGES = frozenset({"sim", "render"})
# Project folders that exist but are not packed (importing them from the game breaks the page).
UNPACKED_PROJECT = frozenset({"planning", "tests", "bench", "tools", "docs", "scripts"})

# Modules the browser's Python lacks, forbids, or cannot use on the frame loop (top-level names
# unless dotted).  numpy is in pygbag's index but cannot be checked offline: off the browser path.
FORBIDDEN_MODULES = {
    "threading": "no threads in the browser",
    "_thread": "no threads in the browser",
    "multiprocessing": "no processes in the browser",
    "concurrent": "no thread or process pools in the browser",
    "subprocess": "no processes in the browser",
    "asyncio.subprocess": "no processes in the browser",
    "socket": "no raw sockets in the browser",
    "socketserver": "no raw sockets in the browser",
    "ssl": "no raw sockets in the browser",
    "select": "no raw sockets in the browser",
    "selectors": "no raw sockets in the browser",
    "http.server": "no servers in the browser",
    "xmlrpc": "no servers in the browser",
    "signal": "no signals in the browser",
    "pty": "no terminals in the browser",
    "tty": "no terminals in the browser",
    "termios": "no terminals in the browser",
    "curses": "no terminals in the browser",
    "readline": "no terminals in the browser",
    "fcntl": "no OS file locking in the browser",
    "resource": "no OS resources in the browser",
    "mmap": "no memory maps in the browser",
    "tkinter": "no Tk in the browser",
    "turtle": "no Tk in the browser",
    "webbrowser": "no browser control from inside the browser",
    "venv": "tooling, not for the game",
    "ensurepip": "tooling, not for the game",
    "pip": "tooling, not for the game",
    "numpy": "numpy is not checked for the browser: keep it off the browser path",
    "scipy": "not available in the browser build",
    "pandas": "not available in the browser build",
    "dask": "not available in the browser build",
    "distributed": "not available in the browser build",
    "simpy": "a test dependency, not in the browser build",
    "hypothesis": "a test dependency, not in the browser build",
    "pytest": "a test dependency, not in the browser build",
    "requests": "no blocking network I/O in the browser",
    "urllib.request": "no blocking network I/O in the browser",
    "http.client": "no blocking network I/O in the browser",
}
# Third-party modules that exist in the browser build (pygbag ships pygame-ce 2.5.7 built in;
# segno, pure Python, is packed beside the app by the allow-list: tools/build_site.PACKAGES;
# js is Pyodide's bridge to the page, imported only in a try whose fallback is pygbag's
# platform.window).
BROWSER_THIRD_PARTY = frozenset({"pygame", "segno", "js"})

# Calls that block or cannot work in the browser: (module alias, attribute) or a bare name.
FORBIDDEN_CALLS = {
    ("time", "sleep"): "time.sleep blocks the browser's only thread: await asyncio.sleep",
    ("os", "system"): "no processes in the browser",
    ("os", "popen"): "no processes in the browser",
    ("os", "fork"): "no processes in the browser",
    ("os", "wait"): "no processes in the browser",
    ("os", "kill"): "no processes in the browser",
    ("asyncio", "to_thread"): "no threads in the browser",
    ("asyncio", "create_subprocess_exec"): "no processes in the browser",
    ("asyncio", "create_subprocess_shell"): "no processes in the browser",
    ("pygame.time", "wait"): "pygame.time.wait blocks: await asyncio.sleep",
    ("pygame.time", "delay"): "pygame.time.delay blocks: await asyncio.sleep",
    ("pygame.event", "wait"): "pygame.event.wait blocks: poll with pygame.event.get",
    ("pygame.font", "SysFont"): "system fonts do not exist in the browser: ship a font file",
    ("pygame.font", "match_font"): "system fonts do not exist in the browser",
    ("pygame.font", "get_fonts"): "system fonts do not exist in the browser",
    ("pygame.sysfont", "SysFont"): "system fonts do not exist in the browser",
    ("pygame", "display.toggle_fullscreen"): "pygbag manages the page size",
    "input": "input() blocks the browser's only thread",
    "breakpoint": "no debugger prompt in the browser",
}
FORBIDDEN_ATTRIBUTES = {
    ("pygame", "RESIZABLE"): "pygbag passes no resize events: use a fixed window size",
    ("sys", "stdin"): "no blocking console input in the browser",
    ("os", "spawnl"): "no processes in the browser",
    ("os", "execv"): "no processes in the browser",
}
# The folders the game reads: a literal path into them must be joined to a __file__-based root.
DATA_DIRS = ("assets", "scenarios")
# Formats the browser build reads; pygbag refuses wav/mp3 without a flag.
ASSET_SUFFIXES = frozenset({".png", ".ogg", ".ttf", ".otf", ".toml", ".txt", ".json"})
SCENARIO_SUFFIXES = frozenset({".toml"})
# scenarios/traces/: request logs a scenario replays (sim/trace.py reads them) and the
# attribution their licence asks for
TRACE_SUFFIXES = frozenset({".gz", ".csv", ".jsonl", ".md", ".txt"})


# --------------------------------------------------------------------------- the checker


@dataclass
class Module:
    name: str  # dotted, "main" for main.py
    path: Path
    tree: ast.Module
    aliases: dict[str, str] = field(default_factory=dict)  # local name -> dotted module/object


def is_stdlib(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names


def project_file(dotted: str, root: Path) -> Path | None:
    """The file of a project module (``sim.engine`` -> sim/engine.py), or None if not ours."""
    parts = dotted.split(".")
    base = root.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def is_project_name(dotted: str, root: Path) -> bool:
    top = dotted.split(".")[0]
    return (root / top).is_dir() or (root / f"{top}.py").is_file()


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If):
            test = node.test
            name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", "")
            if name == "TYPE_CHECKING":
                return True
    return False


def imports_of(module: Module) -> list[tuple[str, int, bool]]:
    """Every module ``module`` imports anywhere (not under ``if TYPE_CHECKING``): (dotted name,
    line, whether it must be a module).

    ``from pkg import name`` yields ``pkg`` (a module) and ``pkg.name`` (maybe a submodule).
    Also fills ``module.aliases`` so calls like ``t.sleep`` resolve to ``time.sleep``.
    """
    parents = {
        child: node for node in ast.walk(module.tree) for child in ast.iter_child_nodes(node)
    }
    package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
    found: list[tuple[str, int, bool]] = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((alias.name, node.lineno, True))
                if alias.asname:
                    module.aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    module.aliases.setdefault(top, top)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".") if package else []
                if node.level > 1:
                    base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base:
                found.append((base, node.lineno, True))
            for alias in node.names:
                if alias.name == "*":
                    continue
                dotted = f"{base}.{alias.name}" if base else alias.name
                found.append((dotted, node.lineno, False))
                module.aliases[alias.asname or alias.name] = dotted
    return found


def load_module(name: str, path: Path) -> Module:
    return Module(name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))


def import_graph(main: Path, root: Path) -> tuple[dict[str, Module], list[str]]:
    """All project modules reachable from ``main`` and the problems found in the imports."""
    modules: dict[str, Module] = {}
    problems: list[str] = []
    todo = [("main", main)]
    while todo:
        name, path = todo.pop()
        if name in modules:
            continue
        module = modules[name] = load_module(name, path)
        where = path.relative_to(root)
        for dotted, line, must_be_module in imports_of(module):
            top = dotted.split(".")[0]
            if is_project_name(dotted, root) and top != "main":
                target = project_file(dotted, root)
                if target is None:
                    if must_be_module:
                        problems.append(f"{where}:{line}: imports {dotted}, which does not exist")
                    continue  # ``from sim import SomeClass``: the package itself is followed
                if top not in PACKED_PACKAGES:
                    problems.append(
                        f"{where}:{line}: imports {dotted}, which pygbag.ini does not pack "
                        f"(only main.py, {', '.join(sorted(PACKED_PACKAGES))}/, assets/, "
                        f"scenarios/ reach the browser)"
                    )
                    continue
                # importing a.b.c runs a/__init__.py and a/b/__init__.py first
                parts = dotted.split(".")
                for i in range(1, len(parts) + 1):
                    sub = ".".join(parts[:i])
                    sub_path = project_file(sub, root)
                    if sub_path is not None and sub not in modules:
                        todo.append((sub, sub_path))
                continue
            for forbidden, why in FORBIDDEN_MODULES.items():
                if dotted == forbidden or dotted.startswith(forbidden + "."):
                    problems.append(f"{where}:{line}: imports {dotted}: {why}")
                    break
            else:
                if not is_stdlib(dotted) and top not in BROWSER_THIRD_PARTY:
                    problems.append(
                        f"{where}:{line}: imports {dotted}, which is neither the standard "
                        "library nor pygame-ce: the browser build does not have it"
                    )
    return modules, problems


def dotted_name(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """``t.sleep`` -> ``time.sleep`` when ``import time as t``; None for non-name chains."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    head = aliases.get(node.id, node.id)
    return ".".join([head, *reversed(parts)])


def _matches(full: str, key: tuple[str, str] | str) -> bool:
    if isinstance(key, str):
        return full == key
    return full == f"{key[0]}.{key[1]}"


def _own_nodes(body: list[ast.stmt]):
    """Nodes of ``body`` that run in this function (nested defs and lambdas excluded)."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                              | ast.ClassDef):
                stack.append(child)


def _awaits(nodes) -> bool:
    return any(isinstance(n, ast.Await | ast.AsyncFor | ast.AsyncWith) for n in nodes)


def _is_forever(test: ast.expr) -> bool:
    return isinstance(test, ast.Constant) and bool(test.value)


def _starts_with_data_dir(node: ast.AST) -> str | None:
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.replace("\\", "/").removeprefix("./")
        for folder in DATA_DIRS:
            if text == folder or text.startswith(folder + "/"):
                return node.value
    return None


def check_module(module: Module, root: Path) -> list[str]:
    """Blocking calls, frame loops without an await, CWD-relative data paths in one module."""
    problems: list[str] = []
    where = module.path.relative_to(root) if module.path.is_relative_to(root) else module.path
    # ``from time import sleep`` makes a bare ``sleep(...)`` a time.sleep
    aliases = dict(module.aliases)
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call):
            full = dotted_name(node.func, aliases)
            if full is not None:
                for key, why in FORBIDDEN_CALLS.items():
                    if _matches(full, key):
                        problems.append(f"{where}:{node.lineno}: {full}(): {why}")
            if node.args:
                literal = _starts_with_data_dir(node.args[0])
                if literal is not None:
                    problems.append(
                        f"{where}:{node.lineno}: path {literal!r} is read relative to the "
                        "working directory: join it to Path(__file__).parent"
                    )
            for keyword in node.keywords:
                if keyword.arg == "default" and _starts_with_data_dir(keyword.value):
                    problems.append(
                        f"{where}:{node.lineno}: default path "
                        f"{_starts_with_data_dir(keyword.value)!r} is relative to the working "
                        "directory: resolve it from Path(__file__).parent"
                    )
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            full = dotted_name(node, aliases)
            if full is not None:
                for key, why in FORBIDDEN_ATTRIBUTES.items():
                    if _matches(full, key):
                        problems.append(f"{where}:{node.lineno}: {full}: {why}")
        elif isinstance(node, ast.AsyncFunctionDef):
            for inner in _own_nodes(node.body):
                if isinstance(inner, ast.While) and not _awaits(_own_nodes(inner.body)):
                    problems.append(
                        f"{where}:{inner.lineno}: while loop in async def {node.name}() has no "
                        "await: it freezes the browser tab (await asyncio.sleep(0) per pass)"
                    )
        elif isinstance(node, ast.FunctionDef):
            for inner in _own_nodes(node.body):
                if isinstance(inner, ast.While) and _is_forever(inner.test):
                    exits = any(isinstance(n, ast.Break | ast.Return | ast.Raise)
                                for n in _own_nodes(inner.body))
                    if not exits:
                        problems.append(
                            f"{where}:{inner.lineno}: endless while loop in {node.name}(): a "
                            "busy loop blocks the browser's only thread"
                        )
    return problems


def check_entry_point(tree: ast.Module, source: str) -> list[str]:
    """main.py's own shape: PEP 723 block, async main(), awaited sleep(0), asyncio.run(main())."""
    problems: list[str] = []
    if not re.search(r"^# /// script\s*$.*?^# ///\s*$", source, re.M | re.S):
        problems.append("main.py: no PEP 723 block (# /// script ... # ///) for pygbag")
    else:
        block = re.search(r"^# /// script\s*$(.*?)^# ///\s*$", source, re.M | re.S).group(1)
        for dep in re.findall(r"[\"']([A-Za-z0-9_.\-]+)", block):
            name = dep.lower().replace("_", "-")
            if name in {"numpy", "scipy", "pandas", "dask", "simpy", "hypothesis", "pytest"}:
                problems.append(f"main.py: PEP 723 block asks the browser for {dep}")
    mains = [n for n in tree.body if isinstance(n, ast.AsyncFunctionDef) and n.name == "main"]
    if not mains:
        problems.append("main.py: no top-level `async def main(...)`")
    sleeps0 = [
        n for n in ast.walk(tree)
        if isinstance(n, ast.Await) and isinstance(n.value, ast.Call)
        and dotted_name(n.value.func, {}) == "asyncio.sleep"
        and n.value.args and isinstance(n.value.args[0], ast.Constant)
        and n.value.args[0].value == 0
    ]
    if not sleeps0:
        problems.append("main.py: no `await asyncio.sleep(0)` (the per-frame yield)")
    runs = [
        n for n in ast.walk(tree)
        if isinstance(n, ast.Call) and dotted_name(n.func, {}) == "asyncio.run"
        and n.args and isinstance(n.args[0], ast.Call)
        and getattr(n.args[0].func, "id", None) == "main"
    ]
    if not runs:
        problems.append("main.py: does not end with `asyncio.run(main())`")
    return problems


def check_app(main: Path, root: Path) -> list[str]:
    modules, problems = import_graph(main, root)
    for module in modules.values():
        problems.extend(check_module(module, root))
    return problems


# --------------------------------------------------------------------------- the checker, tested


def _app(tmp_path: Path, main_src: str, files: dict[str, str] | None = None) -> list[str]:
    (tmp_path / "main.py").write_text(main_src)
    for rel, text in (files or {}).items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return check_app(tmp_path / "main.py", tmp_path)


GOOD_MAIN = """\
import asyncio
import pygame
from sim import engine

async def main(argv=None):
    running = True
    while running:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                running = False
        pygame.display.flip()
        await asyncio.sleep(0)
    return 0

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_checker_accepts_a_good_app(tmp_path):
    files = {"sim/__init__.py": "", "sim/engine.py": "import heapq\nimport tomllib\n"}
    assert _app(tmp_path, GOOD_MAIN, files) == []


@pytest.mark.parametrize(
    ("engine_src", "expected"),
    [
        ("import threading\n", "threading"),
        ("from concurrent.futures import ThreadPoolExecutor\n", "concurrent.futures"),
        ("import subprocess as sp\n", "subprocess"),
        ("def f():\n    import socket\n", "socket"),
        ("import numpy as np\n", "numpy"),
        ("import signal\n", "signal"),
        ("import multiprocessing.pool\n", "multiprocessing"),
        ("import requests\n", "requests"),
        ("import somethingelse\n", "neither the standard library"),
        ("from planning import theory\n", "does not pack"),
        ("from sim.nowhere import thing\n", "does not exist"),
        ("from . import deep\n", "threading"),  # through a relative import, one level down
        ("import time\ndef f():\n    time.sleep(0.1)\n", "time.sleep"),
        ("from time import sleep\ndef f():\n    sleep(1)\n", "time.sleep"),
        ("import time as t\ndef f():\n    t.sleep(1)\n", "time.sleep"),
        ("def f():\n    return input('name? ')\n", "input()"),
        ("def f():\n    while True:\n        pass\n", "endless while loop"),
        ("async def f():\n    while True:\n        step()\n", "has no await"),
        ("def f():\n    return open('scenarios/default.toml')\n", "working directory"),
        ("from pathlib import Path\nP = Path('assets/font.otf')\n", "working directory"),
        ("def f(p):\n    p.add_argument('--s', default='scenarios/x.toml')\n", "working dir"),
        ("import pygame\nFLAGS = pygame.RESIZABLE\n", "RESIZABLE"),
        ("import pygame\nF = pygame.font.SysFont('arial', 12)\n", "SysFont"),
        ("import pygame\ndef f():\n    pygame.time.wait(10)\n", "pygame.time.wait"),
    ],
)
def test_checker_catches(tmp_path, engine_src, expected):
    files = {
        "sim/__init__.py": "",
        "sim/engine.py": engine_src,
        "sim/deep.py": "import threading\n",
        "planning/__init__.py": "",
        "planning/theory.py": "",
    }
    problems = _app(tmp_path, GOOD_MAIN, files)
    assert any(expected in p for p in problems), problems


def test_checker_follows_imports_through_packages(tmp_path):
    main = GOOD_MAIN.replace("from sim import engine", "import render.scene")
    files = {
        "sim/__init__.py": "",
        "sim/engine.py": "",
        "render/__init__.py": "from render import layers\n",
        "render/scene.py": "",
        "render/layers.py": "import time\ndef f():\n    time.sleep(0.01)\n",
    }
    problems = _app(tmp_path, main, files)
    assert any("render/layers.py:3" in p and "time.sleep" in p for p in problems), problems


def test_checker_allows_well_formed_async_loops_and_joined_paths(tmp_path):
    files = {
        "sim/__init__.py": "",
        "sim/engine.py": (
            "from pathlib import Path\n"
            "HERE = Path(__file__).resolve().parent\n"
            "SCEN = HERE.parent / 'scenarios/default.toml'\n"
            "async def intro(screen):\n"
            "    while not done():\n"
            "        if skip():\n"
            "            await asyncio.sleep(0)\n"
            "            continue\n"
            "        await asyncio.sleep(0)\n"
            "def drain(q):\n"
            "    while True:\n"
            "        if not q:\n"
            "            break\n"
            "        q.pop()\n"
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    import numpy\n"
        ),
    }
    assert _app(tmp_path, GOOD_MAIN, files) == []


def test_entry_point_checks(tmp_path):
    assert check_entry_point(ast.parse(GOOD_MAIN), GOOD_MAIN) == [
        "main.py: no PEP 723 block (# /// script ... # ///) for pygbag"
    ]
    pep = '# /// script\n# dependencies = ["pygame-ce", "numpy"]\n# ///\n'
    bad = pep + "def main():\n    pass\nmain()\n"
    problems = check_entry_point(ast.parse(bad), bad)
    assert any("numpy" in p for p in problems)
    assert any("async def main" in p for p in problems)
    assert any("asyncio.sleep(0)" in p for p in problems)
    assert any("asyncio.run(main())" in p for p in problems)


# --------------------------------------------------------------------------- the real app


def _require_main() -> None:
    if not MAIN.is_file():
        pytest.fail("main.py is missing: pygbag packs the folder that holds main.py")


def test_main_py_has_the_pygbag_entry_point_shape():
    _require_main()
    source = MAIN.read_text(encoding="utf-8")
    assert check_entry_point(ast.parse(source), source) == []


def test_everything_main_py_imports_runs_in_the_browser():
    _require_main()
    problems = check_app(MAIN, ROOT)
    assert problems == [], "browser rule violations:\n" + "\n".join(problems)


def test_the_import_graph_reaches_the_core_and_the_renderer():
    """Guards the walker itself: a graph of just main.py would pass everything vacuously."""
    _require_main()
    modules, _ = import_graph(MAIN, ROOT)
    assert any(name.startswith("sim") for name in modules), sorted(modules)
    assert any(name.startswith("render") for name in modules), sorted(modules)


def test_assets_are_in_formats_the_browser_build_reads():
    bad = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "assets").rglob("*")
        if p.is_file() and p.suffix.lower() not in ASSET_SUFFIXES
        and not p.name.startswith(".")
    ]
    assert bad == [], f"assets must be PNG/OGG/TTF/OTF/TOML/TXT/JSON (no wav/mp3/bmp): {bad}"


def test_scenarios_are_toml_files():
    scenarios = ROOT / "scenarios"
    files = [p for p in scenarios.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert files, "scenarios/ is empty"
    bad = [str(p.relative_to(ROOT)) for p in files
           if p.suffix.lower() not in (TRACE_SUFFIXES if p.parent.name == "traces"
                                       else SCENARIO_SUFFIXES)]
    assert bad == [], bad
