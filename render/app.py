"""The app: one simulation, its view, and the operator's input, stepped once per frame.

Why a class and not code in ``main.py``: tests drive the very same object with synthetic
events and fixed time steps (no window, no event loop), and the benchmark times its
``step``/``draw``.  The order inside a frame never changes: input -> commands, advance the
simulation by real dt x speed (speed is playback, never a command), update the layers from one
snapshot, draw.

What it may touch of the model: only :class:`sim.SimulationPort` (snapshot, command,
advance_to, and the session's record).  What the layers get: the snapshot and a
:class:`render.state.ViewState`, never the app.  Local actions (speed, language, model
choice...) are a table of handlers, :attr:`App.actions`, beside the simulation's commands.
"""

from __future__ import annotations

import pathlib
import time
from collections import deque
from collections.abc import Callable

import pygame

from render import layout as L
from render import palette as P
from render.camera import OVERVIEW, Camera
from render.fonts import Fonts
from render.help import HelpOverlay
from render.i18n import next_lang
from render.panel import tooltip
from render.panel.controls import SHORTCUTS, SPEEDS, Controls
from render.panel.dashboard import Dashboard
from render.panel.timeline import Timeline
from render.presenter import Presenter, two_digits
from render.state import ViewState
from render.world import background
from render.world.machines import Machines
from render.world.people import People
from render.world.sprites import Sprites
from sim import CommandError, SimulationPort, Snapshot, open_run, resolve_path, scenario_names

MAX_DT_S = 0.1   # a stalled tab must not fast-forward the factory in one frame
SNAP_EVERY_S = 1 / 10   # snapshots (and re-seating) per real second; walking runs every frame
KEPT_SPAN_S = 1.0     # the header's "plays xN" is measured over this many real seconds
KEPT_SHORT = 0.1      # ...and shown when playback falls short of the asked speed by this share
DRAWS_KEPT = 8        # a frame's playback sets aside the longest of the last draws
QUIET_WAIT_S = 0.25   # the longest the panel's timed repaint waits for a frame without heavy work
DEFAULT_SPEED = 30.0

__all__ = ["DEFAULT_SPEED", "App", "scenario_names"]


def _delegate(name: str) -> property:
    """An attribute of the app that is the view state's (tests and main read the app)."""
    return property(lambda self: getattr(self.view, name),
                    lambda self, value: setattr(self.view, name, value))


