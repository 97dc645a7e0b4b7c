"""The share dialog: the session as a link (``sim.share``), its QR code, and the copy.

Why a dialog over the world and not a card: the QR code must be large enough for a phone
across a meeting room to read, larger than the card area lets a card be.  The dialog shows
the link as text (wrapped, every character of it), the QR code of it (``segno``, pure Python,
packed with the page by the build's allow-list), and says whether the link was copied: in the
self-hosted page (``web/river.js``) the page puts the link in a text field (selectable, as a
canvas cannot be) and copies it to the clipboard where the browser allows (a secure context;
itch.io runs the page in an iframe, which may not); natively the link is printed and put on
the clipboard through pygame where the desktop has one.
"""

from __future__ import annotations

import sys

import pygame

from render import layout as L
from render import palette as P
from render.fonts import Fonts
from render.i18n import tr
from render.panel.cards import cross
from sim import LinkError, link_from_session

BOX = pygame.Rect(0, 0, 820, 440)
BOX.center = L.WORLD_RECT.center
PAD = 14
CLOSE = 26            # the close button's side: large enough for a finger on a tablet
QR_SIDE = 320         # the most the code may take, quiet zone included
QUIET = 4             # modules of white around the code (the QR standard's quiet zone)
PITCH = 18


def link_of(app) -> str:
    """The app's session as a link; raises ``InputError`` (one line) when it cannot be one."""
    base = getattr(app, "share_base", None)
    if base:
        return link_from_session(app.session(), app.lang, base)
    return link_from_session(app.session(), app.lang)


LINK_NOTICE_S = 20.0   # a refused link's notice stays this long (the page may still be loading)


def refused(app, problem: str) -> None:
    """A link that could not be opened: its one line as a notice and, until dismissed, as a
    card (the app runs the default scenario)."""
    from render.panel import cards

    app.overlays.say(problem, app.clock)
    app.overlays.message_until = app.clock + LINK_NOTICE_S
    width = cards.area(app.lang).w - 2 * cards.PAD
    app.overlays.cards.show(cards.Card("link", tr("link_failed", app.lang),
                                       tuple(wrap_words(problem, width, app.fonts.width)),
                                       P.RED))


