"""The operator's input turned into actions, and the app's local actions: what the operator
does to the view, not to the simulation.

Why a table: a key, a button and a test all name an action the same way (``"_faster"``,
``"_pick"``...), beside the simulation's commands (``"rent"``, ``"outage"``...), and
:meth:`render.app.App.apply` looks the name up here first.  Playback speed, language, the
selected model and customer, help and the timeline's jump live here; none is recorded.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from render.camera import OVERVIEW
from render.follow import zoom_about
from render.i18n import next_lang
from render.panel import customer_card
from render.panel.controls import SHORTCUTS, SPEEDS
from sim import scenario_names

Action = Callable[[dict], None]
# ``app`` below is the render.app.App the actions act on (not imported: it imports this module)


def from_event(app, event: pygame.event.Event) -> list[tuple[str, dict]]:
    """The actions one event asks for: a shortcut key; a press, drag or release on a card's
    dismiss button, the timeline or the desk; a press on the world (select the customer
    under it); any press while the help page is shown closes it."""
    if app.overlays.share.open:         # the share dialog takes the input while it is open
        return app.overlays.share.handle(event)
    if event.type == pygame.KEYDOWN:
        if event.key in FOLLOW_KEYS:
            return [FOLLOW_KEYS[event.key]]
        return [SHORTCUTS[event.key]] if event.key in SHORTCUTS else []
    if event.type == pygame.MOUSEWHEEL:
        return _wheel(app, event)
    if event.type not in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
        return []
    if app.show_help and event.type == pygame.MOUSEBUTTONDOWN:
        return [("_close_help", {})]
    return (app.overlays.cards.handle(event, app.lang, app.fonts) or app.timeline.handle(event)
            or app.controls.handle(event) or _world_press(app, event))


#: the follow-and-zoom keys (free among the desk's SHORTCUTS; listed in the help overlay)
FOLLOW_KEYS = {pygame.K_f: ("_follow_next", {}), pygame.K_v: ("_overview", {}),
               pygame.K_HOME: ("_overview", {})}


def _wheel(app, event: pygame.event.Event) -> list[tuple[str, dict]]:
    """The wheel over the world zooms about the mouse (render.display gives it a ``pos``)."""
    pos = getattr(event, "pos", None) or app.mouse
    if pos is None or not app.camera.sees(pos) or not event.y:
        return []
    return [("_zoom", {"by": 1 if event.y > 0 else -1, "pos": tuple(pos)})]


def _world_press(app, event: pygame.event.Event) -> list[tuple[str, dict]]:
    """A press on the world: the overview button, or select (and follow) the customer under
    it; a drag that began on the world pans it; the release ends the drag."""
    follower = app.follower
    if event.type == pygame.MOUSEMOTION:
        if follower.press is not None and event.buttons and event.buttons[0]:
            return [("_pan", {"pos": event.pos, "rel": event.rel})]
        return []
    if event.type == pygame.MOUSEBUTTONUP:
        follower.release()
        return []
    if event.button not in (1, 2, 3) or not app.camera.sees(event.pos):
        return []
    if follower.shown(app.camera) and follower.button.collidepoint(event.pos):
        return [("_overview", {})]
    follower.press = event.pos
    return [("_select", {"customer": app.scene.customer_at(event.pos)})]


def local_actions(app) -> dict[str, Action]:
    """Each local action's name and what it does to ``app``."""
    return {
        "_speed": lambda a: setattr(app, "speed", float(a["speed"])),
        "_faster": lambda a: nudge_speed(app, +1),
        "_slower": lambda a: nudge_speed(app, -1),
        "_toggle_play": lambda a: toggle_play(app),
        "_model": lambda a: pick_model(app, None),
        "_pick": lambda a: pick_model(app, int(a["index"])),
        "_press": lambda a: app.apply(*app.controls.buttons[a["button"]].action()),
        "_reset": lambda a: app.load(app.scenario_path, app.seed + 1),
        "_scenario": lambda a: next_scenario(app),
        "_lang": lambda a: toggle_lang(app),
        # the window is main.py's Display: ask it as F11 does, through the event queue
        "_fullscreen": lambda a: pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F11, mod=0, unicode="")),
        "_help": lambda a: setattr(app, "show_help", not app.show_help),
        "_close_help": lambda a: setattr(app, "show_help", False),
        "_jump": lambda a: jump(app, a["t_s"]),
        "_select": lambda a: select(app, a["customer"]),
        "_dismiss": lambda a: dismiss(app, a["card"]),
        "_twin_new": lambda a: app.twin.restart(app.sim),
        "_twin_close": lambda a: dismiss(app, "twin"),
        "_follow_next": lambda a: follow_next(app),
        "_overview": lambda a: overview(app),
        "_zoom": lambda a: zoom(app, int(a["by"]), a["pos"]),
        "_pan": lambda a: aim(app, app.follower.drag(app.camera, a["pos"], a["rel"])),
        "_share": lambda a: toggle_share(app),
        "_none": lambda a: None,
    }


