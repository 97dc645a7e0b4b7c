"""Scenario files: TOML overlays on the DOMAIN defaults, validated into plain records.

A person edits a scenario by hand and gets it wrong sometimes; every mistake must come back as
one line that names the file, the key and what is allowed (``ScenarioError``), never a
traceback and never a silent default.  ``--set KEY=VALUE`` overrides go through the same
checks, so a sweep that varies ``models.image.slots`` fails just as clearly.

Rules: sections and keys are those of :mod:`sim.schema`.  ``[tiers]`` and ``[models]``, when a
file gives them, replace the default tables (each entry is an overlay on the entry defaults).
``arrivals.profile`` is a list of ``[start_hour, factor]`` pairs (piecewise-constant multiplier
of ``rate_per_min``).  ``[arrivals.trace]`` (keys: ``sim.schema.TRACE``, plus ``model``: a
River model name or a table from the trace's model names) replays a request log; its ``path``
is relative to the scenario file, and the whole file is checked when the scenario loads
(``sim.trace.scan``), so a bad row is refused before anything runs.
``[[commands]]`` entries are operator commands applied at ``at_s``.
"""

from __future__ import annotations

import copy
import pathlib
import tomllib
from types import SimpleNamespace
from typing import Any

from sim import schema
from sim.commands import parse_commands
from sim.schema import (
    InputError,
    Spec,
    check_value,
    clip,
    parse_user_text,
    read_user_text,
    shown,
)

SCENARIO_DIR = pathlib.Path(__file__).resolve().parent.parent / "scenarios"
HOURS_MAX = schema.RUN["hours"].hi
PROFILE_MAX = 1000  # pairs; each arrival scans the profile


class ScenarioError(InputError):
    """A bad scenario or override; ``str(err)`` is the single line to show the user."""


class Scenario:
    """A validated scenario: sections as attribute records, plus the merged raw dict."""

    def __init__(self, raw: dict[str, Any], source: str,
                 base_dir: pathlib.Path | None = None) -> None:
        self.raw = raw
        self.source = source
        self.base_dir = base_dir if base_dir is not None else pathlib.Path.cwd()
        for name in schema.SECTIONS:
            setattr(self, name, SimpleNamespace(**raw[name]))
        self.tiers = {k: SimpleNamespace(name=k, **v) for k, v in raw["tiers"].items()}
        self.models = {k: SimpleNamespace(name=k, **v) for k, v in raw["models"].items()}
        self.profile = [(float(h) * 3600.0, float(f)) for h, f in raw["arrivals"]["profile"]]
        self.commands = parse_commands(raw.get("commands", []), source, tuple(self.models))
        trace = raw["arrivals"]["trace"]
        if trace["path"] and not pathlib.Path(trace["path"]).is_absolute():
            # from here on the path stands alone: a sweep's worker rebuilds the scenario from
            # ``raw`` without knowing where the scenario file was
            trace["path"] = str(self.base_dir / trace["path"])
        self.trace = replay_plan(raw, source, self.base_dir)

    def derive(self, overrides: list[str] | tuple[str, ...]) -> Scenario:
        """A copy with ``KEY=VALUE`` overrides applied (same checks as the file)."""
        raw = copy.deepcopy(self.raw)
        apply_overrides(raw, overrides, self.source)
        check_consistency(raw, self.source)
        return Scenario(raw, self.source, self.base_dir)


def defaults() -> dict[str, Any]:
    raw: dict[str, Any] = {name: {k: s.default for k, s in sec.items()}
                           for name, sec in schema.SECTIONS.items()}
    raw["arrivals"]["profile"] = copy.deepcopy(schema.DEFAULT_PROFILE)
    raw["arrivals"]["trace"] = trace_defaults()
    raw["tiers"] = copy.deepcopy(schema.DEFAULT_TIERS)
    raw["models"] = copy.deepcopy(schema.DEFAULT_MODELS)
    raw["commands"] = []
    return raw


def resolve_path(path: str | pathlib.Path) -> pathlib.Path:
    """A path as given, else a bare name looked up in the packaged ``scenarios/`` folder."""
    p = pathlib.Path(path)
    for cand in (p, SCENARIO_DIR / p, SCENARIO_DIR / (p.name + ".toml"), SCENARIO_DIR / p.name):
        if _exists(cand):
            return cand
    return p


def _exists(p: pathlib.Path) -> bool:
    """``p.exists()`` that is False, not an ``OSError``, for a 5000-character name."""
    try:
        return p.exists()
    except (OSError, ValueError):
        return False


def read_toml(path: str | pathlib.Path, source: str) -> dict[str, Any]:
    """A TOML file as a dict, or one :class:`ScenarioError` line: unreadable, not UTF-8, not
    TOML, nested too deep for Python's stack, or an integer too long to convert."""
    text = read_user_text(path, source, "scenario file", ScenarioError)
    return parse_user_text(text, tomllib.loads, tomllib.TOMLDecodeError, "TOML", source,
                           ScenarioError)


