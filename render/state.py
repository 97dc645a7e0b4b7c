"""The view's own state: what the operator chose that is not a simulation command.

Why a small record and not the app: the desk, the panel and the overlays each read a handful
of things (language, playback speed, the selected model, the latest snapshot); handing them
this record instead of the whole :class:`render.app.App` keeps what they may read written
down, and lets a test build one without a window or a simulation.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim import Snapshot, StationView


@dataclass(slots=True)
class ViewState:
    snap: Snapshot                  # the latest snapshot (the only thing read of the model)
    lang: str = "en"
    speed: float = 30.0             # playback: simulated seconds per real second (0: paused)
    kept: float | None = None       # the speed actually played when this machine falls short
    model: str = ""                 # the model the desk's buttons act on
    show_help: bool = False
    scenario_name: str = ""
    sim_error: str = ""             # a core fault, shown instead of crashing the page
    selected: int | None = None     # the customer last clicked on in the world

    @classmethod
    def after(cls, last: ViewState | None, snap: Snapshot, lang: str | None = None,
              speed: float | None = None, scenario_name: str | None = None) -> ViewState:
        """The view of a new run (or a jump's replay): it starts over (first model selected,
        no fault) but for what is given or, when not given, was shown before: language,
        speed, help, scenario name."""
        return cls(snap, lang or last.lang, last.speed if speed is None else speed,
                   model=snap.stations[0].name, show_help=bool(last and last.show_help),
                   scenario_name=scenario_name if scenario_name is not None
                   else last.scenario_name)

    def station(self, name: str | None = None) -> StationView:
        """The selected model's station (or the named one)."""
        return self.snap.station(name or self.model)

    @property
    def paused(self) -> bool:
        return self.station().paused

    @property
    def outage(self) -> bool:
        return self.station().outage_until_s > self.snap.now_s
