"""River Factory's pixel-art renderer: reads ``sim`` snapshots, sends ``sim`` commands.

Layers, drawn in a fixed order each frame (see :mod:`render.app`): the baked background
(:mod:`render.background`), machines (:mod:`render.machines`), people sorted by depth
(:mod:`render.people`), world labels, then the dashboard (:mod:`render.dashboard`), the
controls (:mod:`render.controls`), tooltips and the help overlay.  Nothing here imports
numpy, threads or subprocesses: the same code runs in pygbag's browser Python.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
