"""Operator commands: every knob an operator turns, as data applied at a simulated instant.

Why data: a session in the browser is recorded as a list of commands and replays headless to
the same event log (DOMAIN section 9).  Playback speed is not a command: it changes nothing in
the model.  A command file is JSON: a list of objects ``{"at_s": 120, "name": "capacity",
"model": "image", "slots": 30}``; scenario files may carry the same entries as
``[[commands]]``.

Every command, whoever loads it (``python -m sim run --commands``, ``main.py --commands``, a
scenario's ``[[commands]]``, ``Simulation(commands=...)``, ``Simulation.command``), is checked
by :func:`make_command`; :func:`validate_commands` applies it to a list against the models of
the scenario it will run in, and ``Simulation.__init__`` calls it, so no loader can skip it.
"""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass, field
from typing import Any

from sim.schema import InputError, Spec, check_value, parse_user_text, read_user_text, shown


class CommandError(InputError):
    """A bad command; ``str(err)`` is the single line to show the user."""


AT_S = Spec(float, None, 0.0, 1e12)
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
    "set_price": {"model": MODEL, "price_cents": Spec(int, None, 0, 10**7)},
}


@dataclass(frozen=True, slots=True)
class Command:
    """One operator action at simulated time ``at_s`` with validated ``args``."""

    at_s: float
    name: str
    args: dict[str, Any] = field(default_factory=dict)
    #: where it was read ("session.json: commands[3]"), for error lines; not part of the data
    where: str = field(default="command", compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"at_s": self.at_s, "name": self.name, **self.args}


def make_command(at_s: Any, name: Any, args: dict[str, Any], where: str = "command",
                 models: tuple[str, ...] | None = None) -> Command:
    """Validate and build a command; ``where`` prefixes the one-line error.  ``models``: the
    scenario's model names (``None``: not known yet, checked again by the simulation)."""
    if not isinstance(name, str) or name not in COMMANDS:
        raise CommandError(f"{where}: unknown command {shown(name)} "
                           f"(allowed: {', '.join(COMMANDS)})")
    at_s = check_value(AT_S, at_s, "at_s", where, CommandError)
    if not isinstance(args, dict):
        raise CommandError(f"{where}: command {name!r}: arguments must be a mapping")
    specs = COMMANDS[name]
    unknown = set(args) - set(specs)
    if unknown:
        raise CommandError(f"{where}: command {name!r} has no argument "
                           f"{shown(sorted(unknown)[0])} (allowed: {', '.join(specs) or 'none'})")
    out: dict[str, Any] = {}
    for arg, spec in specs.items():
        if arg not in args:
            if spec.default is None:
                raise CommandError(f"{where}: command {name!r} needs '{arg}' "
                                   f"({spec.allowed()})")
            out[arg] = spec.default
            continue
        out[arg] = check_value(spec, args[arg], f"{name}.{arg}", where, CommandError)
    model = out.get("model")
    if models is not None and model is not None and (model or specs["model"] is MODEL):
        if model not in models:
            raise CommandError(f"{where}: command {name!r}: unknown model {model!r} "
                               f"(allowed: {', '.join(models)})")
    return Command(float(at_s), name, out, where)


def validate_commands(commands: list[Command] | tuple[Command, ...] | list[dict],
                      models: tuple[str, ...], source: str = "commands") -> list[Command]:
    """Every command checked again, against the scenario's ``models``: the one check, whoever
    loaded the list (a command file read before its scenario was known cannot name the
    models; a hand-made :class:`Command` was never checked at all).  Returns equal commands.
    Entries may also be the JSON objects of a command file, as the README shows them
    (``{"at_s": 600, "name": "capacity", "model": "image", "slots": 30}``).
    """
    out = []
    for i, cmd in enumerate(commands):
        if isinstance(cmd, dict):
            out.append(from_json(cmd, f"{source}[{i}]", models))
            continue
        if not isinstance(cmd, Command):
            raise CommandError(f"{source}[{i}]: expected a command object "
                               f'{{"at_s": ..., "name": ..., ...}} or a sim.commands.Command, '
                               f"got {type(cmd).__name__}")
        where = cmd.where if cmd.where != "command" else f"{source}[{i}]"
        out.append(make_command(cmd.at_s, cmd.name, cmd.args, where, models))
    return out


def from_json(entry: Any, where: str, models: tuple[str, ...] | None = None) -> Command:
    """One command from its JSON object ``{"at_s": ..., "name": ..., **args}``."""
    if not isinstance(entry, dict):
        raise CommandError(f"{where}: expected an object with 'at_s' and 'name'")
    entry = dict(entry)
    at_s = entry.pop("at_s", None)
    name = entry.pop("name", None)
    if at_s is None:
        raise CommandError(f"{where}: missing 'at_s' (seconds >= 0)")
    return make_command(at_s, name, entry, where, models)


def parse_commands(entries: list[Any], source: str,
                   models: tuple[str, ...] | None = None) -> list[Command]:
    return [from_json(entry, f"{source}: commands[{i}]", models)
            for i, entry in enumerate(entries)]


def load_commands(path: str | pathlib.Path, models: tuple[str, ...] | None = None
                  ) -> list[Command]:
    """Read a JSON command file (a list of command objects), with the same one-line errors
    as a scenario file: unreadable, not UTF-8, not JSON (NaN and Infinity are not JSON
    numbers), nested too deep, or a number too long."""
    source = str(path)
    text = read_user_text(path, source, "command file", CommandError)
    data = parse_user_text(text, lambda t: json.loads(t, parse_constant=_no_constant(source)),
                           json.JSONDecodeError, "JSON", source, CommandError)
    if not isinstance(data, list):
        raise CommandError(f"{source}: expected a JSON list of commands")
    return parse_commands(data, source, models)


def _no_constant(source: str):
    def refuse(word: str):
        raise CommandError(f"{source}: not valid JSON: {word} is not a number JSON allows")
    return refuse


def dump_commands(commands: list[Command]) -> str:
    return json.dumps([c.to_json() for c in commands], indent=1)
