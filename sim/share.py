"""A share link: one session of the app (scenario, overrides, seed, commands, playhead,
language) in a URL that reopens the same moment, natively or in the page.

Why in ``sim/``: the link is data about a run, and both the desktop app (``main.py
--open-link``) and the page (``index.html#river=...``) read it through this one module, so a
link opened anywhere is checked the same way.  The form::

    http://host/index.html#river=<version>.<payload>

``payload`` is the session as compact JSON, deflated (zlib) and base64url-encoded without
padding.  ``version`` sits outside the payload so a link of another format version is told
apart before anything in it is read (the event log changes with the core: a link of another
version would not replay to the same hash).

A link is input from a stranger: decoding is bounded (the deflated stream may not inflate
past :data:`MAX_JSON_BYTES`, so a decompression bomb is refused), the JSON is read against a
strict schema (exact keys, types, ranges), the scenario goes through the same checks as a
scenario file and ``--set``, and every command through :func:`sim.commands.validate_commands`
as the CLI's.  Anything wrong is one :class:`LinkError` line; :func:`open_link` turns that
into the default scenario and the line to show -- never a half-applied session.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import pathlib
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from sim import schema
from sim.commands import Command, validate_commands
from sim.scenario import (
    SCENARIO_DIR,
    Scenario,
    check_consistency,
    defaults,
    load_scenario,
    merge_file,
    read_toml,
    resolve_path,
)
from sim.schema import InputError, check_value, clip, parse_user_text, shown
from sim.simulation import Simulation

#: The link format's version.  Bump it whenever the event log changes for the same session
#: (the keyed draws, performance and ETA work did): an old link then gets one clear message
#: instead of a replay that silently differs.  2: the ETA's second pass (issue 19) changed
#: the estimates and who is asked.  3: the estimate's third pass (issue 19: the start
#: curve's expected starts counted exactly, the call time measured over the calls lately
#: started, the VIPs to come spread by their rate's drift) changed the estimates again.
FORMAT_VERSION = 3
#: The longest link this app makes or opens, in characters.  2,048 is the length every
#: browser, chat client and mail program keeps whole, and it fits a QR code (version 40 at
#: error level L holds 2,953 bytes); a session whose link would be longer is refused with one
#: line, never cut.
MAX_LINK_CHARS = 2048
#: The most the payload may inflate to: far more than a link of MAX_LINK_CHARS can honestly
#: carry (JSON of commands deflates about 5:1), far less than a decompression bomb.
MAX_JSON_BYTES = 64 * 1024
#: The fragment key that marks a River link (``#river=1.eJz...``).
KEY = "river"
#: Where a link made natively points (the site ``python tools/build_site.py`` builds, served by
#: ``python -m http.server -d build/site``); ``main.py --share-base URL`` changes it.
DEFAULT_BASE = "http://localhost:8000/"
DEFAULT_SCENARIO = "default"
MAX_COMMANDS = 2000
MAX_OVERRIDES = 64
OVERRIDE_MAX_CHARS = 200
NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
#: Keys of a link's JSON: the version sits outside it, in the link's prefix.
KEYS = ("scenario", "overlay", "set", "seed", "commands", "at_s", "lang")
AT_S = schema.Spec(float, None, 0.0, schema.RUN["hours"].hi * 3600.0)
#: a link may not name a file on the machine that opens it
NO_FILE_KEYS = ("arrivals.trace.path",)


class LinkError(InputError):
    """A link that cannot be opened; ``str(err)`` is the single line to show the user."""


@dataclass(frozen=True, slots=True)
class Inline:
    """A scenario that came inline in a link: no file on this machine, its tables instead.

    Why a value of its own: the app opens a run (and every timeline jump's replay, and a
    reset) from where its scenario lives, a path or a packaged name; an inline scenario lives
    here, and :func:`sim.open_run` takes it as it takes a path.  ``str()`` is its name (what
    the app shows and a session names); ``stem`` as a path's."""

    name: str
    overlay: dict[str, Any] = field(compare=False)

    @property
    def stem(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name

    def load(self, overrides: tuple[str, ...] | list[str] = ()) -> Scenario:
        """The scenario with ``overrides`` applied, checked as a file and ``--set`` are."""
        return build_scenario(self.name, self.overlay, tuple(overrides), "link")


@dataclass(frozen=True, slots=True)
class Shared:
    """A checked session from (or for) a link.  ``scenario`` is a built-in's name, or the
    name shown for an inline ``overlay`` (the scenario file's own tables)."""

    scenario: str = DEFAULT_SCENARIO
    seed: int | None = None
    at_s: float = 0.0
    lang: str = "en"
    overrides: tuple[str, ...] = ()
    commands: tuple[Command, ...] = ()
    overlay: dict[str, Any] | None = field(default=None, compare=False)
    #: the checked scenario (overlay and overrides applied); None until :func:`decode` built it
    built: Scenario | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"scenario": self.scenario}
        if self.overlay is not None:
            out["overlay"] = self.overlay
        if self.overrides:
            out["set"] = list(self.overrides)
        if self.seed is not None:
            out["seed"] = self.seed
        if self.commands:
            out["commands"] = [c.to_json() for c in self.commands]
        if self.at_s:
            out["at_s"] = self.at_s
        if self.lang != "en":
            out["lang"] = self.lang
        return out

    def scenario_object(self) -> Scenario:
        """The scenario this session runs (built and checked once)."""
        return self.built if self.built is not None else build_scenario(
            self.scenario, self.overlay, self.overrides, "link")

    def source(self) -> str | Inline:
        """What the app opens: the built-in's name, or the :class:`Inline` scenario."""
        return self.scenario if self.overlay is None else Inline(self.scenario, self.overlay)

    def simulation(self) -> Simulation:
        """A fresh run of the session from t=0 (advance it to ``at_s`` to stand at the
        playhead; the app jumps there in slices instead)."""
        sc = self.scenario_object()
        return Simulation(sc, seed=sc.run.seed if self.seed is None else self.seed,
                          commands=list(self.commands))


