"""The scenario schema: every key a scenario file may hold, its type, range and default.

Defaults are the numbers of ``docs/DOMAIN.md``; ``scenarios/default.toml`` spells every one
of them out (a test keeps the two equal).  A scenario file is an overlay on these defaults, so
``rush-hour.toml`` only names what differs.  Keeping the schema as data (not code paths) lets
one validator give the same one-line error for a file key and a ``--set`` override.

Tables of named entries (``tiers``, ``models``) use :data:`TIER` / :data:`MODEL` for each entry.

:func:`check_value` is the one check of a value against its :class:`Spec`, whoever read the
value: a scenario file, ``--set``, a command file, or a command-line flag (``--hours`` is
``run.hours``, ``--seed`` is ``run.seed``).  It lives here, below both ``sim.scenario`` and
``sim.commands``, so neither has to import the other.
"""

from __future__ import annotations

import math
import pathlib
from dataclasses import dataclass
from typing import Any


class InputError(ValueError):
    """Bad user input; ``str(err)`` is the single line to show (exit status 2)."""


#: What a model label may hold: printable ASCII, which the UI's pixel font
#: (``assets/unifont-subset.otf``, made by ``tools/subset_font.py``) always covers.  Other
#: characters would draw as empty boxes; a test checks the font against this set.
LABEL_CHARS = "".join(chr(c) for c in range(0x20, 0x7F))
#: The widest label the dashboard's model column shows whole (16 px font, 8 px per glyph).
LABEL_MAX = 10
#: Names of ``[models.NAME]`` and ``[tiers.NAME]``: they are parts of dotted keys
#: (``models.NAME.slots``, ``--vary``), so no dots or spaces, and never ``""``, which means
#: "every model" in commands.
NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
NAME_MAX = 32


