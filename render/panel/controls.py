"""The operator's desk under the factory: sliders, toggles and buttons, and their shortcuts.

Why here and not in the widgets: this module knows River's knobs — which command a slider
sends, which stops it offers, how its value reads — while :mod:`render.panel.widgets` only knows
mice.  Values shown come from ``snapshot.controls`` so the desk always shows what the
simulation really runs with.

Why laid out from tables: the global sliders, the per-model capacity sliders and the button
rows are lists; the grid (:func:`slider_rows`) puts the global sliders in the first column and
the models' sliders, as many per column as there are global ones, in the columns after it.
Four models give today's two columns; eight models give three narrower ones, with no new
numbers anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.i18n import SCENARIO_NAMES, tr, word
from render.panel.widgets import Action, Button, Slider, Toggle
from render.state import ViewState

SPEEDS = [0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0]
#: a trace's speed multipliers (its mean rate x these: the spawn slider on a trace scenario)
TRACE_SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
SPAWN = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 15.0,
         20.0, 25.0, 30.0, 40.0, 60.0]
MULTIPLIERS = [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 20.0]
VIP = [i / 20 for i in range(21)]
OUTAGE_S = 600.0
CAPACITY_STOPS = 60      # a capacity slider reaches at least this, or twice the start
PAD = 10                 # desk margin
COLUMN_GAP = 12
ROW_H = 24
BUTTON_H = 26
BUTTON_GAP = 4
REPAINT_S = 0.25
#: A fingertip covers many pixels and hides what it presses: a touch that lands on no widget
#: goes to the nearest one within this many canvas pixels (the gaps and margins of the desk
#: become part of its targets; the nearest wins, so no press is ambiguous).
TOUCH_SLOP = 14
#: What a lit button means, as its colour: red for a danger the operator switched on (the
#: model is down, dispatch is stopped), green only for something good running.
LIT_TONES = {"outage": "danger", "dispatch": "danger", "autoscaler": "good"}
LIT_FACES = {"danger": P.RED_DARK, "good": P.GREEN_DARK, "neutral": P.BLUE_DARK}
#: The button rows, left to right: (button, width in pixels).
BUTTON_ROWS: tuple[tuple[tuple[str, int], ...], ...] = (
    (("model", 132), ("outage", 112), ("dispatch", 140), ("clear", 112), ("rent", 96),
     ("return", 96), ("share", 140)),
    (("autoscaler", 168), ("reset", 150), ("scenario", 224), ("lang", 88), ("help", 96),
     ("fullscreen", 112)),
)


def speed_text(speed: float) -> str:
    if speed <= 0:
        return "||"
    return f"×{speed:g}"


def slider_rows(n_models: int, rows: int, width: int) -> list[pygame.Rect]:
    """One row rectangle per slider: ``rows`` global ones in the first column, then the
    models' capacity sliders, ``rows`` per column, in as many columns as they need."""
    columns = 1 + max(1, math.ceil(n_models / rows))
    col_w = (width - 2 * PAD - (columns - 1) * COLUMN_GAP) // columns
    return [pygame.Rect(PAD + (i // rows) * (col_w + COLUMN_GAP), PAD - 2 + (i % rows) * ROW_H,
                        col_w, ROW_H - 2) for i in range(rows + n_models)]


def _slider(rect: pygame.Rect, label: Callable[[], str], values: list[float],
            current: Callable[[], float], action: Callable[[float], Action | None],
            fmt: Callable[[float], str], short: Callable[[], str] | None = None) -> Slider:
    """A slider whose label and value columns shrink with a narrow desk column."""
    wide = rect.w >= 400
    return Slider(rect, label, values, current, action, fmt,
                  label_w=128 if wide else rect.w * 5 // 12, value_w=64 if wide else 48,
                  short=short)


class Controls:
    """Builds the widgets for the view's state and routes events to them."""

    def __init__(self, view: ViewState) -> None:
        self.view = view
        self.widgets: list = []
        self.sliders: dict[str, Slider] = {}
        self.buttons: dict[str, Button] = {}
        self.surface = pygame.Surface(L.CONTROLS_RECT.size)
        if pygame.display.get_surface() is not None:
            self.surface = self.surface.convert()
        self.dirty = True
        self.painted = -1e9
        self.version = 0
        self._shown: tuple = ()
        self._columns: list[pygame.Rect] = []
        self._shift = (0, 0)               # a touch gesture's move onto its widget
        self.build()

    def build(self) -> None:
        """Sliders from the tables of knobs and the station list, then the button rows."""
        knobs = self._global_knobs()
        n_global = len(knobs)
        knobs += self._capacity_knobs()
        rows = slider_rows(len(knobs) - n_global, n_global, L.CONTROLS_RECT.w)
        self.sliders = {name: _slider(rect, *spec)
                        for (name, *spec), rect in zip(knobs, rows, strict=True)}
        self._columns = [r for r in rows if r.y == rows[0].y][1:]
        top = max(r.bottom for r in rows) + 2 * BUTTON_GAP
        self.buttons = self._buttons(top)
        self.widgets = [*self.sliders.values(), *self.buttons.values()]

    def _global_knobs(self) -> list[tuple]:
        """(name, label, stops, current, action, format) of the sliders for the whole run.

        The stops include the values the run starts with, so the knob sits on them exactly."""
        view = self.view
        start = view.snap.controls

        def now():
            return view.snap.controls

        base = start.trace_rate_per_min
        if base > 0:   # a trace: the spawn rate is a speed multiplier of the trace's own rate
            spawn = ("spawn", lambda: tr("sl_trace_speed", view.lang),
                     sorted({base * k for k in TRACE_SPEEDS} | {start.rate_per_min}),
                     lambda: now().rate_per_min, lambda v: ("spawn_rate", {"rate_per_min": v}),
                     lambda v: f"×{v / base:.3g}")
        else:
            spawn = ("spawn", lambda: tr("sl_spawn", view.lang),
                     sorted({*SPAWN, start.rate_per_min}), lambda: now().rate_per_min,
                     lambda v: ("spawn_rate", {"rate_per_min": v}), lambda v: f"{v:g}")
        return [
            spawn,
            ("vip", lambda: tr("sl_vip", view.lang), VIP, lambda: now().vip_share,
             lambda v: ("vip_share", {"share": v}), lambda v: f"{v * 100:.0f}%"),
            ("multiplier", lambda: tr("sl_multiplier", view.lang),
             sorted({*MULTIPLIERS, start.multiplier}), lambda: now().multiplier,
             lambda v: ("breaker_multiplier", {"multiplier": v}), lambda v: f"×{v:g}"),
            ("speed", lambda: tr("sl_speed", view.lang), SPEEDS, lambda: view.speed,
             lambda v: ("_speed", {"speed": v}), speed_text),
        ]

    def _capacity_knobs(self) -> list[tuple]:
        """One capacity slider per model, in the station list's order (in a narrow column a
        long label drops the word "slots": the column is all capacity sliders)."""
        view = self.view
        knobs = []
        for st in view.snap.stations:
            top = max(CAPACITY_STOPS, 2 * view.snap.controls.capacity[st.name])
            knobs.append((
                "capacity:" + st.name, lambda lab=st.label: tr("sl_capacity", view.lang, lab),
                [float(v) for v in range(top + 1)],
                lambda n=st.name: view.snap.controls.capacity[n],
                lambda v, n=st.name: ("capacity", {"model": n, "slots": int(v)}),
                lambda v: f"{int(v)}", lambda lab=st.label: lab))
        return knobs

    def _button_specs(self) -> dict[str, tuple]:
        """Button -> (label, action, lit); model buttons act on the selected model."""
        v = self.view
        lang = lambda: v.lang  # noqa: E731
        block = lambda: v.snap.controls.rent_slots  # noqa: E731
        auto = lambda: bool(v.snap.controls.autoscaler)  # noqa: E731
        return {
            "model": (lambda: tr("bt_model", lang(), v.station().label), lambda: ("_model", {}),
                      None),
            "outage": (lambda: tr("bt_outage", lang(), round(OUTAGE_S / 60)),
                       lambda: ("outage", {"model": v.model, "duration_s": OUTAGE_S}),
                       lambda: v.outage),
            "dispatch": (lambda: tr("bt_resume" if v.paused else "bt_pause", lang()),
                         lambda: ("resume" if v.paused else "pause", {"model": v.model}),
                         lambda: v.paused),
            "clear": (lambda: tr("bt_clear", lang()),
                      lambda: ("clear_queue", {"model": v.model}), None),
            "rent": (lambda: tr("bt_rent", lang(), block()),
                     lambda: ("rent", {"model": v.model, "slots": block()}), None),
            "return": (lambda: tr("bt_return", lang(), block()),
                       lambda: ("return", {"model": v.model, "slots": block()}), None),
            "autoscaler": (lambda: tr("bt_autoscaler", lang(), tr("on" if auto() else "off",
                                                                  lang())),
                           lambda: ("autoscaler", {"on": not auto()}), auto),
            "reset": (lambda: tr("bt_reset", lang()), lambda: ("_reset", {}), None),
            "scenario": (lambda: tr("bt_scenario", lang(),
                                    word(v.scenario_name, lang(), SCENARIO_NAMES)),
                         lambda: ("_scenario", {}), None),
            "lang": (lambda: tr("bt_lang", lang()), lambda: ("_lang", {}), None),
            "help": (lambda: tr("bt_help", lang()), lambda: ("_help", {}),
                     lambda: v.show_help),
            "fullscreen": (lambda: tr("bt_fullscreen", lang()), lambda: ("_fullscreen", {}),
                           None),
            "share": (lambda: tr("bt_share", lang()), lambda: ("_share", {}), None),
        }

    def _buttons(self, top: int) -> dict[str, Button]:
        specs = self._button_specs()
        buttons: dict[str, Button] = {}
        y = top
        for row in BUTTON_ROWS:
            x = PAD
            for name, w in row:
                label, action, lit = specs[name]
                cls = Toggle if name == "autoscaler" else Button
                buttons[name] = cls(pygame.Rect(x, y, w - BUTTON_GAP, BUTTON_H), label, action,
                                    lit or (lambda: False))
                buttons[name].lit_face = LIT_FACES[LIT_TONES.get(name, "neutral")]
                x += w + 2
            y += BUTTON_H + BUTTON_GAP
        return buttons

    def handle(self, event: pygame.event.Event) -> list[Action]:
        """Route a screen-space event to the widgets (which live in desk coordinates)."""
        self.dirty = True
        if hasattr(event, "pos"):
            ox, oy = L.CONTROLS_RECT.topleft
            pos = (event.pos[0] - ox, event.pos[1] - oy)
            if getattr(event, "touch", False):
                pos = self._finger(event.type, pos)
            event = pygame.event.Event(event.type, {**event.dict, "pos": pos})
        out = []
        for w in self.widgets:
            act = w.handle(event)
            if act is not None:
                out.append(act)
        return out

    def _finger(self, kind: int, pos: tuple[int, int]) -> tuple[int, int]:
        """A touch's point, moved onto the nearest widget when the finger landed within
        :data:`TOUCH_SLOP` of it but on none; the press's shift holds for its whole gesture
        (a drag slides along the slider it grabbed)."""
        if kind == pygame.MOUSEBUTTONDOWN:
            self._shift = (0, 0)
            areas = [w.track.inflate(12, 16) if isinstance(w, Slider) else w.rect
                     for w in self.widgets]
            if not any(a.collidepoint(pos) for a in areas):
                near = min(areas, key=lambda a: _distance(a, pos), default=None)
                if near is not None and _distance(near, pos) <= TOUCH_SLOP:
                    x = min(max(pos[0], near.left), near.right - 1)
                    y = min(max(pos[1], near.top), near.bottom - 1)
                    self._shift = (x - pos[0], y - pos[1])
        return pos[0] + self._shift[0], pos[1] + self._shift[1]

    @staticmethod
    def on_screen(rect: pygame.Rect) -> pygame.Rect:
        """A widget rectangle in screen coordinates (for tests and tooltips)."""
        return rect.move(L.CONTROLS_RECT.topleft)

    @property
    def dragging(self) -> bool:
        return any(s.dragging is not None for s in self.sliders.values())

    def shown(self) -> tuple:
        """Everything the desk shows; a timed repaint is skipped while it stays the same."""
        return (self.view.lang, tuple(w.shown_state() for w in self.widgets))

    def paint(self, fonts: Fonts, clock: float, timed: bool = True) -> None:
        """Repaint the desk after input, or when a value it shows has moved.

        Values are checked a few times a second (``timed`` False skips the check on a frame
        that already carries heavy work); repainting ~80 fills and labels only when something
        changed keeps the desk off the frame budget while the factory just runs.
        ``version`` counts repaints, so the app blits the desk only when it changed.
        """
        if self.dirty or (timed and clock - self.painted >= REPAINT_S):
            self.painted = clock
            shown = self.shown()
            if self.dirty or shown != self._shown:
                self._shown = shown
                self._paint(fonts)
                self.version += 1
            self.dirty = False

    def draw(self, screen: pygame.Surface, fonts: Fonts | None = None,
             clock: float | None = None) -> None:
        """Blit the desk (repainting it first when given the fonts and the clock)."""
        if fonts is not None and clock is not None:
            self.paint(fonts, clock)
        screen.blit(self.surface, L.CONTROLS_RECT.topleft)

    def _paint(self, fonts: Fonts) -> None:
        surf = self.surface
        surf.fill(P.PANEL_BG)
        surf.fill(P.PANEL_LINE, pygame.Rect(0, 0, surf.get_width(), 2))
        rows = [s.rect for s in self.sliders.values()]
        height = max(r.bottom for r in rows) - rows[0].y
        for col in self._columns:      # a rule between slider columns
            surf.fill(P.PANEL_LINE, pygame.Rect(col.x - COLUMN_GAP // 2, col.y, 1, height))
        for w in self.widgets:
            w.draw(surf, fonts)


#: Keys -> actions.  Digits pick a model by its place in the station list; letters press the
#: selected model's buttons (``_press``) or act on the view.
SHORTCUTS: dict[int, Action] = {
    pygame.K_SPACE: ("_toggle_play", {}),
    pygame.K_PLUS: ("_faster", {}),
    pygame.K_EQUALS: ("_faster", {}),
    pygame.K_KP_PLUS: ("_faster", {}),
    pygame.K_MINUS: ("_slower", {}),
    pygame.K_KP_MINUS: ("_slower", {}),
    pygame.K_o: ("_press", {"button": "outage"}),
    pygame.K_p: ("_press", {"button": "dispatch"}),
    pygame.K_c: ("_press", {"button": "clear"}),
    pygame.K_r: ("_press", {"button": "rent"}),
    pygame.K_t: ("_press", {"button": "return"}),
    pygame.K_a: ("_press", {"button": "autoscaler"}),
    pygame.K_n: ("_reset", {}),
    pygame.K_s: ("_scenario", {}),
    pygame.K_l: ("_lang", {}),
    pygame.K_h: ("_help", {}),
    pygame.K_F1: ("_help", {}),
    pygame.K_ESCAPE: ("_close_help", {}),
    pygame.K_u: ("_share", {}),
    **{pygame.K_1 + i: ("_pick", {"index": i}) for i in range(9)},
}


def _distance(rect: pygame.Rect, pos: tuple[int, int]) -> float:
    """Pixels from ``pos`` to the nearest pixel of ``rect`` (0 inside)."""
    dx = max(rect.left - pos[0], 0, pos[0] - (rect.right - 1))
    dy = max(rect.top - pos[1], 0, pos[1] - (rect.bottom - 1))
    return math.hypot(dx, dy)
