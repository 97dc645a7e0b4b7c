"""Operator commands: every knob an operator turns, as data applied at a simulated instant.

Why data: a session in the browser is recorded as a list of commands and replays headless to
the same event log (DOMAIN section 9).  Playback speed is not a command: it changes nothing in
the model.  A command file is JSON: a list of objects ``{"at_s": 120, "name": "capacity",
"model": "image", "slots": 30}``; scenario files may carry the same entries as
``[[commands]]``.

``model`` arguments are checked against the scenario's models when the command is applied
through :meth:`sim.Simulation.command` (or when a simulation is built with a command list).
"""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass, field
from typing import Any

from sim.schema import Spec


class CommandError(ValueError):
    """A bad command; ``str(err)`` is the single line to show the user."""


MODEL = Spec(str, "")
OPTIONAL_MODEL = Spec(str, "")  # "" means every model

#: name -> {argument: spec}.  Optional arguments have a non-None default in the spec.
COMMANDS: dict[str, dict[str, Spec]] = {
    "spawn_rate": {"rate_per_min": Spec(float, None, 0.0, 10000.0)},
    "vip_share": {"share": Spec(float, None, 0.0, 1.0)},
    "capacity": {"model": MODEL, "slots": Spec(int, None, 0, 500)},
    "breaker_multiplier": {"multiplier": Spec(float, None, 0.0, 1000.0)},
    "autoscaler": {"on": Spec(bool, None)},
    "outage": {"model": MODEL, "duration_s": Spec(float, None, 0.0, 7 * 86400.0)},
    "pause": {"model": OPTIONAL_MODEL},
    "resume": {"model": OPTIONAL_MODEL},
    "clear_queue": {"model": OPTIONAL_MODEL},
    "rent": {"model": MODEL, "slots": Spec(int, 5, 1, 500)},
    "return": {"model": MODEL, "slots": Spec(int, 5, 1, 500)},
    "cancel_order": {"order_id": Spec(int, None, 0, 2**62)},
}


@dataclass(frozen=True, slots=True)
class Command:
    """One operator action at simulated time ``at_s`` with validated ``args``."""

    at_s: float
    name: str
    args: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"at_s": self.at_s, "name": self.name, **self.args}


def make_command(at_s: Any, name: Any, args: dict[str, Any], where: str = "command",
                 models: tuple[str, ...] | None = None) -> Command:
    """Validate and build a command; ``where`` prefixes the one-line error."""
    from sim.scenario import ScenarioError, check_value

    if name not in COMMANDS:
        raise CommandError(f"{where}: unknown command {name!r} (allowed: {', '.join(COMMANDS)})")
    if isinstance(at_s, bool) or not isinstance(at_s, (int, float)) or not 0 <= at_s < 1e12:
        raise CommandError(f"{where}: 'at_s' = {at_s!r}: expected a number of seconds >= 0")
    specs = COMMANDS[name]
    unknown = set(args) - set(specs)
    if unknown:
        raise CommandError(f"{where}: command {name!r} has no argument "
                           f"{sorted(unknown)[0]!r} (allowed: {', '.join(specs) or 'none'})")
    out: dict[str, Any] = {}
    for arg, spec in specs.items():
        if arg not in args:
            if spec.default is None:
                raise CommandError(f"{where}: command {name!r} needs '{arg}' "
                                   f"({spec.allowed()})")
            out[arg] = spec.default
            continue
        try:
            out[arg] = check_value(spec, args[arg], f"{name}.{arg}", where)
        except ScenarioError as e:
            raise CommandError(str(e)) from None
    model = out.get("model")
    if models is not None and model is not None and (model or specs["model"] is MODEL):
        if model not in models:
            raise CommandError(f"{where}: command {name!r}: unknown model {model!r} "
                               f"(allowed: {', '.join(models)})")
    return Command(float(at_s), name, out)


def parse_commands(entries: list[Any], source: str,
                   models: tuple[str, ...] | None = None) -> list[Command]:
    out = []
    for i, entry in enumerate(entries):
        where = f"{source}: commands[{i}]"
        if not isinstance(entry, dict):
            raise CommandError(f"{where}: expected an object with 'at_s' and 'name'")
        entry = dict(entry)
        at_s = entry.pop("at_s", None)
        name = entry.pop("name", None)
        if at_s is None:
            raise CommandError(f"{where}: missing 'at_s' (seconds >= 0)")
        out.append(make_command(at_s, name, entry, where, models))
    return out


def load_commands(path: str | pathlib.Path, models: tuple[str, ...] | None = None
                  ) -> list[Command]:
    """Read a JSON command file (a list of command objects)."""
    try:
        data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise CommandError(f"{path}: cannot read command file ({e.strerror})") from None
    except json.JSONDecodeError as e:
        raise CommandError(f"{path}: not valid JSON: {e}") from None
    if not isinstance(data, list):
        raise CommandError(f"{path}: expected a JSON list of commands")
    return parse_commands(data, str(path), models)


def dump_commands(commands: list[Command]) -> str:
    return json.dumps([c.to_json() for c in commands], indent=1)
