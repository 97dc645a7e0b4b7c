"""River Factory's pixel-art renderer: reads ``sim`` snapshots, sends ``sim`` commands.

Two rooms that never import each other: :mod:`render.world` (the street, the lobby, the
factory floor: drawn in world pixels and shown through one :class:`render.camera.Camera`) and
:mod:`render.panel` (the dashboard, the desk, the timeline, the tooltip and the card area:
drawn at screen resolution).  What both use sits here (layout, palette, fonts, i18n, display,
the camera, the view state); :class:`render.app.App` composes them, with the overlays over
both (:mod:`render.overlays`).  Nothing here imports numpy, threads or subprocesses: the same
code runs in pygbag's browser Python.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
