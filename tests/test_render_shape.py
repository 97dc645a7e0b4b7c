"""The renderer's shape: the world and the panel apart, the app composing them.

Read from the source (no pygame needed): the imports of every module under ``render/``,
followed through the modules they import, and the app's own calls.  Functions stay under
sixty lines: ``tests/test_render_view.py`` walks ``render/`` for that.
"""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
RENDER = ROOT / "render"


def module_name(path: pathlib.Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def render_imports() -> dict[str, set[str]]:
    """render module -> the render modules it imports (anywhere in the file)."""
    files = {module_name(p): p for p in RENDER.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                deps |= {f"{node.module}.{a.name}" for a in node.names} | {node.module}
        graph[name] = {d for d in deps if d in files and d != name}
    return graph


def reach(graph: dict[str, set[str]], start: str) -> dict[str, list[str]]:
    """Every module ``start`` imports, straight or through others, with one path to it."""
    paths = {start: [start]}
    todo = [start]
    while todo:
        node = todo.pop()
        for dep in sorted(graph[node]):
            if dep not in paths:
                paths[dep] = [*paths[node], dep]
                todo.append(dep)
    return paths


def crossings(graph, side: str, other: str) -> list[list[str]]:
    return [path for name in graph if name.startswith(f"render.{side}")
            for dep, path in reach(graph, name).items()
            if dep.startswith(f"render.{other}")]


def test_the_world_never_imports_the_panel():
    graph = render_imports()
    assert any(n.startswith("render.world.") for n in graph)
    assert crossings(graph, "world", "panel") == []


def test_the_panel_never_imports_the_world():
    graph = render_imports()
    assert any(n.startswith("render.panel.") for n in graph)
    assert crossings(graph, "panel", "world") == []


def test_the_crossing_check_sees_a_crossing():
    graph = {"render.world.a": {"render.words"}, "render.words": {"render.panel.b"},
             "render.panel.b": set()}
    assert crossings(graph, "world", "panel") == [
        ["render.world.a", "render.words", "render.panel.b"]]


#: what puts pixels on a surface; the app hands the surface on and calls none of these
DRAWING = {"blit", "blits", "fblits", "fill", "set_clip", "scale", "smoothscale", "rect",
           "line", "lines", "circle", "polygon", "set_at", "subsurface"}


def test_the_app_wires_and_steps_and_does_not_draw():
    source = (RENDER / "app.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) < 200
    calls = {n.func.attr for n in ast.walk(ast.parse(source))
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert calls & DRAWING == set()
    assert "draw" in calls            # ...it hands the screen to the parts that do


def test_old_flat_paths_are_gone():
    """No re-export shims: a module lives at one path."""
    moved = ["background", "machines", "people", "seating", "sprites", "pixelmaps",
             "dashboard", "kpistrip", "ticker", "controls", "widgets", "timeline", "tooltip"]
    assert [m for m in moved if (RENDER / f"{m}.py").exists()] == []
    for p in RENDER.rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        for name in ("to_screen", "to_world"):
            assert f"def {name}" not in text or p.name == "camera.py", (p, name)
        assert "SCALE =" not in text.replace("_SCALE =", ""), p
