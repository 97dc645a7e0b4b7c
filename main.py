# /// script
# requires-python = ">=3.11"
# dependencies = [
#     "pygame-ce",
# ]
# ///
"""River Factory: the pixel-art simulation of an AI content platform, as a window or a page.

The same async frame loop runs on the desktop and in the browser (pygbag runs this file as
``__main__`` with no argv): input -> commands, advance the simulation by real dt x speed,
draw, flip, ``await asyncio.sleep(0)``.

    python main.py                                   # desktop window
    python main.py --headless --frames N --screenshot PATH [--scenario PATH] [--seed N]
                   [--speed X]
    python main.py --headless --bench                # last line: frame_ms median=... p95=...
    python main.py --headless --bench --follow       # ... while following a customer, zoomed in
    python main.py --scenario rush-hour --set run.hours=6   # a scenario value overridden
    python main.py --lang zh                         # Chinese labels
    python main.py --record session.json             # on exit: the commands, and how to
                                                     # replay them with python -m sim run
    python main.py --commands session.json           # watch a recorded session again
    python main.py --commands session.json --seconds S   # ...and stop advancing at simulated
                                                     # second S (as python -m sim run --seconds)
    python main.py --open-link URL                   # reopen a share link (sim/share.py):
                                                     # paused at its moment, same event log

F11 toggles fullscreen (projector) mode; the window may be resized to anything: the 1280x720
picture is scaled to fit it (render/display.py).
"""

from __future__ import annotations

import asyncio
import math
import os
import shlex
import sys

from render.i18n import LANGS
from sim import load_scenario, schema
from sim.cli import SECONDS, Parser, ParserExit, path_arg, print_error, quiet_stdout, spec_arg
from sim.commands import load_commands
from sim.schema import InputError, Spec
from sim.share import DEFAULT_BASE, LinkError, open_link
from sim.share import KEY as LINK_KEY

FRAMES = Spec(int, None, 1, 10**7)   # 10^7 frames at 60 fps: 46 hours of headless run
SPEED = Spec(float, None, 0.0, 600.0)  # simulated seconds per real second; 0 = paused


def build_parser() -> Parser:
    """The app's flags, on ``sim.cli``'s parser: one-line errors, ``--help`` exits 0, and
    ``--seed`` checked like ``run.seed`` in a scenario file."""
    p = Parser(prog="main.py", description="River Factory: the pixel-art simulation, as a "
               "window (or headless, for screenshots and benchmarks).")
    p.add_argument("--headless", action="store_true", help="no window (SDL's dummy driver)")
    p.add_argument("--frames", type=spec_arg(FRAMES), default=None, metavar="N",
                   help="headless: stop after N frames (default 1)")
    p.add_argument("--screenshot", metavar="PATH", type=path_arg,
                   help="headless: save the last frame")
    p.add_argument("--scenario", metavar="PATH", type=path_arg,
                   help="scenario TOML (a path, or a name)")
    p.add_argument("--set", metavar="KEY=VALUE", action="append", default=[],
                   dest="overrides", help="override a scenario value by its dotted key "
                   "(repeatable, as python -m sim run --set)")
    p.add_argument("--seed", type=spec_arg(schema.RUN["seed"]), default=None, metavar="N",
                   help="random seed (default: the scenario's run.seed)")
    p.add_argument("--speed", type=spec_arg(SPEED), default=None, metavar="X",
                   help="simulated seconds per real second, 0 (pause) to 600")
    p.add_argument("--bench", action="store_true",
                   help="headless: measure frame times; last line frame_ms median=... p95=...")
    p.add_argument("--follow", action="store_true",
                   help="with --bench: measure while following a customer, zoomed in")
    p.add_argument("--lang", choices=LANGS, default="en", help="label language")
    p.add_argument("--commands", metavar="PATH", type=path_arg,
                   help="replay a recorded session (JSON)")
    p.add_argument("--record", metavar="PATH", type=path_arg,
                   help="on exit, write the operator's commands and how to replay them")
    p.add_argument("--no-twin", action="store_true",
                   help="no live twin: turning a knob opens no comparison card (benchmarks)")
    p.add_argument("--seconds", type=spec_arg(SECONDS), default=None, metavar="S",
                   help="stop advancing at simulated second S (as python -m sim run --seconds)")
    p.add_argument("--open-link", metavar="URL", default=None,
                   help="reopen a share link (...#river=...): its scenario, seed, commands "
                        "and language, paused at its moment")
    p.add_argument("--print-link", action="store_true",
                   help="on exit, print the session as a share link (as the share key does)")
    p.add_argument("--share-base", metavar="URL", default=None,
                   help=f"where share links point (default {DEFAULT_BASE}: the site "
                        "tools/build_site.py builds, served by python -m http.server)")
    return p


