"""Walk a simulation's object graph: every mutable object it can reach (tests of the twin)."""

from __future__ import annotations

import types
from collections import deque

ATOMS = (int, float, str, bytes, bool, type(None), complex, range, type, types.ModuleType,
         types.CodeType)
IMMUTABLE_CONTAINERS = (tuple, frozenset)


def reachable(root) -> dict[int, object]:
    """id -> object of every mutable object reachable from ``root`` (containers, instances,
    the objects behind bound methods, built-in or not, and the cells of closures)."""
    seen: dict[int, object] = {}
    stack = [root]
    visited: set[int] = set()
    while stack:
        x = stack.pop()
        if isinstance(x, ATOMS) or isinstance(x, (types.FunctionType,)) and not x.__closure__:
            continue
        if id(x) in visited:
            continue
        visited.add(id(x))
        if isinstance(x, IMMUTABLE_CONTAINERS):
            stack.extend(x)
            continue
        if isinstance(x, types.FunctionType):
            stack.extend(c.cell_contents for c in x.__closure__)
            continue
        if isinstance(x, (types.MethodType, types.BuiltinMethodType)):
            s = x.__self__
            if not isinstance(s, (types.ModuleType, type)):
                stack.append(s)
            continue
        seen[id(x)] = x
        if isinstance(x, dict):
            stack.extend(x.keys())
            stack.extend(x.values())
        elif isinstance(x, (list, set, deque)):
            stack.extend(x)
        else:
            d = getattr(x, "__dict__", None)
            if d is not None:
                stack.append(d)
            for cls in type(x).__mro__:
                for name in getattr(cls, "__slots__", ()):
                    if hasattr(x, name):
                        stack.append(getattr(x, name))
    return seen


def shared_mutables(a, b) -> list[str]:
    """Type names of the mutable objects reachable from both ``a`` and ``b`` (frozen
    dataclasses with only immutable fields count as immutable: the scenario, commands)."""
    ra, rb = reachable(a), reachable(b)
    out = []
    for k in ra.keys() & rb.keys():
        x = ra[k]
        params = getattr(type(x), "__dataclass_params__", None)
        if params is not None and params.frozen:
            continue
        out.append(type(x).__name__)
    return sorted(out)
