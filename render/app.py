"""The app: one simulation, its view, and the operator's input, stepped once per frame.

Why a class, not code in ``main.py``: tests drive the same object with synthetic events and
fixed time steps, and the benchmark times its ``step``/``draw``.  A frame: input -> actions,
layers updated from one snapshot, the simulation advanced by real dt x speed, draw.  The app
wires and steps and draws nothing itself: the world (``Scene``, seen through its camera) and
the panel (``Board``) never import each other; ``Overlays`` go over both.  Of the model it
touches only :class:`sim.SimulationPort`; the layers get the snapshot and a ``ViewState``.
"""

from __future__ import annotations

import time

import pygame

from render.actions import from_event, local_actions
from render.cadence import Cadence
from render.fonts import Fonts
from render.overlays import Overlays
from render.panel.board import Board
from render.presenter import Presenter
from render.state import ViewState
from render.twin import load_desk, play
from render.world.scene import Scene
from render.world.sprites import Sprites
from sim import CommandError, Inline, SimulationPort, open_run, resolve_path, scenario_names

MAX_DT_S = 0.1   # a stalled tab must not fast-forward the factory in one frame
DEFAULT_SPEED = 30.0

__all__ = ["DEFAULT_SPEED", "App", "scenario_names"]


def _part(owner: str, name: str) -> property:
    """An attribute of the app that is one of its parts' (tests and main read the app)."""
    return property(lambda self: getattr(getattr(self, owner), name),
                    lambda self, value: setattr(getattr(self, owner), name, value))


