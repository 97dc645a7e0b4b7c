"""The test page's window into the running app (runs in Pyodide before main.main).

Why: main.main keeps its App in a local variable and loops forever; the tests need to read
the app (simulation clock, sliders, recorded commands, event-log hash) and time its frames.
``install`` wraps ``App.__init__`` to keep the instance, ``App.step``/``App.draw``,
``Display.present`` and ``pygame.display.flip`` to time them, ``App.handle`` to count events
by type, and registers ``river_harness`` so JavaScript can call ``river_harness.report()``
and friends.  Nothing here changes what the app does.

The clock: pygame's ``Clock`` is swapped for :class:`_Clock`, which paces frames like
pygame's (``tick(60)``) until told ``fast`` (``install(root, "fast")`` or
``set_clock("fast")``): then ``tick`` returns at once with 40-100 ms (seeded, irregular), so
the frame loop cuts simulated time at irregular instants as fast as the page can draw (the
same-run test), or with 100 ms (``"skip"``: the benchmark fast-forwards to its scene).
``profile(frames)`` runs cProfile over the next frames' step and draw; ``time_sections``
times named functions per frame (the benchmark's breakdown, without cProfile's overhead).
"""

import json
import os
import random
import sys
import time
import traceback


def install(app_root, clock="real"):
    os.chdir(app_root)
    sys.path.insert(0, app_root)
    import pygame

    import render.app as app_module

    state = _State()
    sys.modules["river_harness"] = _Module(state)
    cls = app_module.App
    init, step, draw, handle = cls.__init__, cls.step, cls.draw, cls.handle
    flip = pygame.display.flip

    def kept_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        state.app = self
        state.apps += 1

    def timed_step(self, dt_real):
        t0 = time.perf_counter()
        state.run(step, self, dt_real)
        state.step_ms.append((time.perf_counter() - t0) * 1000.0)

    def timed_draw(self, screen):
        t0 = time.perf_counter()
        state.run(draw, self, screen)
        state.draw_ms.append((time.perf_counter() - t0) * 1000.0)

    def counted_handle(self, event):
        name = pygame.event.event_name(event.type)
        state.events[name] = state.events.get(name, 0) + 1
        return handle(self, event)

    def counted_flip(*args):
        t0 = time.perf_counter()
        flip(*args)
        now = time.perf_counter()
        state.flip_ms.append((now - t0) * 1000.0)
        if state.last_flip is not None:
            state.interval_ms.append((now - state.last_flip) * 1000.0)
        state.last_flip = now
        state.frames += 1
        if state.app is not None:
            state.people.append(state.app.people_drawn)
            state.badged.append(getattr(state.app.people, "badged", 0))
            state.inside.append(len(state.app.snap.people))
            state.sim_t.append(state.app.sim.now)
            state.owed.append(getattr(state.app.presenter, "owed_s", 0.0))
        if state.timing is not None:
            state.sections.append(state.timing)
            state.timing = {}

    cls.__init__, cls.step, cls.draw = kept_init, timed_step, timed_draw
    cls.handle = counted_handle
    _time_present(state)
    pygame.display.flip = counted_flip
    _Clock.mode = clock
    _Clock.real = pygame.time.Clock
    pygame.time.Clock = _Clock


def _time_present(state):
    """Time ``render.display.Display.present`` (the canvas shown in the window), if any."""
    try:
        from render.display import Display
    except ImportError:
        return
    present = Display.present

    def timed_present(self, *args, **kwargs):
        state.display = self
        t0 = time.perf_counter()
        try:
            return present(self, *args, **kwargs)
        finally:
            state.present_ms.append((time.perf_counter() - t0) * 1000.0)

    Display.present = timed_present


class _Clock:
    """pygame's Clock, or (mode "fast"/"skip") one that returns at once; see the module doc."""

    mode = "real"
    real = None

    def __init__(self):
        self._clock = _Clock.real()
        self._rng = random.Random(9)

    def tick(self, framerate=0):
        if _Clock.mode == "fast":
            return self._rng.randint(40, 100)
        if _Clock.mode == "skip":
            return 100
        return self._clock.tick(framerate)

    def get_fps(self):
        return self._clock.get_fps()


