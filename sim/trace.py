"""Request traces: a real log of arrivals, read one line at a time.

Why streamed: the BurstGPT release holds 1.4 M rows and an operator's own log may hold more;
the run keeps one row in hand (the next arrival), never the file.  :func:`scan` streams the
file once before the run starts -- every row is checked (a decreasing timestamp at row 5000
is refused before anything runs, not half-way through an hour) and the trace's span, row
count and per-minute counts come out of the same pass (the timeline draws them, and
``python -m sim trace-stats`` prints them).  :func:`rows` then streams it again during the run.

Formats (the header is checked against the preset; ``auto`` picks the preset whose header
the file has):

* ``azure-llm-2023``: ``TIMESTAMP,ContextTokens,GeneratedTokens``; ``YYYY-MM-DD
  HH:MM:SS.fffffff`` (7 fractional digits, parsed by hand: ``strptime``'s ``%f`` takes 6).
* ``burstgpt``: ``Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type``;
  seconds since midnight of the first day; a ``0`` in ``Response tokens`` marks a request that
  failed (it still arrived: it is replayed unless ``arrivals.trace.skip_failed``).
* ``river``: ``time_s`` (seconds, any origin) and, optional, ``model``, ``customer``, ``tier``,
  ``vip`` (``true``/``false``/``1``/``0``), ``service_s`` (the task time in seconds),
  ``context_tokens``, ``generated_tokens``.

A file is CSV, or JSON Lines when its name ends in ``.jsonl`` / ``.jsonl.gz`` (one object a
line, the same column names as keys); a name ending ``.gz`` (or gzip's magic bytes) is read
through gzip.  Every bad row is one :class:`TraceError` line naming the file, the row (data
rows from 1, the header is row 0) and the column.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import pathlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from sim.schema import InputError, clip

MAX_LINE = 64 * 1024          # a request log's line is short; a line of megabytes is refused
FORMATS = ("auto", "azure-llm-2023", "burstgpt", "river")


class TraceError(InputError):
    """A bad trace file; ``str(err)`` is the single line to show (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Preset:
    """A trace format: its header and which column means what (None: the format has none)."""

    name: str
    header: tuple[str, ...]   # required columns, in the file's order for CSV
    time: str
    time_kind: str            # "azure" (a date-time) or "seconds"
    model: str | None = None
    customer: str | None = None
    tier: str | None = None
    vip: str | None = None
    service: str | None = None
    context: str | None = None
    generated: str | None = None
    optional: tuple[str, ...] = ()


PRESETS = {
    "azure-llm-2023": Preset("azure-llm-2023", ("TIMESTAMP", "ContextTokens", "GeneratedTokens"),
                             "TIMESTAMP", "azure", context="ContextTokens",
                             generated="GeneratedTokens"),
    "burstgpt": Preset("burstgpt", ("Timestamp", "Model", "Request tokens", "Response tokens",
                                    "Total tokens", "Log Type"),
                       "Timestamp", "seconds", model="Model", context="Request tokens",
                       generated="Response tokens"),
    "river": Preset("river", ("time_s",), "time_s", "seconds", model="model",
                    customer="customer", tier="tier", vip="vip", service="service_s",
                    context="context_tokens", generated="generated_tokens",
                    optional=("model", "customer", "tier", "vip", "service_s",
                              "context_tokens", "generated_tokens")),
}


@dataclass(slots=True)
class Row:
    """One request of the trace.  ``t_s``: seconds from the trace's first row."""

    row: int
    t_s: float
    model: str | None = None
    customer: str | None = None
    tier: str | None = None
    vip: bool | None = None
    service_s: float | None = None
    context_tokens: int | None = None
    generated_tokens: int | None = None
    failed: bool = False


@dataclass(slots=True)
class Scan:
    """What one pass over the file found: the rows' count, span, per-minute counts, the
    inter-arrival moments, the columns it has and the model names it holds."""

    path: str
    format: str
    rows: int = 0
    span_s: float = 0.0
    per_minute: list[int] = field(default_factory=list)
    gap_n: int = 0
    gap_mean: float = 0.0
    gap_m2: float = 0.0
    models: dict[str, int] = field(default_factory=dict)   # model name -> its first row
    has_service: bool = False
    has_tokens: bool = False
    context_sum: int = 0
    generated_sum: int = 0
    failed: int = 0

    def stats(self) -> dict[str, float | int]:
        """rows, span, mean rate, inter-arrival CV, per-minute index of dispersion, peak."""
        pm = self.per_minute
        mean_pm = sum(pm) / len(pm) if pm else 0.0
        var_pm = sum((c - mean_pm) ** 2 for c in pm) / len(pm) if pm else 0.0
        var_gap = self.gap_m2 / self.gap_n if self.gap_n else 0.0
        peak = max(range(len(pm)), key=pm.__getitem__) if pm else 0
        return {
            "rows": self.rows,
            "span_s": self.span_s,
            "mean_rate_per_min": self.rows / (self.span_s / 60.0) if self.span_s > 0 else 0.0,
            "interarrival_cv": (math.sqrt(var_gap) / self.gap_mean
                                if self.gap_mean > 0 else 0.0),
            "dispersion_per_min": var_pm / mean_pm if mean_pm else 0.0,
            "peak_minute": peak,
            "peak_minute_rows": pm[peak] if pm else 0,
            "minutes": len(pm),
            "context_tokens_mean": self.context_sum / self.rows if self.rows else 0.0,
            "generated_tokens_mean": self.generated_sum / self.rows if self.rows else 0.0,
            "failed_rows": self.failed,
        }


# -- reading lines ---------------------------------------------------------------------------
def _open_bytes(path: pathlib.Path, shown: str):
    try:
        f = open(path, "rb")
    except OSError as e:
        raise TraceError(f"{shown}: cannot read trace ({e.strerror or e})") from None
    except ValueError:
        raise TraceError(f"{shown}: cannot read trace (not a file name)") from None
    magic = f.read(2)
    f.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=f, mode="rb")
    if path.name.endswith(".gz"):
        f.close()
        raise TraceError(f"{shown}: row 0: not a gzip file (its name ends in .gz)")
    return f