@dataclass(frozen=True, slots=True)
class Spec:
    """One scalar key: ``kind`` is bool/int/float/str; ``lo``/``hi`` bound numbers;
    ``max_len``/``chars`` bound strings (``chars``: every character allowed)."""

    kind: type
    default: Any
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    doc: str = ""
    max_len: int | None = None
    chars: str = ""
    chars_doc: str = ""

    def allowed(self) -> str:
        if self.kind is bool:
            return "true or false"
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind is str and self.max_len is not None:
            of = f" of {self.chars_doc}" if self.chars_doc else ""
            return f"1 to {self.max_len} characters{of}"
        noun = {int: "an integer", float: "a number", str: "a string"}[self.kind]
        if self.lo is not None and self.hi is not None:
            return f"{noun} from {_num(self.lo)} to {_num(self.hi)}"
        if self.lo is not None:
            return f"{noun} >= {_num(self.lo)}"
        return noun


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def clip(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters: an error line quotes the input, never dumps it."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def shown(value: Any, limit: int = 40) -> str:
    """``repr(value)``, clipped (see :func:`clip`)."""
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # an int too long to print, a list too deep
        text = f"<{type(value).__name__}>"
    return clip(text, limit)


TOO_DEEP = "arrays or tables nested too deeply"
TOO_LONG = "a number with too many digits"


MAX_FILE_BYTES = 16 * 2**20  # a scenario or command file is hand-sized; /dev/zero is not


def read_user_text(path: Any, source: str, what: str, error: type[InputError]) -> str:
    """A file a person wrote, as text, or ``error`` with one line: unreadable (missing, a
    directory, a 5000-character name), endless (``/dev/zero``) or not UTF-8 (named by the
    first bad byte)."""
    try:
        with open(pathlib.Path(path), "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise error(f"{source}: cannot read {what} ({e.strerror or e})") from None
    except ValueError:  # a NUL in the name (the API; argv cannot hold one)
        raise error(f"{source}: cannot read {what} (not a file name)") from None
    if len(data) > MAX_FILE_BYTES:
        raise error(f"{source}: {what} is larger than {MAX_FILE_BYTES >> 20} MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise error(f"{source}: {what} is not UTF-8 text (byte 0x{data[e.start]:02x} at "
                    f"offset {e.start})") from None


def parse_user_text(text: str, parse: Any, syntax_error: type[Exception], fmt: str,
                    source: str, error: type[InputError]) -> Any:
    """``parse(text)`` (TOML, JSON) with one-line errors: bad syntax, nested too deep for
    Python's stack, or an integer too long to convert.  ``error`` raised by ``parse`` itself
    (a JSON ``NaN``) passes through."""
    try:
        return parse(text)
    except error:
        raise
    except syntax_error as e:
        raise error(f"{source}: not valid {fmt}: {e}") from None
    except RecursionError:
        raise error(f"{source}: not valid {fmt}: {TOO_DEEP}") from None
    except ValueError:  # int(): "Exceeds the limit (4300 digits) for integer string ..."
        raise error(f"{source}: not valid {fmt}: {TOO_LONG}") from None


def check_value(spec: Spec, value: Any, dotted: str, source: str,
                error: type[InputError] = InputError) -> Any:
    """Type- and range-check one value and return it (ints are accepted where floats are
    expected); anything else raises ``error`` with one line naming ``source``, ``dotted``
    and what is allowed.  NaN and infinities are never numbers here: a NaN compares false
    with every bound, and one in a schedule hung the arrival loop."""
    bad = error(f"{source}: key '{dotted}' = {shown(value)}: expected {spec.allowed()}")
    if spec.kind is bool:
        if not isinstance(value, bool):
            raise bad
        return value
    if spec.kind is str:
        if not isinstance(value, str) or (spec.choices and value not in spec.choices):
            raise bad
        if spec.max_len is not None and not (0 < len(value) <= spec.max_len and value.strip()):
            raise bad
        if spec.chars and not set(value) <= set(spec.chars):
            raise bad
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise bad
    if isinstance(value, float) and not math.isfinite(value):
        raise bad
    if spec.kind is int:
        if isinstance(value, float):
            if not value.is_integer():
                raise bad
            value = int(value)
    # Compared before any conversion: float() of a 400-digit int overflows.
    if (spec.lo is not None and value < spec.lo) or (spec.hi is not None and value > spec.hi):
        raise bad
    return float(value) if spec.kind is float else value


WEEK_S = 7 * 24 * 3600.0

RUN = {
    "hours": Spec(float, 8.0, 0.0, 24 * 365, doc="default length of `python -m sim run`"),
    "seed": Spec(int, 1, 0, 2**63 - 1),
}

ARRIVALS = {
    "rate_per_min": Spec(float, 3.5, 0.0, 10000.0, doc="Poisson arrival rate (UI slider)"),
    "vip_share": Spec(float, 0.2, 0.0, 1.0, doc="share of customers buying the VIP add-on"),
    "patience_min_s": Spec(float, 300.0, 0.0, WEEK_S),
    "patience_max_s": Spec(float, 600.0, 0.0, WEEK_S),
    # profile: list of [start_hour, factor] pairs, piecewise constant; validated separately.
}

#: ``[arrivals.trace]``: arrivals replayed from a request log (``sim/trace.py``).
#: The token rule's defaults are an LLM served on one modern GPU node, read off the Splitwise
#: paper's measurements (Patel et al., ISCA 2024: prompt phase of a 2k-token prompt in about
#: 0.2 s, ~25 ms per generated token): state your own service's figures when you know them.
TRACE = {
    "path": Spec(str, "", doc="CSV or JSON Lines, plain or .gz, relative to the scenario file;"
                 " empty = no trace"),
    "format": Spec(str, "auto", choices=("auto", "azure-llm-2023", "burstgpt", "river"),
                   doc="auto: the preset whose header the file has"),
    # model: the River model of every row, or a table {trace model name = River model};
    # "" = drawn from the models' mix as today.  Validated separately.
    "speed": Spec(float, 1.0, 0.001, 10000.0, doc="2 = the same requests in half the time"),
    "start_s": Spec(float, 0.0, 0.0, 1e9, doc="replay from this many seconds into the trace"),
    "window_s": Spec(float, 0.0, 0.0, 1e9, doc="replay this many trace seconds; 0 = to the end"),
    "loop": Spec(bool, False, doc="start over at the end (period: window_s, else span + a gap)"),
    "visit_gap_s": Spec(float, 60.0, 0.0, WEEK_S,
                        doc="rows of one customer this close form one visit"),
    "poisson": Spec(bool, False, doc="the Poisson spawner runs beside the trace"),
    "skip_failed": Spec(bool, False, doc="burstgpt: drop rows whose Response tokens is 0"),
    "task_time": Spec(str, "auto", choices=("auto", "column", "tokens", "drawn"),
                      doc="auto: the duration column, else the token rule, else drawn"),
    "base_s": Spec(float, 0.05, 0.0, 3600.0, doc="token rule: fixed cost of a request"),
    "prefill_tokens_per_s": Spec(float, 10000.0, 0.001, 1e9,
                                 doc="token rule: prompt tokens read per second"),
    "decode_tokens_per_s": Spec(float, 40.0, 0.001, 1e9,
                                doc="token rule: tokens generated per second"),
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
    "label": Spec(str, "model", doc="name shown on the factory floor", max_len=LABEL_MAX,
                  chars=LABEL_CHARS, chars_doc="printable ASCII (what the pixel font draws)"),
    "content": Spec(str, "image", choices=CONTENTS),
    "mix": Spec(float, 0.25, 0.0, 1.0, doc="share of ordered items of this content"),
    "slots": Spec(int, 10, 0, 500, doc="base (contracted) slots, UI slider 'capacity'"),
    "mean_task_s": Spec(float, 300.0, 0.001, WEEK_S),
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
    "aging_s": Spec(float, 900.0, 0.0, WEEK_S, doc="normal order older than this counts as VIP"),
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
    "cooldown_s": Spec(float, 60.0, 0.0, WEEK_S),
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
    "window_s": Spec(float, 300.0, 1.0, WEEK_S, doc="look-back window of waits"),
    "wait_threshold_s": Spec(float, 600.0, 0.0, WEEK_S, doc="scale up when window wait exceeds"),
    "asks_threshold": Spec(int, 3, 0, 10**6, doc="...or breaker asks in the window reach this"),
    "upscale_delay_s": Spec(float, 30.0, 0.0, WEEK_S),
    "downscale_delay_s": Spec(float, 600.0, 0.0, WEEK_S),
    "low_utilization": Spec(float, 0.6, 0.0, 1.0, doc="below this (and no queue) counts as low"),
    "step": Spec(int, 5, 1, 500),
    "provision_s": Spec(float, 120.0, 0.0, WEEK_S),
    "budget_cents": Spec(int, 0, 0, 10**12, doc="rental spend cap; 0 = no cap"),
}

METRICS = {
    "window_s": Spec(float, 600.0, 1.0, WEEK_S, doc="sliding window of live percentiles"),
    "sample_every_s": Spec(float, 60.0, 1.0, WEEK_S, doc="sparkline sample period"),
    "series_len": Spec(int, 120, 2, 2000,
                       doc="sparkline samples kept (a sparkline is a few hundred pixels wide)"),
}

SERVICE = {
    "target_wait_s": Spec(float, 900.0, 1.0, WEEK_S,
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
