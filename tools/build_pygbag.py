"""Run pygbag on the app's allow-list only: stage it, pack the stage, bring the page back.

Why: pygbag 0.9.3 packs every file under the folder it is given except a deny-list
(``pygbag.ini``); a virtual environment or cache under a name nobody listed (``venv-river/``,
``.venv-x/``) went into the archive and the pack ran for minutes.  This tool copies what the
game is (``tools/build_site.py``'s allow-list: ``main.py``, ``sim/``, ``render/``,
``assets/``, ``scenarios/`` and the pure-Python packages the page imports) with the page
template, icon and ``pygbag.ini`` into ``build/pygbag/river-factory/``, runs pygbag there
(it reads those three from its current directory), and copies its ``build/web/`` (and
``build/web.zip``) back to ``build/`` here.  Whatever else lies in the checkout is never read.

    python tools/build_pygbag.py --build         # build/web/: index.html, favicon.png,
                                                 #   river-factory.apk, river-factory.tar.gz
    python tools/build_pygbag.py --archive       # ... and build/web.zip for itch.io
    python tools/build_pygbag.py                 # pack and serve on http://localhost:8000

Every option is pygbag's (``--no_opt``, ``--template T``, ``--icon I``, ``--cdn URL`` ...).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "river-factory"            # the stage's folder name: pygbag names the archive after it
PAGE_FILES = ("default.tmpl", "favicon.png", "pygbag.ini")


def _build_site():
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "tools" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stage(root: Path = ROOT) -> Path:
    """The allow-listed app and pygbag's page files in ``root/build/pygbag/river-factory``."""
    dest = _build_site().stage(root / "build" / "pygbag" / APP, root)
    for name in PAGE_FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, dest / name)
    return dest


def run(options: list[str], root: Path = ROOT, timeout_s: float | None = None,
        capture: bool = True, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess:
    """Stage, then ``python -m pygbag OPTIONS .`` in the stage; its output is copied to
    ``root/build/web`` (and ``root/build/web.zip``).  Raises ``subprocess.TimeoutExpired``
    past ``timeout_s`` (pygbag and its children are killed)."""
    dest = stage(root)
    pipe = subprocess.PIPE if capture else None
    proc = subprocess.Popen([sys.executable, "-m", "pygbag", *options, "."], cwd=dest,
                            stdout=pipe, stderr=subprocess.STDOUT if capture else None,
                            text=True, start_new_session=True, env=env)
    try:
        output, _ = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        import os
        import signal

        os.killpg(proc.pid, signal.SIGKILL)      # pygbag and anything it started
        proc.communicate()
        raise
    done = subprocess.CompletedProcess(proc.args, proc.returncode, output, "")
    web = dest / "build" / "web"
    if proc.returncode == 0 and web.is_dir():
        out = root / "build" / "web"
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(web, out)
        if (dest / "build" / "web.zip").is_file():
            shutil.copy2(dest / "build" / "web.zip", root / "build" / "web.zip")
    return done


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return 0
    if importlib.util.find_spec("pygbag") is None:
        print("build_pygbag: pygbag is not installed (pip install pygbag==0.9.3)",
              file=sys.stderr)
        return 2
    done = run(argv, capture=False)
    if done.returncode == 0:
        print(f"build_pygbag: packed {ROOT / 'build' / 'pygbag' / APP}; the page is in "
              f"{ROOT / 'build' / 'web'}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
