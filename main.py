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
    python main.py --lang zh                         # Chinese labels
    python main.py --record session.json             # on exit: the commands, and how to
                                                     # replay them with python -m sim run
    python main.py --commands session.json           # watch a recorded session again

F11 toggles fullscreen (projector) mode; the window may be resized to anything: the 1280x720
picture is scaled to fit it (render/display.py).
"""

from __future__ import annotations

import asyncio
import os
import sys

USAGE = ("usage: main.py [--headless] [--frames N] [--screenshot PATH] [--scenario PATH] "
         "[--seed N] [--speed X] [--bench] [--lang en|zh] [--commands PATH] [--record PATH]")


class UsageError(Exception):
    """Bad command-line input; ``str`` is the one line to print."""


def parse_args(argv: list[str]) -> dict:
    """A tiny strict parser: argparse would print usage blocks and exit by itself."""
    opts: dict = {"headless": False, "frames": None, "screenshot": None, "scenario": None,
                  "seed": None, "speed": None, "bench": False, "lang": "en",
                  "commands": None, "record": None}
    conv = {"--frames": ("frames", int), "--screenshot": ("screenshot", str),
            "--scenario": ("scenario", str), "--seed": ("seed", int),
            "--speed": ("speed", float), "--lang": ("lang", str),
            "--commands": ("commands", str), "--record": ("record", str)}
    i = 0
    while i < len(argv):
        arg = argv[i]
        key, _, inline = arg.partition("=")
        if key in ("--headless", "--bench") and not inline:
            opts[key[2:]] = True
            i += 1
            continue
        if key in ("-h", "--help"):
            raise UsageError(USAGE)
        if key not in conv:
            raise UsageError(f"main.py: unknown argument {arg!r} ({USAGE})")
        name, typ = conv[key]
        if inline:
            value = inline
        elif i + 1 < len(argv):
            value = argv[i + 1]
            i += 1
        else:
            raise UsageError(f"main.py: {key} needs a value")
        try:
            opts[name] = typ(value)
        except ValueError:
            raise UsageError(f"main.py: {key}: {value!r} is not a valid "
                             f"{'integer' if typ is int else 'number'}") from None
        i += 1
    if opts["lang"] not in ("en", "zh"):
        raise UsageError(f"main.py: --lang must be en or zh, not {opts['lang']!r}")
    if opts["frames"] is not None and opts["frames"] < 1:
        raise UsageError("main.py: --frames must be at least 1")
    if opts["seed"] is not None and opts["seed"] < 0:
        raise UsageError("main.py: --seed must be >= 0")
    speed = opts["speed"]
    if speed is not None and not 0.0 <= speed <= 600.0:
        raise UsageError("main.py: --speed must be between 0 (pause) and 600")
    if (opts["frames"] or opts["screenshot"] or opts["bench"]) and not opts["headless"]:
        raise UsageError("main.py: --frames/--screenshot/--bench need --headless")
    if opts["headless"] and not opts["bench"] and opts["frames"] is None:
        opts["frames"] = 1
    return opts


def init_display(headless: bool):
    """Open the 1280x720 window (SDL's dummy driver when headless) and its logical canvas."""
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from render.display import LOGICAL, Display

    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode(LOGICAL)   # a fixed size (pygbag); a window manager may resize
    pygame.display.set_caption("River Factory")
    return pygame, Display()


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
        argv = sys.argv[1:] if sys.platform != "emscripten" else []
    try:
        opts = parse_args(argv)
    except UsageError as e:
        print(e, file=sys.stderr)
        return 2
    error = screenshot_error(opts["screenshot"])
    if error:
        print(error, file=sys.stderr)
        return 2
    pygame, display = init_display(opts["headless"])
    from render.app import DEFAULT_SPEED, App
    from sim import ScenarioError

    if opts["bench"]:
        from render.benchmark import real_frames

        result = await real_frames(pygame.display.get_surface())
        print(f"frame_ms median={result['median']:.2f} p95={result['p95']:.2f} "
              f"people={result['people']}")
        return 0
    if opts["scenario"] is not None:
        from sim.scenario import resolve_path

        if not resolve_path(opts["scenario"]).exists():
            print(f"main.py: scenario {opts['scenario']!r} not found", file=sys.stderr)
            return 2
    from sim import CommandError
    from sim.commands import load_commands

    try:
        replay = load_commands(opts["commands"]) if opts["commands"] else []
        app = App(opts["scenario"], opts["seed"], opts["lang"],
                  DEFAULT_SPEED if opts["speed"] is None else opts["speed"], commands=replay)
    except (ScenarioError, CommandError) as e:
        print(str(e), file=sys.stderr)
        return 2
    code = 0
    try:
        frame = await frame_loop(pygame, display, app, opts["frames"], opts["headless"])
    except asyncio.CancelledError:   # Ctrl-C: asyncio.run cancels this task; no traceback
        return 130
    finally:
        # every exit path keeps the session: window closed, Ctrl-C, a crash in the loop
        if opts["record"]:
            code = record_session(app, opts["record"])
    if opts["screenshot"]:
        try:
            pygame.image.save(display.canvas, opts["screenshot"])
        except (pygame.error, OSError) as e:
            print(f"main.py: cannot write screenshot {opts['screenshot']!r}: {e}",
                  file=sys.stderr)
            return 2
        print(f"wrote {opts['screenshot']} after {frame} frames, t={app.sim.now:.0f}s, "
              f"people={app.people_drawn}")
    if not opts["headless"]:
        pygame.quit()
    return code


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
    print(f"recorded {len(session['commands'])} commands to {path}; replay headless with:\n"
          f"  python -m sim run --scenario {session['scenario']} --seed {session['seed']} "
          f"--seconds {seconds!r} --commands {path}\n"
          f"  (event_log_sha256 {session['event_log_sha256']})")
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
