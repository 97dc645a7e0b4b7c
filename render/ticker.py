"""The event ticker: the log's recent records turned into short bilingual lines.

Why it keeps its own list: a snapshot carries only the newest records, most of them
book-keeping (``accrue``, ``place``).  The ticker keeps the interesting ones it has seen,
newest last, and formats each once.
"""

from __future__ import annotations

from collections import deque

from render import palette as P
from render.i18n import tr, word
from sim import Snapshot, record_field, record_fields

SHOWN = {"reject", "deliver", "fail", "refund", "dead_letter", "ask", "answer", "leave",
         "circuit", "outage", "rent", "return", "alert", "command"}
COLORS = {"reject": P.ORANGE, "deliver": P.LIME, "fail": P.TEXT_BAD, "refund": P.PINK,
          "dead_letter": P.TEXT_BAD, "ask": P.YELLOW, "answer": P.YELLOW, "leave": P.PINK,
          "circuit": P.TEXT_BAD, "outage": P.TEXT_BAD, "rent": P.GOLD, "return": P.GOLD,
          "alert": P.ORANGE, "command": P.CYAN}


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    return f"{sign}${cents // 100:,}.{cents % 100:02d}"


def duration(seconds: float) -> str:
    s = int(max(0.0, seconds))
    if s >= 86400 * 2:
        return ">2d"
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s}s"


def short(seconds: float) -> str:
    """A duration in at most four characters, for table cells."""
    s = max(0.0, seconds)
    if s >= 86400:
        return ">1d"
    if s >= 3600:
        return f"{s / 3600:.1f}h"
    if s >= 60:
        return f"{s / 60:.0f}m"
    return f"{s:.0f}s"


def clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600 % 24:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def line(record: tuple, lang: str, labels: dict[str, str]) -> str | None:
    """One record as a ticker line, or None for kinds the ticker skips."""
    kind = record[1]
    if kind not in SHOWN:
        return None
    f = record_fields(record)
    lab = lambda m: labels.get(m, m)  # noqa: E731
    if kind == "reject":
        return tr("ev_reject", lang, f["customer"], word(f["reason"], lang))
    if kind == "deliver":
        return tr("ev_deliver", lang, f["order"], money(f["cents"]))
    if kind == "fail":
        return tr("ev_fail", lang, f["order"], lab(f["model"]), word(f["why"], lang))
    if kind == "refund":
        return tr("ev_refund", lang, f["order"], money(f["cents"]))
    if kind == "dead_letter":
        return tr("ev_dead_letter", lang, f["order"])
    if kind == "ask":
        return tr("ev_ask", lang, f["customer"], duration(f["est_wait_s"]))
    if kind == "answer":
        return tr("ev_answer_stay" if f["stays"] else "ev_answer_go", lang, f["customer"])
    if kind == "leave":
        return tr("ev_leave", lang, f["customer"])
    if kind == "circuit":
        return tr("ev_circuit", lang, lab(f["model"]), word(f["state"], lang))
    if kind == "outage":
        return tr("ev_outage", lang, lab(f["model"]))
    if kind in ("rent", "return"):
        return tr("ev_" + kind, lang, lab(f["model"]), f["slots"], word(f["by"], lang))
    if kind == "alert":
        return tr("ev_alert_on" if f["on"] else "ev_alert_off", lang,
                  tr("alert_" + f["name"], lang))       # the lamp's name
    return tr("ev_command", lang, f"{f['name']} {f['args']}".strip())


#: Kinds whose consecutive records fold into one line "×n", and the fields that must match.
REPEATS: dict[str, tuple[str, ...]] = {
    "deliver": (), "reject": ("reason",), "fail": ("model", "why"), "refund": ("cents",),
    "dead_letter": ("model",), "answer": ("stays",), "leave": ("customer",)}


def _same(a: tuple, b: tuple) -> bool:
    """Records that read as one line repeated: same kind and same reason or model."""
    keys = REPEATS.get(a[1])
    return keys is not None and a[1] == b[1] and \
        all(record_field(a, k) == record_field(b, k) for k in keys)


#: Failure reasons the ticker leaves out: a 429 is retried at once and would flood the list.
QUIET_FAILS = frozenset({"throttle"})


def shown(rec: tuple) -> bool:
    """True for records the ticker lists (the interesting kinds, minus quiet ones)."""
    kind = rec[1]
    if kind not in SHOWN:
        return False
    if kind == "fail":
        return record_field(rec, "why") not in QUIET_FAILS
    return kind != "refund" or record_field(rec, "state") == "refunded_failure"


class Ticker:
    """Remembers the last interesting records across snapshots; repeats fold into one line.

    It reads a snapshot's records *after the last one it took* (by record number), so a
    record is listed once however snapshots and frames interleave at high speed.
    """

    def __init__(self, keep: int = 40) -> None:
        self.records: deque[tuple] = deque(maxlen=keep)
        self.repeats: deque[int] = deque(maxlen=keep)
        self.seq = 0                    # number of the last record taken

    def update(self, snap: Snapshot) -> None:
        """Take the records logged since the last call."""
        fresh = snap.records_since(self.seq)
        self.seq = max(self.seq, snap.events)
        for rec in fresh:
            if not shown(rec):
                continue
            if self.records and _same(self.records[-1], rec):
                self.records[-1] = rec
                self.repeats[-1] += 1
            else:
                self.records.append(rec)
                self.repeats.append(1)

    def lines(self, n: int) -> list[tuple[tuple, int]]:
        """The newest ``n`` (record, repeat count) pairs, newest first."""
        pairs = list(zip(self.records, self.repeats, strict=True))[-n:]
        return pairs[::-1]