def qr_surface(text: str, side: int = QR_SIDE) -> pygame.Surface | None:
    """The QR code of ``text`` (error level L: the most data a code holds), scaled by the
    largest whole factor that fits ``side``; None when segno is missing or ``text`` does not
    fit a QR code (the link text is still shown)."""
    try:
        import segno

        code = segno.make(text, error="l", micro=False, boost_error=False)
    except Exception:  # noqa: BLE001 -- no QR code is no reason to lose the link
        return None
    rows = [list(row) for row in code.matrix]
    n = len(rows) + 2 * QUIET
    scale = max(1, side // n)
    small = pygame.Surface((n, n))
    small.fill(P.WHITE)
    black = (0, 0, 0)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                small.set_at((x + QUIET, y + QUIET), black)
    return pygame.transform.scale(small, (n * scale, n * scale))


def wrap_chars(text: str, width: int, measure) -> list[str]:
    """``text`` cut into lines no wider than ``width`` pixels, anywhere (a link has no
    spaces); every character is kept."""
    lines, line = [], ""
    for ch in text:
        if line and measure(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


class ShareDialog:
    """Whether the dialog is open, the link it shows (or why there is none), its QR code."""

    def __init__(self) -> None:
        self.open = False
        self.link = ""
        self.problem = ""
        self.copied: bool | None = None       # None: not known (yet), or no clipboard here
        self._qr: pygame.Surface | None = None

    def show(self, app) -> None:
        """Open with the app's session as it is now; print it natively, hand it to the page
        (selectable text, clipboard) in the browser."""
        self.open = True
        self.copied = None
        try:
            self.link, self.problem = link_of(app), ""
        except LinkError as e:
            self.link, self.problem = "", str(e)
        self._qr = qr_surface(self.link) if self.link else None
        if not self.link:
            return
        if sys.platform == "emscripten":
            _to_page(self.link)
            self.copied = None        # the copy is asynchronous: read back while drawing
        else:
            print(f"share link: {self.link}", flush=True)
            self.copied = _to_clipboard(self.link)

    def close(self) -> None:
        self.open = False
        if sys.platform == "emscripten":
            _to_page("")

    def close_button(self) -> pygame.Rect:
        return pygame.Rect(BOX.right - PAD - CLOSE, BOX.y + PAD, CLOSE, CLOSE)

    def handle(self, event: pygame.event.Event) -> list[tuple[str, dict]]:
        """While open the dialog takes every press: the close button or outside closes it,
        Escape too; a press inside does nothing (the text is for reading and scanning)."""
        if not self.open:
            return []
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_u):
            return [("_share", {})]
        if event.type == pygame.MOUSEBUTTONDOWN:
            inside = BOX.collidepoint(event.pos)
            closing = self.close_button().inflate(16, 16).collidepoint(event.pos)
            return [("_share", {})] if closing or not inside else [("_none", {})]
        return [("_none", {})] if event.type in (pygame.MOUSEBUTTONUP,
                                                 pygame.MOUSEMOTION) else []

    def draw(self, screen: pygame.Surface, fonts: Fonts, lang: str) -> bool:
        if not self.open:
            return False
        shade = pygame.Surface(L.WORLD_RECT.size, pygame.SRCALPHA)
        shade.fill((*P.BLACK, 150))
        screen.blit(shade, L.WORLD_RECT.topleft)
        screen.fill(P.CYAN, BOX.inflate(4, 4))
        screen.fill(P.INK, BOX)
        screen.blit(fonts.label(tr("share_title", lang), P.CYAN), (BOX.x + PAD, BOX.y + PAD))
        cross(screen, self.close_button(), inset=10, stroke=2)
        top = BOX.y + PAD + PITCH + 10
        x = BOX.x + PAD
        if self._qr is not None:
            screen.blit(self._qr, (x, top))
            x += self._qr.get_width() + PAD
        width = BOX.right - PAD - x
        if self.problem:
            lines = [(t, P.RED) for t in wrap_words(self.problem, width, fonts.width)]
        else:
            lines = [(tr("share_scan", lang), P.CLOUD), ("", P.CLOUD)]
            lines += [(t, P.WHITE) for t in wrap_chars(self.link, width, fonts.width)]
            lines += [("", P.CLOUD), (self._copy_line(lang), P.GREEN if self.copied else
                                      P.CLOUD)]
        room = (BOX.bottom - PAD - top) // PITCH
        screen.fblits([(fonts.label(t, c), (x, top + i * PITCH))
                       for i, (t, c) in enumerate(lines[:room]) if t])
        return True

    def _copy_line(self, lang: str) -> str:
        if sys.platform == "emscripten" and self.copied is None:
            self.copied = _page_copied()
        if self.copied:
            return tr("share_copied", lang)
        if sys.platform == "emscripten":
            return tr("share_select", lang)
        return tr("share_printed", lang)


def wrap_words(text: str, width: int, measure) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        cand = f"{line} {word}" if line else word
        if line and measure(cand) > width:
            lines.append(line)
            cand = word
        line = cand
    return [*lines, line] if line else lines


def _to_page(link: str) -> bool | None:
    """Hand the link to the self-hosted page (``window.river.share``: a selectable text
    field, and the clipboard where allowed); None where the page has no such hook (pygbag's
    page: the dialog's text is all there is)."""
    try:
        import js  # Pyodide's bridge to the page

        hook = getattr(js.window.river, "share", None)
        if hook is None:
            return None
        return bool(hook(link))
    except Exception:  # noqa: BLE001 -- no page hook: the text in the dialog is the fallback
        return None


def _page_copied() -> bool | None:
    """How the page's clipboard copy went (None: not known yet, or no such page)."""
    try:
        import js

        copied = js.window.river.copied
        return None if copied is None else bool(copied)
    except Exception:  # noqa: BLE001 -- no page hook
        return None


def _to_clipboard(link: str) -> bool | None:
    """Put the link on the desktop's clipboard (pygame's, SDL's); None without one."""
    try:
        pygame.scrap.put_text(link)
        return True
    except Exception:  # noqa: BLE001 -- no clipboard (headless, some window systems)
        return None
