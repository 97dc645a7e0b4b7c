"""The one palette every pixel comes from (33 colours, named for what they paint).

Why named roles: sprites, scenery and UI all pick from this table, so the picture stays
coherent and a colour tweak happens in one place.  Tier shirts and lane colours are here too,
because the dashboard's legend must match the people on the floor.

Why text has its own roles: text must stand out from what it is drawn on by at least
4.5:1 (WCAG AA, :func:`contrast`).  The sprite red is too dark for that on the panel's ink,
so failures are written in ``RED_LIGHT``; dim text is ``SILVER``, not ``STEEL``.
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
RED_LIGHT: Color = (248, 96, 100)       # red text on dark panels (RED is 3.3:1 on INK)
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
    SKIN_DARK, RED_DARK, RED, RED_LIGHT, ORANGE, YELLOW, GOLD, LIME, GREEN, GREEN_DARK, TEAL,
    CYAN, BLUE, BLUE_DARK, PURPLE, PINK, ASPHALT, FLOOR_A, FLOOR_B, CONCRETE, CONCRETE_DARK,
)

#: Shirt colour by tier position (L1..L4; unknown tiers cycle).
TIER_SHIRTS: tuple[Color, ...] = (TEAL, BLUE, PURPLE, ORANGE)
TIER_SHIRTS_DARK: tuple[Color, ...] = (GREEN_DARK, BLUE_DARK, INK, BROWN)

#: Content type colours (machine screens, product icons, dashboard rows).
CONTENT_COLORS: dict[str, Color] = {
    "image": CYAN, "video": PINK, "audio": LIME, "text": YELLOW, "job": SILVER,
}

PANEL_BG: Color = INK
HEADER_BG: Color = INK      # the machine groups' title bands: model names are written on them
PANEL_LINE: Color = SLATE
TEXT: Color = CLOUD
TEXT_DIM: Color = SILVER
TEXT_GOOD: Color = LIME
TEXT_BAD: Color = RED_LIGHT
TEXT_WARN: Color = YELLOW

#: The contrast text needs on its background (WCAG 2 AA for normal-size text).
MIN_CONTRAST = 4.5


def luminance(c: Color) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 black .. 1 white)."""
    def linear(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in c[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio of two colours, 1 (same) .. 21 (black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