def aim(app, camera) -> None:
    app.scene.aim(camera, app.fonts, app.lang)


def show_card(app) -> None:
    app.follower.show_card(app.snap, app.lang, app.fonts, app.overlays.cards)


def select(app, cid: int | None) -> None:
    """A click on the world: the customer under it is selected and followed."""
    app.view.selected = cid
    if cid is not None:
        app.follower.follow.start(cid, app.camera)
        app.snap = app.follower.snapshot(app.sim)
        show_card(app)


def follow_next(app) -> None:
    """Follow the next person to come in (the card says it waits for them)."""
    snap = app.snap
    app.follower.follow.wait_for_next([p.id for p in (*snap.people, *snap.departures)])
    show_card(app)


def overview(app) -> None:
    """Back to the fixed overview: nobody followed, the customer's card gone."""
    app.follower.follow.stop()
    app.follower.release()
    app.overlays.cards.dismiss(customer_card.KEY)
    aim(app, OVERVIEW)


def dismiss(app, key: str) -> None:
    """Close a card; closing the customer's card stops following them."""
    app.overlays.cards.dismiss(key)
    if key == customer_card.KEY:
        app.follower.follow.stop()
    if key == "twin":
        app.twin.end()


def zoom(app, by: int, pos: tuple[int, int]) -> None:
    """The wheel: zoom about ``pos``; a followed person stays followed at the new zoom."""
    camera = zoom_about(app.camera, by, pos)
    f = app.follower.follow
    if f.on:
        f.zoom = camera.zoom
        w, h = camera.view_size
        f.cx, f.cy = camera.x + w / 2, camera.y + h / 2
    aim(app, camera)


def jump(app, t_s: float) -> None:
    """Start a timeline jump; a ticker of its own reads the jump's last minutes and takes
    over when it lands (:meth:`render.panel.board.Board.land`).  A jump ends the live
    twin's comparison."""
    dismiss(app, "twin")
    app.presenter.jump(app.sim, t_s)
    job = app.presenter.job
    if job is not None:
        ticker = app.board.jumping(app.presenter.cruise or app.speed or 1.0)
        job.on_slice = lambda sim: ticker.update(sim.snapshot())


def nudge_speed(app, by: int) -> None:
    """The next playback speed up (+1) or down (-1) the desk's list."""
    i = min(range(len(SPEEDS)), key=lambda k: abs(SPEEDS[k] - app.speed))
    app.speed = SPEEDS[max(0, min(len(SPEEDS) - 1, i + by))]


def toggle_play(app) -> None:
    """Pause (remembering the speed SPACE resumes to) or resume."""
    if app.speed > 0:
        app.resume_speed, app.speed = app.presenter.cruise or app.speed, 0.0
    else:
        app.speed = app.resume_speed


def pick_model(app, index: int | None) -> None:
    """The next model (``None``) or the one at ``index`` in the station list."""
    names = [st.name for st in app.snap.stations]
    if index is None:
        app.model = names[(names.index(app.model) + 1) % len(names)]
    elif index < len(names):
        app.model = names[index]


def next_scenario(app) -> None:
    """The next packaged scenario, with a new seed."""
    names = scenario_names()
    cur = app.scenario_name
    app.load(names[(names.index(cur) + 1) % len(names)] if cur in names else names[0], None)


def toggle_lang(app) -> None:
    app.lang = next_lang(app.lang)
    app.bake()
    show_card(app)


def toggle_share(app) -> None:
    """Open the share dialog on the session as it is now (render/share.py), or close it."""
    dialog = app.overlays.share
    if dialog.open:
        dialog.close()
    else:
        dialog.show(app)
