"""River Factory's simulation core: a deterministic discrete-event model of the River platform.

River admits customers at a door, holds their money, queues their orders in two lanes per
upstream model, dispatches them to rented/contracted slots, retries failures, asks customers
who would wait too long, rents extra slots when queues grow, and settles or refunds every hold.
The rulebook is ``docs/DOMAIN.md``; this package implements all of it with the standard
library only, so it runs unchanged in pygbag's browser Python.  It never imports pygame.

Why this shape
--------------
* **Deterministic.**  One seed owns every random draw (``sim.rng``); events are ordered by
  ``(time, priority, sequence)`` so ties never depend on object identity; operator commands
  are events too.  Same scenario + seed + commands => same event log and SHA-256, whatever
  the frame rate or the way ``advance_to`` is chunked.
* **Pure core, thin shell.**  The renderer (``render/``) reads :meth:`Simulation.snapshot`
  and changes the model only through :meth:`Simulation.command`.

The API the renderer and tools drive
------------------------------------
>>> from sim import Simulation, load_scenario
>>> sim = Simulation(load_scenario("scenarios/default.toml"), seed=7)
>>> sim.advance_to(sim.now + 30.0)        # process every event with time <= t
>>> snap = sim.snapshot()                 # cheap, read-only view (see sim.snapshot)
>>> sim.command("capacity", model="image", slots=30)   # applied at sim.now, recorded
>>> sim.summary()                         # the JSON dict of ``python -m sim run --json``

* ``Simulation(scenario, seed=0, commands=())`` -- ``commands`` is a list of
  :class:`sim.commands.Command` replayed at their ``at_s`` instants (a recorded session).
* ``sim.now`` -- simulated seconds; ``sim.events`` -- number of logged events;
  ``sim.event_log_sha256()`` -- the running hash that identifies a run.
* ``sim.command(name, **args)`` -- validate and schedule an operator command at ``sim.now``;
  raises :class:`sim.commands.CommandError` (one readable line) on a bad name or argument.
  ``sim.recorded_commands()`` returns every command applied so far, for saving/replay.
  Names: see :data:`sim.commands.COMMANDS`.
* ``sim.snapshot()`` -- a :class:`sim.snapshot.Snapshot`, the renderer's only door into the
  model: typed, read-only records (stations, controls, alerts, gauges, the event tail) and
  read-only Protocol shapes for the live people, orders and slots it hands out.  Every
  person, order and slot carries ``since_s``: the simulated time of its last state change.
  :class:`sim.snapshot.SimulationPort` lists all a view may call on a simulation.
* ``Comparison.open(sim)`` -- the live twin (``sim.twin``): a fork of ``sim`` without its
  pending operator commands, and the card's figures over ``[T, now]`` (``python -m sim twin``).
* ``record_field(record, name)`` / ``record_fields(record)`` -- an event record's fields by
  name (:data:`sim.eventlog.KINDS`); ``FAIL_REASONS`` -- the ``why`` of a ``fail`` record;
  ``RETURN_REASONS`` -- the ``reason`` of a ``return`` record.
* ``CONTRADICTED_BY`` -- headline figure -> the alerts that hold its tile back from green;
  ``KPI_ALIASES`` -- old ``kpi`` keys of the summary and what they now alias (sim.kpi).
* ``open_run(scenario, seed=None, overrides=(), commands=())`` -- a simulation of a scenario
  path or packaged name (``scenario_names()``), on the scenario's own seed unless given.
* ``run(scenario, seed, hours, commands=(), lean=False)`` -- run headless and return the
  summary dict (``lean``: no log hash, no wait estimates that nothing acts on; see
  ``Simulation``).
* ``load_scenario(path, overrides=())`` -- TOML + dotted ``KEY=VALUE`` overrides, validated;
  raises :class:`sim.scenario.ScenarioError` whose ``str`` is the one line to print.
"""

from __future__ import annotations

import pathlib

from sim.commands import Command, CommandError
from sim.eventlog import FAIL_REASONS, RETURN_REASONS
from sim.eventlog import field as record_field
from sim.eventlog import fields as record_fields
from sim.kpi import CONTRADICTED_BY, KPI_ALIASES
from sim.scenario import SCENARIO_DIR, Scenario, ScenarioError, load_scenario, resolve_path
from sim.share import Inline, LinkError, link_from_session  # noqa: E402 -- after what it imports
from sim.simulation import Simulation, run
from sim.snapshot import (
    AlertView,
    CallView,
    ControlsView,
    CustomerCard,
    OrderCard,
    OrderView,
    PersonView,
    SimulationPort,
    SlotView,
    Snapshot,
    StationView,
)
from sim.twin import FIGURES as TWIN_FIGURES
from sim.twin import Comparison, compare_line, pending, stand_before

__all__ = [
    "CONTRADICTED_BY",
    "TWIN_FIGURES",
    "FAIL_REASONS",
    "KPI_ALIASES",
    "Inline",
    "LinkError",
    "RETURN_REASONS",
    "AlertView",
    "CallView",
    "Command",
    "CommandError",
    "Comparison",
    "ControlsView",
    "CustomerCard",
    "OrderCard",
    "OrderView",
    "PersonView",
    "Scenario",
    "ScenarioError",
    "SimulationPort",
    "Simulation",
    "SlotView",
    "Snapshot",
    "StationView",
    "compare_line",
    "link_from_session",
    "load_scenario",
    "open_run",
    "pending",
    "record_field",
    "record_fields",
    "resolve_path",
    "run",
    "scenario_names",
    "stand_before",
]


def scenario_names() -> list[str]:
    """The packaged scenarios, by name (what ``open_run`` accepts besides a path)."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def open_run(scenario: str | pathlib.Path | Inline, seed: int | None = None,
             overrides: tuple[str, ...] | list[str] = (),
             commands: list[Command] | tuple = ()) -> Simulation:
    """A simulation of a scenario (a path, a packaged name, or one that came inline in a
    share link), on its own seed unless given.

    Raises :class:`ScenarioError` (one line) on a bad file or override."""
    sc = (scenario.load(overrides) if isinstance(scenario, Inline)
          else load_scenario(resolve_path(scenario), overrides))
    return Simulation(sc, seed=sc.run.seed if seed is None else int(seed), commands=commands)
