"""The event ticker: the log's recent records turned into short bilingual lines.

Why it keeps its own list: a snapshot carries only the newest records, most of them
book-keeping (``accrue``, ``place``).  The ticker keeps the interesting ones it has seen,
newest last, and formats each once.
"""

from __future__ import annotations

from collections import deque

from render import palette as P
from render.i18n import WORDS, tr, word
from sim import Snapshot

SHOWN = {"reject", "deliver", "fail", "refund", "dead_letter", "ask", "answer", "leave",
         "circuit", "outage", "rent", "return", "alert", "command"}
COLORS = {"reject": P.ORANGE, "deliver": P.LIME, "fail": P.RED, "refund": P.PINK,
          "dead_letter": P.RED, "ask": P.YELLOW, "answer": P.YELLOW, "leave": P.PINK,
          "circuit": P.RED, "outage": P.RED, "rent": P.GOLD, "return": P.GOLD,
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
    f = record[2:]
    lab = lambda m: labels.get(m, m)  # noqa: E731
    if kind == "reject":
        return tr("ev_reject", lang, f[0], word(f[1], lang))
    if kind == "deliver":
        return tr("ev_deliver", lang, f[0], money(f[2]))
    if kind == "fail":
        return tr("ev_fail", lang, f[0], lab(f[1]), word(f[2], lang))
    if kind == "refund":
        return tr("ev_refund", lang, f[0], money(f[3]))
    if kind == "dead_letter":
        return tr("ev_dead_letter", lang, f[0])
    if kind == "ask":
        return tr("ev_ask", lang, f[0], duration(f[2]))
    if kind == "answer":
        return tr("ev_answer_stay" if f[1] else "ev_answer_go", lang, f[0])
    if kind == "leave":
        return tr("ev_leave", lang, f[0])
    if kind == "circuit":
        return tr("ev_circuit", lang, lab(f[0]), word(f[1], lang))
    if kind == "outage":
        return tr("ev_outage", lang, lab(f[0]))
    if kind in ("rent", "return"):
        return tr("ev_" + kind, lang, lab(f[0]), f[1], word(f[2], lang))
    if kind == "alert":
        return tr("ev_alert_on" if f[1] else "ev_alert_off", lang, word(f[0], lang, WORDS))
    if kind == "command":
        return tr("ev_command", lang, f"{f[0]} {f[1]}".strip())
    return None


def _same(a: tuple, b: tuple) -> bool:
    """Records that read as one line repeated: same kind and same reason or model."""
    if a[1] != b[1]:
        return False
    kind = a[1]
    if kind == "deliver":
        return True
    if kind == "reject":
        return a[3] == b[3]
    if kind == "fail":
        return a[3] == b[3] and a[4] == b[4]
    return kind in ("refund", "dead_letter", "answer", "leave") and a[-1] == b[-1]


#: Failure reasons the ticker leaves out: a 429 is retried at once and would flood the list.
QUIET_FAILS = frozenset({"throttle"})


def shown(rec: tuple) -> bool:
    """True for records the ticker lists (the interesting kinds, minus quiet ones)."""
    kind = rec[1]
    if kind not in SHOWN:
        return False
    if kind == "fail":
        return rec[4] not in QUIET_FAILS
    return kind != "refund" or rec[4] == "refunded_failure"


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
