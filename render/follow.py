"""Following one customer: who is followed, and the camera that keeps them in view.

Why a controller of its own: the camera is one small value (:class:`render.camera.Camera`);
deciding where it looks while somebody walks door -> lobby -> seat -> counter -> gallery ->
exit is a policy over time.  It eases towards the person, frame-rate independent
(``1 - exp(-k*dt)`` of the way each frame, in real seconds, so the same at x1 and x600), and a
hard margin keeps the person inside the view however fast they walk: at x600 somebody crosses
the lobby in a second, and the easing alone would let them out.  The ease converges without
overshoot (never back and forth) and the pan is whole pixels, so the picture does not jitter.

The operator can also zoom about the mouse (the wheel) and drag the world; dragging lets go
of the person (the card stays), the overview key or button lets go of both.  When the
followed customer has left and walked off the picture, :meth:`Follow.frame` returns the
overview and the follower is clean again (no id, no target), the card says how it went.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from render import layout as L
from render import palette as P
from render.camera import MAX_ZOOM, OVERVIEW, Camera
from render.i18n import tr
from render.panel import customer_card

FOLLOW_ZOOM = 3          # a click on a person zooms in this far (from the overview)
EASE_PER_S = 5.0         # k of 1 - exp(-k*dt): about 0.2 s to close most of the way
MARGIN = 24              # world pixels: the person stays this far inside the view's edge
HEAD = 8                 # world pixels above the feet: the view centres on the body


@dataclass(slots=True)
class Follow:
    """Who is followed (``cid``) or awaited (``after``: the next customer with a higher id),
    and the camera's eased centre (world pixels, floats; the camera rounds it)."""

    cid: int | None = None
    after: int | None = None       # follow the first customer whose id is above this
    on: bool = False               # the camera follows ``cid`` (False: panned away by hand)
    zoom: int = FOLLOW_ZOOM
    cx: float = L.WORLD_W / 2
    cy: float = L.WORLD_H / 2
    target: tuple[float, float] | None = None

    # -- who --------------------------------------------------------------------------------
    def start(self, cid: int, camera: Camera) -> None:
        """Follow ``cid`` from where the camera looks now."""
        self.cid, self.after, self.on = cid, None, True
        self.zoom = camera.zoom if camera.zoom > 1 else FOLLOW_ZOOM
        w, h = camera.view_size
        self.cx, self.cy = camera.x + w / 2, camera.y + h / 2
        self.target = None

    def wait_for_next(self, ids: list[int]) -> None:
        """Follow the next person to enter: the first customer with an id above all of
        ``ids`` (everybody in sight now)."""
        self.stop()
        self.after = max(ids, default=-1)

    def stop(self) -> None:
        """Nobody followed or awaited: a clean state."""
        self.cid, self.after, self.on, self.target = None, None, False, None

    def arrived(self, ids) -> int | None:
        """The awaited customer, if one of ``ids`` came in."""
        if self.after is None:
            return None
        new = [i for i in ids if i > self.after]
        return min(new) if new else None

    # -- the camera ---------------------------------------------------------------------------
    def frame(self, camera: Camera, feet: tuple[float, float] | None, dt: float) -> Camera:
        """The camera for this frame, ``dt`` real seconds after the last one, with the
        followed person's feet at ``feet`` (None: not drawn now; the camera holds)."""
        if not self.on or self.cid is None:
            return camera
        if feet is not None:
            self.target = (feet[0], feet[1] - HEAD)
        if self.target is None:
            return camera
        zoom = self.zoom
        w, h = L.WORLD_W / zoom, L.WORLD_H / zoom
        tx, ty = self.target
        a = 1.0 - math.exp(-EASE_PER_S * max(0.0, dt))
        cx = self.cx + (tx - self.cx) * a
        cy = self.cy + (ty - self.cy) * a
        # the hard margin: however fast they walk, they stay inside the view
        mx, my = min(MARGIN, w / 2 - 1), min(MARGIN, h / 2 - 1)
        cx = min(max(cx, tx - w / 2 + mx), tx + w / 2 - mx)
        cy = min(max(cy, ty - h / 2 + my), ty + h / 2 - my)
        # never ease past the world's edge (the camera clamps; the centre must too, or it
        # would wind up beyond the edge and lag on the way back)
        self.cx = min(max(cx, w / 2), L.WORLD_W - w / 2)
        self.cy = min(max(cy, h / 2), L.WORLD_H - h / 2)
        return Camera.looking_at((self.cx, self.cy), zoom)


def zoom_about(camera: Camera, by: int, pos: tuple[int, int]) -> Camera:
    """The camera ``by`` zoom steps in (+) or out (-), the world point under the screen point
    ``pos`` staying under it (as near as whole pixels and the world's edges allow)."""
    zoom = min(MAX_ZOOM, max(1, camera.zoom + by))
    if zoom == camera.zoom:
        return camera
    if zoom == 1:
        return OVERVIEW
    wx, wy = camera.to_world(*pos)
    k = Camera(zoom).px
    x = wx - (pos[0] - L.WORLD_RECT.x) / k
    y = wy - (pos[1] - L.WORLD_RECT.y) / k
    vw, vh = L.WORLD_W // zoom, L.WORLD_H // zoom
    return Camera(zoom, min(max(0, round(x)), L.WORLD_W - vw),
                  min(max(0, round(y)), L.WORLD_H - vh))


