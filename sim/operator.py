"""The operator's desk: every knob an operator turns, applied as an event.

Commands arrive as :class:`sim.commands.Command` events (priority after ordinary events of
the same instant, see :mod:`sim.engine`), are logged, and are looked up in one table of
handlers -- so adding a command is a schema entry in :mod:`sim.commands` and a handler here.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.capacity import Capacity
from sim.commands import Command
from sim.engine import Engine
from sim.eventlog import EventLog
from sim.stations import Station


class OperatorDesk:
    """Applies commands to the parts they turn."""

    def __init__(self, engine: Engine, log: EventLog, stations: dict[str, Station], arrivals,
                 flow, capacity: Capacity, autoscaler) -> None:
        self.engine = engine
        self.log = log
        self.stations = stations
        self.arrivals = arrivals
        self.flow = flow
        self.capacity = capacity
        self.autoscaler = autoscaler
        self.handlers: dict[str, Callable[..., None]] = {
            "spawn_rate": self.spawn_rate, "vip_share": self.vip_share,
            "capacity": self.set_capacity, "breaker_multiplier": self.breaker_multiplier,
            "autoscaler": self.set_autoscaler, "outage": self.outage, "pause": self.pause,
            "resume": self.resume, "clear_queue": self.clear_queue, "rent": self.rent,
            "return": self.give_back, "cancel_order": self.cancel_order,
            "set_price": self.set_price,
        }

    def apply(self, cmd: Command) -> None:
        args = cmd.args
        self.log.add((self.engine.now, "command", cmd.name,
                      ",".join(f"{k}={args[k]}" for k in sorted(args))))
        self.handlers[cmd.name](**args)

    def _targets(self, model: str) -> list[Station]:
        """One model, or every model for ``""``."""
        return [self.stations[model]] if model else list(self.stations.values())

    def spawn_rate(self, rate_per_min: float) -> None:
        self.arrivals.set_rate(rate_per_min)

    def vip_share(self, share: float) -> None:
        self.arrivals.crowd.vip_share = share

    def set_capacity(self, model: str, slots: int) -> None:
        self.capacity.set_base(self.stations[model], slots)

    def breaker_multiplier(self, multiplier: float) -> None:
        self.flow.breaker.multiplier = multiplier

    def set_autoscaler(self, on: bool) -> None:
        self.autoscaler.enabled = on

    def outage(self, model: str, duration_s: float) -> None:
        st = self.stations[model]
        st.outage_until_s = self.engine.now + duration_s
        self.log.add((self.engine.now, "outage", model, st.outage_until_s))

    def pause(self, model: str) -> None:
        for st in self._targets(model):
            st.paused = True

    def resume(self, model: str) -> None:
        for st in self._targets(model):
            st.paused = False
            self.flow.dispatchers[st.name].dispatch()

    def clear_queue(self, model: str) -> None:
        for st in self._targets(model):
            self.flow.clear(st)

    def rent(self, model: str, slots: int) -> None:
        self.capacity.rent(self.stations[model], slots, "operator")

    def give_back(self, model: str, slots: int) -> None:
        self.capacity.give_back(self.stations[model], slots, "operator")

    def cancel_order(self, order_id: int) -> None:
        self.flow.cancel(order_id)

    def set_price(self, model: str, price_cents: int) -> None:
        """A new price for a model's orders placed from now on (held ones keep theirs)."""
        self.arrivals.crowd.prices[model] = price_cents