class App:
    """Everything on screen for one running simulation."""

    lang = _delegate("lang")
    speed = _delegate("speed")
    model = _delegate("model")
    show_help = _delegate("show_help")
    sim_error = _delegate("sim_error")
    snap = _delegate("snap")
    scenario_name = _delegate("scenario_name")

    def __init__(self, scenario: str | None = None, seed: int | None = None, lang: str = "en",
                 speed: float = DEFAULT_SPEED, overrides: tuple[str, ...] = (),
                 commands: list | tuple = (), ease: bool = True,
                 stop_at_s: float | None = None, frame_budget_s: float | None = None) -> None:
        self.stop_at_s = stop_at_s         # main.py --seconds: playback halts there
        # the wall time of a frame's step and draw; playback stops for the frame when it is
        # spent and plays the rest on the next frames (Presenter.advance); None: play exactly
        self.frame_budget_s = frame_budget_s
        # recent draws' wall times, apart for the frames that paint a band of the panel
        self._draw_s = {False: deque([0.0], maxlen=DRAWS_KEPT),
                        True: deque([0.0], maxlen=DRAWS_KEPT)}
        self._replay = list(commands)      # a recorded session, replayed on the first load
        self.ease = ease                   # presenter: slow to x30 around scripted events
        self.overrides = overrides
        self.fonts = Fonts()
        self.sprites = Sprites()
        self.help = HelpOverlay(self.sprites)
        self.clock = 0.0                   # real seconds since start (animations)
        self.mouse: tuple[int, int] | None = None
        self.world = pygame.Surface((L.WORLD_W, L.WORLD_H))
        if pygame.display.get_surface() is not None:
            self.world = self.world.convert()
        self.world_big = pygame.Surface(L.WORLD_RECT.size)   # the benchmark's ceiling uses it
        self.camera: Camera = OVERVIEW
        self._shown: pygame.Surface = self.world     # the camera's part of the world surface
        self._screen: pygame.Surface | None = None
        self._world_view: pygame.Surface | None = None
        self.message = ""
        self.message_until = 0.0
        self.people_drawn = 0
        self.resume_speed = DEFAULT_SPEED  # what SPACE resumes to
        self.actions: dict[str, Callable[[dict], None]] = {
            "_speed": lambda a: setattr(self, "speed", float(a["speed"])),
            "_faster": lambda a: self._nudge_speed(+1),
            "_slower": lambda a: self._nudge_speed(-1),
            "_toggle_play": lambda a: self._toggle_play(),
            "_model": lambda a: self._pick_model(None),
            "_pick": lambda a: self._pick_model(int(a["index"])),
            "_press": lambda a: self.apply(*self.controls.buttons[a["button"]].action()),
            "_reset": lambda a: self.load(str(self.scenario_path), self.seed + 1),
            "_scenario": lambda a: self._next_scenario(),
            "_lang": lambda a: self._toggle_lang(),
            # the window is main.py's Display: ask it as F11 does, through the event queue
            "_fullscreen": lambda a: pygame.event.post(
                pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F11, mod=0, unicode="")),
            "_help": lambda a: setattr(self, "show_help", not self.show_help),
            "_close_help": lambda a: setattr(self, "show_help", False),
            "_jump": lambda a: self.presenter.jump(self.sim, a["t_s"]),
            "_select": lambda a: setattr(self.view, "selected", a["customer"]),
        }
        self.load(scenario or "default", seed, lang, speed)

    # -- life cycle ---------------------------------------------------------------------------
    def session(self) -> dict:
        """What replays this run headless: scenario, seed, simulated time, the operator's
        commands, and the event-log hash the replay must reproduce."""
        return {"scenario": str(self.scenario_path), "seed": self.seed,
                "sim_seconds": self.sim.now, "overrides": list(self.overrides),
                "event_log_sha256": self.sim.event_log_sha256(),
                "commands": [c.to_json() for c in self.presenter.commands(self.sim)]}

    def load(self, scenario: str, seed: int | None, lang: str | None = None,
             speed: float | None = None) -> None:
        """(Re)start on a scenario (a path, or a name in the packaged ``scenarios/``); the
        language and the playback speed stay as they were unless given."""
        path = resolve_path(scenario)
        sim = open_run(path, seed, self.overrides, self._replay)
        self._replay = []
        self.scenario_path = path
        self.adopt(sim, lang, speed, pathlib.Path(path).stem)
        self.seed = self.snap.seed
        self.presenter = Presenter(self.sim, self.restart, stop_at_s=self.stop_at_s)
        self.presenter.easing = self.ease
        self.timeline = Timeline()

    def restart(self, commands: tuple = ()) -> SimulationPort:
        """A new run of the loaded scenario and seed from t=0 with ``commands`` (a jump back)."""
        return open_run(self.scenario_path, self.seed, self.overrides, commands)

    def adopt(self, sim: SimulationPort, lang: str | None = None, speed: float | None = None,
              scenario_name: str | None = None) -> None:
        """Show ``sim`` with fresh layers: a new run, or a timeline jump's replay of this one.

        The view state starts over (first model selected, no fault) but for what is given
        or, when not given, was shown before: language, speed, help, scenario name."""
        self.sim = sim
        snap = sim.snapshot()
        last: ViewState | None = getattr(self, "view", None)
        self.view = ViewState(
            snap, lang or last.lang, last.speed if speed is None else speed,
            model=snap.stations[0].name, show_help=bool(last and last.show_help),
            scenario_name=scenario_name if scenario_name is not None else last.scenario_name)
        self._snap_clock = -1.0
        self._snapped = True
        self._caught_up = True
        self._quiet = False
        self._quiet_at = 0.0
        self._banded = False        # this frame paints a band of the panel (quiet and due)
        self._pace: deque[tuple[float, float]] = deque()   # (clock, playback given up)
        self._blitted: tuple | None = None
        self._full_blit_at = 0.0
        self.contents = {st.name: st.content for st in snap.stations}
        self.people = People(self.sprites, list(snap.tiers))
        self.machines = Machines(self.sprites)
        self.machines.replan(snap)
        self.dashboard = Dashboard(self.fonts)
        self.controls = Controls(self.view)
        self._bake()

    def look(self, camera: Camera) -> None:
        """Show the world through ``camera``: the signs over it are placed anew."""
        self.camera = camera
        self._shown = self.world.subsurface(camera.source_rect())
        self._bake()

    def _bake(self) -> None:
        groups = list(self.machines.groups.values())
        self.background = background.build_world(groups, self.sprites).convert()
        self.labels = background.world_labels(self.fonts, self.lang, groups, self.camera)
        self.dashboard.dirty = True

    # -- input --------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> list[tuple[str, dict]]:
        """Turn one event into actions and apply them; return the actions (for tests)."""
        actions: list[tuple[str, dict]] = []
        if event.type == pygame.KEYDOWN and event.key in SHORTCUTS:
            actions.append(SHORTCUTS[event.key])
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if event.type == pygame.MOUSEMOTION:
                self.mouse = event.pos
            if self.show_help and event.type == pygame.MOUSEBUTTONDOWN:
                self.show_help = False
                return [("_close_help", {})]
            actions.extend(self.timeline.handle(event) or self.controls.handle(event)
                           or self._click(event))
        for act in actions:
            self.apply(*act)
        return actions

    def _click(self, event: pygame.event.Event) -> list[tuple[str, dict]]:
        """A press on the world selects the customer under it (or nobody)."""
        if event.type != pygame.MOUSEBUTTONDOWN or not self.camera.sees(event.pos):
            return []
        return [("_select", {"customer": self.people.hit(*self.camera.to_world(*event.pos))})]

    def apply(self, name: str, args: dict) -> None:
        """A local action (:attr:`actions`) or a simulation command, applied at once."""
        local = self.actions.get(name)
        if local is not None:
            self.controls.dirty = True
            local(args)
            self.dashboard.dirty = True
            return
        try:
            self.sim.command(name, **args)
            self.sim.advance_to(self.sim.now)   # apply it now, even while playback is paused
        except CommandError as e:
            self.say(str(e))
        except Exception as e:  # noqa: BLE001 -- a core bug must not kill the page
            self.sim_error = f"{type(e).__name__}: {e}"
        self.snap = self.sim.snapshot()
        self.dashboard.dirty = True

    def _nudge_speed(self, by: int) -> None:
        i = min(range(len(SPEEDS)), key=lambda k: abs(SPEEDS[k] - self.speed))
        self.speed = SPEEDS[max(0, min(len(SPEEDS) - 1, i + by))]

    def _toggle_play(self) -> None:
        if self.speed > 0:
            self.resume_speed, self.speed = self.presenter.cruise or self.speed, 0.0
        else:
            self.speed = self.resume_speed

    def _pick_model(self, index: int | None) -> None:
        """The next model (``None``) or the one at ``index`` in the station list."""
        names = [st.name for st in self.snap.stations]
        if index is None:
            self.model = names[(names.index(self.model) + 1) % len(names)]
        elif index < len(names):
            self.model = names[index]

    def _next_scenario(self) -> None:
        names = scenario_names()
        cur = self.scenario_name
        self.load(names[(names.index(cur) + 1) % len(names)] if cur in names else names[0], None)

    def _toggle_lang(self) -> None:
        self.lang = next_lang(self.lang)
        self._bake()

    def say(self, text: str) -> None:
        self.message = text
        self.message_until = self.clock + 4.0

    def station(self, name: str | None = None):
        """The selected model's station in the latest snapshot (or the named one)."""
        return self.view.station(name)

    # -- the frame ------------------------------------------------------------------------------
    def step(self, dt_real: float) -> None:
        """Advance the simulation by ``dt_real`` x speed and update every layer."""
        start = time.perf_counter()
        dt = max(0.0, min(MAX_DT_S, dt_real))
        self.clock += dt
        # One heavy piece of Python per frame.  A snapshot frame takes the snapshot and
        # nothing else; the next frame brings the layers up to it (machines, ticker) and
        # starts the re-seating, whose second slice runs on the frame after (People.settle).
        # A snapshot waits until the last re-seating has finished.
        # The frames with none of that are quiet: the panel's timed repaint waits for them.
        self._snapped = (self.clock - self._snap_clock >= SNAP_EVERY_S
                         and not self.people.busy)
        self.machines.clock = self.clock
        if self._snapped:
            self._snap_clock = self.clock
            self.snap = self.sim.snapshot()
            self._caught_up = False
            self._quiet = False
        else:
            # (on a slow machine every frame may carry some: then the oldest wait goes first)
            self._quiet = ((self._caught_up and not self.people.busy)
                           or self.clock - self._quiet_at >= QUIET_WAIT_S)
            if self._quiet:
                self._quiet_at = self.clock
            if not self._caught_up:
                self._catch_up(self.snap)
            self.people.settle()
        self.people.walk(dt, self.speed)
        # Then the simulation, with what is left of the frame's budget once the drawing to
        # come is set aside (the longest of the last few draws of its kind: with or without
        # a band of the panel): a frame that carries heavy work plays less, the others catch up.
        self._banded = self._quiet and self.dashboard.stepping(self.clock)
        if not self.sim_error:
            budget = self.frame_budget_s
            deadline = (None if budget is None
                        else start + budget - max(self._draw_s[self._banded]))
            try:   # playback, eased around markers, or a slice of a timeline jump
                self.speed = self.presenter.advance(self.sim, dt, self.speed, deadline)
                if self.presenter.ready is not None:
                    self.adopt(self.presenter.take_ready())
            except Exception as e:  # noqa: BLE001 -- keep the page alive, show the fault
                self.sim_error = f"{type(e).__name__}: {e}"
            self._note_kept()

    def _note_kept(self) -> None:
        """The speed this machine actually keeps over the last second, shown beside the
        asked one when it falls short by more than ``KEPT_SHORT`` (playback given up past
        the cap of what may be owed: :attr:`Presenter.dropped_s`)."""
        pace = self._pace
        pace.append((self.clock, self.presenter.dropped_s))
        while len(pace) > 2 and self.clock - pace[1][0] >= KEPT_SPAN_S:
            pace.popleft()
        (t0, d0), (t1, d1) = pace[0], pace[-1]
        if t1 - t0 < KEPT_SPAN_S / 2 or self.speed <= 0:
            self.view.kept = None
            return
        kept = max(0.0, self.speed - (d1 - d0) / (t1 - t0))
        self.view.kept = two_digits(kept) if kept < self.speed * (1 - KEPT_SHORT) else None

    def _catch_up(self, snap: Snapshot) -> None:
        """Bring the layers up to the latest snapshot (the frame after it was taken)."""
        self._caught_up = True
        if self.machines.replan(snap):
            self._bake()
        self.machines.update(snap, self.clock)
        self.people.retarget(snap, snap.controls.multiplier, self.contents)
        self.dashboard.ticker.speed = self.speed      # the ticker folds more at high speed
        self.dashboard.update(snap)

    def draw(self, screen: pygame.Surface) -> None:
        """Draw the frame; on a snapshot frame the slot and label layers wait one frame.

        The panel and the desk are blitted only when they changed, or when something was
        drawn over them last frame (tooltip, help, message): the display keeps its pixels.
        """
        start = time.perf_counter()
        self._draw(screen)
        self._draw_s[self._banded].append(time.perf_counter() - start)

    def _draw(self, screen: pygame.Surface) -> None:
        fresh = not self._snapped
        world = self.world
        world.blit(self.background, (0, 0))
        self.machines.draw(world, self.snap, fresh=fresh)
        self.people_drawn = self.people.draw(world)
        if self._screen is not screen:
            self._screen = screen
            self._world_view = screen.subsurface(L.WORLD_RECT)
            self._blitted = None
        pygame.transform.scale(self._shown, L.WORLD_RECT.size, self._world_view)
        screen.set_clip(L.WORLD_RECT)     # signs cut at the view's edge, never over the panel
        screen.fblits(self.labels)
        screen.fblits(self.people.badge_blits(self.fonts, self.camera))
        self.machines.draw_headers(screen, self.snap, self.fonts, self.lang, self.camera, fresh)
        screen.set_clip(None)
        # timed repaints (a panel band, the desk) go on frames without a snapshot, so the
        # costs never add up in one frame; input repaints at once
        # The desk checks its values when the panel begins a repaint: the speed on the slider
        # and in the panel's header then always read the same instant (they differed while
        # the presenter eased the speed: x290 above, x240 below).
        began = self.dashboard.dirty
        if began:
            self.dashboard.redraw(self.view, self.clock)
        elif self._quiet:
            began = self.dashboard.step(self.view, self.clock)
        self.controls.paint(self.fonts, self.clock, timed=began)
        shown = (self.dashboard.version, self.controls.version)
        # ...and at least once a second anyway: a display that lost its pixels (a browser
        # canvas resized or re-created) heals itself instead of staying black
        if shown != self._blitted or self.clock - self._full_blit_at >= 1.0:
            self.dashboard.draw(screen)
            self.controls.draw(screen)
            self._blitted = shown
            self._full_blit_at = self.clock
        over = self.timeline.draw(screen, self.fonts, self.snap, self.presenter, self.lang,
                                  {st.name: st.label for st in self.snap.stations}, self.mouse)
        over = self._hover(screen) or over
        if self.message and self.clock < self.message_until:
            surf = self.fonts.label(self.message[:100], P.WHITE)
            box = pygame.Rect(8, L.WORLD_RECT.bottom - 26, surf.get_width() + 12, 20)
            screen.fill(P.RED_DARK, box)
            screen.blit(surf, (box.x + 6, box.y + 2))
            over = True
        if self.show_help:
            self.help.draw(screen, self.fonts, self.lang, self.snap)
            over = True
        if over:
            self._blitted = None

    def hover_lines(self, pos: tuple[int, int]) -> list[str] | None:
        """The tooltip for a screen point over the world (None: nothing there)."""
        if not self.camera.sees(pos):
            return None
        wx, wy = self.camera.to_world(*pos)
        snap = self.snap
        labels = {st.name: st.label for st in snap.stations}
        cid = self.people.hit(wx, wy)
        if cid is not None:
            person = next((p for p in snap.people if p.id == cid), None) or \
                next((p for p in snap.departures if p.id == cid), None)
            if person is not None:
                return tooltip.person_lines(person, self.people.wait_info(cid, snap.now_s),
                                            snap.now_s, self.lang, labels)
        hit = self.machines.hit(snap, wx, wy)
        if hit is not None:
            st, slot = hit
            return tooltip.slot_lines(st, slot, snap.now_s, self.lang)
        return None

    def _hover(self, screen: pygame.Surface) -> bool:
        """Draw the tooltip under the mouse, if any; True if one was drawn."""
        if self.mouse is None or self.show_help or self.controls.dragging:
            return False
        lines = self.hover_lines(self.mouse) or self.dashboard.hover(self.mouse, self.lang)
        if lines:
            tooltip.draw(screen, self.fonts, lines, self.mouse)
            return True
        return False
