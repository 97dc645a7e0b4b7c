"""The presenter's timeline: the day's arrival profile, a playhead, and the scripted moments.

Why a strip under the factory: a presenter needs to say "here comes the lunch rush" and show it
coming.  The strip draws arrivals per minute over the whole day (the profile's factor times the
rate, which ``spawn_rate`` commands change), the part already played brighter, a flag for every
marker (:mod:`render.presenter`), and during a jump the progress of the replay.  A click asks
for a jump (a local action the app hands to the presenter), never a command.

Geometry lives here, inside the band ``layout.TIMELINE_RECT`` reserves: the track holds the
curve and the flags, the row under it their labels and the hour ticks.  The static picture is
baked twice (played and to come) when the day changes; a frame blits both, cut at the playhead.
"""

from __future__ import annotations

import math

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.i18n import tr
from render.panel import tooltip
from render.panel.ticker import clock, command_words
from render.presenter import PRE_ROLL_S, Marker, markers

RECT = L.TIMELINE_RECT
PAD_X = 10
TRACK = pygame.Rect(RECT.x + PAD_X, RECT.y + 4, RECT.w - 2 * PAD_X, 24)
HEADROOM = 6                        # the track's top rows: flag heads and outage bars
LABEL_Y = TRACK.bottom + 1          # marker labels and hour numbers, one 16 px row
HIT_PX = 5                          # a click this close to a flag picks the marker
HOUR_S = 3600.0
OUTAGE_BAND_H = 3

#: flag colour by marker label (text on the strip's ink stays >= 4.5:1)
FLAG = {"mk_flash": P.ORANGE, "mk_rush": P.YELLOW, "mk_busier": P.YELLOW, "mk_calm": P.LIME,
        "mk_outage": P.RED}
CHIP = {"mk_outage": (P.WHITE, P.RED_DARK)}   # (text, chip) where the flag colour is too dark
OPERATOR = P.CYAN
#: which labels are placed first when they compete for the row: the day's own, then the
#: operator's (recorded, then waiting to replay)
LABEL_RANK = {"profile": 0, "scripted": 1, "recorded": 2, "pending": 3}
SCRIPTED = P.PINK

def span_s(day: dict, now_s: float) -> float:
    """The time the track spans: the scenario's day, and past its end whole days more (never
    an hour at a time: a click aimed at a flag must land on it)."""
    day_s = max(day["day_s"], HOUR_S)
    return day_s * max(1, math.ceil(max(now_s, 1.0) / day_s))


def time_at(x: int, span: float) -> float:
    """The simulated time a screen column of the track means (clamped to the track)."""
    frac = (x - TRACK.x) / TRACK.w
    return min(1.0, max(0.0, frac)) * span


def x_at(t_s: float, span: float) -> int:
    return TRACK.x + int(min(1.0, max(0.0, t_s / span)) * TRACK.w)


def rate_steps(day: dict, pending=()) -> list[tuple[float, float]]:
    """Arrivals per minute as ``(start_s, rate)`` steps.  A trace scenario's curve is the
    trace's own rate, minute by minute (plus the Poisson spawner's when it runs beside)."""
    trace = day.get("trace", ())
    if not trace:
        return poisson_steps(day, pending)
    if not day.get("poisson"):
        return list(trace)
    poisson = poisson_steps(day, pending)
    times = sorted({t for t, _ in trace} | {t for t, _ in poisson})
    return [(t, rate_at(list(trace), t) + rate_at(poisson, t)) for t in times]