def builtin_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


# -- making a link -------------------------------------------------------------------------------
def from_session(session: dict[str, Any], lang: str = "en") -> Shared:
    """The link's session from the app's ``App.session()`` (scenario path, overrides, seed,
    commands, simulated seconds).  A scenario that is not a built-in goes inline: the file's
    own tables (a trace file cannot travel in a link: refused); one that came inline
    (``session["overlay"]``, a link opened here) goes on inline as it came."""
    overrides = tuple(session.get("overrides", ()))
    overlay = session.get("overlay")
    if overlay is not None:
        name = str(session["scenario"])
        models = tuple(build_scenario(name, overlay, overrides, "session").models)
    else:
        path = pathlib.Path(str(session["scenario"]))
        name = path.stem
        if not _is_builtin(path):
            overlay = read_toml(resolve_path(path), clip(str(path), 200))
            if overlay.get("arrivals", {}).get("trace", {}).get("path"):
                raise LinkError(f"{clip(str(path), 200)}: a scenario that replays a trace "
                                "file can be shared only as a built-in scenario")
        models = tuple(load_scenario(path, overrides).models)
    commands = tuple(validate_commands(session["commands"], models, "session"))
    return Shared(scenario=name, seed=int(session["seed"]), at_s=float(session["sim_seconds"]),
                  lang=lang, overrides=overrides, commands=commands, overlay=overlay)


def _is_builtin(path: pathlib.Path) -> bool:
    resolved = resolve_path(path)
    try:
        return (resolved.resolve().parent == SCENARIO_DIR.resolve()
                and resolved.stem in builtin_names())
    except OSError:
        return False