def load_scenario(path: str | pathlib.Path | None = None,
                  overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Read, merge and validate a scenario file (``None``: the built-in defaults)."""
    raw = defaults()
    source = "<defaults>"
    base_dir = None
    if path is not None:
        source = clip(str(path), 200)
        resolved = resolve_path(path)
        merge_file(raw, read_toml(resolved, source), source)
        base_dir = resolved.resolve().parent if _exists(resolved) else None
    apply_overrides(raw, overrides, source)
    check_consistency(raw, source)
    return Scenario(raw, source, base_dir)


def merge_file(raw: dict[str, Any], data: dict[str, Any], source: str) -> None:
    for name, value in data.items():
        if name == "commands":
            if not isinstance(value, list):
                raise ScenarioError(f"{source}: key 'commands' must be an array of tables")
            raw["commands"] = value
        elif name in ("tiers", "models"):
            entry_spec = schema.TIER if name == "tiers" else schema.MODEL
            if not isinstance(value, dict) or not value:
                raise ScenarioError(f"{source}: [{name}] must be a table of named entries")
            table = {}
            for entry, fields in value.items():
                check_name(name, entry, source)
                if not isinstance(fields, dict):
                    raise ScenarioError(f"{source}: [{name}.{entry}] must be a table of keys")
                base = {k: s.default for k, s in entry_spec.items()}
                base.update(_default_entry(name, entry))
                for key, v in fields.items():
                    dotted = f"{name}.{entry}.{key}"
                    base[key] = _check(entry_spec, key, v, dotted, source)
                table[entry] = base
            raw[name] = table
        elif name in schema.SECTIONS:
            if not isinstance(value, dict):
                raise ScenarioError(f"{source}: [{name}] must be a table")
            for key, v in value.items():
                dotted = f"{name}.{key}"
                if name == "arrivals" and key == "profile":
                    raw[name][key] = _check_profile(v, dotted, source)
                elif name == "arrivals" and key == "trace":
                    if not isinstance(v, dict):
                        raise ScenarioError(f"{source}: [arrivals.trace] must be a table")
                    for tkey, tv in v.items():
                        set_trace_key(raw, tkey, tv, source)
                else:
                    raw[name][key] = _check(schema.SECTIONS[name], key, v, dotted, source)
        else:
            allowed = ", ".join([*schema.SECTIONS, "tiers", "models", "commands"])
            raise ScenarioError(f"{source}: unknown section {shown(name)} (allowed: {allowed})")


def check_name(table: str, entry: str, source: str) -> None:
    if not (0 < len(entry) <= schema.NAME_MAX and set(entry) <= set(schema.NAME_CHARS)):
        raise ScenarioError(f"{source}: key '{table}.{shown(entry)[1:-1]}': a {table[:-1]} "
                            f"name must be 1 to {schema.NAME_MAX} letters, digits or '_'")


def _default_entry(table: str, entry: str) -> dict[str, Any]:
    defaults_table = schema.DEFAULT_TIERS if table == "tiers" else schema.DEFAULT_MODELS
    return copy.deepcopy(defaults_table.get(entry, {}))


def _check(section: dict[str, Spec], key: str, value: Any, dotted: str, source: str) -> Any:
    spec = section.get(key)
    if spec is None:
        allowed = ", ".join(section)
        raise ScenarioError(f"{source}: unknown key {shown(dotted)} (allowed: {allowed})")
    return check_value(spec, value, dotted, source, ScenarioError)


def _check_profile(value: Any, dotted: str, source: str) -> list[list[float]]:
    """``[[start_hour, factor], ...]``: finite numbers, hours rising strictly from 0 within
    ``run.hours``' range (a NaN hour compared false everywhere and hung the arrival loop)."""
    msg = (f"{source}: key '{dotted}' must be a list of 1 to {PROFILE_MAX} [start_hour, factor] "
           f"pairs of finite numbers, hours rising from 0 to {HOURS_MAX:g}, factors 0 to 1000")
    if not isinstance(value, list) or not 0 < len(value) <= PROFILE_MAX:
        raise ScenarioError(msg)
    out: list[list[float]] = []
    last = -1.0
    for pair in value:
        if (not isinstance(pair, list) or len(pair) != 2
                or any(isinstance(x, bool) or not isinstance(x, (int, float)) for x in pair)
                or not all(-1 < x <= 10**6 for x in pair)):  # before float(): 400 digits
            raise ScenarioError(msg)
        h, f = float(pair[0]), float(pair[1])
        if not (last < h <= HOURS_MAX and 0.0 <= f <= 1000.0):  # false for NaN too
            raise ScenarioError(msg)
        last = h
        out.append([h, f])
    if out[0][0] != 0.0:
        raise ScenarioError(msg)
    return out


def parse_literal(text: str) -> Any:
    """An override's value as TOML would read it (``30``, ``0.5``, ``true``, ``"x"``)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return text  # a bare word (or 5000 digits): the type check accepts or rejects it


def apply_overrides(raw: dict[str, Any], overrides: list[str] | tuple[str, ...],
                    source: str) -> None:
    for item in overrides:
        if "=" not in item:
            raise ScenarioError(f"--set {shown(item)}: expected KEY=VALUE, "
                                "e.g. models.image.slots=30")
        key, text = item.split("=", 1)
        key = key.strip()
        set_key(raw, key, parse_literal(text.strip()), f"{source} (--set)")


def set_key(raw: dict[str, Any], dotted: str, value: Any, source: str) -> None:
    """Set one dotted key in a merged raw scenario, with the file's checks."""
    parts = dotted.split(".")
    if parts[0] in ("tiers", "models") and len(parts) == 3:
        table, entry, key = parts
        if entry not in raw[table]:
            allowed = ", ".join(raw[table])
            raise ScenarioError(f"{source}: unknown {table[:-1]} {shown(entry)} in "
                                f"{shown(dotted)} (allowed: {allowed})")
        spec = schema.TIER if table == "tiers" else schema.MODEL
        raw[table][entry][key] = _check(spec, key, value, dotted, source)
    elif len(parts) == 2 and parts[0] in schema.SECTIONS:
        if parts == ["arrivals", "trace"]:
            raise ScenarioError(f"{source}: key 'arrivals.trace' is a table: set "
                                "arrivals.trace.KEY (e.g. arrivals.trace.path=log.csv)")
        if parts == ["arrivals", "profile"]:
            raw["arrivals"]["profile"] = _check_profile(value, dotted, source)
        else:
            raw[parts[0]][parts[1]] = _check(schema.SECTIONS[parts[0]], parts[1], value,
                                             dotted, source)
    elif len(parts) == 3 and parts[:2] == ["arrivals", "trace"]:
        set_trace_key(raw, parts[2], value, source)
    else:
        allowed = ", ".join([*schema.SECTIONS, "tiers.NAME", "models.NAME"])
        raise ScenarioError(f"{source}: unknown key {shown(dotted)} (sections: {allowed})")


def check_consistency(raw: dict[str, Any], source: str) -> None:
    """Cross-key rules that a single range cannot say."""
    a = raw["arrivals"]
    if a["patience_min_s"] > a["patience_max_s"]:
        raise ScenarioError(f"{source}: key 'arrivals.patience_min_s' must be <= "
                            f"'arrivals.patience_max_s'")
    if sum(t["share"] for t in raw["tiers"].values()) <= 0:
        raise ScenarioError(f"{source}: key 'tiers.*.share' must add up to more than 0")
    for name, t in raw["tiers"].items():
        if t["wallet_min_cents"] > t["wallet_max_cents"]:
            raise ScenarioError(f"{source}: key 'tiers.{name}.wallet_min_cents' must be <= "
                                f"'tiers.{name}.wallet_max_cents'")
        if t["orders_min"] > t["orders_max"]:
            raise ScenarioError(f"{source}: key 'tiers.{name}.orders_min' must be <= "
                                f"'tiers.{name}.orders_max'")
    if sum(m["mix"] for m in raw["models"].values()) <= 0:
        raise ScenarioError(f"{source}: key 'models.*.mix' must add up to more than 0")
    for name, m in raw["models"].items():
        if m["fail_rate"] + m["throttle_rate"] > 1.0:
            raise ScenarioError(f"{source}: keys 'models.{name}.fail_rate' + 'throttle_rate' "
                                "must be at most 1")
    model = a["trace"]["model"]
    targets = model.values() if isinstance(model, dict) else [model] if model else []
    for target in targets:
        if target not in raw["models"]:
            raise ScenarioError(f"{source}: key 'arrivals.trace.model': {shown(target)} is "
                                f"not a model of the scenario (allowed: "
                                f"{', '.join(raw['models'])})")


# -- [arrivals.trace] --------------------------------------------------------------------------
def trace_defaults() -> dict[str, Any]:
    out: dict[str, Any] = {k: s.default for k, s in schema.TRACE.items()}
    out["model"] = ""
    return out


def set_trace_key(raw: dict[str, Any], key: str, value: Any, source: str) -> None:
    dotted = f"arrivals.trace.{key}"
    if key == "model":
        ok = isinstance(value, str) or (
            isinstance(value, dict) and 0 < len(value) <= 1000
            and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()))
        if not ok:
            raise ScenarioError(f"{source}: key '{dotted}' = {shown(value)}: expected a model "
                                "name, or a table {trace model name = model name}")
        raw["arrivals"]["trace"]["model"] = copy.deepcopy(value)
        return
    section = dict(schema.TRACE, model=None)
    if key not in section:
        allowed = ", ".join(section)
        raise ScenarioError(f"{source}: unknown key {shown(dotted)} (allowed: {allowed})")
    raw["arrivals"]["trace"][key] = check_value(schema.TRACE[key], value, dotted, source,
                                                ScenarioError)


def replay_plan(raw: dict[str, Any], source: str, base_dir: pathlib.Path):
    """The scenario's trace, checked whole (see :mod:`sim.trace`), or None without one."""
    t = raw["arrivals"]["trace"]
    if not t["path"]:
        return None
    from sim.replay import plan

    return plan(t, raw["models"], source, base_dir)