def parse_args(argv: list[str]) -> dict:
    """The options as a dict; raises ``sim.cli.UsageError`` (one line) or ``ParserExit``
    (``--help``, already printed)."""
    parser = build_parser()
    opts = vars(parser.parse_args(argv))
    if (opts["frames"] or opts["screenshot"] or opts["bench"]) and not opts["headless"]:
        parser.error("--frames/--screenshot/--bench need --headless")
    if opts["follow"] and not opts["bench"]:
        parser.error("--follow needs --bench")
    if opts["open_link"] is not None:
        clash = [f"--{k}" for k in ("scenario", "seed", "commands", "seconds")
                 if opts[k] is not None] + ["--set"] * bool(opts["overrides"])
        if clash:
            parser.error(f"--open-link brings its own session: drop {', '.join(clash)}")
    if opts["headless"] and not opts["bench"] and opts["frames"] is None:
        opts["frames"] = 1
    return opts


def load_inputs(opts: dict) -> list:
    """Check the scenario and load the command file before a window opens: one line and
    exit 2 for a bad one, named by its path.  Returns the commands to replay.

    A share link (``--open-link``, or the page's address) fills the options instead; a link
    that cannot be opened is one line and the default scenario, as in the page."""
    if opts["open_link"] is not None:
        shared, problem = open_link(opts["open_link"], LANGS)
        if problem:
            print(f"main.py: {problem}; opening the default scenario", file=sys.stderr)
        opts.update(scenario=shared.source(), seed=shared.seed, lang=shared.lang,
                    overrides=shared.overrides, playhead=shared.at_s, link_problem=problem,
                    speed=0.0 if opts["speed"] is None else opts["speed"])
        return list(shared.commands)
    models = tuple(load_scenario(opts["scenario"] or "default", opts["overrides"]).models)
    return load_commands(opts["commands"], models) if opts["commands"] else []


def init_display(headless: bool):
    """Open the 1280x720 window (SDL's dummy driver when headless) and its logical canvas."""
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from render.display import LOGICAL, Display

    noise = _held_stderr(pygame.display.init) if not headless else pygame.display.init()
    if noise and pygame.display.get_driver() != NO_DISPLAY_DRIVER:
        sys.stderr.write(noise.decode(errors="replace"))    # SDL's own words, when it matters
    pygame.font.init()
    pygame.display.set_mode(LOGICAL)   # a fixed size (pygbag); a window manager may resize
    pygame.display.set_caption("River Factory")
    return pygame, Display()


#: SDL's video driver when it found no display: it draws into memory, nothing shows.  Asked
#: of SDL, not read from $DISPLAY: Wayland, macOS and Windows have no $DISPLAY at all.
NO_DISPLAY_DRIVER = "offscreen"


def _held_stderr(fn) -> bytes:
    """Run ``fn`` with file descriptor 2 held in a buffer; return what was written there.
    Why: SDL probing for a display that is not there prints its own errors ("XDG_RUNTIME_DIR
    is invalid") before it falls back; the no-display case is then told in one line."""
    if sys.platform == "emscripten":
        fn()
        return b""
    import tempfile

    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            fn()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        held.seek(0)
        return held.read()


def no_display_line(driver: str, headless: bool) -> str | None:
    """The one line for a window asked where SDL found no display (None: all is well).
    Without it the game ran off screen and looked hung."""
    if headless or driver != NO_DISPLAY_DRIVER or sys.platform == "emscripten":
        return None
    return ("main.py: no display to open a window on (SDL chose its 'offscreen' driver); "
            "run it on a desktop, or headless: python main.py --headless --frames 600 "
            "--screenshot shot.png, or under a virtual display: xvfb-run python main.py "
            "(Xvfb)")


SCREENSHOT_SUFFIXES = (".png", ".bmp", ".tga", ".jpg", ".jpeg")


def screenshot_error(path: str | None) -> str | None:
    """The one line refusing a ``--screenshot`` path pygame would not save as its suffix says
    (pygame writes a TGA for any suffix it does not know)."""
    if path is None or os.path.splitext(path)[1].lower() in SCREENSHOT_SUFFIXES:
        return None
    return (f"main.py: --screenshot {path!r}: the file name must end in one of "
            f"{', '.join(SCREENSHOT_SUFFIXES)}")