def poisson_steps(day: dict, pending=()) -> list[tuple[float, float]]:
    """The Poisson spawner's rate as ``(start_s, rate)`` steps: profile factor x the base rate,
    which ``spawn_rate`` commands (scripted, recorded, waiting) replace from their instant on."""
    changes = [(t, 0, f) for t, f in day["profile"]]
    for c in (*day["scripted"], *day["recorded"], *pending):
        if c.name == "spawn_rate":
            changes.append((c.at_s, 1, c.args["rate_per_min"]))
    changes.sort(key=lambda ch: (ch[0], ch[1]))
    factor, rate = 1.0, day["rate_per_min"]
    steps: list[tuple[float, float]] = []
    for t, kind, value in changes:
        if kind == 0:
            factor = value
        else:
            rate = value
        if steps and steps[-1][0] == t:
            steps.pop()
        steps.append((t, factor * rate))
    return steps


def rate_at(steps: list[tuple[float, float]], t_s: float) -> float:
    value = 0.0
    for start, v in steps:
        if start > t_s:
            break
        value = v
    return value


def marker_label(m: Marker, lang: str, labels: dict[str, str]) -> str:
    """The words on a flag: the profile step, or the command and its arguments."""
    if m.command is None:
        return tr(m.key, lang, f"{m.factor:g}")
    return command_words(m.command.name, m.command.args, lang, labels)


def flag_color(m: Marker) -> tuple[int, int, int]:
    if m.key in FLAG:
        return FLAG[m.key]
    return SCRIPTED if m.kind == "scripted" else OPERATOR


