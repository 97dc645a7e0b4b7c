"""The operator's desk under the factory: sliders, toggles and buttons, and their shortcuts.

Why here and not in the widgets: this module knows River's knobs — which command a slider
sends, which stops it offers, how its value reads — while :mod:`render.widgets` only knows
mice.  Values shown come from ``snapshot.controls`` so the desk always shows what the
simulation really runs with.
"""

from __future__ import annotations

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.i18n import tr
from render.widgets import Action, Button, Slider, Toggle

SPEEDS = [0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0]
SPAWN = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 15.0,
         20.0, 25.0, 30.0, 40.0, 60.0]
MULTIPLIERS = [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 20.0]
VIP = [i / 20 for i in range(21)]
OUTAGE_S = 600.0
ROW_H = 24
REPAINT_S = 0.25


def speed_text(speed: float) -> str:
    if speed <= 0:
        return "||"
    return f"×{speed:g}"


class Controls:
    """Builds the widgets for the current app state and routes events to them."""

    def __init__(self, app) -> None:
        self.app = app
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
        self.build()

    def build(self) -> None:
        app = self.app
        x0, x1 = 10, 438
        w = 416
        y = 8

        def controls():
            return app.snap.controls

        def row(col_x: int, i: int) -> pygame.Rect:
            return pygame.Rect(col_x, y + i * ROW_H, w, ROW_H - 2)

        rate0 = app.sim.scenario.arrivals.rate_per_min
        s = {}
        s["spawn"] = Slider(row(x0, 0), lambda: tr("sl_spawn", app.lang),
                            sorted(set(SPAWN + [rate0])), lambda: controls()["rate_per_min"],
                            lambda v: ("spawn_rate", {"rate_per_min": v}), lambda v: f"{v:g}")
        s["vip"] = Slider(row(x0, 1), lambda: tr("sl_vip", app.lang), VIP,
                          lambda: controls()["vip_share"],
                          lambda v: ("vip_share", {"share": v}), lambda v: f"{v * 100:.0f}%")
        s["multiplier"] = Slider(row(x0, 2), lambda: tr("sl_multiplier", app.lang),
                                 sorted(set(MULTIPLIERS + [app.sim.multiplier])),
                                 lambda: controls()["multiplier"],
                                 lambda v: ("breaker_multiplier", {"multiplier": v}),
                                 lambda v: f"×{v:g}")
        s["speed"] = Slider(row(x0, 3), lambda: tr("sl_speed", app.lang), SPEEDS,
                            lambda: app.speed, lambda v: ("_speed", {"speed": v}), speed_text)
        for i, st in enumerate(app.snap.stations[:4]):
            base = app.sim.scenario.models[st.name].slots
            top = max(60, base * 2)
            s["capacity:" + st.name] = Slider(
                row(x1, i), lambda lab=st.label: tr("sl_capacity", app.lang, lab),
                [float(v) for v in range(top + 1)],
                lambda n=st.name: controls()["capacity"][n],
                lambda v, n=st.name: ("capacity", {"model": n, "slots": int(v)}),
                lambda v: f"{int(v)}")
        self.sliders = s
        b = {}
        by = y + 4 * ROW_H + 6
        bh = 26
        widths = [132, 112, 140, 112, 96, 96]
        keys = ["model", "outage", "dispatch", "clear", "rent", "return"]
        bx = x0
        model_label = lambda: tr("bt_model", app.lang, app.model_label())  # noqa: E731
        labels = {
            "model": model_label,
            "outage": lambda: tr("bt_outage", app.lang),
            "dispatch": lambda: tr("bt_resume" if app.model_paused() else "bt_pause", app.lang),
            "clear": lambda: tr("bt_clear", app.lang),
            "rent": lambda: tr("bt_rent", app.lang),
            "return": lambda: tr("bt_return", app.lang),
        }
        actions = {
            "model": lambda: ("_model", {}),
            "outage": lambda: ("outage", {"model": app.model, "duration_s": OUTAGE_S}),
            "dispatch": lambda: (("resume" if app.model_paused() else "pause"),
                                 {"model": app.model}),
            "clear": lambda: ("clear_queue", {"model": app.model}),
            "rent": lambda: ("rent", {"model": app.model, "slots": 5}),
            "return": lambda: ("return", {"model": app.model, "slots": 5}),
        }
        lit = {"dispatch": app.model_paused, "outage": app.model_outage}
        for k, bw in zip(keys, widths, strict=True):
            b[k] = Button(pygame.Rect(bx, by, bw - 4, bh), labels[k], actions[k],
                          lit.get(k, lambda: False))
            bx += bw + 2
        by += bh + 4
        bx = x0
        row2 = [
            ("autoscaler", 168, lambda: tr("bt_autoscaler", app.lang,
                                           tr("on" if controls()["autoscaler"] else "off",
                                              app.lang)),
             lambda: ("autoscaler", {"on": not controls()["autoscaler"]}),
             lambda: bool(controls()["autoscaler"])),
            ("reset", 150, lambda: tr("bt_reset", app.lang), lambda: ("_reset", {}),
             lambda: False),
            ("scenario", 224, lambda: tr("bt_scenario", app.lang, app.scenario_name),
             lambda: ("_scenario", {}), lambda: False),
            ("lang", 88, lambda: tr("bt_lang", app.lang), lambda: ("_lang", {}),
             lambda: False),
            ("help", 96, lambda: tr("bt_help", app.lang), lambda: ("_help", {}),
             lambda: app.show_help),
        ]
        for k, bw, label, action, is_lit in row2:
            cls = Toggle if k == "autoscaler" else Button
            b[k] = cls(pygame.Rect(bx, by, bw - 4, bh), label, action, is_lit)
            bx += bw + 2
        self.buttons = b
        self.widgets = [*s.values(), *b.values()]

    def handle(self, event: pygame.event.Event) -> list[Action]:
        """Route a screen-space event to the widgets (which live in desk coordinates)."""
        self.dirty = True
        if hasattr(event, "pos"):
            ox, oy = L.CONTROLS_RECT.topleft
            event = pygame.event.Event(event.type, {**event.dict,
                                                    "pos": (event.pos[0] - ox,
                                                            event.pos[1] - oy)})
        out = []
        for w in self.widgets:
            act = w.handle(event)
            if act is not None:
                out.append(act)
        return out

    @staticmethod
    def on_screen(rect: pygame.Rect) -> pygame.Rect:
        """A widget rectangle in screen coordinates (for tests and tooltips)."""
        return rect.move(L.CONTROLS_RECT.topleft)

    @property
    def dragging(self) -> bool:
        return any(s.dragging is not None for s in self.sliders.values())

    def shown(self) -> tuple:
        """Everything the desk shows; a timed repaint is skipped while it stays the same."""
        return (self.app.lang, tuple(w.shown_state() for w in self.widgets))

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
        r = L.CONTROLS_RECT
        surf.fill(P.PANEL_BG)
        surf.fill(P.PANEL_LINE, pygame.Rect(0, 0, r.w, 2))
        surf.fill(P.PANEL_LINE, pygame.Rect(428, 6, 1, 4 * ROW_H - 4))
        for w in self.widgets:
            w.draw(surf, fonts)


SHORTCUTS: dict[int, Action] = {
    pygame.K_SPACE: ("_toggle_play", {}),
    pygame.K_PLUS: ("_faster", {}),
    pygame.K_EQUALS: ("_faster", {}),
    pygame.K_KP_PLUS: ("_faster", {}),
    pygame.K_MINUS: ("_slower", {}),
    pygame.K_KP_MINUS: ("_slower", {}),
    pygame.K_o: ("_outage", {}),
    pygame.K_p: ("_dispatch", {}),
    pygame.K_c: ("_clear", {}),
    pygame.K_r: ("_rent", {}),
    pygame.K_t: ("_return", {}),
    pygame.K_a: ("_autoscaler", {}),
    pygame.K_n: ("_reset", {}),
    pygame.K_s: ("_scenario", {}),
    pygame.K_l: ("_lang", {}),
    pygame.K_h: ("_help", {}),
    pygame.K_F1: ("_help", {}),
    pygame.K_ESCAPE: ("_close_help", {}),
    pygame.K_1: ("_pick", {"index": 0}),
    pygame.K_2: ("_pick", {"index": 1}),
    pygame.K_3: ("_pick", {"index": 2}),
    pygame.K_4: ("_pick", {"index": 3}),
}
