"""``python -m sim``: the headless command line -- ``run`` (``sim.cli``), and the planning
tools ``sweep``, ``plan``, ``validate``, ``compare`` (``planning.cli``, which needs numpy).

Every user mistake -- a wrong flag, a bad ``--set``, a scenario typo, a broken command file --
ends with one line on stderr and exit status 2, never a traceback.

Why the dispatch lives here: this entry point is imported by nobody, so it may reach up to
``planning`` without making ``sim`` depend on it (``sim.cli`` importing ``planning.cli``, which
imports ``sim.cli``, was a cycle).  ``planning`` is imported only when one of its subcommands
is asked for, so ``run`` works without numpy (the browser build has none), and a missing
numpy is one line saying what to install -- while a real import error inside ``planning``
still shows as the bug it is.
"""

from __future__ import annotations

import importlib.util
import sys

from sim import cli

PLANNING = {
    "sweep": "run a grid of scenario values x seeds, aggregate, plot (needs numpy)",
    "plan": "smallest capacity meeting a target, with its CI and cost (needs numpy)",
    "validate": "the core vs queueing theory: table, pass/fail (needs numpy)",
    "compare": "a change against its base on the same seeds: paired CIs (needs numpy)",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PLANNING:
        if importlib.util.find_spec("numpy") is None:
            print(f"error: python -m sim {argv[0]} needs numpy: pip install numpy",
                  file=sys.stderr)
            return 2
        from planning.cli import main as planning_main

        return planning_main(argv)
    return cli.main(argv, more=PLANNING)


if __name__ == "__main__":
    sys.exit(main())
