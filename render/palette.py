"""The one palette every pixel comes from (32 colours, named for what they paint).

Why named roles: sprites, scenery and UI all pick from this table, so the picture stays
coherent and a colour tweak happens in one place.  Tier shirts and lane colours are here too,
because the dashboard's legend must match the people on the floor.
"""

from __future__ import annotations

Color = tuple[int, int, int]

BLACK: Color = (20, 16, 28)
INK: Color = (38, 34, 52)
NIGHT: Color = (52, 56, 84)
SLATE: Color = (74, 84, 112)
STEEL: Color = (112, 124, 150)
SILVER: Color = (164, 174, 190)
CLOUD: Color = (214, 220, 228)
WHITE: Color = (248, 246, 238)
BROWN_DARK: Color = (88, 56, 40)
BROWN: Color = (138, 90, 56)
TAN: Color = (196, 146, 98)
SKIN: Color = (238, 190, 150)
SKIN_DARK: Color = (190, 130, 96)
RED_DARK: Color = (128, 30, 44)
RED: Color = (214, 56, 64)
ORANGE: Color = (240, 132, 52)
YELLOW: Color = (250, 206, 72)
GOLD: Color = (214, 160, 40)
LIME: Color = (150, 210, 80)
GREEN: Color = (60, 160, 84)
GREEN_DARK: Color = (36, 96, 70)
TEAL: Color = (40, 140, 150)
CYAN: Color = (100, 206, 224)
BLUE: Color = (60, 110, 200)
BLUE_DARK: Color = (40, 60, 130)
PURPLE: Color = (130, 80, 180)
PINK: Color = (230, 120, 170)
ASPHALT: Color = (62, 62, 72)
FLOOR_A: Color = (186, 170, 150)
FLOOR_B: Color = (172, 156, 138)
CONCRETE: Color = (132, 136, 140)
CONCRETE_DARK: Color = (116, 120, 126)

PALETTE: tuple[Color, ...] = (
    BLACK, INK, NIGHT, SLATE, STEEL, SILVER, CLOUD, WHITE, BROWN_DARK, BROWN, TAN, SKIN,
    SKIN_DARK, RED_DARK, RED, ORANGE, YELLOW, GOLD, LIME, GREEN, GREEN_DARK, TEAL, CYAN, BLUE,
    BLUE_DARK, PURPLE, PINK, ASPHALT, FLOOR_A, FLOOR_B, CONCRETE, CONCRETE_DARK,
)

#: Shirt colour by tier position (L1..L4; unknown tiers cycle).
TIER_SHIRTS: tuple[Color, ...] = (TEAL, BLUE, PURPLE, ORANGE)
TIER_SHIRTS_DARK: tuple[Color, ...] = (GREEN_DARK, BLUE_DARK, INK, BROWN)

#: Content type colours (machine screens, product icons, dashboard rows).
CONTENT_COLORS: dict[str, Color] = {
    "image": CYAN, "video": PINK, "audio": LIME, "text": YELLOW, "job": SILVER,
}

PANEL_BG: Color = INK
PANEL_LINE: Color = SLATE
TEXT: Color = CLOUD
TEXT_DIM: Color = STEEL
TEXT_GOOD: Color = LIME
TEXT_BAD: Color = RED
TEXT_WARN: Color = YELLOW
