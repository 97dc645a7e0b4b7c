"""The scenario schema: every key a scenario file may hold, its type, range and default.

Defaults are the numbers of ``shared/DOMAIN.md``; ``scenarios/default.toml`` spells every one
of them out (a test keeps the two equal).  A scenario file is an overlay on these defaults, so
``rush-hour.toml`` only names what differs.  Keeping the schema as data (not code paths) lets
one validator give the same one-line error for a file key and a ``--set`` override.

Tables of named entries (``tiers``, ``models``) use :data:`TIER` / :data:`MODEL` for each entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Spec:
    """One scalar key: ``kind`` is bool/int/float/str; ``lo``/``hi`` bound numbers."""

    kind: type
    default: Any
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    doc: str = ""

    def allowed(self) -> str:
        if self.kind is bool:
            return "true or false"
        if self.choices:
            return "one of " + ", ".join(self.choices)
        noun = {int: "an integer", float: "a number", str: "a string"}[self.kind]
        if self.lo is not None and self.hi is not None:
            return f"{noun} from {_num(self.lo)} to {_num(self.hi)}"
        if self.lo is not None:
            return f"{noun} >= {_num(self.lo)}"
        return noun


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


DAY_S = 7 * 24 * 3600.0

RUN = {
    "hours": Spec(float, 8.0, 0.0, 24 * 365, doc="default length of `python -m sim run`"),
    "seed": Spec(int, 1, 0, 2**63 - 1),
}

ARRIVALS = {
    "rate_per_min": Spec(float, 3.5, 0.0, 10000.0, doc="Poisson arrival rate (UI slider)"),
    "vip_share": Spec(float, 0.2, 0.0, 1.0, doc="share of customers buying the VIP add-on"),
    "patience_min_s": Spec(float, 300.0, 0.0, DAY_S),
    "patience_max_s": Spec(float, 600.0, 0.0, DAY_S),
    # profile: list of [start_hour, factor] pairs, piecewise constant; validated separately.
}

TIER = {
    "concurrency": Spec(int, 1, 1, 1000),
    "share": Spec(float, 0.25, 0.0, 1.0),
    "wallet_min_cents": Spec(int, 500, 0, 10**9),
    "wallet_max_cents": Spec(int, 2000, 0, 10**9),
    "orders_min": Spec(int, 1, 1, 1000),
    "orders_max": Spec(int, 2, 1, 1000),
}

DEFAULT_TIERS = {
    "L1": {"concurrency": 1, "share": 0.50, "wallet_min_cents": 500, "wallet_max_cents": 2000,
           "orders_min": 1, "orders_max": 2},
    "L2": {"concurrency": 2, "share": 0.30, "wallet_min_cents": 2000, "wallet_max_cents": 6000,
           "orders_min": 1, "orders_max": 3},
    "L3": {"concurrency": 4, "share": 0.15, "wallet_min_cents": 6000, "wallet_max_cents": 20000,
           "orders_min": 2, "orders_max": 6},
    "L4": {"concurrency": 8, "share": 0.05, "wallet_min_cents": 20000, "wallet_max_cents": 100000,
           "orders_min": 3, "orders_max": 12},
}

CONTENTS = ("image", "video", "audio", "text", "job")

MODEL = {
    "label": Spec(str, "model", doc="name shown on the factory floor"),
    "content": Spec(str, "image", choices=CONTENTS),
    "mix": Spec(float, 0.25, 0.0, 1.0, doc="share of ordered items of this content"),
    "slots": Spec(int, 10, 0, 500, doc="base (contracted) slots, UI slider 'capacity'"),
    "mean_task_s": Spec(float, 300.0, 0.001, DAY_S),
    "task_shape": Spec(int, 2, 1, 50, doc="Erlang shape k of the task time (1 = exponential)"),
    "price_cents": Spec(int, 50, 0, 10**7),
    "fail_rate": Spec(float, 0.0, 0.0, 1.0),
    "throttle_rate": Spec(float, 0.0, 0.0, 1.0, doc="share of calls answered 429"),
    "throttle_delay_s": Spec(float, 2.0, 0.0, 3600.0),
    "slot_cost_cents_per_h": Spec(int, 0, 0, 10**7),
    "rented_cost_cents_per_h": Spec(int, 0, 0, 10**7),
    "task_fee_cents": Spec(int, 0, 0, 10**7),
    "batch_max": Spec(int, 1, 1, 1000, doc="orders per call; >1 makes a batching model"),
    "batch_window_s": Spec(float, 0.0, 0.0, 3600.0),
    "max_rented": Spec(int, 20, 0, 500),
}

DEFAULT_MODELS = {
    "image": {"label": "SD1.5", "content": "image", "mix": 0.40, "slots": 20,
              "mean_task_s": 300.0, "task_shape": 2, "price_cents": 50, "fail_rate": 0.02,
              "throttle_rate": 0.01, "throttle_delay_s": 2.0, "slot_cost_cents_per_h": 30,
              "rented_cost_cents_per_h": 60, "task_fee_cents": 0, "batch_max": 1,
              "batch_window_s": 0.0, "max_rented": 20},
    "video": {"label": "VideoGen", "content": "video", "mix": 0.04, "slots": 6,
              "mean_task_s": 720.0, "task_shape": 2, "price_cents": 300, "fail_rate": 0.03,
              "throttle_rate": 0.01, "throttle_delay_s": 2.0, "slot_cost_cents_per_h": 120,
              "rented_cost_cents_per_h": 240, "task_fee_cents": 0, "batch_max": 1,
              "batch_window_s": 0.0, "max_rented": 10},
    "audio": {"label": "TTS", "content": "audio", "mix": 0.20, "slots": 10,
              "mean_task_s": 120.0, "task_shape": 2, "price_cents": 30, "fail_rate": 0.01,
              "throttle_rate": 0.01, "throttle_delay_s": 2.0, "slot_cost_cents_per_h": 20,
              "rented_cost_cents_per_h": 40, "task_fee_cents": 0, "batch_max": 1,
              "batch_window_s": 0.0, "max_rented": 10},
    "text": {"label": "LLM", "content": "text", "mix": 0.36, "slots": 30,
             "mean_task_s": 60.0, "task_shape": 3, "price_cents": 10, "fail_rate": 0.01,
             "throttle_rate": 0.02, "throttle_delay_s": 2.0, "slot_cost_cents_per_h": 10,
             "rented_cost_cents_per_h": 20, "task_fee_cents": 0, "batch_max": 8,
             "batch_window_s": 5.0, "max_rented": 10},
}

DOOR = {
    "enabled": Spec(bool, True),
    "admit_per_min": Spec(float, 30.0, 0.0, 100000.0, doc="token bucket refill R"),
    "burst": Spec(int, 10, 1, 100000, doc="token bucket size B"),
    "lobby_max_orders": Spec(int, 300, 0, 10**7, doc="turn people away above this many waiting"),
}

BILLING = {
    "vip_fee_cents": Spec(int, 200, 0, 10**7),
    "accrue_every_s": Spec(float, 60.0, 1.0, 86400.0, doc="how often slot fees are posted"),
}

QUEUE = {
    "aging_s": Spec(float, 900.0, 0.0, DAY_S, doc="normal order older than this counts as VIP"),
}

RETRY = {
    "base_s": Spec(float, 10.0, 0.0, 3600.0),
    "factor": Spec(float, 2.0, 1.0, 100.0),
    "max_attempts": Spec(int, 3, 1, 100),
    "max_backoff_s": Spec(float, 300.0, 0.0, 86400.0,
                          doc="ceiling of a retry delay (full jitter draws under it)"),
    "dead_letter_keep": Spec(int, 100, 0, 100000, doc="dead letters kept for display"),
}

CIRCUIT = {
    "enabled": Spec(bool, True),
    "window_calls": Spec(int, 20, 1, 10000, doc="outcomes in the failure-ratio window"),
    "min_calls": Spec(int, 10, 1, 10000),
    "failure_ratio": Spec(float, 0.5, 0.0, 1.0),
    "cooldown_s": Spec(float, 60.0, 0.0, DAY_S),
    "outage_fail_s": Spec(float, 5.0, 0.0, 3600.0, doc="how fast a call fails in an outage"),
}

WAIT_BREAKER = {
    "enabled": Spec(bool, True),
    "multiplier": Spec(float, 3.0, 0.0, 1000.0, doc="ask when expected wait > multiplier x T"),
    "answer_after_s": Spec(float, 20.0, 0.0, 3600.0, doc="dispatcher walks over, customer answers"),
}

AUTOSCALER = {
    "enabled": Spec(bool, True),
    "check_every_s": Spec(float, 30.0, 1.0, 86400.0),
    "window_s": Spec(float, 300.0, 1.0, DAY_S, doc="look-back window of waits"),
    "wait_threshold_s": Spec(float, 600.0, 0.0, DAY_S, doc="scale up when window wait exceeds"),
    "asks_threshold": Spec(int, 3, 0, 10**6, doc="...or breaker asks in the window reach this"),
    "upscale_delay_s": Spec(float, 30.0, 0.0, DAY_S),
    "downscale_delay_s": Spec(float, 600.0, 0.0, DAY_S),
    "low_utilization": Spec(float, 0.6, 0.0, 1.0, doc="below this (and no queue) counts as low"),
    "step": Spec(int, 5, 1, 500),
    "provision_s": Spec(float, 120.0, 0.0, DAY_S),
    "budget_cents": Spec(int, 0, 0, 10**12, doc="rental spend cap; 0 = no cap"),
}

METRICS = {
    "window_s": Spec(float, 600.0, 1.0, DAY_S, doc="sliding window of live percentiles"),
    "sample_every_s": Spec(float, 60.0, 1.0, DAY_S, doc="sparkline sample period"),
    "series_len": Spec(int, 120, 2, 100000),
}

SERVICE = {
    "target_wait_s": Spec(float, 900.0, 1.0, DAY_S,
                          doc="the service level counts orders started within this wait"),
    "target_share": Spec(float, 0.95, 0.0, 1.0,
                         doc="the service level is met when this share of orders is"),
}

ALERTS = {
    "abandon_rate": Spec(float, 0.10, 0.0, 1.0),
    "queue_len": Spec(int, 100, 0, 10**7),
}

SECTIONS: dict[str, dict[str, Spec]] = {
    "run": RUN,
    "arrivals": ARRIVALS,
    "door": DOOR,
    "billing": BILLING,
    "queue": QUEUE,
    "retry": RETRY,
    "circuit": CIRCUIT,
    "wait_breaker": WAIT_BREAKER,
    "autoscaler": AUTOSCALER,
    "metrics": METRICS,
    "service": SERVICE,
    "alerts": ALERTS,
}

DEFAULT_PROFILE: list[list[float]] = [[0.0, 1.0]]