class Timeline:
    """Draws the strip and turns clicks on it into jump requests."""

    def __init__(self) -> None:
        self.marks: list[Marker] = []
        self.span = HOUR_S
        self.steps: list[tuple[float, float]] = []
        self._key: tuple | None = None
        self._played: pygame.Surface | None = None
        self._to_come: pygame.Surface | None = None
        self.progress_shown: float | None = None    # the jump progress drawn last frame
        self._shade: pygame.Surface | None = None
        self.drawn_labels: list[tuple[str, pygame.Rect]] = []   # flag labels as drawn

    # -- input ------------------------------------------------------------------------------
    def marker_near(self, x: int) -> Marker | None:
        best, best_d = None, HIT_PX + 1
        for m in self.marks:
            d = abs(x_at(m.at_s, self.span) - x)
            if d < best_d:
                best, best_d = m, d
        return best

    def handle(self, event: pygame.event.Event) -> list[tuple[str, dict]]:
        """A left click on the strip: jump before the marker under it, else to its time."""
        if (event.type != pygame.MOUSEBUTTONDOWN or getattr(event, "button", 1) != 1
                or not RECT.collidepoint(event.pos)):
            return []
        m = self.marker_near(event.pos[0])
        if m is not None:
            return [("_jump", {"t_s": max(0.0, m.at_s - PRE_ROLL_S)})]
        return [("_jump", {"t_s": time_at(event.pos[0], self.span)})]

    # -- drawing ------------------------------------------------------------------------------
    def update(self, snap, pending, lang: str, labels: dict[str, str], fonts: Fonts,
               pointer: tuple[int, int] | None = None) -> None:
        """Re-bake when the day's picture changed (language, span, commands).  The span
        never changes while the pointer is on the strip: what is under it stays there."""
        day = snap.plan
        span = span_s(day, snap.now_s)
        if pointer is not None and RECT.collidepoint(pointer) and self._key is not None:
            span = self.span
        key = (lang, span, tuple(labels.items()), day["day_s"], day["rate_per_min"],
               len(day.get("trace", ())),
               day["profile"], tuple((c.at_s, c.name) for c in day["recorded"]),
               tuple((c.at_s, c.name) for c in pending), len(day["scripted"]))
        if key == self._key:
            return
        self._key = key
        self.span = span
        self.marks = markers(day, pending)
        self.steps = rate_steps(day, pending)
        self._to_come = self._bake(False, lang, labels, fonts)
        self._played = self._bake(True, lang, labels, fonts)

    def _bake(self, played: bool, lang: str, labels: dict[str, str],
              fonts: Fonts) -> pygame.Surface:
        surf = pygame.Surface(RECT.size)
        surf.fill(P.PANEL_BG)
        surf.fill(P.PANEL_LINE, pygame.Rect(0, 0, RECT.w, 1))
        track = TRACK.move(-RECT.x, -RECT.y)
        surf.fill(P.BLACK, track)
        self._curve(surf, track, played)
        self._hours(surf, track)
        self._flags(surf, track, lang, labels, fonts)
        if pygame.display.get_surface() is not None:
            surf = surf.convert()
        return surf

    def _curve(self, surf: pygame.Surface, track: pygame.Rect, played: bool) -> None:
        """Arrivals per minute as filled steps, scaled to the day's highest rate."""
        steps = self.steps
        top = max((v for _, v in steps), default=0.0) or 1.0
        fill, edge = (P.TEAL, P.CYAN) if played else (P.SLATE, P.STEEL)
        ends = [t for t, _ in steps[1:]] + [self.span]
        for (start, v), end in zip(steps, ends, strict=True):
            x0 = x_at(start, self.span) - RECT.x
            x1 = x_at(end, self.span) - RECT.x
            if x1 <= x0 or v <= 0:
                continue
            h = max(1, round(v / top * (track.h - HEADROOM)))
            bar = pygame.Rect(x0, track.bottom - h, x1 - x0, h)
            surf.fill(fill, bar)
            surf.fill(edge, pygame.Rect(bar.x, bar.y, bar.w, 1))

    def _hours(self, surf: pygame.Surface, track: pygame.Rect) -> None:
        for h in range(int(self.span // HOUR_S) + 1):
            x = x_at(h * HOUR_S, self.span) - RECT.x
            surf.fill(P.STEEL, pygame.Rect(x, track.bottom - 3, 1, 3))

    def _flags(self, surf: pygame.Surface, track: pygame.Rect, lang: str,
               labels: dict[str, str], fonts: Fonts) -> None:
        """Flags in the track, their labels in the row under it where they fit, then the
        hour numbers in the gaps left.  Labels are placed by rank, the scenario's own day
        first (profile, script), then the operator's: a new flag never hides a label that
        was there (its words are in its tooltip), and no two labels overlap."""
        taken: list[tuple[int, int]] = []
        self.drawn_labels = []
        y = LABEL_Y - RECT.y
        for m in self.marks:
            x = x_at(m.at_s, self.span) - RECT.x
            color = flag_color(m)
            if m.until_s is not None:
                x1 = x_at(m.until_s, self.span) - RECT.x
                surf.fill(color, pygame.Rect(x, track.y + 2, max(1, x1 - x), OUTAGE_BAND_H))
            surf.fill(color, pygame.Rect(x, track.y, 1, track.h))
            surf.fill(color, pygame.Rect(x - 2, track.y, 5, 2))
            surf.fill(color, pygame.Rect(x - 1, track.y + 2, 3, 1))
        for m in sorted(self.marks, key=lambda m: (LABEL_RANK.get(m.kind, 9), m.at_s)):
            x = x_at(m.at_s, self.span) - RECT.x
            color = flag_color(m)
            ink, chip = CHIP.get(m.key, (color, None))
            text = fonts.label(marker_label(m, lang, labels), ink)
            box = (x - 1, x + text.get_width() + 6)
            if box[1] <= RECT.w and not any(a < box[1] and box[0] < b for a, b in taken):
                if chip is not None:
                    surf.fill(chip, pygame.Rect(x, y, text.get_width() + 4, 16))
                surf.blit(text, (x + 2, y))
                taken.append(box)
                self.drawn_labels.append((marker_label(m, lang, labels),
                                          pygame.Rect(box[0], y, box[1] - box[0], 16)))
        for h in range(int(self.span // HOUR_S) + 1):
            text = fonts.label(f"{h}h", P.SILVER)
            x = x_at(h * HOUR_S, self.span) - RECT.x - (0 if h == 0 else text.get_width() // 2)
            box = (x - 2, x + text.get_width() + 2)
            if box[1] <= RECT.w and not any(a < box[1] and box[0] < b for a, b in taken):
                surf.blit(text, (x, y))
                taken.append(box)

    def draw(self, screen: pygame.Surface, fonts: Fonts, snap, presenter, lang: str,
             labels: dict[str, str], mouse: tuple[int, int] | None) -> bool:
        """The strip with the playhead; during a jump its progress.  True if something was
        drawn outside the strip (a tooltip, the progress card)."""
        self.update(snap, presenter.pending, lang, labels, fonts, mouse)
        px = x_at(snap.now_s, self.span)
        screen.blit(self._to_come, RECT.topleft)
        screen.blit(self._played, RECT.topleft, pygame.Rect(0, 0, px - RECT.x, RECT.h))
        screen.fill(P.WHITE, pygame.Rect(px - 1, TRACK.y - 3, 2, TRACK.h + 3))
        screen.fill(P.WHITE, pygame.Rect(px - 3, TRACK.y - 4, 6, 2))
        job = presenter.job
        self.progress_shown = None if job is None else job.progress
        if job is not None:
            self._progress(screen, fonts, job, lang)
            return True
        if mouse is not None and RECT.collidepoint(mouse):
            self._hover(screen, fonts, mouse, lang, labels)
            return True
        return False

    def _progress(self, screen: pygame.Surface, fonts: Fonts, job, lang: str) -> None:
        """Where the jump goes and how far the replay got on the track, and over the dimmed
        factory (still the run before the jump) a card with the progress."""
        tx = x_at(job.target_s, self.span)
        screen.fill(P.YELLOW, pygame.Rect(tx - 1, TRACK.y - 3, 2, TRACK.h + 3))
        x0, x1 = x_at(job.start_s, self.span), x_at(job.sim.now, self.span)
        screen.fill(P.YELLOW, pygame.Rect(x0, TRACK.bottom - 2, max(1, x1 - x0), 2))
        screen.fill(P.YELLOW, pygame.Rect(x1, TRACK.y, 1, TRACK.h))
        if self._shade is None:
            self._shade = pygame.Surface(L.WORLD_RECT.size, pygame.SRCALPHA)
            self._shade.fill((*P.BLACK, 110))
        screen.blit(self._shade, L.WORLD_RECT.topleft)
        pct = int(job.progress * 100)
        key = "tl_rewind" if job.rebuilt else "tl_forward"
        text = fonts.label(tr(key, lang, clock(job.target_s), pct), P.WHITE)
        w = max(360, text.get_width() + 32)
        card = pygame.Rect(0, 0, w, 52)
        card.center = L.WORLD_RECT.center
        screen.fill(P.YELLOW, card.inflate(4, 4))
        screen.fill(P.INK, card)
        screen.blit(text, (card.x + 16, card.y + 8))
        bar = pygame.Rect(card.x + 16, card.y + 32, card.w - 32, 10)
        screen.fill(P.BLACK, bar)
        screen.fill(P.YELLOW, pygame.Rect(bar.x, bar.y, int(bar.w * job.progress), bar.h))

    def _hover(self, screen: pygame.Surface, fonts: Fonts, mouse: tuple[int, int], lang: str,
               labels: dict[str, str]) -> None:
        x = min(max(mouse[0], TRACK.x), TRACK.right - 1)
        screen.fill(P.CLOUD, pygame.Rect(x, TRACK.y, 1, TRACK.h))
        m = self.marker_near(mouse[0])
        if m is not None:
            lines = [marker_label(m, lang, labels), f"{clock(m.at_s)}  "
                     + tr("mk_kind_" + m.kind, lang), tr("tl_click_marker", lang)]
        else:
            t = time_at(mouse[0], self.span)
            lines = [tr("tl_at", lang, clock(t), f"{rate_at(self.steps, t):.1f}"),
                     tr("tl_click", lang)]
        tooltip.draw(screen, fonts, lines, (mouse[0], RECT.y - 16 * len(lines) - 30))
