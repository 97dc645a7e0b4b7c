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

from render.i18n import next_lang
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
        return [SHORTCUTS[event.key]] if event.key in SHORTCUTS else []
    if event.type not in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
        return []
    if app.show_help and event.type == pygame.MOUSEBUTTONDOWN:
        return [("_close_help", {})]
    return (app.overlays.cards.handle(event, app.lang) or app.timeline.handle(event)
            or app.controls.handle(event) or _world_press(app, event))


def _world_press(app, event: pygame.event.Event) -> list[tuple[str, dict]]:
    if event.type != pygame.MOUSEBUTTONDOWN or not app.camera.sees(event.pos):
        return []
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
        "_reset": lambda a: app.load(str(app.scenario_path), app.seed + 1),
        "_scenario": lambda a: next_scenario(app),
        "_lang": lambda a: toggle_lang(app),
        # the window is main.py's Display: ask it as F11 does, through the event queue
        "_fullscreen": lambda a: pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F11, mod=0, unicode="")),
        "_help": lambda a: setattr(app, "show_help", not app.show_help),
        "_close_help": lambda a: setattr(app, "show_help", False),
        "_jump": lambda a: jump(app, a["t_s"]),
        "_select": lambda a: setattr(app.view, "selected", a["customer"]),
        "_dismiss": lambda a: app.overlays.cards.dismiss(a["card"]),
        "_share": lambda a: toggle_share(app),
        "_none": lambda a: None,
    }


def jump(app, t_s: float) -> None:
    """Start a timeline jump; a ticker of its own reads the jump's last minutes and takes
    over when it lands (:meth:`render.panel.board.Board.land`)."""
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


def toggle_share(app) -> None:
    """Open the share dialog on the session as it is now (render/share.py), or close it."""
    dialog = app.overlays.share
    if dialog.open:
        dialog.close()
    else:
        dialog.show(app)