class _State:
    def __init__(self):
        self.app = None
        self.display = None                # main.py's Display (its touch: the loupe)
        self.apps = 0                      # App objects made so far (one per main.main run)
        self.frames = 0
        self.events = {}                   # pygame event name -> count the app handled
        self.last_flip = None
        self.interval_ms, self.step_ms, self.draw_ms, self.flip_ms = [], [], [], []
        self.present_ms = []
        self.people, self.inside, self.sim_t = [], [], []
        self.owed = []                     # simulated seconds playback owes the clock
        self.badged = []                   # customers counted in "+N" badges
        self.timing = None                 # section -> ms in this frame (time_sections)
        self.sections = []                 # one such dict per frame
        self.profiler = None
        self.profile_left = 0
        self.profile_text = ""

    def run(self, fn, *args):
        """Call ``fn``, under cProfile while a profile is being taken."""
        if self.profiler is None:
            return fn(*args)
        self.profiler.enable()
        try:
            return fn(*args)
        finally:
            self.profiler.disable()
            if fn.__name__ == "draw":
                self.profile_left -= 1
                if self.profile_left <= 0:
                    self._finish_profile()

    def _finish_profile(self):
        import io
        import pstats

        out = io.StringIO()
        stats = pstats.Stats(self.profiler, stream=out)
        stats.sort_stats("tottime").print_stats(35)
        stats.sort_stats("cumulative").print_stats(45)
        self.profile_text = out.getvalue()
        self.profiler = None


class _Module:
    """What JavaScript sees as ``river_harness``."""

    def __init__(self, state):
        self.state = state

    def clear(self):
        """Forget the timings so far (the benchmark measures a window)."""
        s = self.state
        for samples in (s.interval_ms, s.step_ms, s.draw_ms, s.flip_ms, s.present_ms,
                        s.people, s.badged, s.inside, s.sim_t, s.owed, s.sections):
            samples.clear()

    def time_sections(self, names):
        """Time each ``"module:Class.method"`` (or ``"module:function"``, or ``"gc"``: the
        collector's pauses) per frame; returns the names that do not exist (JSON)."""
        import gc
        import importlib

        state = self.state
        state.timing = {}
        missing = []
        for name in names:
            if name == "gc":
                gc.callbacks.append(_gc_timer(state))
                continue
            module_name, _, attr = name.partition(":")
            try:
                owner = importlib.import_module(module_name)
                *path, last = attr.split(".")
                for part in path:
                    owner = getattr(owner, part)
                setattr(owner, last, _timed(getattr(owner, last), name, state))
            except (ImportError, AttributeError):
                missing.append(name)
        return json.dumps(missing)

    def set_clock(self, mode):
        """Switch the clock; playback owed to the old one (a fast clock asks for far more
        simulated time a frame than a frame's budget plays) is forgiven."""
        _Clock.mode = mode
        presenter = getattr(self.state.app, "presenter", None)
        if presenter is not None:
            presenter.owed_s = 0.0

    def quit(self):
        """Ask the running main.main to end (as closing the window does)."""
        import pygame

        pygame.event.post(pygame.event.Event(pygame.QUIT))

    def profile(self, frames):
        import cProfile

        self.state.profile_text = ""
        self.state.profile_left = int(frames)
        self.state.profiler = cProfile.Profile()

    def profile_text(self):
        return self.state.profile_text

    def report(self, last=2000):
        """The app's state and the last ``last`` frames' timings, as JSON."""
        s = self.state
        out = {"frames": s.frames, "app": s.app is not None, "apps": s.apps,
               "events": dict(s.events)}
        for name in ("interval_ms", "step_ms", "draw_ms", "flip_ms", "present_ms", "people",
                     "badged", "inside", "sim_t", "owed", "sections"):
            out[name] = getattr(s, name)[-last:]
        touch = getattr(s.display, "touch", None)
        if touch is not None:
            loupe = touch.loupe
            out["touch"] = {"loupe": None if loupe is None else list(loupe), "k": touch.k,
                            "offset": None if loupe is None else list(touch.offset()),
                            "fingers": len(touch.fingers)}
        app = s.app
        if app is not None:
            try:
                out.update(_app_state(app))
            except Exception:  # noqa: BLE001 -- the report must say why, not vanish
                out["report_error"] = traceback.format_exc()
        return json.dumps(out)


