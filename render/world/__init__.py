"""The world: the street, the lobby, its seats and people, the factory's machines, the scenery.

Drawn in world pixels on the logical surface (``layout.WORLD_W`` x ``layout.WORLD_H``) and
shown through the :class:`render.camera.Camera`.  The world never imports the panel.
"""