def encode(shared: Shared, base: str = DEFAULT_BASE) -> str:
    """The link; :class:`LinkError` when it would be longer than :data:`MAX_LINK_CHARS`."""
    text = json.dumps(shared.to_json(), separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).rstrip(b"=")
    link = f"{base.split('#', 1)[0]}#{KEY}={FORMAT_VERSION}.{packed.decode('ascii')}"
    if len(link) > MAX_LINK_CHARS:
        raise LinkError(f"share: this session makes a link of {len(link):,} characters, over "
                        f"the {MAX_LINK_CHARS:,} a link may have ({len(shared.commands)} "
                        "commands); share an earlier moment, or record it with --record")
    return link


def link_from_session(session: dict[str, Any], lang: str = "en",
                      base: str = DEFAULT_BASE) -> str:
    """The link of an app's session (``App.session()``); :class:`LinkError` (one line) when
    it cannot be one: too long, or a scenario that cannot travel."""
    try:
        return encode(from_session(session, lang), base)
    except LinkError:
        raise
    except InputError as e:
        raise LinkError(f"share: {e}") from None


# -- opening a link ------------------------------------------------------------------------------
def payload_of(link: str) -> tuple[int, str]:
    """The format version and the payload of a link (a whole URL, its fragment, or the bare
    ``river=...`` part)."""
    if not isinstance(link, str) or not link.strip():
        raise LinkError("link: empty; expected a River link ending in #river=<version>.<data>")
    if len(link) > MAX_LINK_CHARS:
        raise LinkError(f"link: {len(link):,} characters, over the {MAX_LINK_CHARS:,} a River "
                        "link may have")
    text = link.strip()
    for sep in ("#", "?", "&"):
        parts = text.split(sep)
        hits = [p for p in parts[1:] if p.startswith(KEY + "=")]
        if hits:
            text = hits[-1]
            break
    text = text.removeprefix(KEY + "=")
    version, dot, payload = text.partition(".")
    if not dot or not re.fullmatch(r"[0-9]{1,6}", version):   # ASCII: "¹".isdigit()
        raise LinkError(f"link: not a River link (expected ...#{KEY}=<version>.<data>)")
    return int(version), payload


def decode(link: str, langs: tuple[str, ...] = ("en",)) -> Shared:
    """A checked session from a link; :class:`LinkError` (one line) for anything wrong."""
    version, payload = payload_of(link)
    if version != FORMAT_VERSION:
        raise LinkError(f"link: made by River link format version {version}; this River "
                        f"reads version {FORMAT_VERSION}, whose runs differ: opening the "
                        "default scenario")
    data = _inflate(_unbase64(payload))
    text = parse_user_text(data, _strict_json, json.JSONDecodeError, "JSON", "link",
                           LinkError)
    return _checked(text, langs)


def _unbase64(payload: str) -> bytes:
    if not payload or not re.fullmatch(r"[A-Za-z0-9_-]+", payload) or len(payload) % 4 == 1:
        raise LinkError("link: damaged (not base64url text); was it cut or changed on the way?")
    try:
        return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise LinkError("link: damaged (not base64url text); was it cut or changed on the "
                        "way?") from None


def _inflate(data: bytes) -> str:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_JSON_BYTES)
    except zlib.error:
        raise LinkError("link: damaged (its compressed data does not check out); was it cut "
                        "or changed on the way?") from None
    if inflater.unconsumed_tail:
        raise LinkError(f"link: refused: it inflates past {MAX_JSON_BYTES:,} bytes")
    if not inflater.eof or inflater.unused_data:
        raise LinkError("link: damaged (its compressed data ends early or runs on); was it "
                        "cut on the way?")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise LinkError("link: damaged (not UTF-8 text inside)") from None


def _strict_json(text: str) -> Any:
    def refuse(word: str):
        raise LinkError(f"link: not valid JSON: {word} is not a number JSON allows")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in items]
        if len(set(keys)) != len(keys):
            raise LinkError("link: a key appears twice in one object")
        return dict(items)

    return json.loads(text, parse_constant=refuse, object_pairs_hook=pairs)