async def main(argv: list[str] | None = None) -> int:
    """Run the app; return the process exit code (2 on bad input)."""
    if argv is None:
        argv = sys.argv[1:] if sys.platform != "emscripten" else page_link_args()
    try:
        opts = parse_args(argv)
        replay = [] if opts["bench"] else load_inputs(opts)
    except ParserExit as e:
        return e.status
    except InputError as e:
        print_error(e)
        return 2
    error = screenshot_error(opts["screenshot"])
    if error:
        print(error, file=sys.stderr)
        return 2
    pygame, display = init_display(opts["headless"])
    missing = no_display_line(pygame.display.get_driver(), opts["headless"])
    if missing:
        print(missing, file=sys.stderr)
        pygame.quit()
        return 1
    from render.app import DEFAULT_SPEED, App

    if opts["bench"]:
        say(await bench_line(pygame.display.get_surface(), opts["follow"]))
        return 0
    try:
        app = App(opts["scenario"], opts["seed"], opts["lang"],
                  DEFAULT_SPEED if opts["speed"] is None else opts["speed"],
                  overrides=tuple(opts.get("overrides", ())), commands=replay,
                  ease=not opts["headless"],   # headless: --frames N at --speed X is exact
                  stop_at_s=opts["seconds"], twin=not opts["no_twin"],
                  # on screen a burst of events is spread over frames; headless plays exactly
                  frame_budget_s=None if opts["headless"] else FRAME_BUDGET_S)
    except InputError as e:
        print_error(e)
        return 2
    if opts["open_link"] is not None:
        open_at_playhead(app, opts["playhead"], opts["link_problem"], opts["headless"])
    app.share_base = opts["share_base"] or page_base() or DEFAULT_BASE
    calm_collector()
    code = 0
    try:
        frame = await frame_loop(pygame, display, app, opts["frames"], opts["headless"])
    except asyncio.CancelledError:   # Ctrl-C: asyncio.run cancels this task; no traceback
        return 130
    finally:
        # every exit path keeps the session: window closed, Ctrl-C, a crash in the loop
        if opts["record"]:
            code = record_session(app, opts["record"])
        if opts["print_link"]:
            code = print_link(app) or code
    if opts["screenshot"]:
        try:
            pygame.image.save(display.canvas, opts["screenshot"])
        except (pygame.error, OSError) as e:
            print(f"main.py: cannot write screenshot {opts['screenshot']!r}: {e}",
                  file=sys.stderr)
            return 2
        say(f"wrote {opts['screenshot']} after {frame} frames, t={app.sim.now:.0f}s, "
              f"people={app.people_drawn}")
    if not opts["headless"]:
        pygame.quit()
    return code


def page_link_args() -> list[str]:
    """In the browser: ``["--open-link", URL]`` when the page's address carries a share link
    (``#river=...``), else nothing.  Pyodide's ``js`` and pygbag's ``platform.window`` both
    reach the page; an iframe (itch.io) sees its own address."""
    href = ""
    try:
        import js  # Pyodide

        href = str(js.location.href)
    except Exception:  # noqa: BLE001 -- not Pyodide: try pygbag's bridge, else no link
        try:
            import platform

            href = str(platform.window.location.href)
        except Exception:  # noqa: BLE001
            return []
    return ["--open-link", href] if f"{LINK_KEY}=" in href else []


def page_base() -> str | None:
    """In the browser, the page's own address (without query or fragment): where a link
    made there points.  None natively."""
    if sys.platform != "emscripten":
        return None
    href = ""
    try:
        import js  # Pyodide

        href = str(js.location.origin) + str(js.location.pathname)
    except Exception:  # noqa: BLE001 -- pygbag: its bridge to the page
        try:
            import platform

            loc = platform.window.location
            href = str(loc.origin) + str(loc.pathname)
        except Exception:  # noqa: BLE001
            return None
    return href or None


def open_at_playhead(app, at_s: float, problem: str, headless: bool) -> None:
    """Stand the app at a link's moment, paused: a timeline jump (in slices across frames on
    screen; all at once headless, so ``--frames 1`` shows the moment)."""
    if problem:
        from render.share import refused

        refused(app, problem)
    if at_s > 0:
        app.apply("_jump", {"t_s": at_s})
        if headless:
            while app.presenter.busy:
                app.step(0.0)


def print_link(app) -> int:
    """Print the session's share link (``share link: URL``); one line and 2 when it cannot
    be made."""
    try:
        link = share_link(app)
        say(f"share link: {link}\n  (t={app.sim.now!r} s, event_log_sha256 "
            f"{app.sim.event_log_sha256()})")
    except LinkError as e:
        print(f"main.py: {e}", file=sys.stderr)
        return 2
    return 0


def share_link(app) -> str:
    """The app's session as a share link (``sim.share``); raises ``LinkError`` (one line)
    when it cannot be one (too long, a trace file in a scenario not built in)."""
    from render.share import link_of

    return link_of(app)