def _timed(fn, name, state):
    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            ms = (time.perf_counter() - t0) * 1000.0
            state.timing[name] = state.timing.get(name, 0.0) + ms

    return timed


def _gc_timer(state):
    started = [0.0]

    def callback(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        elif state.timing is not None:
            name = f"gc (generation {info['generation']})"
            ms = (time.perf_counter() - started[0]) * 1000.0
            state.timing[name] = state.timing.get(name, 0.0) + ms

    return callback


def _plain(view):
    """A snapshot record (a slots dataclass of numbers and mappings) as JSON-ready data."""
    import dataclasses

    return {f.name: (dict(v) if hasattr(v := getattr(view, f.name), "items") else v)
            for f in dataclasses.fields(view)}


def _app_state(app):
    sliders = {}
    for name, slider in app.controls.sliders.items():
        track = app.controls.on_screen(slider.track)
        sliders[name] = {"track": [track.x, track.y, track.w, track.h],
                         "values": list(slider.values), "shown": slider.shown()}
    buttons = {name: list(app.controls.on_screen(b.rect))
               for name, b in app.controls.buttons.items()}
    presenter = getattr(app, "presenter", None)
    return {"sim_now": app.sim.now, "speed": app.speed, "lang": app.lang,
            "cruise": getattr(presenter, "cruise", None),     # the operator's speed
            "scenario": app.scenario_name, "seed": app.seed, "model": app.model,
            "show_help": app.show_help, "sim_error": app.sim_error,
            "message": getattr(app, "message", ""),
            "jumping": bool(getattr(presenter, "busy", False)),
            "people_drawn": app.people_drawn, "inside_now": len(app.snap.people),
            "event_log_sha256": app.sim.event_log_sha256(),
            "commands": [c.to_json() for c in app.sim.recorded_commands()],
            "base_slots": {st.name: sum(1 for s in st.slots
                                        if not s.rented and s.state.value != "draining")
                           for st in app.snap.stations},
            "controls": _plain(app.snap.controls),
            "sliders": sliders, "buttons": buttons,
            "labels": [b.label() for b in app.controls.buttons.values()],
            "follow": _follow_state(app),
            "twin": _twin_state(app)}


def _follow_state(app):
    """Who is followed (issue 22), the camera, the customer's card as shown and where the
    followed person is on the canvas."""
    follower = getattr(app, "follower", None)
    if follower is None:
        return None
    f = follower.follow
    card = next((c for c in app.overlays.cards.cards if c.key == "customer"), None)
    actor = app.people.actors.get(f.cid) if f.cid is not None else None
    cam = app.camera
    return {"cid": f.cid, "after": f.after, "on": f.on, "camera": [cam.zoom, cam.x, cam.y],
            "card": None if card is None else [card.title, *card.lines],
            "state": None if app.snap.follow is None else app.snap.follow.state,
            "at": None if actor is None else list(cam.to_screen(actor.x, actor.y - 6)),
            "feet": None if actor is None else [actor.x, actor.y]}


def _twin_state(app):
    """The live twin's card: open, since, lag, and the figures last read (render/twin.py)."""
    desk = getattr(app, "twin", None)
    if desk is None or desk.cmp is None:
        return {"open": False}
    return {"open": True, "since_s": desk.cmp.t_s, "lag_s": desk.lag_s(app.sim),
            "shown": desk.shown, "title": desk.title(app.lang),
            "changes": [c.to_json() for c in desk.cmp.changes]}