def pan(camera: Camera, rel: tuple[int, int]) -> Camera:
    """The camera dragged by ``rel`` screen pixels (the world moves with the mouse)."""
    if camera.zoom == 1:
        return camera
    vw, vh = camera.view_size
    x = camera.x - round(rel[0] / camera.px)
    y = camera.y - round(rel[1] / camera.px)
    return Camera(camera.zoom, min(max(0, x), L.WORLD_W - vw), min(max(0, y), L.WORLD_H - vh))


#: the overview button, over the world's top-left corner while zoomed in or following
BUTTON = pygame.Rect(L.WORLD_RECT.x + 6, L.WORLD_RECT.y + 6, 0, 20)
MARK_UP = 18             # world pixels above the feet: the marker over the followed head
DRAG_PX = 4              # a press moved this far is a drag (pans), less is a click


class Follower:
    """The app's following: the :class:`Follow` state, the drag in progress, the overview
    button and the customer's card (docked in the card area under ``"customer"``)."""

    def __init__(self) -> None:
        self.follow = Follow()
        self.press: tuple[int, int] | None = None      # where a press on the world began
        self.dragged = False
        self.rest = (0.0, 0.0)                          # sub-pixel drag not yet applied
        self.button = pygame.Rect(BUTTON)
        self.asked: int | None = None       # the id the latest snapshot was asked to follow

    @property
    def cid(self) -> int | None:
        return self.follow.cid

    def shown(self, camera: Camera) -> bool:
        """Whether the overview button is shown (and takes presses)."""
        return camera.zoom > 1 or self.follow.cid is not None or self.follow.after is not None

    # -- the app's hooks ------------------------------------------------------------------------
    def snapshot(self, sim):
        """The model now, with the followed customer's card when somebody is followed."""
        self.asked = self.follow.cid
        return sim.snapshot() if self.asked is None else sim.snapshot(follow=self.asked)

    def adopt(self, scene, cards) -> None:
        """A new run (or a timeline jump): nobody followed, the overview, no customer card."""
        f = self.follow
        if f.cid is not None or f.after is not None:
            scene.camera = OVERVIEW
            cards.dismiss(customer_card.KEY)
        f.stop()
        self.release()

    def step(self, scene, snap, dt: float, fonts, lang: str) -> None:
        """Each frame: the camera on the followed person, who is never in a badge."""
        scene.aim(self.frame(scene.camera, snap, scene.people, dt), fonts, lang)
        scene.people.seating.pinned = self.follow.cid

    def show_card(self, snap, lang: str, fonts, cards) -> None:
        """Dock (or refresh) the followed customer's card from the latest snapshot."""
        if self.follow.after is not None:
            cards.show(customer_card.awaiting(lang))
        elif snap.follow is not None and snap.follow.id == self.follow.cid:
            cards.show(customer_card.card(snap.follow, snap.now_s, lang, fonts))

    # -- input --------------------------------------------------------------------------------
    def drag(self, camera: Camera, pos: tuple[int, int], rel: tuple[int, int]) -> Camera:
        """A drag of the world: past :data:`DRAG_PX` it pans, and lets go of the person."""
        if self.press is None:
            return camera
        if not self.dragged:
            if abs(pos[0] - self.press[0]) + abs(pos[1] - self.press[1]) < DRAG_PX:
                return camera
            self.dragged = True
            rel = (pos[0] - self.press[0], pos[1] - self.press[1])
        self.follow.on = False
        rx, ry = self.rest[0] + rel[0], self.rest[1] + rel[1]
        k = camera.px
        dx, dy = int(rx / k), int(ry / k)
        self.rest = (rx - dx * k, ry - dy * k)
        return pan(camera, (dx * k, dy * k))

    def release(self) -> None:
        self.press, self.dragged, self.rest = None, False, (0.0, 0.0)

    # -- each frame ---------------------------------------------------------------------------
    def frame(self, camera: Camera, snap, people, dt: float) -> Camera:
        """The camera for this frame; starts following an awaited newcomer and ends a
        follow whose customer has left and walked off the picture (the overview again)."""
        f = self.follow
        if f.after is not None:
            new = f.arrived([p.id for p in snap.people])
            if new is not None:
                f.start(new, camera)
                return camera
        if f.cid is None:
            return camera
        actor = people.actors.get(f.cid)
        card = snap.follow if snap.follow is not None and snap.follow.id == f.cid else None
        if actor is None and (card.gone if card is not None else self.asked == f.cid):
            f.stop()
            return OVERVIEW
        return f.frame(camera, None if actor is None else (actor.x, actor.y), dt)

    def draw(self, screen: pygame.Surface, fonts, lang: str, camera: Camera,
             people=None) -> None:
        """The marker over the followed person's head and the overview button (when shown)."""
        if not self.shown(camera):
            return
        actor = None if people is None or self.cid is None else people.actors.get(self.cid)
        if actor is not None:   # a yellow arrow over their head, pointing down at them
            x, y = camera.to_screen(actor.x, actor.y - MARK_UP)
            r = 2 * camera.px
            tip = [(x - r, y - r), (x + r, y - r), (x, y)]
            screen.set_clip(L.WORLD_RECT)
            pygame.draw.polygon(screen, P.YELLOW, tip)
            pygame.draw.polygon(screen, P.BLACK, tip, 2)
            screen.set_clip(None)
        surf = fonts.label(tr("follow_overview", lang), P.WHITE)
        self.button = pygame.Rect(BUTTON.x, BUTTON.y, surf.get_width() + 12, BUTTON.h)
        screen.fill(P.BLACK, self.button.inflate(2, 2))
        screen.fill(P.SLATE, self.button)
        screen.blit(surf, (self.button.x + 6, self.button.y + 2))