def _lines(path: pathlib.Path, shown: str) -> Iterator[tuple[int, str]]:
    """``(row, text)`` for every line (the header is row 0), checked: UTF-8, no NUL, no line
    longer than :data:`MAX_LINE`; the file is closed when the generator is."""
    f = _open_bytes(path, shown)
    try:
        row = -1
        while True:
            try:
                raw = f.readline(MAX_LINE + 1)
            except (OSError, EOFError, zlib.error) as e:
                raise TraceError(f"{shown}: row {row + 1}: cannot read ({clip(str(e), 80)})"
                                 ) from None
            if not raw:
                return
            row += 1
            if len(raw) > MAX_LINE:
                raise TraceError(f"{shown}: row {row}: a line longer than "
                                 f"{MAX_LINE // 1024} KB (is this a trace?)")
            if b"\0" in raw:
                raise TraceError(f"{shown}: row {row}: a NUL byte (a binary file, not a trace)")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise TraceError(f"{shown}: row {row}: not UTF-8 text (byte "
                                 f"0x{raw[e.start]:02x})") from None
            if row == 0:
                text = text.lstrip("\ufeff")
            yield row, text.rstrip("\r\n")
    finally:
        f.close()


def _is_jsonl(path: pathlib.Path) -> bool:
    name = path.name.lower()
    return name.endswith(".jsonl") or name.endswith(".jsonl.gz")