def _checked(data: Any, langs: tuple[str, ...]) -> Shared:
    if not isinstance(data, dict):
        raise LinkError("link: expected an object of session keys")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise LinkError(f"link: unknown key {shown(unknown[0])} (allowed: {', '.join(KEYS)})")
    name = data.get("scenario", DEFAULT_SCENARIO)
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise LinkError(f"link: key 'scenario' = {shown(name)}: expected a scenario name")
    overlay = data.get("overlay")
    if overlay is not None and not isinstance(overlay, dict):
        raise LinkError("link: key 'overlay' must be an object of scenario tables")
    if overlay is None and name not in builtin_names():
        raise LinkError(f"link: key 'scenario' = {shown(name)}: not a built-in scenario "
                        f"(allowed: {', '.join(builtin_names())})")
    overrides = data.get("set", [])
    if not isinstance(overrides, list) or len(overrides) > MAX_OVERRIDES or not all(
            isinstance(o, str) and len(o) <= OVERRIDE_MAX_CHARS for o in overrides):
        raise LinkError(f"link: key 'set' must be a list of at most {MAX_OVERRIDES} "
                        f"KEY=VALUE strings of {OVERRIDE_MAX_CHARS} characters")
    for o in overrides:
        if o.split("=", 1)[0].strip() in NO_FILE_KEYS:
            raise LinkError(f"link: key 'set': {shown(o)}: a link may not name a file")
    seed = data.get("seed")
    if seed is not None:
        seed = check_value(schema.RUN["seed"], seed, "seed", "link", LinkError)
    at_s = float(check_value(AT_S, data.get("at_s", 0.0), "at_s", "link", LinkError))
    lang = data.get("lang", "en")
    if not isinstance(lang, str) or lang not in langs:
        raise LinkError(f"link: key 'lang' = {shown(lang)}: expected one of {', '.join(langs)}")
    entries = data.get("commands", [])
    if not isinstance(entries, list) or len(entries) > MAX_COMMANDS:
        raise LinkError(f"link: key 'commands' must be a list of at most {MAX_COMMANDS} "
                        "commands")
    sc = build_scenario(name, overlay, tuple(overrides), "link")
    commands = tuple(validate_commands(entries, tuple(sc.models), "link: commands"))
    return Shared(scenario=name, seed=seed, at_s=at_s, lang=lang, overrides=tuple(overrides),
                  commands=commands, overlay=overlay, built=sc)


def build_scenario(name: str, overlay: dict[str, Any] | None, overrides: tuple[str, ...],
                   source: str) -> Scenario:
    """The scenario of a link, with the checks of a scenario file and ``--set``: a built-in
    by name, or ``overlay`` (a scenario file's tables) over the defaults -- which may not
    name a file (a trace) on the machine that opens the link."""
    if overlay is None:
        return load_scenario(resolve_path(name), overrides)
    trace = overlay.get("arrivals", {})
    if isinstance(trace, dict) and isinstance(trace.get("trace"), dict) \
            and "path" in trace["trace"]:
        raise LinkError(f"{source}: key 'overlay': arrivals.trace.path: a link may not name a "
                        "file")
    raw = defaults()
    where = f"{source} (scenario {name!r})"
    merge_file(raw, copy.deepcopy(overlay), where)   # --set must not write into the link
    sc = Scenario(_with_overrides(raw, overrides, where), where, None)
    return sc


def _with_overrides(raw: dict[str, Any], overrides: tuple[str, ...], where: str
                    ) -> dict[str, Any]:
    from sim.scenario import apply_overrides

    apply_overrides(raw, overrides, where)
    check_consistency(raw, where)
    return raw


def open_link(link: str, langs: tuple[str, ...] = ("en",)) -> tuple[Shared, str]:
    """The session of ``link``, or the default scenario and the one line saying why not:
    what the page and ``main.py --open-link`` do with whatever they are given."""
    try:
        return decode(link, langs), ""
    except InputError as e:
        return Shared(), str(e)