class App:
    """Everything on screen for one running simulation."""

    lang, speed, model = _part("view", "lang"), _part("view", "speed"), _part("view", "model")
    show_help, sim_error = _part("view", "show_help"), _part("view", "sim_error")
    snap, scenario_name = _part("view", "snap"), _part("view", "scenario_name")
    station = _part("view", "station")      # station(name=None): the selected model's
    world, world_big = _part("scene", "world"), _part("scene", "world_big")
    people, machines = _part("scene", "people"), _part("scene", "machines")
    camera, labels = _part("scene", "camera"), _part("scene", "labels")
    background, people_drawn = _part("scene", "background"), _part("scene", "people_drawn")
    dashboard, controls = _part("board", "dashboard"), _part("board", "controls")
    timeline, message = _part("board", "timeline"), _part("overlays", "message")
    follower = _part("overlays", "follower")    # the followed customer, the camera on them
    frame_budget_s = _part("cadence", "frame_budget_s")

    def __init__(self, scenario: str | None = None, seed: int | None = None, lang: str = "en",
                 speed: float = DEFAULT_SPEED, overrides: tuple[str, ...] = (),
                 commands: list | tuple = (), ease: bool = True, twin: bool = True,
                 stop_at_s: float | None = None, frame_budget_s: float | None = None) -> None:
        self.stop_at_s = stop_at_s         # main.py --seconds: playback halts there
        self.cadence = Cadence(frame_budget_s)   # a frame's step-and-draw time; None: exact
        self._replay = list(commands)      # a recorded session, replayed on the first load
        self.ease = ease                   # presenter: slow to x30 around scripted events
        self.overrides, self.twin_on = overrides, twin   # twin: False, main.py --no-twin
        self.fonts, self.sprites = Fonts(), Sprites()
        self.scene, self.overlays = Scene(self.sprites), Overlays(self.sprites)
        self.clock = 0.0                   # real seconds since start (animations)
        self.mouse: tuple[int, int] | None = None
        self.resume_speed, self.actions = DEFAULT_SPEED, local_actions(self)  # SPACE resumes
        self.load(scenario or "default", seed, lang, speed)

    def session(self) -> dict:
        """What replays this run headless: scenario, seed, time, commands, the log's hash."""
        return {"scenario": str(self.scenario_path), "seed": self.seed,
                "sim_seconds": self.sim.now, "overrides": list(self.overrides),
                "event_log_sha256": self.sim.event_log_sha256(),
                "commands": [c.to_json() for c in self.presenter.commands(self.sim)],
                "overlay": getattr(self.scenario_path, "overlay", None)}  # a link's inline

    def load(self, scenario: str | Inline, seed: int | None, lang: str | None = None,
             speed: float | None = None) -> None:
        """(Re)start on a scenario (a path, a packaged name, or a link's :class:`Inline`);
        the language and the playback speed stay as they were unless given."""
        path = scenario if isinstance(scenario, Inline) else resolve_path(scenario)
        sim = open_run(path, seed, self.overrides, self._replay)
        self.twin = load_desk(self, scenario, self._replay and sim.recorded_commands())
        self._replay = []
        self.scenario_path = path
        self.adopt(sim, lang, speed, path.stem)
        self.seed = self.snap.seed
        self.presenter = Presenter(self.sim, self.restart, stop_at_s=self.stop_at_s)
        self.presenter.easing = self.ease

    def restart(self, commands: tuple = ()) -> SimulationPort:
        """A new run of the loaded scenario and seed from t=0 with ``commands`` (a jump back)."""
        return open_run(self.scenario_path, self.seed, self.overrides, commands)

    def adopt(self, sim: SimulationPort, lang: str | None = None, speed: float | None = None,
              scenario_name: str | None = None) -> None:
        """Show ``sim`` with fresh layers: a new run, or a jump's replay (ViewState.after)."""
        self.sim = sim
        self.follower.adopt(self.scene, self.overlays.cards)   # nobody followed any more
        snap = self.follower.snapshot(sim)
        self.view = ViewState.after(getattr(self, "view", None), snap, lang, speed, scenario_name)
        self.cadence.restart()
        self.scene.adopt(snap)
        # a new run gets a fresh timeline; a jump's replay keeps it (its drag, its marks)
        self.board = Board(self.fonts, self.view, None if scenario_name else self.board)
        self.bake()

    def bake(self) -> None:
        """The world's scenery and signs again (a new floor plan, language or camera)."""
        self.scene.bake(self.fonts, self.lang)
        self.dashboard.dirty = True

    def look(self, camera) -> None:
        """Show the world through ``camera`` (only the signs over it are placed again)."""
        self.scene.aim(camera, self.fonts, self.lang)

    # -- input --------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> list[tuple[str, dict]]:
        """Turn one event into actions and apply them; return the actions (for tests)."""
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
        actions = from_event(self, event)
        for act in actions:
            self.apply(*act)
        return actions

    def apply(self, name: str, args: dict) -> None:
        """A local action (:attr:`actions`) or a simulation command, applied at once."""
        local = self.actions.get(name)
        if local is not None:
            self.controls.dirty = True
            local(args)
            self.dashboard.dirty = True
            return
        try:
            self.twin.command(self.sim, name, args)   # the twin forks before it applies
            self.sim.advance_to(self.sim.now)   # apply it now, even while playback is paused
        except CommandError as e:
            self.overlays.say(str(e), self.clock)
        except Exception as e:  # noqa: BLE001 -- a core bug must not kill the page
            self.sim_error = f"{type(e).__name__}: {e}"
        self.snap = self.follower.snapshot(self.sim)
        self.dashboard.dirty = True

    # -- the frame ------------------------------------------------------------------------------
    def step(self, dt_real: float) -> None:
        """Advance the simulation by ``dt_real`` x speed and update every layer, one heavy
        piece of work a frame (:class:`render.cadence.Cadence`), the simulation last."""
        start = time.perf_counter()
        dt = max(0.0, min(MAX_DT_S, dt_real))
        self.clock += dt
        cadence = self.cadence
        self.machines.clock = self.clock
        if cadence.begin(self.clock, self.people.busy):
            self.snap = self.follower.snapshot(self.sim)
        else:
            if not cadence.caught_up:
                self._catch_up()
            self.people.settle()
        self.people.walk(dt, self.speed)
        self.follower.step(self.scene, self.snap, dt, self.fonts, self.lang)
        cadence.banded = cadence.quiet and self.dashboard.stepping(self.clock)
        if self.sim_error:
            return
        try:   # playback, eased around markers, or a slice of a timeline jump
            self.speed = play(self, dt, cadence.deadline(start))   # and the twin, if open
            if self.presenter.ready is not None:
                self.adopt(self.presenter.take_ready())
            self.board.land(self.presenter.busy)    # a jump's own ticker takes over
        except Exception as e:  # noqa: BLE001 -- keep the page alive, show the fault
            self.sim_error = f"{type(e).__name__}: {e}"
        self.view.kept = self.cadence.kept(self.clock, self.presenter.dropped_s, self.speed)

    def _catch_up(self) -> None:
        """Bring the layers up to the latest snapshot (the frame after it was taken)."""
        self.cadence.caught_up = True
        if self.scene.catch_up(self.snap, self.clock):
            self.bake()
        self.board.catch_up(self.snap, self.speed, live=not self.presenter.busy)
        self.follower.show_card(self.snap, self.lang, self.fonts, self.overlays.cards)

    def draw(self, screen: pygame.Surface) -> None:
        """Compose the frame: the world, the panel, then what goes over both."""
        start = time.perf_counter()
        self.scene.draw(screen, self.snap, self.fonts, self.lang, fresh=not self.cadence.snapped)
        over = self.board.draw(screen, self.fonts, self.view, self.clock, self.cadence.quiet,
                               self.presenter, self.mouse)
        if self.overlays.draw(screen, self.fonts, self.view, self.clock, self.scene,
                              self.board, self.mouse) or over:
            self.board.stale()
        self.cadence.drew(time.perf_counter() - start)

    def hover_lines(self, pos: tuple[int, int]) -> list[str] | None:
        """The tooltip for a screen point over the world (None: nothing there)."""
        return self.overlays.hover_lines(self.scene, self.view, pos)