async def frame_loop(pygame, display, app, frames: int | None, headless: bool) -> int:
    """Input -> commands, advance, draw on the canvas, present, flip, yield; return the
    number of frames shown.  The window's own events (resize, F11) go to ``display``; mouse
    events reach the app in canvas pixels."""
    clock = pygame.time.Clock()
    frame = 0
    running = True
    while running:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                running = False
            elif not display.handle(event):
                mapped = display.map_event(event)
                if mapped is not None:
                    app.handle(mapped)
        dt = 1.0 / 60.0 if headless else clock.tick(60) / 1000.0
        app.step(dt)
        app.draw(display.canvas)
        display.present()
        pygame.display.flip()
        frame += 1
        if frames is not None and frame >= frames:
            running = False
        await asyncio.sleep(0)
    return frame


async def bench_line(screen, follow: bool = False) -> str:
    """The real frame of a crowded factory against the bare-blit ceiling of the same number
    of people, measured in this run: ``frame_ms median=… p95=… people=… ratio=…``; with
    ``follow`` the camera follows a customer, zoomed in (the line ends ``follow=<id>``)."""
    from render.benchmark import (
        busy_app,
        ceiling_frames,
        follow_one,
        pace_frames,
        pace_line,
        real_frames,
    )

    app = busy_app()
    followed = follow_one(app) if follow else None
    await real_frames(screen, app, 60)                 # warm every cache
    real = await real_frames(screen, app)
    ceiling = await ceiling_frames(screen, app, people=real["people"])
    say(pace_line(await pace_frames(screen, False, FRAME_BUDGET_S),
                  await pace_frames(screen, True, FRAME_BUDGET_S)))
    return (f"frame_ms median={real['median']:.2f} p95={real['p95']:.2f} "
            f"people={real['people']} ceiling_ms={ceiling['median']:.2f} "
            f"ratio={real['median'] / ceiling['median']:.2f}"
            + (f" follow={followed}" if follow else ""))


def calm_collector() -> None:
    """Keep the garbage collector's pauses out of the frames.  Everything made at start-up
    (sprites, fonts, tables, the scenario) lives as long as the app: freeze it so no
    collection walks it again.  The core frees its records by reference counting (no
    cycles), so the young generation may grow larger between collections: fewer, still
    short pauses (a full collection walked everything: a 30 ms frame in the browser)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, 20, 100)


GC_YOUNG = 20_000
FRAME_BUDGET_S = 0.0055 # wall time of a frame's step and draw (then playback waits: App.step)


def say(text: str) -> None:
    """Print a result line; a closed stdout (``main.py ... | head``) is not an error: the
    rest goes nowhere, without a traceback at exit."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        quiet_stdout()


def record_session(app, path: str) -> int:
    """Write the operator's commands (a ``--commands`` file) and say how to replay them.

    Desktop only in practice: the browser's file system is gone on reload."""
    import json

    seconds = settle_replay_time(app.sim, app.sim_error)
    session = app.session()
    try:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(session["commands"], f, indent=1)
    except OSError as e:
        print(f"main.py: cannot write session {path!r}: {e.strerror}", file=sys.stderr)
        return 2
    if session.get("overlay") is not None:   # opened from a link: no scenario file to name
        how = "  (its scenario came inline in a share link: --print-link reopens it)\n"
    else:
        sets = "".join(f" --set {shlex.quote(o)}" for o in session["overrides"])
        how = (f"  python -m sim run --scenario {session['scenario']} --seed {session['seed']} "
               f"--seconds {seconds!r} --commands {path}{sets}\n")
    say(f"recorded {len(session['commands'])} commands to {path}; replay headless with:\n"
        f"{how}  (event_log_sha256 {session['event_log_sha256']})")
    return 0


def replay_seconds(now_s: float, last_record_s: float) -> float:
    """A short end time for the replay line (``602.22``, not ``602.2200000000068``).

    The app's clock sums frame steps, so it carries float noise.  A rounded time replays to
    the same event log if no record lies between it and now: at or after the last record, and
    (if it is later than now) the app's own simulation is first advanced to it."""
    for digits in range(2, 7):
        t = round(now_s, digits)
        if t >= last_record_s:
            return t
    if now_s > last_record_s:   # every rounding fell before the last record: round up
        for digits in range(2, 7):
            t = math.ceil(now_s * 10 ** digits) / 10 ** digits
            if t >= last_record_s:
                return t
    return now_s


def settle_replay_time(sim, sim_error: str = "") -> float:
    """Pick the replay line's end time and bring ``sim`` to it; returns it.

    A simulation that stopped on an error stays where it is (its exact time is printed):
    the session file must be written whatever state the run ended in."""
    if sim_error:
        return sim.now
    recent = sim.log.recent(1)
    seconds = replay_seconds(sim.now, recent[-1][0] if recent else 0.0)
    if seconds > sim.now:
        try:
            sim.advance_to(seconds)
        except Exception:  # noqa: BLE001 -- a core fault must not cost the recording
            return sim.now
    return seconds


if __name__ == "__main__":
    code = asyncio.run(main())
    if sys.platform != "emscripten":
        sys.exit(code)
