"""The event ticker: the log's recent records turned into short bilingual lines.

Why it keeps its own list: a snapshot carries only the newest records, most of them
book-keeping (``accrue``, ``place``).  The ticker keeps the interesting ones it has seen,
newest last, folded when they repeat fast; from the book-keeping it remembers only which
customer placed an order and how often it failed, so an order's line names both.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from render import palette as P
from render.i18n import tr, word
from sim import Snapshot, record_field, record_fields

SHOWN = {"reject", "deliver", "fail", "refund", "ask", "answer", "leave",
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


def line(record: tuple, lang: str, labels: dict[str, str], customer: int | None = None,
         tries: int | None = None) -> str | None:
    """One record as a ticker line, or None for kinds the ticker skips.

    ``customer`` (the order's customer) and ``tries`` (its failed attempts), when the ticker
    knows them, make an order's line name who it was for and how it ended."""
    kind = record[1]
    if kind not in SHOWN:
        return None
    f = record_fields(record)
    lab = lambda m: labels.get(m, m)  # noqa: E731
    if kind in ("deliver", "refund"):          # their records name the customer
        customer = f["customer"]
    if kind in ORDER_KINDS and customer is not None:
        return _order_line(f, lang, lab, customer, tries)
    if kind == "reject":
        return tr("ev_reject", lang, f["customer"], word(f["reason"], lang))
    if kind == "deliver":
        return tr("ev_deliver", lang, f["order"], money(f["cents"]))
    if kind == "fail":
        return tr("ev_fail", lang, f["order"], lab(f["model"]), word(f["why"], lang),
                  f["attempt"])
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
        why = f["reason"] if kind == "return" else f["by"]   # a return says why
        return tr("ev_" + kind, lang, lab(f["model"]), f["slots"], word(why, lang))
    if kind == "alert":
        return tr("ev_alert_on" if f["on"] else "ev_alert_off", lang,
                  tr("alert_" + f["name"], lang))       # the lamp's name
    return tr("ev_command", lang, command_words(f["name"], parse_args(f["args"]),
                                                lang, labels))


def parse_args(text: str) -> dict:
    """A command record's ``k=v,k=v`` arguments back as values: the core checked them and
    wrote each by its kind (``True``, ``5``, ``600.0``, a model name)."""
    out: dict = {}
    for part in filter(None, text.split(",")):
        key, _, value = part.partition("=")
        if value in ("True", "False"):
            out[key] = value == "True"
            continue
        for kind in (int, float):
            try:
                out[key] = kind(value)
                break
            except ValueError:
                continue
        else:
            out[key] = value
    return out


#: command name -> the label fields taken from its arguments (the model by its display name)
COMMAND_FIELDS = {
    "outage": lambda a, m: (m, duration(a["duration_s"])),
    "spawn_rate": lambda a, m: (f"{a['rate_per_min']:g}",),
    "vip_share": lambda a, m: (f"{a['share'] * 100:.0f}%",),
    "capacity": lambda a, m: (m, a["slots"]),
    "breaker_multiplier": lambda a, m: (f"{a['multiplier']:g}",),
    "rent": lambda a, m: (m, a["slots"]),
    "return": lambda a, m: (m, a["slots"]),
    "cancel_order": lambda a, m: (a["order_id"],),
    "set_price": lambda a, m: (m, money(a["price_cents"])),
}


def command_words(name: str, args: dict, lang: str, labels: dict[str, str]) -> str:
    """An operator's command in words, its model by display name ("SD1.5 outage 10m00s"),
    as the timeline's flag and the ticker both say it."""
    model = args.get("model", "")
    shown_model = labels.get(model, model) or tr("mk_all_models", lang)
    if name == "autoscaler":
        return tr("mk_autoscaler", lang, tr("on" if args.get("on") else "off", lang))
    try:
        fields = COMMAND_FIELDS.get(name, lambda a, m: (m,))(args, shown_model)
    except KeyError:                     # a record from another version: its name alone
        fields = (shown_model,)
    return tr("mk_" + name, lang, *fields)


#: Kinds about one order, whose line names the order and its customer.
ORDER_KINDS = frozenset({"deliver", "fail", "refund"})


def _order_line(f: dict, lang: str, lab, customer: int, tries: int | None) -> str:
    kind = f["kind"]
    if kind == "deliver":
        return tr("ev_deliver_of", lang, f["order"], customer, money(f["cents"]))
    if kind == "fail":
        return tr("ev_fail_of", lang, f["order"], customer, lab(f["model"]),
                  word(f["why"], lang), f["attempt"])
    if tries:
        return tr("ev_refund_of", lang, f["order"], customer, money(f["cents"]), tries)
    return tr("ev_refund_left", lang, f["order"], customer, money(f["cents"]),
              word(f["state"], lang))


def fold_line(fold: Fold, lang: str, labels: dict[str, str]) -> str | None:
    """Several records read as one line: a rate per simulated minute when they come fast
    ("12 refunds/min"), else a count ("13 refunds, last order 430", "4 gave up"); None for
    the caller's "×n" after the last record's own line (breakers)."""
    span_s = fold.last[0] - fold.first[0]      # within the last RATE_WINDOW_S (see Fold)
    per_min = (fold.n - 1) * 60.0 / span_s if span_s > 0 else 0.0
    if fold.n >= RATE_MIN and span_s >= RATE_SPAN_S and per_min >= RATE_MIN_PER_MIN:
        key, value = "rate_", f"{per_min:.0f}" if per_min >= 10 else f"{per_min:.1f}"
    else:
        key, value = "n_", str(fold.n)
    f = record_fields(fold.last)
    kind = f["kind"]
    if kind in ("deliver", "refund"):
        return tr(key + kind, lang, value, f["order"], money(f["cents"]))
    if kind == "fail":
        return tr(key + kind, lang, value, labels.get(f["model"], f["model"]),
                  word(f["why"], lang))
    if kind == "reject":
        return tr(key + "reject", lang, value, word(f["reason"], lang))
    if kind == "answer":
        return tr(key + ("answer_stay" if f["stays"] else "answer_go"), lang, value)
    if kind in ("leave", "ask"):
        return tr(key + kind, lang, value)
    return None


#: Kinds whose records fold into one line (a count, then a rate), and the fields that must
#: match: failures of one model for one reason, refunds of one kind...
REPEATS: dict[str, tuple[str, ...]] = {
    "deliver": (), "reject": ("reason",), "fail": ("model", "why"), "refund": ("state",),
    "answer": ("stays",), "leave": (), "ask": (), "circuit": ("model",)}
RATE_MIN = 3          # records before a folded line shows a rate...
RATE_MIN_PER_MIN = 2.0  # ...and only when they come this fast (slower: a count, "×3")
RATE_SPAN_S = 60.0    # ...over at least a simulated minute (a burst of 3 is not 90/min)
FOLD_BACK = 6         # a record may fold into any of the newest lines, not only the last
FOLD_REAL_S = 2.0     # ...if that line's last record is at most this many real seconds old
FOLD_MIN_S = 10.0     # (in simulated seconds at least: at x1 a burst still folds)
#: a folded line counts (and rates) the records of its last this many simulated seconds: what
#: it says depends on the recent run only, not on how long the ticker has been watching (a
#: ticker started by a timeline jump reads as the one that played there)
RATE_WINDOW_S = 600.0
KEEP_ORDERS = 4096    # order -> customer / failed attempts remembered for the lines


def _same(a: tuple, b: tuple) -> bool:
    """Records that read as one line repeated: same kind and same reason or model."""
    keys = REPEATS.get(a[1])
    return keys is not None and a[1] == b[1] and \
        all(record_field(a, k) == record_field(b, k) for k in keys)


#: Failure reasons the ticker leaves out: a 429 is retried at once and would flood the list.
QUIET_FAILS = frozenset({"throttle"})


def shown(rec: tuple) -> bool:
    """True for records the ticker lists (the interesting kinds, minus quiet ones).  A
    dead letter is told by its refund line ("failed 3×"), not a line of its own."""
    kind = rec[1]
    if kind not in SHOWN or kind == "dead_letter":
        return False
    if kind == "fail":
        return record_field(rec, "why") not in QUIET_FAILS
    return kind != "refund" or record_field(rec, "state") == "refunded_failure"


@dataclass(slots=True)
class Fold:
    """One ticker line: ``n`` records read as one, from ``first`` to ``last`` (the records
    of the last ``RATE_WINDOW_S`` before ``last``); ``customer`` and ``tries`` of the last
    one's order (None: not an order, or not seen placed)."""

    first: tuple
    last: tuple
    n: int = 1
    customer: int | None = None
    tries: int | None = None
    recs: deque = field(default_factory=deque)   # the records counted, oldest first

    def add(self, rec: tuple) -> None:
        recs = self.recs
        if not recs:
            recs.append(self.first)
        recs.append(rec)
        while recs[0][0] < rec[0] - RATE_WINDOW_S:
            recs.popleft()
        self.first, self.last, self.n = recs[0], rec, len(recs)


class Ticker:
    """Remembers the last interesting lines across snapshots; repeats fold into one line.

    It reads a snapshot's records *after the last one it took* (by record number), so a
    record is listed once however snapshots and frames interleave at high speed.  At high
    playback speed a line folds the records of the last ``FOLD_REAL_S`` real seconds (the
    app sets :attr:`speed`), so the list scrolls at a readable pace and shows rates.
    """

    def __init__(self, keep: int = 40) -> None:
        self.folds: deque[Fold] = deque(maxlen=keep)
        self.seq = 0                    # number of the last record taken
        self.speed = 1.0                # playback speed (simulated s per real s)
        self.customers: dict[int, int] = {}     # order -> customer (from place/enqueue)
        self.tries: dict[int, int] = {}         # order -> failed attempts so far
        self._owners: tuple | None = None       # (snapshot, order -> customer) when asked

    def update(self, snap: Snapshot) -> None:
        """Take the records logged since the last call."""
        fresh = snap.records_since(self.seq)
        self.seq = max(self.seq, snap.events)
        window_s = max(FOLD_MIN_S, self.speed * FOLD_REAL_S)
        for rec in fresh:
            kind = rec[1]
            if kind == "place" or kind == "enqueue":
                self._remember(self.customers, record_field(rec, "order"),
                               record_field(rec, "customer"))
            elif kind == "fail":
                self._remember(self.tries, record_field(rec, "order"),
                               record_field(rec, "attempt"))
            if shown(rec):
                self._add(rec, window_s, snap)

    @staticmethod
    def _remember(table: dict[int, int], order: int, value: int) -> None:
        table[order] = value
        if len(table) > KEEP_ORDERS:
            for old in list(table)[:KEEP_ORDERS // 4]:
                del table[old]

    def _customer_in(self, snap: Snapshot, order: int) -> int | None:
        """Whose order it is, from the snapshot's people, when its placing was not seen (a
        ticker started by a timeline jump): the line then reads as it did live."""
        if self._owners is None or self._owners[0] is not snap:
            owners = {o.id: p.id for p in (*snap.people, *snap.departures) for o in p.orders}
            self._owners = (snap, owners)
        customer = self._owners[1].get(order)
        if customer is not None:
            self._remember(self.customers, order, customer)
        return customer

    def _add(self, rec: tuple, window_s: float, snap: Snapshot | None = None) -> None:
        """A new line, or the newest matching line folded over it and moved to the top."""
        customer = tries = None
        if rec[1] in ORDER_KINDS:
            order = record_field(rec, "order")
            customer = self.customers.get(order)
            if customer is None and snap is not None:
                customer = self._customer_in(snap, order)
            tries = self.tries.get(order)
        folds = self.folds
        for back in range(1, min(FOLD_BACK, len(folds)) + 1):
            fold = folds[-back]
            if _same(fold.last, rec) and rec[0] - fold.last[0] <= window_s:
                del folds[-back]
                fold.add(rec)
                fold.customer, fold.tries = customer, tries
                folds.append(fold)
                return
        folds.append(Fold(rec, rec, 1, customer, tries))

    def lines(self, n: int) -> list[tuple[tuple, int]]:
        """The newest ``n`` (last record, records folded) pairs, newest first."""
        return [(f.last, f.n) for f in list(self.folds)[-n:]][::-1]

    def rows(self, n: int, lang: str, labels: dict[str, str]) -> list[tuple[float, str, P.Color]]:
        """The newest ``n`` lines as (time, text, colour), newest first: one record's line,
        a count ("×2", "13 refunds") or, for a fast repeat, its rate."""
        out = []
        for fold in list(self.folds)[-n:][::-1]:
            rec = fold.last
            msg = fold_line(fold, lang, labels) if fold.n > 1 else None
            if msg is None:
                msg = line(rec, lang, labels, fold.customer, fold.tries)
                if msg is None:
                    continue
                if fold.n > 1:
                    msg = f"{msg} ×{fold.n}"
            out.append((rec[0], msg, COLORS.get(rec[1], P.TEXT)))
        return out
