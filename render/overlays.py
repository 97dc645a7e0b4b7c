"""What is drawn over both the world and the panel: the followed customer's marker and the
overview button, the cards, the tooltip under the mouse, a refused command's notice, the help
page.

Why here and not in either side: a tooltip names a thing of the world (a customer, a machine:
found through the scene's camera) or of the panel (a lamp, a gauge), and the help page covers
everything; the app composes the two sides and hands this module both.
"""

from __future__ import annotations

import pygame

from render import layout as L
from render import palette as P
from render.follow import Follower
from render.fonts import Fonts
from render.help import HelpOverlay
from render.panel import tooltip
from render.panel.board import Board
from render.panel.cards import CardArea
from render.share import ShareDialog
from render.state import ViewState
from render.wordwrap import ellipsize
from render.world.scene import Scene
from render.world.sprites import Sprites

NOTICE_S = 4.0   # a refused command's notice stays this long


class Overlays:
    """The cards, the tooltip, the notice and the help page of one app."""

    def __init__(self, sprites: Sprites) -> None:
        self.help = HelpOverlay(sprites)
        self.cards = CardArea()         # the card area's rules: render/panel/cards.py
        self.follower = Follower()      # the followed customer: their marker, the camera
        self.share = ShareDialog()      # the share link, its QR code: render/share.py
        self.message = ""
        self.message_until = 0.0

    def say(self, text: str, clock: float) -> None:
        """Show a notice (a refused command) for a few seconds."""
        self.message = text
        self.message_until = clock + NOTICE_S

    @staticmethod
    def hover_lines(scene: Scene, view: ViewState, pos: tuple[int, int]) -> list[str] | None:
        """The tooltip for a screen point over the world (None: nothing there)."""
        snap, lang = view.snap, view.lang
        person = scene.person_at(pos, snap)
        if person is not None:
            return tooltip.person_lines(
                person, scene.people.wait_info(person.id, snap.now_s), snap.now_s, lang,
                {st.name: st.label for st in snap.stations})
        hit = scene.slot_at(pos, snap)
        return None if hit is None else tooltip.slot_lines(*hit, snap.now_s, lang)

    def draw(self, screen: pygame.Surface, fonts: Fonts, view: ViewState, clock: float,
             scene: Scene, board: Board, mouse: tuple[int, int] | None) -> bool:
        """Draw what is due over the frame; True when anything was (the panel is then put
        on the screen again next frame)."""
        self.follower.draw(screen, fonts, view.lang, scene.camera, scene.people)
        over = self.cards.draw(screen, fonts, view.lang, board.put)
        if self.share.draw(screen, fonts, view.lang):
            over, mouse = True, None        # no tooltip through the dialog
        if mouse is not None and not view.show_help and not board.controls.dragging:
            lines = (self.hover_lines(scene, view, mouse)
                     or board.dashboard.hover(mouse, view.lang))
            if lines:
                tooltip.draw(screen, fonts, lines, mouse)
                over = True
        if clock < self.message_until:
            over = self.notice(screen, fonts, self.message) or over
        if view.show_help:
            self.help.draw(screen, fonts, view.lang, view.snap)
            over = True
        return over

    @staticmethod
    def notice(screen: pygame.Surface, fonts: Fonts, text: str) -> bool:
        """A one-line notice (a refused command) at the world's bottom-left; True if drawn."""
        if not text:
            return False
        surf = fonts.label(ellipsize(text, L.WORLD_RECT.w - 28, fonts.width), P.WHITE)
        box = pygame.Rect(8, L.WORLD_RECT.bottom - 26, surf.get_width() + 12, 20)
        screen.fill(P.RED_DARK, box)
        screen.blit(surf, (box.x + 6, box.y + 2))
        return True