def _records(path: pathlib.Path, shown: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``(row, {column: text})`` per data row; row 0 yields the columns (``{name: name}``)."""
    lines = _lines(path, shown)
    if _is_jsonl(path):
        first = True
        for row, text in lines:
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except (ValueError, RecursionError):
                raise TraceError(f"{shown}: row {row + 1}: not a JSON object") from None
            if not isinstance(obj, dict):
                raise TraceError(f"{shown}: row {row + 1}: not a JSON object")
            rec = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in obj.items()}
            if first:
                yield 0, {k: k for k in rec}
                first = False
            yield row + 1, rec
        return
    header: list[str] | None = None
    for row, text in lines:
        if not text.strip():
            continue
        try:
            cells = next(csv.reader([text]))
        except csv.Error as e:
            raise TraceError(f"{shown}: row {row}: not CSV ({e})") from None
        if header is None:
            header = [c.strip() for c in cells]
            yield 0, {c: c for c in header}
            continue
        if len(cells) != len(header):
            raise TraceError(f"{shown}: row {row}: {len(cells)} columns, the header has "
                             f"{len(header)}")
        yield row, dict(zip(header, cells, strict=True))


# -- parsing cells ---------------------------------------------------------------------------
def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 (Howard Hinnant's algorithm; no datetime, no time zone)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def azure_ticks(text: str) -> int:
    """``YYYY-MM-DD HH:MM:SS[.fffffff]`` as an integer count of 1e-7 s (exact: float seconds
    since 1970 keep only ~1e-5 s)."""
    s = text.strip()
    if len(s) < 19 or s[4] != "-" or s[7] != "-" or s[10] not in " T" or s[13] != ":" \
            or s[16] != ":":
        raise ValueError(s)
    y, mo, d = int(s[0:4]), int(s[5:7]), int(s[8:10])
    h, mi, sec = int(s[11:13]), int(s[14:16]), int(s[17:19])
    frac = s[19:]
    if frac:
        if frac[0] != "." or not 1 < len(frac) <= 8 or not frac[1:].isdigit():
            raise ValueError(s)
        ticks = int(frac[1:].ljust(7, "0"))
    else:
        ticks = 0
    if not (1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and sec < 61):
        raise ValueError(s)
    days = _days_from_civil(y, mo, d)
    return ((days * 24 + h) * 60 + mi) * 60 * 10**7 + sec * 10**7 + ticks


def seconds_ticks(text: str) -> int:
    """Seconds (``12``, ``12.5``, ``1.2e3``) as 1e-7 s ticks."""
    x = float(text)
    if not math.isfinite(x) or x < 0 or x > 1e12:
        raise ValueError(text)
    return round(x * 10**7)


def _count(text: str) -> int:
    s = text.strip()
    if s.endswith(".0"):
        s = s[:-2]
    if not s.isdigit():
        raise ValueError(text)
    return int(s)


def _bool(text: str) -> bool:
    s = text.strip().lower()
    if s in ("true", "1", "yes"):
        return True
    if s in ("false", "0", "no", ""):
        return False
    raise ValueError(text)


# -- the reader ------------------------------------------------------------------------------
class Reader:
    """Streams the rows of one trace file; built by :func:`open_trace`."""

    def __init__(self, path: pathlib.Path, fmt: str, shown: str | None = None) -> None:
        self.path = path
        self.shown = shown or clip(str(path), 200)
        if fmt not in FORMATS:
            raise TraceError(f"{self.shown}: unknown trace format {clip(repr(fmt))} "
                             f"(allowed: {', '.join(FORMATS)})")
        self.fmt = fmt
        self.preset, self.columns = self._header()

    def _header(self) -> tuple[Preset, set[str]]:
        recs = _records(self.path, self.shown)
        try:
            first = next(recs, None)
        finally:
            recs.close()
        if first is None:
            raise TraceError(f"{self.shown}: row 0: an empty file (no header, no rows)")
        cols = set(first[1])
        if self.fmt == "auto":
            for p in PRESETS.values():
                if set(p.header) <= cols:
                    return p, cols
            raise TraceError(f"{self.shown}: row 0: a header of no known format "
                             f"({clip(', '.join(first[1]), 80)}); give --trace-format")
        preset = PRESETS[self.fmt]
        for col in preset.header:
            if col not in cols:
                raise TraceError(f"{self.shown}: row 0, column {col!r}: missing (format "
                                 f"{preset.name} has {', '.join(preset.header)})")
        return preset, cols

    def ticks(self) -> Iterator[tuple[int, int, dict[str, str]]]:
        """``(row, ticks, record)`` per data row, timestamps checked never to decrease."""
        p = self.preset
        parse = azure_ticks if p.time_kind == "azure" else seconds_ticks
        last = None
        recs = _records(self.path, self.shown)
        try:
            for row, rec in recs:
                if row == 0:
                    continue
                try:
                    t = parse(rec[p.time])
                except (ValueError, KeyError, OverflowError):
                    raise TraceError(f"{self.shown}: row {row}, column {p.time!r}: "
                                     f"{clip(repr(rec.get(p.time, '')))} is not a timestamp"
                                     ) from None
                if last is not None and t < last:
                    raise TraceError(f"{self.shown}: row {row}, column {p.time!r}: the time "
                                     "goes back (timestamps must not decrease)")
                last = t
                yield row, t, rec
        finally:
            recs.close()

    def _cell(self, rec: dict[str, str], col: str | None, row: int, conv, what: str):
        if col is None or col not in self.columns:
            return None
        text = rec.get(col, "")
        try:
            return conv(text)
        except (ValueError, OverflowError):
            raise TraceError(f"{self.shown}: row {row}, column {col!r}: "
                             f"{clip(repr(text))} is not {what}") from None

    def rows(self, origin: int | None = None) -> Iterator[Row]:
        """Every row as a :class:`Row`, its time in seconds from ``origin`` (ticks; default:
        the first row)."""
        p = self.preset
        cell = self._cell
        for row, t, rec in self.ticks():
            if origin is None:
                origin = t
            r = Row(row, (t - origin) / 1e7)
            if p.model and p.model in self.columns:
                r.model = rec.get(p.model, "").strip() or None
            if p.customer and p.customer in self.columns:
                r.customer = rec.get(p.customer, "").strip() or None
            if p.tier and p.tier in self.columns:
                r.tier = rec.get(p.tier, "").strip() or None
            r.vip = cell(rec, p.vip, row, _bool, "true or false")
            r.service_s = cell(rec, p.service, row, _seconds, "a duration in seconds")
            r.context_tokens = cell(rec, p.context, row, _count, "a token count (an integer >= 0)")
            r.generated_tokens = cell(rec, p.generated, row, _count,
                                      "a token count (an integer >= 0)")
            if p.name == "burstgpt" and r.generated_tokens == 0:
                r.failed = True
            yield r


def _seconds(text: str) -> float:
    x = float(text)
    if not math.isfinite(x) or x < 0 or x > 1e9:
        raise ValueError(text)
    return x


def open_trace(path: str | pathlib.Path, fmt: str = "auto",
               shown: str | None = None) -> Reader:
    """A reader of ``path``; its header is checked now."""
    return Reader(pathlib.Path(path), fmt, shown)


def scan(reader: Reader) -> Scan:
    """Stream the whole file once: every row checked, the figures of :class:`Scan`."""
    s = Scan(str(reader.path), reader.preset.name)
    p = reader.preset
    s.has_service = p.service is not None and p.service in reader.columns
    s.has_tokens = p.context is not None and p.context in reader.columns
    prev = None
    per_minute = s.per_minute
    for r in reader.rows():
        s.rows += 1
        if r.model is not None and r.model not in s.models:
            if len(s.models) >= 1000:
                raise TraceError(f"{reader.shown}: row {r.row}, column {p.model!r}: more than "
                                 "1000 model names")
            s.models[r.model] = r.row
        if r.context_tokens is not None:
            s.context_sum += r.context_tokens
        if r.generated_tokens is not None:
            s.generated_sum += r.generated_tokens
        s.failed += r.failed
        minute = int(r.t_s // 60.0)
        if minute >= len(per_minute):
            if minute > 10_000_000:
                raise TraceError(f"{reader.shown}: row {r.row}, column {p.time!r}: more than "
                                 "19 years after the first row")
            per_minute.extend([0] * (minute + 1 - len(per_minute)))
        per_minute[minute] += 1
        if prev is not None:
            gap = r.t_s - prev
            s.gap_n += 1
            d = gap - s.gap_mean
            s.gap_mean += d / s.gap_n
            s.gap_m2 += d * (gap - s.gap_mean)
        prev = r.t_s
        s.span_s = r.t_s
    if s.rows == 0:
        raise TraceError(f"{reader.shown}: row 1: a header and no rows")
    return s
