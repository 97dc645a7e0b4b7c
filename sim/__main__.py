"""``python -m sim``: the headless command line (run; sweep, plan and validate live in planning/).

Every user mistake -- a wrong flag, a bad ``--set``, a scenario typo, a broken command file --
ends with one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import sys

from sim.cli import main

if __name__ == "__main__":
    sys.exit(main())
