"""The app: one simulation, its view, and the operator's input, stepped once per frame.

Why a class and not code in ``main.py``: tests drive the very same object with synthetic
events and fixed time steps (no window, no event loop), and the benchmark times its
``step``/``draw``.  The order inside a frame never changes: input -> commands, advance the
simulation by real dt x speed (speed is playback, never a command), update the layers from one
snapshot, draw.  The renderer changes the simulation only through ``sim.command``.
"""

from __future__ import annotations

import pathlib

import pygame

from render import background, tooltip
from render import layout as L
from render import palette as P
from render.controls import SHORTCUTS, SPEEDS, Controls
from render.dashboard import Dashboard
from render.fonts import Fonts
from render.help import HelpOverlay
from render.i18n import CONTENT, tr, word
from render.machines import Machines
from render.people import People
from render.presenter import Presenter
from render.sprites import Sprites
from render.timeline import Timeline
from sim import CommandError, Simulation, load_scenario
from sim.scenario import SCENARIO_DIR, resolve_path

MAX_DT_S = 0.1   # a stalled tab must not fast-forward the factory in one frame
SNAP_EVERY_S = 1 / 20   # snapshots (and re-seating) per real second; walking runs every frame
DEFAULT_SPEED = 30.0


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


class App:
    """Everything on screen for one running simulation."""

    def __init__(self, scenario: str | None = None, seed: int | None = None, lang: str = "en",
                 speed: float = DEFAULT_SPEED, overrides: tuple[str, ...] = (),
                 commands: list | tuple = ()) -> None:
        self.lang = lang
        self._replay = list(commands)      # a recorded session, replayed on the first load
        self.speed = speed
        self.overrides = overrides
        self.fonts = Fonts()
        self.sprites = Sprites()
        self.help = HelpOverlay(self.sprites)
        self.show_help = False
        self.clock = 0.0                   # real seconds since start (animations)
        self.mouse: tuple[int, int] | None = None
        self.world = pygame.Surface((L.WORLD_W, L.WORLD_H))
        if pygame.display.get_surface() is not None:
            self.world = self.world.convert()
        self.world_big = pygame.Surface(L.WORLD_RECT.size)   # the benchmark's ceiling uses it
        self._screen: pygame.Surface | None = None
        self._world_view: pygame.Surface | None = None
        self.message = ""
        self.message_until = 0.0
        self.people_drawn = 0
        self.load(scenario or "default", seed)

    # -- life cycle ---------------------------------------------------------------------------
    def session(self) -> dict:
        """What replays this run headless: scenario, seed, simulated time, the operator's
        commands, and the event-log hash the replay must reproduce."""
        return {"scenario": str(self.scenario_path), "seed": self.seed,
                "sim_seconds": self.sim.now, "overrides": list(self.overrides),
                "event_log_sha256": self.sim.event_log_sha256(),
                "commands": [c.to_json() for c in self.presenter.commands(self.sim)]}

    def load(self, scenario: str, seed: int | None) -> None:
        """(Re)start on a scenario (a path, or a name in the packaged ``scenarios/``)."""
        path = resolve_path(scenario)
        sc = load_scenario(path, self.overrides)
        self.scenario_path = path
        self.scenario_name = pathlib.Path(path).stem
        self.seed = int(sc.run.seed if seed is None else seed)
        self.adopt(Simulation(sc, seed=self.seed, commands=self._replay))
        self._replay = []
        self.presenter = Presenter(self.sim)
        self.timeline = Timeline()

    def adopt(self, sim: Simulation) -> None:
        """Show ``sim`` with fresh layers: a new run, or a timeline jump's replay of this one."""
        sc = sim.scenario
        self.sim = sim
        self.sim_error = ""
        self.snap = self.sim.snapshot()
        self._snap_clock = -1.0
        self._snapped = True
        self._caught_up = True
        self._group_cache: tuple | None = None
        self._blitted: tuple | None = None
        self._full_blit_at = 0.0
        self.model = self.snap.stations[0].name
        self.contents = {st.name: st.content for st in self.snap.stations}
        self.people = People(self.sprites, list(sc.tiers))
        self.machines = Machines(self.sprites)
        self.machines.provision_s = sc.autoscaler.provision_s
        self.max_rented = {name: m.max_rented for name, m in sc.models.items()}
        self.machines.replan(self.snap, self.max_rented)
        self.dashboard = Dashboard(self.fonts)
        self.controls = Controls(self)
        self._bake()

    def _bake(self) -> None:
        groups = list(self.machines.groups.values())
        self.background = background.build_world(groups, self.sprites).convert()
        self.labels = background.world_labels(self.fonts, self.lang, groups)
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
            actions.extend(self.timeline.handle(event) or self.controls.handle(event))
        for act in actions:
            self.apply(*act)
        return actions

    def apply(self, name: str, args: dict) -> None:
        if name.startswith("_"):
            self._local(name, args)
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

    def _local(self, name: str, args: dict) -> None:
        self.controls.dirty = True
        if name == "_speed":
            self.speed = float(args["speed"])
        elif name in ("_faster", "_slower"):
            i = min(range(len(SPEEDS)), key=lambda k: abs(SPEEDS[k] - self.speed))
            i = min(len(SPEEDS) - 1, i + 1) if name == "_faster" else max(0, i - 1)
            self.speed = SPEEDS[i]
        elif name == "_toggle_play":
            self._resume_speed = getattr(self, "_resume_speed", DEFAULT_SPEED)
            if self.speed > 0:
                self._resume_speed, self.speed = self.presenter.cruise or self.speed, 0.0
            else:
                self.speed = self._resume_speed
        elif name == "_model":
            names = [st.name for st in self.snap.stations]
            self.model = names[(names.index(self.model) + 1) % len(names)]
        elif name == "_pick":
            names = [st.name for st in self.snap.stations]
            if args["index"] < len(names):
                self.model = names[args["index"]]
        elif name == "_reset":
            self.load(str(self.scenario_path), self.seed + 1)
        elif name == "_scenario":
            names = scenario_names()
            cur = self.scenario_name
            nxt = names[(names.index(cur) + 1) % len(names)] if cur in names else names[0]
            self.load(nxt, None)
        elif name == "_lang":
            self.lang = "zh" if self.lang == "en" else "en"
            self._bake()
        elif name == "_help":
            self.show_help = not self.show_help
        elif name == "_close_help":
            self.show_help = False
        elif name == "_jump":
            self.presenter.jump(self.sim, args["t_s"])
        else:  # shortcuts for the selected model's buttons
            button = {"_outage": "outage", "_dispatch": "dispatch", "_clear": "clear",
                      "_rent": "rent", "_return": "return", "_autoscaler": "autoscaler"}[name]
            self.apply(*self.controls.buttons[button].action())
        self.dashboard.dirty = True

    def say(self, text: str) -> None:
        self.message = text
        self.message_until = self.clock + 4.0

    # -- helpers the controls read ---------------------------------------------------------------
    def station(self, name: str | None = None):
        name = name or self.model
        return next((st for st in self.snap.stations if st.name == name), self.snap.stations[0])

    def model_label(self) -> str:
        return self.station().label

    def model_paused(self) -> bool:
        return bool(self.station().paused)

    def model_outage(self) -> bool:
        return self.station().outage_until_s > self.snap.now_s

    # -- the frame ------------------------------------------------------------------------------
    def step(self, dt_real: float) -> None:
        """Advance the simulation by ``dt_real`` x speed and update every layer."""
        dt = max(0.0, min(MAX_DT_S, dt_real))
        self.clock += dt
        if not self.sim_error:
            try:   # playback, eased around markers, or a slice of a timeline jump
                self.speed = self.presenter.advance(self.sim, dt, self.speed)
                if self.presenter.ready is not None:
                    self.adopt(self.presenter.take_ready())
            except Exception as e:  # noqa: BLE001 -- keep the page alive, show the fault
                self.sim_error = f"{type(e).__name__}: {e}"
        # One heavy piece of Python per frame.  A snapshot frame takes the snapshot and
        # nothing else; the next frame brings the layers up to it (machines, ticker) and
        # starts the re-seating, whose second slice runs on the frame after (People.settle).
        # A snapshot waits until the last re-seating has finished.
        self._snapped = (self.clock - self._snap_clock >= SNAP_EVERY_S
                         and not self.people.busy)
        if self._snapped:
            self._snap_clock = self.clock
            self.snap = self.sim.snapshot()
            self._caught_up = False
            self.machines.clock = self.clock
        else:
            self.machines.clock = self.clock
            if not self._caught_up:
                self._catch_up(self.snap)
            self.people.settle()
        self.people.walk(dt, self.speed)

    def _catch_up(self, snap) -> None:
        """Bring the layers up to the latest snapshot (the frame after it was taken)."""
        self._caught_up = True
        if self.machines.replan(snap, self.max_rented):
            self._bake()
        self.machines.update(snap, self.clock)
        self.people.retarget(snap, snap.controls["multiplier"], self.contents)
        # the snapshot's 16-record ticker misses most events at 600x; the log's public
        # ``recent`` keeps 256 (read-only: it only flushes the hash buffer)
        self.dashboard.update(snap, self.sim.log.recent(256))

    def draw(self, screen: pygame.Surface) -> None:
        """Draw the frame; on a snapshot frame the slot and label layers wait one frame.

        The panel and the desk are blitted only when they changed, or when something was
        drawn over them last frame (tooltip, help, message): the display keeps its pixels.
        """
        fresh = not self._snapped
        world = self.world
        world.blit(self.background, (0, 0))
        self.machines.draw(world, self.snap, fresh=fresh)
        self.people_drawn = self.people.draw(world)
        if self._screen is not screen:
            self._screen = screen
            self._world_view = screen.subsurface(L.WORLD_RECT)
            self._blitted = None
        pygame.transform.scale(world, L.WORLD_RECT.size, self._world_view)
        screen.fblits(self.labels)
        self._group_labels(screen, fresh)
        # timed repaints (a panel band, the desk) go on frames without a snapshot, so the
        # costs never add up in one frame; input repaints at once
        if self.dashboard.dirty:
            self.dashboard.redraw(self, self.clock)
        elif fresh:
            self.dashboard.step(self, self.clock)
        self.controls.paint(self.fonts, self.clock, timed=fresh)
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
            self.help.draw(screen, self.fonts, self.lang)
            over = True
        if over:
            self._blitted = None

    def _group_labels(self, screen: pygame.Surface, fresh: bool = True) -> None:
        """Each group's header line; rebuilt when the snapshot, language or plan changed."""
        key = (self.lang, self.machines.groups, self.machines.overflow)
        cached = self._group_cache
        if cached is None or cached[1] != key or (fresh and cached[0] is not self.snap):
            cached = self._group_cache = (self.snap, key, self._group_blits())
        screen.fblits(cached[2])

    def _group_blits(self) -> list[tuple]:
        f = self.fonts
        lang = self.lang
        now = self.snap.now_s
        blits = []
        for st in self.snap.stations:
            g = self.machines.groups.get(st.name)
            if g is None:
                continue
            sx, sy = L.to_screen(g.header.x + 2, g.header.y)
            color = P.CONTENT_COLORS.get(st.content, P.SILVER)
            head = f"{st.label} {word(st.content, lang, CONTENT)}"
            surf = f.label(head, color)
            blits.append((surf, (sx, sy + 4)))
            x = sx + surf.get_width() + 12
            marks = []
            if st.outage_until_s > now:
                marks.append(("outage", P.RED))
            if st.circuit == "open":
                marks.append(("circuit_open", P.RED))
            elif st.circuit == "half_open":
                marks.append(("circuit_half_open", P.YELLOW))
            if st.paused:
                marks.append(("paused", P.ORANGE))
            for key, c in marks:
                m = f.label(tr(key, lang), c)
                blits.append((m, (x, sy + 4)))
                x += m.get_width() + 8
            if st.batch_max > 1:
                n = min(st.num_requests_waiting, st.batch_max)
                m = f.label(tr("basket", lang, n, st.batch_max), P.YELLOW)
                bx, _ = L.to_screen(g.header.right - 66, 0)
                blits.append((m, (bx - m.get_width(), sy + 4)))
            hidden = self.machines.overflow.get(st.name)
            if hidden:
                m = f.label(f"+{hidden}", P.WHITE)
                blits.append((m, (L.to_screen(g.base_area.right, 0)[0] - m.get_width() - 2,
                                  L.to_screen(0, g.base_area.bottom)[1] - 16)))
        return blits

    def hover_lines(self, pos: tuple[int, int]) -> list[str] | None:
        """The tooltip for a screen point over the world (None: nothing there)."""
        if not L.WORLD_RECT.collidepoint(pos):
            return None
        wx, wy = L.to_world(*pos)
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
            return tooltip.slot_lines(st, slot, snap.now_s, self.lang, self.machines.provision_s)
        return None

    def _hover(self, screen: pygame.Surface) -> bool:
        """Draw the tooltip under the mouse, if any; True if one was drawn."""
        if self.mouse is None or self.show_help or self.controls.dragging:
            return False
        lines = self.hover_lines(self.mouse)
        if lines:
            tooltip.draw(screen, self.fonts, lines, self.mouse)
            return True
        return False
